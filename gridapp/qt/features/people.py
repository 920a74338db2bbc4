"""People and access in the main window: managers, assignments, users, audit.

Adds a People menu, a managers dock and an assignment-warnings dock, the
"colour grids by manager" style, and drops of a manager onto a grid on the
map.  Every action is shown only to roles allowed to use it
(``session.can``); the services check again and a refusal is shown as a
message in the UI language.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QMenu

from gridapp.errors import GridAppError
from gridapp.qt.people.common import show_error
from gridapp.qt.people.manager_drop import ManagerDropFilter
from gridapp.qt.people.manager_list_widget import ManagerListWidget
from gridapp.qt.people.people_actions import MENU, declare_actions
from gridapp.qt.people.warnings_panel import AssignmentWarningsPanel


class PeopleFeature(QObject):
    """What :func:`install` adds to the window; kept on ``window.features``."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self._session: Any = None
        self._saved_grid_style: Any = None
        self.manager_list = ManagerListWidget()
        self.warnings = AssignmentWarningsPanel()
        self.manager_dock = window.add_dock(
            "managers",
            self.manager_list,
            Qt.DockWidgetArea.RightDockWidgetArea,
            tabify_with="identify",
        )
        self.warnings_dock = window.add_dock(
            "assignment_warnings",
            self.warnings,
            Qt.DockWidgetArea.RightDockWidgetArea,
            tabify_with="messages",
        )
        # hidden docks read nothing; they catch up when shown or their tab is raised
        self.manager_dock.visibilityChanged.connect(
            lambda shown: shown and self.manager_list.ensure_loaded()
        )
        self.warnings_dock.visibilityChanged.connect(
            lambda shown: shown and self.warnings.ensure_loaded()
        )
        self.drop_filter = ManagerDropFilter(
            window.canvas, lambda: self.window.session, self
        )
        self.drop_filter.assigned.connect(self._on_dropped)
        self.drop_filter.failed.connect(lambda exc: show_error(self.window, exc))
        declare_actions(self)
        self.menu = QMenu(window)
        self.menu.setObjectName("peopleMenu")
        window.actions.fill_menu(self.menu, MENU)
        window.menuBar().addMenu(self.menu)

        ml = self.manager_list
        ml.addRequested.connect(self.add_manager)
        ml.importRequested.connect(self.import_managers)
        ml.editRequested.connect(self.edit_manager)
        ml.deactivateRequested.connect(self.deactivate_manager)
        ml.assignRequested.connect(lambda mid: self.assign_selected(mid))
        ml.reassignRequested.connect(self.reassign)
        ml.historyRequested.connect(self.show_history)
        self.warnings.gridActivated.connect(self.show_grid)
        self.warnings.managerActivated.connect(self._show_manager)
        window.when_loaded(self._on_workspace_loaded)
        self.sync_session()
        self.retranslate()

    # ------------------------------------------------------------ actions
    def allowed(self, permission: str | None) -> bool:
        session = self.window.session
        if session is None:
            return False
        return permission is None or session.can(permission)

    def _require(self, permission: str) -> Any:
        """The session if it may do *permission*; otherwise show why not and return None."""
        session = self.window.session
        if session is None:
            return None
        try:
            session.require(permission)
        except GridAppError as exc:
            show_error(self.window, exc)
            return None
        return session

    def sync_session(self) -> None:
        """Follow the window's session (a workspace opened, closed or re-logged).

        Cheap: it runs from every enabled-when check (``actions.update_enabled``,
        on each change of the map's view); the managers and warnings are read
        only when their docks are on screen (issue 21)."""
        session = self.window.session
        if session is self._session:
            return
        self._session = session
        self._saved_grid_style = None
        if "gridapp.people.colour_by_manager" in self.window.actions:
            self.window.actions["gridapp.people.colour_by_manager"].setChecked(False)
        self.manager_list.set_session(session)
        self.warnings.set_session(session)
        for dock in (self.manager_dock, self.warnings_dock):
            dock.toggleViewAction().setVisible(session is not None)

    def _on_workspace_loaded(self) -> None:
        self.sync_session()
        if self.window.actions["gridapp.people.colour_by_manager"].isChecked():
            self._saved_grid_style = None
            self.apply_manager_colours()
        self.window.actions.update_enabled()

    def retranslate(self) -> None:
        translate = QCoreApplication.translate
        self.menu.setTitle(translate("People", "&People"))
        self.manager_dock.setWindowTitle(translate("People", "Grid managers"))
        self.warnings_dock.setWindowTitle(translate("People", "Assignment warnings"))
        self.manager_list.retranslate()
        self.warnings.retranslate()

    # ------------------------------------------------------------ grids
    def grid_layer(self) -> Any:
        ws = self.window.canvas.workspace
        return None if ws is None or "grid" not in ws.data else ws.data["grid"]

    def selected_grid_ids(self) -> list[int]:
        """Ids of the grids selected on the map (or in the attribute table)."""
        data = self.grid_layer()
        rows = self.window.canvas.selection.get("grid")
        if data is None or rows is None or not len(rows):
            return []
        return [int(g) for g in np.asarray(data.ids)[rows]]

    def _grid_labels(self, grid_ids: list[int]) -> list[str]:
        data = self.grid_layer()
        attrs = data.layer.attributes
        by_id = {int(i): r for r, i in enumerate(np.asarray(data.ids))}
        out = []
        for gid in grid_ids:
            row = attrs.iloc[by_id[gid]] if gid in by_id else None
            out.append(str(row.get("code", gid)) if row is not None else str(gid))
        return out

    def show_grid(self, grid_id: int) -> None:
        data = self.grid_layer()
        if data is None:
            return
        rows = np.flatnonzero(np.asarray(data.ids) == grid_id)
        if len(rows):
            self.window.canvas.set_selection("grid", rows)
            self.window.canvas.zoom_to_selection()

    # ------------------------------------------------------------ commands
    def show_managers(self) -> None:
        self.manager_dock.show()
        self.manager_dock.raise_()
        self.manager_list.ensure_loaded()

    def _show_manager(self, manager_id: int) -> None:
        self.show_managers()
        self.manager_list.status.setCurrentIndex(2)
        self.manager_list.select_manager(manager_id)

    def add_manager(self) -> None:
        from gridapp.qt.people.manager_form import ManagerForm

        session = self._require("manager.edit")
        if session is None:
            return
        form = ManagerForm(session, None, self.window)
        form.saved.connect(self._after_manager_saved)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.open()

    def edit_manager(self, manager_id: int) -> None:
        from gridapp.qt.people.manager_form import ManagerForm

        session = self._require("manager.edit")
        if session is None:
            return
        try:
            form = ManagerForm(session, manager_id, self.window)
        except GridAppError as exc:
            show_error(self.window, exc)
            return
        form.saved.connect(self._after_manager_saved)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.open()

    def _after_manager_saved(self, manager_id: int) -> None:
        self.manager_list.refresh()
        self.manager_list.select_manager(manager_id)
        self.refresh_assignments()

    def deactivate_manager(self, manager_id: int) -> None:
        from PySide6.QtWidgets import QMessageBox

        from gridapp.services.people.managers import deactivate_manager, get_manager

        session = self._require("manager.edit")
        if session is None:
            return
        name = get_manager(session, manager_id)["name"]
        translate = QCoreApplication.translate
        answer = QMessageBox.question(
            self.window,
            translate("People", "Deactivate grid manager"),
            translate(
                "People",
                "Deactivate {name}? Their current grids become unassigned and their "
                "account is disabled; their history is kept. To hand their grids to "
                "someone else first, use “Hand over all grids…”."
            ).format(name=name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            deactivate_manager(session, manager_id)
        except GridAppError as exc:
            show_error(self.window, exc)
        self.refresh_assignments()

    def import_managers(self) -> None:
        from gridapp.qt.people.manager_import_dialog import ManagerImportDialog

        session = self._require("manager.edit")
        if session is None:
            return
        dialog = ManagerImportDialog(session, self.window)
        dialog.imported_managers.connect(
            lambda _n: self.manager_list.refresh_when_shown()
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def assign_selected(self, manager_id: int | None = None) -> Any:
        """ "Assign to manager…" for the grids selected on the map or in the table."""
        from gridapp.qt.people.assign_dialog import AssignDialog

        session = self._require("assignment.edit")
        if session is None:
            return None
        grid_ids = self.selected_grid_ids()
        if not grid_ids:
            show_error(
                self.window,
                QCoreApplication.translate(
                    "People", "Select grids on the map or in the attribute table first."
                ),
            )
            return None
        dialog = AssignDialog(
            session, grid_ids, self._grid_labels(grid_ids), manager_id, self.window
        )
        dialog.accepted.connect(self.refresh_assignments)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def reassign_current(self) -> None:
        mid = self.manager_list.current_manager_id()
        if mid is None:
            self.show_managers()
            show_error(
                self.window,
                QCoreApplication.translate(
                    "People", "Select the leaving manager in the manager list first."
                ),
            )
            return
        self.reassign(mid)

    def reassign(self, manager_id: int) -> Any:
        from gridapp.qt.people.reassign_dialog import ReassignDialog

        session = self._require("assignment.edit")
        if session is None:
            return None
        dialog = ReassignDialog(session, manager_id, self.window)
        dialog.accepted.connect(self.refresh_assignments)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_history(self, manager_id: int) -> Any:
        from gridapp.qt.people.assignment_history_dialog import AssignmentHistoryDialog

        session = self.window.session
        if session is None:
            return None
        self.manager_list.ensure_loaded()
        row = self.manager_list.model.row_of(manager_id)
        name = (
            self.manager_list.model.rows[row]["name"] if row >= 0 else str(manager_id)
        )
        dialog = AssignmentHistoryDialog(session, manager_id, name, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _on_dropped(self, grid_id: int, manager_id: int) -> None:
        from gridapp.services.people.managers import get_manager

        self.refresh_assignments()
        label = self._grid_labels([grid_id])[0]
        try:  # the list may be hidden and unread: ask the service for the name
            name = str(get_manager(self.window.session, manager_id)["name"])
        except GridAppError:
            name = str(manager_id)
        self.window.status.showMessage(
            QCoreApplication.translate(
                "People", "{name} is now the primary manager of grid {grid}"
            ).format(name=name, grid=label),
            8000,
        )

    def refresh_assignments(self) -> None:
        """After any assignment change: counts, warnings and the map colours
        (the lists now if on screen, else when next shown)."""
        self.manager_list.refresh_when_shown()
        self.warnings.refresh_when_shown()
        if self.window.actions["gridapp.people.colour_by_manager"].isChecked():
            self.apply_manager_colours()

    # ------------------------------------------------------------ map style
    def toggle_manager_colours(self) -> None:
        if self.window.actions["gridapp.people.colour_by_manager"].isChecked():
            self.apply_manager_colours()
        else:
            self.restore_grid_style()

    def apply_manager_colours(self) -> bool:
        """Colour the grid layer by primary manager (a categorised style)."""
        from gridapp.qt.people.manager_colours import manager_style
        from gridapp.services.people.assignments import primary_manager_by_grid
        from gridapp.services.people.managers import list_managers

        data, session = self.grid_layer(), self.window.session
        if data is None or session is None:
            return False
        try:
            primary = primary_manager_by_grid(session)
            names = {
                m["id"]: m["name"]
                for m in list_managers(session, include_inactive=True)
            }
        except GridAppError as exc:
            show_error(self.window, exc)
            return False
        if self._saved_grid_style is None:
            self._saved_grid_style = data.layer.style
        style = manager_style(
            data.ids,
            primary,
            names,
            QCoreApplication.translate("People", "No primary manager"),
        )
        self.window.layer_model.set_style("grid", style)
        self.window.actions["gridapp.people.colour_by_manager"].setChecked(True)
        return True

    def restore_grid_style(self) -> None:
        if self._saved_grid_style is not None and self.grid_layer() is not None:
            self.window.layer_model.set_style("grid", self._saved_grid_style)
        self._saved_grid_style = None
        self.window.actions["gridapp.people.colour_by_manager"].setChecked(False)

    # ------------------------------------------------------------ dialogs
    def change_password(self) -> Any:
        from gridapp.qt.people.change_password_dialog import ChangePasswordDialog

        if self.window.session is None:
            return None
        dialog = ChangePasswordDialog(self.window.session, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_users(self) -> Any:
        from gridapp.qt.people.users_dialog import UsersDialog

        session = self._require("user.manage")
        if session is None:
            return None
        dialog = UsersDialog(session, self.window)
        dialog.finished.connect(lambda _r: self.manager_list.refresh_when_shown())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_audit(self) -> Any:
        from gridapp.qt.people.audit_viewer import AuditViewer

        session = self._require("audit.read")
        if session is None:
            return None
        dialog = AuditViewer(session, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


def install(window: Any) -> PeopleFeature:
    """Add the people feature to *window* (see :mod:`gridapp.qt.features`)."""
    return PeopleFeature(window)
