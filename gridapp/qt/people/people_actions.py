"""The People menu's actions: ids, titles, the permission each needs, when enabled.

Declared once here (see :mod:`gridapp.qt.actions`); the feature
(:mod:`gridapp.qt.features.people`) provides the callbacks.  An action is
shown only to roles holding its permission; the services check again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gridapp.qt.actions import ActionSpec

# action id → permission the role must hold (None: any logged-in user)
PERMISSIONS: dict[str, str | None] = {
    "gridapp.people.managers": "workspace.read",
    "gridapp.people.add_manager": "manager.edit",
    "gridapp.people.import_managers": "manager.edit",
    "gridapp.people.assign_selected": "assignment.edit",
    "gridapp.people.reassign": "assignment.edit",
    "gridapp.people.colour_by_manager": "workspace.read",
    "gridapp.people.change_password": None,
    "gridapp.people.users": "user.manage",
    "gridapp.people.audit": "audit.read",
}

MENU = [
    "gridapp.people.managers",
    "gridapp.people.add_manager",
    "gridapp.people.import_managers",
    "-",
    "gridapp.people.assign_selected",
    "gridapp.people.reassign",
    "gridapp.people.colour_by_manager",
    "-",
    "gridapp.people.change_password",
    "gridapp.people.users",
    "gridapp.people.audit",
]


def declare_actions(feature: Any) -> None:
    """Add the People actions to ``feature.window.actions``, gated by role."""

    def gate(action_id: str, extra: Any = None) -> Any:
        def enabled() -> bool:
            feature.sync_session()
            ok = feature.allowed(PERMISSIONS[action_id])
            feature.window.actions[action_id].setVisible(ok)
            return ok and (extra is None or bool(extra()))

        return enabled

    has_grids = lambda: feature.grid_layer() is not None  # noqa: E731
    specs = [
        (
            "gridapp.people.managers",
            QT_TRANSLATE_NOOP("Actions", "Grid &managers"),
            feature.show_managers,
            None,
        ),
        (
            "gridapp.people.add_manager",
            QT_TRANSLATE_NOOP("Actions", "&New grid manager…"),
            feature.add_manager,
            None,
        ),
        (
            "gridapp.people.import_managers",
            QT_TRANSLATE_NOOP("Actions", "&Import grid managers…"),
            feature.import_managers,
            None,
        ),
        (
            "gridapp.people.assign_selected",
            QT_TRANSLATE_NOOP("Actions", "&Assign selected grids to manager…"),
            feature.assign_selected,
            lambda: len(feature.selected_grid_ids()) > 0,
        ),
        (
            "gridapp.people.reassign",
            QT_TRANSLATE_NOOP("Actions", "&Hand over all grids of a manager…"),
            feature.reassign_current,
            None,
        ),
        (
            "gridapp.people.colour_by_manager",
            QT_TRANSLATE_NOOP("Actions", "&Colour grids by manager"),
            feature.toggle_manager_colours,
            has_grids,
        ),
        (
            "gridapp.people.change_password",
            QT_TRANSLATE_NOOP("Actions", "Change my &password…"),
            feature.change_password,
            lambda: feature.window.session.user.id is not None,
        ),
        (
            "gridapp.people.users",
            QT_TRANSLATE_NOOP("Actions", "&Users…"),
            feature.show_users,
            None,
        ),
        (
            "gridapp.people.audit",
            QT_TRANSLATE_NOOP("Actions", "Audit &log…"),
            feature.show_audit,
            None,
        ),
    ]
    for action_id, title, callback, extra in specs:
        feature.window.actions.add(
            ActionSpec(
                action_id,
                title,
                callback,
                enabled_when=gate(action_id, extra),
                checkable=action_id == "gridapp.people.colour_by_manager",
            )
        )
