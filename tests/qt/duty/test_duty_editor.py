"""The duty-list editor: fits 1366×768, refuses bad lines, adds, edits, removes, undoes."""

from __future__ import annotations

import pytest

from gridapp.qt.duty.duty_editor import DutyListEditor
from gridapp.services.cases import routing
from gridapp.services.session import system_session
from tests.qt.editors.conftest import (  # noqa: F401  (fixtures)
    assert_fits_small_screen,
    audit_count,
    chinese_ui,
    login_as,
)


@pytest.fixture
def editor(qtbot, login_as, chinese_ui):  # noqa: F811
    dialog = DutyListEditor(login_as("wgb"))
    qtbot.addWidget(dialog)
    dialog.resize(1000, 600)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _lines(store):
    return routing.duty_list(system_session(store))


def _pick(combo, text):
    i = combo.findText(text)
    assert i >= 0, text
    combo.setCurrentIndex(i)


def _select(editor, code, role="lead", area=None):
    for r, row in enumerate(editor.rows):
        if (row["category_code"], row["role"], row["area_kind"]) == (code, role, area):
            editor.table.selectRow(r)
            return row
    raise AssertionError(code)


def test_fits_a_laptop_screen_in_chinese(editor):
    assert_fits_small_screen(editor)
    assert editor.windowTitle() == "职责清单：何事、何地、由谁处置"
    assert {"0401", "0404"} <= {r["category_code"] for r in editor.rows}
    _select(editor, "0404")
    assert editor.department_combo.currentText() == "公安分局"
    assert editor.area_combo.currentText() == "不限区域"
    assert editor.radius_spin.value() == 30  # 机动车乱停放: built-in 30 m


def test_a_market_line_is_added_audited_and_undone(editor, demo_workspace):
    before = _lines(demo_workspace)
    audits = audit_count(demo_workspace, "duty_item")
    _select(editor, "0401")
    _pick(editor.area_combo, "集贸市场")
    _pick(editor.department_combo, "区市场监督管理局")
    editor.add_button.click()
    added = [r for r in _lines(demo_workspace) if r not in before]
    assert [(r["category_code"], r["area_kind"], r["department_name"]) for r in added] == [
        ("0401", "market", "区市场监督管理局")]
    assert audit_count(demo_workspace, "duty_item") == audits + 1
    assert "已添加" in editor.message.text()
    editor.undo_action.trigger()  # Ctrl+Z
    assert _lines(demo_workspace) == before
    editor.redo_action.trigger()  # Ctrl+Y
    assert len(_lines(demo_workspace)) == len(before) + 1


@pytest.mark.parametrize(("change", "words"), [
    ("no_department", "请选择处置部门"),
    ("same_again", "已有这一条"),
    ("second_lead", "已有牵头部门"),
])
def test_bad_lines_are_refused_and_nothing_changes(editor, demo_workspace, change, words):
    before = _lines(demo_workspace)
    _select(editor, "0404")
    if change == "no_department":
        editor.department_combo.setCurrentIndex(0)
        editor.save_button.click()
    elif change == "same_again":
        editor.add_button.click()
    else:
        _pick(editor.department_combo, "区交通运输局")
        editor.add_button.click()
    assert words in editor.message.text()
    assert _lines(demo_workspace) == before
    assert editor.undo_stack.count() == 0


def test_a_line_is_changed_removed_and_both_undone(editor, demo_workspace):
    row = _select(editor, "0404")
    _pick(editor.department_combo, "区交通运输局")
    editor.save_button.click()
    now = {r["id"]: r for r in _lines(demo_workspace)}
    assert now[row["id"]]["department_name"] == "区交通运输局"
    _select(editor, "0404")
    editor.remove_button.click()
    assert row["id"] not in {r["id"] for r in _lines(demo_workspace)}
    editor.undo_action.trigger()
    editor.undo_action.trigger()
    back = [r for r in _lines(demo_workspace) if r["category_code"] == "0404"
            and r["role"] == "lead"]
    assert [r["department_name"] for r in back] == ["公安分局"]


def test_the_near_duplicate_radius_is_saved_and_undone(editor, demo_workspace):
    row = _select(editor, "0404")
    editor.radius_spin.setValue(45)
    editor.days_spin.setValue(2)
    editor.dup_save.click()
    rule = routing_rule(demo_workspace, row["category_id"])
    assert (rule.radius_m, rule.days, rule.source) == (45, 2, "category")
    assert editor.dup_source.text() == "本分类单独设定。"
    editor.undo_action.trigger()
    rule = routing_rule(demo_workspace, row["category_id"])
    assert (rule.radius_m, rule.days, rule.source) == (30, 1, "built_in")


def routing_rule(store, category_id):
    from gridapp.services.cases.placement import category_duplicate_rule

    return category_duplicate_rule(system_session(store), category_id)


def test_areas_are_imported_from_a_file_and_undone(editor, demo_workspace, tmp_path):
    import json

    g = demo_workspace.query("SELECT geom FROM grid WHERE valid_to IS NULL LIMIT 1")[0]
    from gridapp.storage import geometry

    x0, y0, x1, y1 = geometry.decode(g["geom"]).bounds
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    path = tmp_path / "markets.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"名称": "测试市场"},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    _pick(editor.area_combo, "集贸市场")  # the file has no kind field: Where gives it
    ids = editor.import_areas(str(path))
    assert len(ids) == 1
    assert demo_workspace.get("duty_area", ids[0])["kind"] == "market"
    assert "已导入 1 个区域" in editor.message.text()
    editor.undo_action.trigger()
    assert demo_workspace.scalar("SELECT count(*) FROM duty_area") == 0
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert editor.import_areas(str(bad)) == []
    assert editor.message.styleSheet() == "color: #b00020;"
