"""The category editor: fits a laptop screen, refuses bad input, saves, undoes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gridapp.qt.editors.category_editor import CategoryEditor
from tests.qt.editors.conftest import assert_fits_small_screen, audit_count


@pytest.fixture
def editor(qtbot, login_as):
    dialog = CategoryEditor(login_as("wgb"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _select(editor, code):
    for r, row in enumerate(editor.rows):
        if row["code"] == code:
            editor.table.selectRow(r)
            return row
    raise AssertionError(code)


def test_fits_and_lists_event_and_component_classes(editor):
    assert_fits_small_screen(editor)
    codes = [r["code"] for r in editor.rows]
    assert "0401" in codes and "B0101" in codes  # 占道经营, 上水井盖
    editor.kind_filter.setCurrentIndex(editor.kind_filter.findData("component"))
    assert editor.rows and all(r["code"].startswith("B") for r in editor.rows)


@pytest.mark.parametrize(("limit", "name", "words"), [
    ("两天", "占道经营", "不是数字"),
    ("0", "占道经营", "大于 0"),
    ("2", "店外经营", "同一大类下已有"),
    ("2", "  ", "请填写分类名称"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_changes(editor, demo_workspace,
                                                                  limit, name, words):
    row = _select(editor, "0401")
    stored = demo_workspace.get("category", row["id"])
    audits = audit_count(demo_workspace, "category")
    editor.name_edit.setText(name)
    editor.limit_edit.setText(limit)
    editor.save_button.click()
    assert words in editor.message.text()
    assert demo_workspace.get("category", row["id"]) == stored
    assert audit_count(demo_workspace, "category") == audits
    assert editor.undo_stack.count() == 0


def test_good_edit_is_saved_audited_undone_and_redone(editor, demo_workspace, qtbot):
    row = _select(editor, "0401")
    cid = row["id"]
    assert (row["time_limit"], row["time_unit"]) == (2, "workhour")
    audits = audit_count(demo_workspace, "category", cid)
    editor.name_edit.setText("占道经营（含夜市）")
    editor.limit_edit.setText("1")
    editor.unit_combo.setCurrentIndex(editor.unit_combo.findData("workday"))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = demo_workspace.get("category", cid)
    assert (saved["name"], saved["time_limit"], saved["time_unit"]) == (
        "占道经营（含夜市）", 1.0, "workday")
    assert audit_count(demo_workspace, "category", cid) == audits + 1
    assert editor.undo_stack.count() == 1 and editor.undo_button.isEnabled()
    assert editor.table.item(editor.table.currentRow(), 1).text().strip() == "占道经营（含夜市）"

    editor.undo_button.click()
    back = demo_workspace.get("category", cid)
    assert (back["name"], back["time_limit"], back["time_unit"]) == ("占道经营", 2, "workhour")
    assert audit_count(demo_workspace, "category", cid) == audits + 2  # undo is audited too
    assert editor.name_edit.text() == "占道经营"
    editor.redo_button.click()
    assert demo_workspace.get("category", cid)["name"] == "占道经营（含夜市）"


def test_other_roles_cannot_save(qtbot, login_as, demo_workspace):
    dialog = CategoryEditor(login_as("zhihui"))  # the dispatcher reads, does not edit
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.rows and not dialog.save_button.isEnabled()
