"""The department and liaison editor: fits, refuses bad input, saves, undoes."""

from __future__ import annotations

import pytest

from gridapp.qt.editors.department_editor import DepartmentEditor
from tests.qt.editors.conftest import assert_fits_small_screen, audit_count


@pytest.fixture
def editor(qtbot, login_as):
    dialog = DepartmentEditor(login_as("wgb"))
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


def test_fits_and_names_the_liaison_account(editor):
    assert_fits_small_screen(editor)
    assert {"CG", "GA", "JD"} <= {r["code"] for r in editor.rows}
    _select(editor, "CG")
    assert "赵磊" in editor.accounts_label.text()  # the demo's liaison of 城管
    _select(editor, "GA")
    assert "No liaison account" in editor.accounts_label.text()


@pytest.mark.parametrize(("field", "value", "words"), [
    ("phone_edit", "12345", "电话号码"),
    ("name_edit", "公安分局", "已有名为"),  # GA's name
    ("short_edit", " ", "请填写简称"),
    ("active_check", False, "不能停用"),  # categories still send work to 城管
])
def test_bad_input_is_refused_and_nothing_changes(editor, demo_workspace, field, value, words):
    row = _select(editor, "CG")
    stored = demo_workspace.get("department", row["id"])
    audits = audit_count(demo_workspace, "department")
    widget = getattr(editor, field)
    if isinstance(value, bool):
        widget.setChecked(value)
    else:
        widget.setText(value)
    editor.save_button.click()
    assert words in editor.message.text()
    assert demo_workspace.get("department", row["id"]) == stored
    assert audit_count(demo_workspace, "department") == audits
    assert editor.undo_stack.count() == 0


def test_liaison_saved_audited_and_undone(editor, demo_workspace):
    row = _select(editor, "CG")
    did = row["id"]
    before = demo_workspace.get("department", did)
    audits = audit_count(demo_workspace, "department", did)
    editor.person_edit.setText("王强")
    editor.phone_edit.setText("138 0000 1111")
    editor.save_button.click()
    saved = demo_workspace.get("department", did)
    assert (saved["contact_person"], saved["contact_phone"]) == ("王强", "13800001111")
    assert audit_count(demo_workspace, "department", did) == audits + 1
    assert editor.phone_edit.text() == "13800001111"  # shown as stored
    editor.undo_action.trigger()  # Ctrl+Z
    back = demo_workspace.get("department", did)
    assert (back["contact_person"], back["contact_phone"]) == (
        before["contact_person"], before["contact_phone"])
    assert audit_count(demo_workspace, "department", did) == audits + 2
