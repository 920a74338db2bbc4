"""The start view: a 今日待办 panel per role, on top when a workspace opens.

The panel (:mod:`gridapp.qt.today_panel`) is a dock on the right, raised on
login; roles that work through cases get the case list on top at the bottom
(the attribute table stays a tab).  Activating a row opens what it counts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from gridapp.domain.enums import Role
from gridapp.qt.today_panel import TodayPanel, translate

CASE_ROLES = (Role.DISPATCHER, Role.LIAISON, Role.MANAGER, Role.LEADER)
STATUS_KEYS = ("reported", "registered", "verified")
ACTION_KEYS = {
    "proposals": "gridapp.task.proposals",
    "tasks": "gridapp.task.board",
    "coverage": "gridapp.grid.check",
}


class TodayFeature(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.panel = TodayPanel()
        self.panel.setObjectName("todayPanel")
        self.dock = window.add_dock("today", self.panel, Qt.DockWidgetArea.RightDockWidgetArea,
                                    tabify_with="identify")
        self.panel.activated.connect(self.open)
        window.when_loaded(self._on_loaded)
        window.workspaceClosed.connect(lambda: self.panel.set_session(None))
        self.retranslate()

    def retranslate(self) -> None:
        self.dock.setWindowTitle(translate("TodayPanel", "Today"))
        self.panel.retranslate()

    def _cases(self) -> Any:
        return next((f for f in self.window.features if hasattr(f, "case_list")), None)

    def _on_loaded(self) -> None:
        session = self.window.session
        self.panel.set_session(session)
        if session is None:
            return
        self.dock.show()
        self.dock.raise_()
        cases = self._cases()
        if session.user.role in CASE_ROLES and cases is not None:
            cases.list_dock.show()
            cases.list_dock.raise_()

    def open(self, key: str) -> None:
        """Show what the row *key* counts."""
        w = self.window
        if key in ACTION_KEYS:
            action_id = ACTION_KEYS[key]
            if action_id in w.actions and w.actions[action_id].isEnabled():
                w.actions[action_id].trigger()
            return
        if key in ("unassigned", "warnings"):
            dock = w.docks.get("assignment_warnings")
            if dock is not None:
                dock.show()
                dock.raise_()
            return
        cases = self._cases()
        if cases is None or not cases.ensure_widgets():
            return
        cl = cases.case_list
        cl.my_work_check.setChecked(key == "my_work")
        cl.overdue_check.setChecked(key == "overdue")
        status = key if key in STATUS_KEYS else None
        cl.status_combo.setCurrentIndex(max(0, cl.status_combo.findData(status)))
        cases.list_dock.show()
        cases.list_dock.raise_()


def install(window: Any) -> TodayFeature:
    return TodayFeature(window)
