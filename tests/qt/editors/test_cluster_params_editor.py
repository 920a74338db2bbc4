"""Clustering parameters per category: fits, refuses bad input, saves, undoes."""

from __future__ import annotations

import pytest

from gridapp.qt.editors.cluster_params_editor import ClusterParamsEditor
from tests.qt.editors.conftest import assert_fits_small_screen, audit_count


@pytest.fixture
def editor(qtbot, login_as):
    dialog = ClusterParamsEditor(login_as("wgb"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _select(editor, code):
    assert editor.select_key(code), code
    return editor.current_row()


def test_fits_and_shows_the_default(editor):
    assert_fits_small_screen(editor)
    _select(editor, "B0101")  # 上水井盖
    assert not editor.own_check.isChecked() and not editor.eps_edit.isEnabled()
    assert editor.eps_edit.text() == "50"  # ClusterParams' documented default


@pytest.mark.parametrize(("eps", "window", "minimum", "words"), [
    ("三十", "30", "", "不是数字"),
    ("1", "30", "", "空间距离必须在"),
    ("30", "0", "", "时间窗必须在"),
    ("30", "30", "2.5", "必须是整数"),
    ("30", "30", "2", "最少事件数必须是"),
])
def test_bad_input_is_refused_and_nothing_changes(editor, demo_workspace, eps, window,
                                                  minimum, words):
    _select(editor, "B0101")
    audits = audit_count(demo_workspace, "setting")
    editor.own_check.setChecked(True)
    editor.eps_edit.setText(eps)
    editor.window_edit.setText(window)
    editor.min_edit.setText(minimum)
    editor.save_button.click()
    assert words in editor.message.text()
    assert "B0101" not in (demo_workspace.setting("cluster.per_category") or {})
    assert audit_count(demo_workspace, "setting") == audits
    assert editor.undo_stack.count() == 0


def test_own_parameters_saved_audited_and_undone(editor, demo_workspace):
    _select(editor, "B0101")
    audits = audit_count(demo_workspace, "setting")
    editor.own_check.setChecked(True)
    editor.eps_edit.setText("30")
    editor.window_edit.setText("60")
    editor.save_button.click()
    assert demo_workspace.setting("cluster.per_category")["B0101"] == {
        "eps_m": 30, "window_days": 60, "min_samples": None}
    assert audit_count(demo_workspace, "setting") == audits + 1
    assert editor.table.item(editor.table.currentRow(), 2).text() == "30"
    # switching them off again is its own step; undoing it brings 30 m / 60 days back
    editor.own_check.setChecked(False)
    editor.save_button.click()
    assert "B0101" not in demo_workspace.setting("cluster.per_category")
    editor.undo_button.click()
    assert demo_workspace.setting("cluster.per_category")["B0101"]["eps_m"] == 30
    editor.undo_button.click()
    assert "B0101" not in demo_workspace.setting("cluster.per_category")
    assert audit_count(demo_workspace, "setting") == audits + 4
