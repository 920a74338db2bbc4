"""What each role sees: menus, toolbar buttons and panels only for what it can do.

An action or panel listed here is hidden when the logged-in user's role holds
none of its permissions (``domain/permissions.py``); a menu left with nothing
visible is hidden too.  Actions not listed (view, map tools, language, files)
are for everyone.  Before anyone logs in everything stays visible, greyed out
as before.  The services check every permission again; this only keeps out of
the way what a role cannot use.

A feature that adds actions can give them here, or set ``ActionSpec.permission``
(not needed for printing and people: their own tables are read below).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtWidgets import QMenu

GRID_EDIT = ("grid.edit",)

# action id → permissions (any of them shows the action)
ACTION_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "gridapp.file.import": ("grid.edit", "community.edit"),
    "gridapp.tool.file_report": ("report.file",),
    "gridapp.cases.import": ("report.import",),
    "gridapp.cases.holidays": ("calendar.load",),
    "gridapp.cases.notice": ("case.supervise",),
    "gridapp.tool.grid_draw": GRID_EDIT,
    "gridapp.tool.grid_split": GRID_EDIT,
    "gridapp.tool.grid_reshape": GRID_EDIT,
    "gridapp.grid.merge": GRID_EDIT,
    "gridapp.grid.delete": GRID_EDIT,
    "gridapp.grid.attributes": GRID_EDIT,
    "gridapp.grid.undo": GRID_EDIT,
    "gridapp.grid.redo": GRID_EDIT,
    "gridapp.grid.snapping": GRID_EDIT,
    "gridapp.grid.check": ("grid.edit", "workspace.check"),
    "gridapp.grid.import": ("grid.edit", "community.edit"),
    "gridapp.grid.divide": ("grid.edit", "community.edit"),
    "gridapp.workspace.outside_edits": ("workspace.outside_edits",),
    "gridapp.task.clusters": ("cluster.find",),
    "gridapp.task.proposals": ("cluster.find", "task.manage"),
    "gridapp.task.board": ("task.manage", "task.respond"),
    "gridapp.task.print_order": ("task.manage", "task.respond"),
}

# dock key → permissions (any of them shows the panel)
DOCK_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "grid_problems": ("grid.edit", "workspace.check"),
    "assignment_warnings": ("assignment.edit",),
    "task_clusters": ("cluster.find",),
    "task_proposals": ("cluster.find", "task.manage"),
    "task_board": ("task.manage", "task.respond"),
}


def _feature_tables() -> dict[str, tuple[str, ...]]:
    """People's and printing's own action → permission tables."""
    from gridapp.qt.features.printing import PERMISSION as PRINTING
    from gridapp.qt.people.people_actions import PERMISSIONS as PEOPLE

    out = {k: (v,) for k, v in PRINTING.items()}
    out.update({k: (v,) for k, v in PEOPLE.items() if v is not None})
    return out


def permissions_of(window: Any) -> dict[str, tuple[str, ...]]:
    table = getattr(window, "_role_table", None)
    if table is not None:
        return table
    table = dict(ACTION_PERMISSIONS)
    table.update(_feature_tables())
    for action_id in window.actions.ids():
        spec_permission = window.actions.permission(action_id)
        if spec_permission:
            table[action_id] = spec_permission
    window._role_table = table
    return table


def _allowed(session: Any, permissions: Iterable[str]) -> bool:
    return any(session.can(p) for p in permissions)


def apply(window: Any) -> None:
    """Show and hide actions, menus and panels for the window's current user."""
    session = window.session
    for action_id, permissions in permissions_of(window).items():
        if action_id in window.actions:
            visible = session is None or _allowed(session, permissions)
            window.actions[action_id].setVisible(visible)
    for key, permissions in DOCK_PERMISSIONS.items():
        dock = window.docks.get(key)
        if dock is None:
            continue
        allowed = session is None or _allowed(session, permissions)
        dock.toggleViewAction().setVisible(allowed)
        if not allowed:
            dock.hide()
    for action in window.menuBar().actions():
        if action.menu() is not None:
            _hide_if_empty(action.menu())


def _hide_if_empty(menu: QMenu) -> None:
    shown = [a for a in menu.actions() if not a.isSeparator() and a.isVisible()]
    menu.menuAction().setVisible(bool(shown))


def install(window: Any) -> None:
    """Apply after every update of the actions (the last word on visibility) and
    on every login (workspace loaded) and logout (workspace closed)."""
    window.actions.after_update = lambda: apply(window)
    window.when_loaded(lambda: apply(window))
    window.workspaceClosed.connect(lambda: apply(window))
