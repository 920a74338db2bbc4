"""Each role's start view (今日待办) and menus showing only what the role can do."""

from __future__ import annotations

import sqlite3

import pytest

from gridapp.services.demo.street import DEMO_USERS

PASSWORDS = {u[0]: u[1] for u in DEMO_USERS}


def _login(user):
    return (user, PASSWORDS[user])


def _visible_menus(w):
    return {a.menu().objectName() for a in w.menuBar().actions()
            if a.menu() is not None and a.isVisible()}


def _count(path, status):
    with sqlite3.connect(path) as db:  # the demo file, read independently of GridApp
        return db.execute("SELECT count(*) FROM report WHERE status = ?", (status,)).fetchone()[0]


def test_grid_manager_sees_no_editing_or_task_commands(make_window, demo_copy):
    w = make_window(demo_copy, login=_login("wgy01"))
    for action_id in ("gridapp.tool.grid_split", "gridapp.grid.merge", "gridapp.task.board",
                      "gridapp.people.users", "gridapp.print.poster",
                      "gridapp.workspace.outside_edits", "gridapp.cases.import"):
        assert not w.actions[action_id].isVisible(), action_id
    assert w.actions["gridapp.tool.file_report"].isVisible()  # a manager files reports
    assert "menu_tasks" not in _visible_menus(w)
    assert not w.docks["task_board"].isVisible()
    assert not w.docks["task_board"].toggleViewAction().isVisible()
    toolbar_ids = {a.objectName() for a in w.toolbar.actions() if a.isVisible()}
    assert "gridapp.tool.grid_draw" not in toolbar_ids


def test_admin_sees_them_and_logout_restores_the_greyed_menu(make_window, demo_copy):
    w = make_window(demo_copy)
    for action_id in ("gridapp.tool.grid_split", "gridapp.task.board", "gridapp.people.users"):
        assert w.actions[action_id].isVisible(), action_id
    assert "menu_tasks" in _visible_menus(w)
    w.close_workspace()
    assert w.actions["gridapp.task.board"].isVisible()  # nobody logged in: as before
    assert not w.actions["gridapp.task.board"].isEnabled()


@pytest.mark.parametrize(("user", "keys"), [
    ("zhihui", ["reported", "registered", "verified", "overdue", "proposals"]),
    ("wgy01", ["my_work", "overdue", "due_soon"]),
    ("wgb", ["unassigned", "warnings", "coverage", "my_work", "overdue"]),
])
def test_each_role_starts_on_its_own_today_panel(make_window, demo_copy, qtbot, user, keys):
    from gridapp.qt.today_panel import KEY_ROLE

    w = make_window(demo_copy, login=_login(user))
    panel = w.docks["today"].widget()
    qtbot.waitUntil(lambda: bool(panel.counts), timeout=20_000)
    assert w.docks["today"].isVisible()
    shown = [panel.list.item(i).data(KEY_ROLE) for i in range(panel.list.count())]
    assert shown == keys
    assert "今日待办" in panel.heading.text()
    if user == "zhihui":
        assert panel.counts["verified"] == _count(demo_copy, "verified")
        assert panel.counts["reported"] == _count(demo_copy, "reported")
        assert panel.list.item(2).text().endswith(f"：{_count(demo_copy, 'verified')}")


def test_activating_a_row_opens_the_cases_behind_it_and_closing_clears_it(make_window, demo_copy, qtbot):
    from gridapp.qt.today_panel import KEY_ROLE

    w = make_window(demo_copy, login=_login("zhihui"))
    panel = w.docks["today"].widget()
    qtbot.waitUntil(lambda: bool(panel.counts), timeout=20_000)
    cases = next(f for f in w.features if hasattr(f, "case_list"))
    rows = {panel.list.item(i).data(KEY_ROLE): panel.list.item(i) for i in range(panel.list.count())}
    panel.list.itemActivated.emit(rows["overdue"])
    assert cases.case_list.overdue_check.isChecked()
    panel.list.itemActivated.emit(rows["verified"])
    assert not cases.case_list.overdue_check.isChecked()
    assert cases.case_list.status_combo.currentData() == "verified"
    qtbot.waitUntil(lambda: cases.case_list.model.rowCount() == _count(demo_copy, "verified"))
    # closing the workspace leaves nothing of it in the panel
    w.close_workspace()
    assert panel.list.count() == 0
    assert panel.session is None
    assert "打开工作空间" in panel.heading.text()
