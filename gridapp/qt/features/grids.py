"""Grid drawing in the main window (issue 4): tools, problems panel, forms, dialogs.

Adds a Grids menu and a grid-editing toolbar: draw, split and reshape tools
(with snapping and Esc to cancel), merge, delete, attributes, undo/redo, the
problems dock (checked after every edit, full check on demand, automatic
fix, zoom to), grids as of a date, the import wizard and auto-division.
Editing needs the ``grid.edit`` permission (office staff, admin); the
services check again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from gridapp.errors import GridAppError
from gridapp.qt.actions import ActionSpec
from gridapp.qt.grids.draw_tool import DrawGridTool
from gridapp.qt.grids.edit_tool import SketchTool
from gridapp.qt.grids.editor import GridEditor
from gridapp.qt.grids.map_overlay import MapOverlay
from gridapp.qt.grids.problems_panel import ProblemsPanel
from gridapp.qt.grids.reshape_tool import ReshapeTool
from gridapp.qt.grids.split_tool import SplitTool

MENU = [
    "gridapp.tool.grid_draw",
    "gridapp.tool.grid_split",
    "gridapp.tool.grid_reshape",
    "-",
    "gridapp.grid.merge",
    "gridapp.grid.delete",
    "gridapp.grid.attributes",
    "-",
    "gridapp.grid.undo",
    "gridapp.grid.redo",
    "-",
    "gridapp.grid.check",
    "gridapp.grid.snapping",
    "-",
    "gridapp.grid.as_of",
    "gridapp.grid.current",
    "-",
    "gridapp.grid.import",
    "gridapp.grid.divide",
]
TOOLBAR = [
    "gridapp.tool.grid_draw",
    "gridapp.tool.grid_split",
    "gridapp.tool.grid_reshape",
    "gridapp.grid.merge",
    "gridapp.grid.delete",
    "gridapp.grid.attributes",
    "-",
    "gridapp.grid.undo",
    "gridapp.grid.redo",
]


class _SketchKeys(QObject):
    """Backspace drops the last point, Enter finishes a line or outline being drawn."""

    def __init__(self, canvas: Any) -> None:
        super().__init__(canvas)
        self.canvas = canvas

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802
        tool = self.canvas.tool
        if (
            ev.type() == QEvent.Type.KeyPress
            and isinstance(tool, SketchTool)
            and tool.busy
        ):
            if ev.key() == Qt.Key.Key_Backspace:
                tool.undo_point()
                return True
            if ev.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if len(tool.points) >= tool.min_points:
                    tool.finish()
                return True
        return False


class GridsFeature(QObject):
    """What :func:`install` adds; kept on ``window.features``."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self._pending_report: Any = None
        self.editor = GridEditor(window)
        self.overlay = MapOverlay(window.canvas, self.editor)
        self.tools = {
            t.name: t
            for t in (
                DrawGridTool(window.canvas, self.editor),
                SplitTool(window.canvas, self.editor),
                ReshapeTool(window.canvas, self.editor),
            )
        }
        for tool in self.tools.values():
            window.canvas.add_tool(tool)
        self._keys = _SketchKeys(window.canvas)
        window.canvas.installEventFilter(self._keys)
        self.panel = ProblemsPanel(self.editor, window)
        self.dock = window.add_dock(
            "grid_problems",
            self.panel,
            Qt.DockWidgetArea.BottomDockWidgetArea,
            tabify_with="table",
        )
        self._declare_actions()
        self.menu = QMenu(window)
        self.menu.setObjectName("gridsMenu")
        window.actions.fill_menu(self.menu, MENU)
        window.menuBar().addMenu(self.menu)
        self.toolbar = QToolBar(window)
        self.toolbar.setObjectName("gridToolbar")
        window.actions.fill_toolbar(self.toolbar, TOOLBAR)
        window.addToolBar(self.toolbar)
        self.editor.undo_stack.indexChanged.connect(self._update_actions)
        self.editor.gridsChanged.connect(self._update_actions)
        window.when_loaded(self._on_workspace_loaded)
        # No undo of a closed workspace's edits, no grids kept from it.
        window.workspaceClosed.connect(self.editor.on_workspace_closed)
        self.retranslate()

    # ------------------------------------------------------------ actions
    def _declare_actions(self) -> None:
        ed = self.editor
        w = self.window
        can = ed.can_edit
        sel = lambda n: lambda: can() and len(ed.selected_ids()) >= n  # noqa: E731
        read = lambda: w.session is not None and ed.has_grids()  # noqa: E731
        specs = [
            ActionSpec(
                "gridapp.tool.grid_draw",
                QT_TRANSLATE_NOOP("Actions", "&Draw grid"),
                lambda: w.set_tool("grid_draw"),
                enabled_when=can,
                group="tools",
                tip=QT_TRANSLATE_NOOP(
                    "Actions",
                    "Draw a new grid: click its corners, "
                    "click the first corner or right-click to finish",
                ),
            ),
            ActionSpec(
                "gridapp.tool.grid_split",
                QT_TRANSLATE_NOOP("Actions", "&Split grid"),
                lambda: w.set_tool("grid_split"),
                enabled_when=can,
                group="tools",
                tip=QT_TRANSLATE_NOOP(
                    "Actions",
                    "Split a grid: draw a line across it, right-click to finish",
                ),
            ),
            ActionSpec(
                "gridapp.tool.grid_reshape",
                QT_TRANSLATE_NOOP("Actions", "&Reshape grids"),
                lambda: w.set_tool("grid_reshape"),
                enabled_when=can,
                group="tools",
                tip=QT_TRANSLATE_NOOP(
                    "Actions",
                    "Drag a vertex (shared boundaries "
                    "move together), click an edge to add a vertex, "
                    "right-click a vertex to remove it",
                ),
            ),
            ActionSpec(
                "gridapp.grid.merge",
                QT_TRANSLATE_NOOP("Actions", "&Merge selected grids"),
                self.merge_selected,
                enabled_when=sel(2),
            ),
            ActionSpec(
                "gridapp.grid.delete",
                QT_TRANSLATE_NOOP("Actions", "De&lete selected grids"),
                self.delete_selected,
                enabled_when=sel(1),
            ),
            ActionSpec(
                "gridapp.grid.attributes",
                QT_TRANSLATE_NOOP("Actions", "Grid &attributes…"),
                self.edit_attributes,
                enabled_when=sel(1),
            ),
            ActionSpec(
                "gridapp.grid.undo",
                QT_TRANSLATE_NOOP("Actions", "&Undo grid edit"),
                ed.undo_stack.undo,
                QKeySequence.StandardKey.Undo,
                enabled_when=lambda: can() and ed.undo_stack.canUndo(),
            ),
            ActionSpec(
                "gridapp.grid.redo",
                QT_TRANSLATE_NOOP("Actions", "&Redo grid edit"),
                ed.undo_stack.redo,
                QKeySequence.StandardKey.Redo,
                enabled_when=lambda: can() and ed.undo_stack.canRedo(),
            ),
            ActionSpec(
                "gridapp.grid.check",
                QT_TRANSLATE_NOOP("Actions", "&Check all grids"),
                self.check_all,
                enabled_when=read,
            ),
            ActionSpec(
                "gridapp.grid.snapping",
                QT_TRANSLATE_NOOP("Actions", "S&napping"),
                self._on_snapping_toggled,
                checkable=True,
            ),
            ActionSpec(
                "gridapp.grid.as_of",
                QT_TRANSLATE_NOOP("Actions", "Show grids as of &date…"),
                self.show_as_of,
                enabled_when=read,
            ),
            ActionSpec(
                "gridapp.grid.current",
                QT_TRANSLATE_NOOP("Actions", "Show &current grids"),
                self.editor.clear_as_of,
                enabled_when=lambda: ed.as_of is not None,
            ),
            ActionSpec(
                "gridapp.grid.import",
                QT_TRANSLATE_NOOP("Actions", "&Import boundaries…"),
                self.import_boundaries,
                enabled_when=lambda: (
                    w.session is not None
                    and (w.session.can("grid.edit") or w.session.can("community.edit"))
                ),
            ),
            ActionSpec(
                "gridapp.grid.divide",
                QT_TRANSLATE_NOOP("Actions", "Di&vide a community into grids…"),
                self.divide,
                enabled_when=can,
            ),
        ]
        w.actions.add_all(specs)
        w.actions["gridapp.grid.snapping"].setChecked(True)
        self.editor.overlayChanged.connect(self._update_actions)

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Grids"))
        self.toolbar.setWindowTitle(self.tr("Grid editing"))
        self.dock.setWindowTitle(self.tr("Grid problems"))
        self.panel.retranslate()

    # ------------------------------------------------------------ handlers
    def _update_actions(self, *_args: Any) -> None:
        try:
            self.window.actions.update_enabled()
        except RuntimeError:  # the window is being destroyed: its actions are gone
            pass

    def _on_workspace_loaded(self) -> None:
        self.editor.on_workspace_loaded()
        if self._pending_report is not None:  # problems of grids just imported
            self.editor.set_report(self._pending_report)
            self._pending_report = None
        self._update_actions()

    def _on_snapping_toggled(self) -> None:
        self.editor.snapper.enabled = self.window.actions[
            "gridapp.grid.snapping"
        ].isChecked()

    def merge_selected(self) -> Any:
        return self.editor.merge(self.editor.selected_ids())

    def delete_selected(self) -> Any:
        return self.editor.delete(self.editor.selected_ids())

    def check_all(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.check_all()

    def attribute_dialog(self, gid: int) -> Any:
        from gridapp.qt.grids.attribute_dialog import GridAttributeDialog
        from gridapp.services.grids.communities import community_code
        from gridapp.services.grids.history import current_codes, grid_version

        session = self.editor.session
        row = grid_version(session, gid)
        comm = (
            community_code(session, row.get("community_id"))
            if row.get("community_id")
            else None
        )
        taken = current_codes(session)
        return GridAttributeDialog(row, comm, taken, self.window)

    def edit_attributes(self) -> Any:
        ids = self.editor.selected_ids()
        if not ids:
            return None
        dialog = self.attribute_dialog(ids[0])
        if dialog.exec():
            return self.editor.update_attributes(ids[0], dialog.changes())
        return None

    def show_as_of(self) -> None:
        from gridapp.qt.grids.as_of_dialog import AsOfDialog

        dialog = AsOfDialog(self.window)
        if dialog.exec():
            self.show_grids_as_of(dialog.chosen())

    def show_grids_as_of(self, when: Any) -> None:
        from gridapp.services.grids.history import as_of

        try:
            frame = as_of(self.window.session, when)
        except GridAppError as exc:
            self.editor.notify(exc.message)
            return
        label = self.tr("Grids as of {date} ({n} grids)").format(
            date=str(when), n=len(frame)
        )
        self.editor.show_as_of(label, frame)

    def import_wizard(self) -> Any:
        from gridapp.qt.grids.import_wizard import GridImportWizard

        wizard = GridImportWizard(self.window.session, self.window)
        wizard.imported.connect(self._on_imported)
        return wizard

    def import_boundaries(self) -> None:
        self.import_wizard().exec()

    def _on_imported(self, outcome: Any) -> None:
        self.window.messages.add(
            self.tr("Imported {n} features.").format(n=len(outcome.ids))
        )
        if outcome.report is not None and outcome.report.problems:
            self._pending_report = outcome.report  # shown once the window has reloaded
        self.window.reload()

    def division_dialog(self) -> Any:
        from gridapp.qt.grids.division_dialog import DivisionDialog

        return DivisionDialog(self.editor, self.window)

    def divide(self) -> None:
        self.division_dialog().exec()


def install(window: Any) -> GridsFeature:
    """Plug grid drawing into *window* (see :mod:`gridapp.qt.features`)."""
    return GridsFeature(window)
