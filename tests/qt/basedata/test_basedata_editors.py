"""Building attribute and resident category editors (issue 18): both ways, audited, undo."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.qt.basedata.building_editor import BuildingEditor
from gridapp.qt.basedata.category_editor import ResidentCategoryEditor
from gridapp.services.basedata import building_edit as be
from tests.services.test_reports import X0, Y0, make_street


@pytest.fixture
def street(empty_workspace):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        street = make_street(empty_workspace)
        be.add_building(street.session("office"), box(X0 + 0.001, Y0 + 0.001, X0 + 0.0013,
                                                      Y0 + 0.0013),
                        be.BuildingDraft("富水南路1号", "住宅", 40, 6, "富水南路1号"))
        yield street


def _stored(street, name):
    return tuple(street.store.query("SELECT households, floors, kind FROM building"
                                    " WHERE name = ?", (name,))[0])


def test_building_form_saves_through_the_service_and_undo_puts_it_back(street, qtbot):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        editor = BuildingEditor(street.session("office"), street.grids[0])
        qtbot.addWidget(editor)
        names = [editor.table.item(r, 0).text() for r in range(editor.table.rowCount())]
        assert "富水南路1号" in names
        assert editor.select_key(next(r["id"] for r in editor.rows
                                      if r["name"] == "富水南路1号"))
        assert editor.edits["households"].text() == "40"  # model → form
        editor.edits["households"].setText("44")          # form → model
        editor.edits["floors"].setText("7")
        assert editor.save()
        assert _stored(street, "富水南路1号") == (44, 7, "住宅")
        editor.undo_stack.undo()
        assert _stored(street, "富水南路1号") == (40, 6, "住宅")
        editor.undo_stack.redo()
        assert _stored(street, "富水南路1号") == (44, 7, "住宅")
        editor.edits["floors"].setText("很多")
        assert not editor.save()
        assert "层数" in editor.message.text()  # the refusal, in Chinese
        assert _stored(street, "富水南路1号") == (44, 7, "住宅")
    actions = [r[0] for r in street.store.query(
        "SELECT action FROM audit_log WHERE table_name = 'building' ORDER BY id")]
    assert actions.count("update") == 3


def test_categories_added_renamed_retired_with_undo(street, qtbot):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        editor = ResidentCategoryEditor(street.session("office"))
        qtbot.addWidget(editor)
        editor.new_code.setText("veteran")
        editor.new_name.setText("退役军人")
        assert editor.add()
        row = street.store.query("SELECT name, active FROM resident_category"
                                 " WHERE code = 'veteran'")
        assert tuple(row[0]) == ("退役军人", 1)
        assert editor.select_key("veteran")
        editor.active_check.setChecked(False)
        assert editor.save()
        assert street.store.query("SELECT active FROM resident_category"
                                  " WHERE code = 'veteran'")[0][0] == 0
        editor.undo_stack.undo()
        assert street.store.query("SELECT active FROM resident_category"
                                  " WHERE code = 'veteran'")[0][0] == 1
        editor.new_code.setText("Bad Code")
        editor.new_name.setText("x")
        assert not editor.add()
        assert "类别代码" in editor.message.text()


def test_the_leader_cannot_save_categories(street, qtbot):
    editor = ResidentCategoryEditor(street.session("leader"))
    qtbot.addWidget(editor)
    assert not editor.add_button.isEnabled()
    assert not editor.save_button.isEnabled()
