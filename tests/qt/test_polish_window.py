"""Polish people expect (issue 21): F1 lists the shortcuts, every tool button explains
itself in Chinese, the status bar names the tool, Esc puts the pan tool back, and the
layout of the panels is remembered per role."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolBar, QToolButton

from gridapp.qt.app import direct_login

CJK = re.compile(r"[\u4e00-\u9fff]")


def polish_of(window):  # type: ignore[no-untyped-def]
    return next(f for f in window.features if hasattr(f, "show_shortcuts"))


def test_f1_lists_the_shortcuts_and_every_tool_button_has_a_chinese_tip(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = QApplication.activeModalWidget() or window.findChild(object, "shortcutsDialog")
    assert dialog is not None and dialog.objectName() == "shortcutsDialog"
    assert dialog.windowTitle() == "键盘快捷键"
    rows = {dialog.table.item(r, 1).text(): dialog.table.item(r, 0).text()
            for r in range(dialog.table.rowCount())}
    assert rows["Ctrl+F"] == "查找…"
    assert rows["F1"] == "键盘快捷键"
    assert "Esc" in rows and "平移" in rows["Esc"]
    screen = window.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height()
    dialog.close()

    buttons = [b for bar in window.findChildren(QToolBar) for b in bar.findChildren(QToolButton)
               if b.defaultAction() is not None and b.isVisible()]
    assert len(buttons) >= 10
    missing = [b.defaultAction().objectName() for b in buttons if not CJK.search(b.toolTip())]
    assert missing == [], "tool buttons without a Chinese tooltip"


def test_status_bar_names_the_tool_and_escape_goes_back_to_pan(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    label = window.status.tool
    assert label.text() == "工具：平移"
    window.actions.trigger("gridapp.tool.identify")
    assert label.text() == "工具：识别"
    assert window.canvas.tool.name == "identify"
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)
    assert window.canvas.tool.name == "pan"
    assert window.actions["gridapp.tool.pan"].isChecked()
    assert label.text() == "工具：平移"


def test_panel_layout_is_remembered_per_role(window, demo_copy, qtbot) -> None:  # type: ignore[no-untyped-def]
    layers, identify = window.docks["layers"], window.docks["identify"]
    assert not layers.isHidden() and not identify.isHidden()
    layers.hide()  # the administrator closes the layer list
    window.close_workspace()

    window.authenticate = direct_login("wgb", "Office-demo-2026")  # 网格办
    with qtbot.waitSignal(window.workspaceLoaded, timeout=60_000):
        assert window.open_workspace(demo_copy)
    assert not layers.isHidden(), "the office's own layout, not the administrator's"
    identify.hide()
    window.close_workspace()

    window.authenticate = direct_login("admin", "Admin-demo-2026")
    with qtbot.waitSignal(window.workspaceLoaded, timeout=60_000):
        assert window.open_workspace(demo_copy)
    assert layers.isHidden() and not identify.isHidden()
    keys = set(window.settings.allKeys())
    assert {"window/state/admin", "window/state/office"} <= keys


def test_a_layout_the_window_already_shows_is_not_restored_again(make_window, demo_copy, qtbot) -> None:  # type: ignore[no-untyped-def]
    """restoreState lays out and repaints every dock (~33 ms of the GUI thread while a
    district loads, issue 21): the first login into a window still as built, and a
    saved layout equal to the window's, skip it; another role's first login does not."""
    window = make_window()
    calls = []
    restore = window.restoreState
    window.restoreState = lambda state: calls.append(bytes(state)) or restore(state)

    def login(user, password):  # type: ignore[no-untyped-def]
        window.authenticate = direct_login(user, password)
        with qtbot.waitSignal(window.workspaceLoaded, timeout=60_000):
            assert window.open_workspace(demo_copy)

    login("admin", "Admin-demo-2026")
    assert calls == []  # as built: the administrator's first layout already
    window.close_workspace()  # saves the administrator's layout
    login("admin", "Admin-demo-2026")
    assert calls == []  # the saved layout is the one shown
    window.docks["layers"].hide()
    window.close_workspace()
    login("wgb", "Office-demo-2026")  # 网格办: no layout of its own yet
    assert calls == [bytes(window.default_state)]
    assert not window.docks["layers"].isHidden()
