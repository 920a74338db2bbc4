"""Base data in the main window (issue 18): the 居民与楼栋 dock.

The dock lists the buildings of a grid with households and population and the
residents of the chosen building, masked as the services mask them for the
user's role (:mod:`gridapp.qt.basedata.panel`).  It is offered to every role
that may read the workspace; choosing a grid on the map shows that grid.

The dock reads nothing until it is first on screen (issue 21: reading a
grid's buildings at load blocked a district's window for seconds): a
workspace that loads while it is hidden or behind another tab is handed to
the panel when the dock becomes visible.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QUndoStack
from shapely.geometry import Polygon

from gridapp.errors import GridAppError
from gridapp.qt.basedata.building_tool import DrawBuildingTool
from gridapp.qt.basedata.panel import BaseDataPanel, translate
from gridapp.qt.editors.command import ServiceEditCommand
from gridapp.qt.on_screen import on_screen

READ = "workspace.read"
WIDTH = 520  # px: name, ID number, phone and door of a resident side by side


class BaseDataFeature(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.panel = BaseDataPanel()
        self.dock = window.add_dock("basedata", self.panel,
                                    Qt.DockWidgetArea.RightDockWidgetArea,
                                    tabify_with="identify")
        self.panel.failed.connect(lambda text: window.status.showMessage(text, 8000))
        window.when_loaded(self._on_loaded)
        window.workspaceClosed.connect(self._on_closed)
        window.canvas.selectionChanged.connect(self._on_selection)
        self.dock.visibilityChanged.connect(self._on_visibility)
        self._pending: Any = None  # the session to hand the panel once it is on screen
        self._pending_grid: int | None = None  # a grid chosen on the map meanwhile
        self.dock.toggleViewAction().setVisible(False)
        # 绘制楼栋: the map tool, and the undo stack of buildings drawn (Ctrl+Z in the dock)
        self.tool = DrawBuildingTool(window.canvas, self._on_drawn)
        window.canvas.add_tool(self.tool)
        self._watched: list[Any] = []  # grid editors whose saves re-link buildings
        self.undo_stack = QUndoStack(self)
        undo = self.undo_stack.createUndoAction(self.panel)
        undo.setShortcut("Ctrl+Z")
        self.panel.addAction(undo)
        self.panel.drawRequested.connect(lambda: window.set_tool(self.tool.name))
        self.retranslate()

    def retranslate(self) -> None:
        self.dock.setWindowTitle(translate("BaseData", "Residents and buildings"))
        self.panel.retranslate()

    def _grid_editors(self) -> list[Any]:
        """The grid editors of the window's other features (they signal saved grids)."""
        return [f.editor for f in getattr(self.window, "features", []) or []
                if hasattr(getattr(f, "editor", None), "gridsChanged")]

    def _on_grids_changed(self) -> None:
        """Grids were saved anew: link buildings and places to the grids holding them now,
        closing the old links (history kept: building_grid_on answers for the past)."""
        from gridapp.services.basedata.links import relink_base_data

        session = self.window.session
        if session is None or not session.can("building.edit"):
            return
        try:
            relink_base_data(session)
        except GridAppError as exc:
            self.window.status.showMessage(str(exc), 8000)
            return
        self.panel.load_grid()

    def _on_loaded(self) -> None:
        for editor in self._grid_editors():
            if editor not in self._watched:
                editor.gridsChanged.connect(self._on_grids_changed)
                self._watched.append(editor)
        session = self.window.session
        allowed = session is not None and session.can(READ)
        self.dock.toggleViewAction().setVisible(allowed)
        self._pending = session if allowed else None
        if self._pending is None:
            self.panel.set_session(None)
        elif self.on_screen():
            self._hand_over()

    def on_screen(self) -> bool:
        """The dock is shown and not behind another tab."""
        return on_screen(self.dock)

    def _on_visibility(self, visible: bool) -> None:
        if visible and self._pending is not None:
            self._hand_over()

    def _hand_over(self) -> None:
        session, self._pending = self._pending, None
        grid, self._pending_grid = self._pending_grid, None
        if session is self.window.session:
            self.panel.set_session(session, grid_id=grid)

    # ------------------------------------------------------- drawing buildings
    def edit_new_building(self) -> Any:
        """The drawn building's attributes from the form (``None``: cancelled).
        Tests replace this hook instead of driving the modal dialog."""
        from gridapp.qt.basedata.building_form import BuildingFormDialog

        dialog = BuildingFormDialog(self.window)
        return dialog.draft() if dialog.exec() else None

    def _on_drawn(self, points: list[tuple[float, float]]) -> int | None:
        """Save an outline drawn on the map (metres) as a building; its id, or None."""
        from gridapp.domain.crs import to_storage
        from gridapp.services.basedata import building_edit

        session, ws = self.window.session, self.window.canvas.workspace
        if session is None or ws is None or len(points) < 3:
            return None
        xs, ys = np.asarray(points, dtype=float).T
        lon, lat = to_storage(xs, ys, ws.epsg)
        footprint = Polygon(np.column_stack([lon, lat]))
        draft = self.edit_new_building()
        if draft is None:
            return None
        try:
            bid = building_edit.add_building(session, footprint, draft)
        except GridAppError as exc:
            self.window.status.showMessage(str(exc), 8000)
            return None
        state = {"id": bid}

        def redo() -> None:
            state["id"] = building_edit.add_building(session, footprint, draft)

        def undo() -> None:
            building_edit.delete_building(session, state["id"])

        self.undo_stack.push(ServiceEditCommand(
            draft.name, redo, undo,
            lambda exc: self.window.status.showMessage(str(exc), 8000),
            lambda _step, _ok: self._after_building_change()))
        self._after_building_change()
        self.window.status.showMessage(translate(
            "BaseData", "Building saved: {name}. Undo with Ctrl+Z.").format(
                name=draft.name.strip()), 8000)
        return bid

    def _after_building_change(self) -> None:
        self.panel.load_grid()
        self.window.reload()  # the buildings layer shows the new outline

    def _on_closed(self) -> None:
        self._pending = self._pending_grid = None
        self.panel.stop()
        self.tool.cancel()
        self.undo_stack.clear()  # its edits belong to the workspace just closed
        self.panel.set_session(None)
        self.dock.toggleViewAction().setVisible(False)

    def _on_selection(self, layer: str) -> None:
        if layer != "grid" or (self.panel.session is None and self._pending is None):
            return
        ws = self.window.canvas.workspace
        rows = self.window.canvas.selection.get("grid")
        if ws is None or "grid" not in ws.data or rows is None or len(rows) != 1:
            return
        grid = int(np.asarray(ws.data["grid"].ids)[rows[0]])
        if self._pending is not None:  # shown when the dock is first on screen
            self._pending_grid = grid
        else:
            self.panel.show_grid(grid)

    def show(self) -> None:
        """Show and raise the dock, wide enough for a building's residents."""
        self.dock.show()
        self.dock.raise_()
        if self.dock.width() < WIDTH:
            self.window.resizeDocks([self.dock], [WIDTH], Qt.Orientation.Horizontal)


def install(window: Any) -> BaseDataFeature:
    """Add the base-data dock to *window* (see :mod:`gridapp.qt.features`)."""
    return BaseDataFeature(window)
