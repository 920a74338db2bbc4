"""The main window: map canvas, layer panel, attribute table, identify, docks.

This module lays the window out (docks, status bar), re-titles it and
keeps the map, table, layer list and identify panel in step.  The rest lives
beside it, as mixins of :class:`MainWindow`:

- :mod:`gridapp.qt.window_actions`: actions declared once, menus and toolbar;
- :mod:`gridapp.qt.window_workspace`: opening, logging in, loading layers,
  closing;
- :mod:`gridapp.qt.window_files`: file dialogs, background tiles, recent
  files and saved views.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMessageBox,
)

from gridapp.qt import role_view
from gridapp.qt.actions import ActionRegistry
from gridapp.qt.attribute_table import AttributeTable
from gridapp.qt.fit import ScrollDock
from gridapp.qt.identify_panel import IdentifyPanel
from gridapp.qt.job_progress import JobProgress
from gridapp.qt.layer_panel import LayerPanel
from gridapp.qt.layer_tree_model import LayerTreeModel
from gridapp.qt.map_canvas import MapCanvas
from gridapp.qt.message_panel import MessagePanel
from gridapp.qt.reference_labels import reference_labels
from gridapp.qt.status_bar import MapStatusBar
from gridapp.qt.translator import LanguageSwitcher
from gridapp.qt.window_actions import WindowActions
from gridapp.qt.window_files import WindowFiles
from gridapp.qt.window_workspace import WorkspaceState
from gridapp.render.viewport import Viewport

ICONS = str(Path(__file__).resolve().parent.parent.parent / "resources" / "icons")


class MainWindow(WindowActions, WorkspaceState, WindowFiles, QMainWindow):
    """The window every user lives in.

    Parameters
    ----------
    settings : QSettings
        Where layout, last views, recent files and language are kept.
    switcher : LanguageSwitcher, optional
        Installs translators; the window re-titles itself on a switch.
    authenticate : callable, optional
        ``authenticate(opened) -> Session | None``; default shows the login
        dialog.  Tests and screenshots pass one that logs in directly.
    """

    workspaceLoaded = Signal()
    workspaceFailed = Signal(str)
    workspaceClosed = Signal()  # at the end of every close_workspace()
    loggedIn = Signal()  # a session is open; its layers start loading next

    def __init__(
        self,
        settings: QSettings,
        switcher: LanguageSwitcher | None = None,
        authenticate: Callable[[Any], Any] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.switcher = switcher or LanguageSwitcher()
        self.authenticate = authenticate or self._login_dialog
        self.session: Any = None
        self.path: Path | None = None
        self.loaded = False
        self.load_seconds = 0.0
        self._load_started = 0.0
        self._load_hooks: list[Callable[[], Any]] = []  # when_loaded, in order

        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)
        self.layer_model = LayerTreeModel(self)
        self.layer_panel = LayerPanel(self.layer_model, self)
        self.table = AttributeTable(self)
        self.identify = IdentifyPanel(self)
        self.messages = MessagePanel(self)
        self.status = MapStatusBar(self)
        self.setStatusBar(self.status)
        self.progress = JobProgress(self, replace=True, compact=True)
        self.status.addWidget(self.progress)

        self.docks: dict[str, QDockWidget] = {}
        for key, widget, area in (
            ("layers", self.layer_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("identify", self.identify, Qt.DockWidgetArea.RightDockWidgetArea),
            ("messages", self.messages, Qt.DockWidgetArea.RightDockWidgetArea),
            ("table", self.table, Qt.DockWidgetArea.BottomDockWidgetArea),
        ):
            dock = ScrollDock(self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.tabifyDockWidget(self.docks["identify"], self.docks["messages"])
        self.docks["identify"].raise_()

        self.actions = ActionRegistry(self, ICONS)
        self._declare_actions()
        self._build_menus()
        from gridapp.qt.features import install_all

        self.features = install_all(self)
        role_view.install(self)  # menus, toolbar and panels per role
        # Features add their panels as tabs; the window's own open on top.
        for key in ("layers", "identify", "table"):
            self.docks[key].raise_()

        self.layer_model.layersChanged.connect(self.canvas.layers_changed)
        self.layer_model.layerReplaced.connect(self._on_layer_replaced)
        self.layer_panel.currentLayerChanged.connect(self._on_current_layer_changed)
        self.layer_panel.zoomToLayerRequested.connect(self.canvas.zoom_to_layer)
        self.canvas.cursorMoved.connect(self.status.set_cursor)
        self.canvas.viewChanged.connect(self._on_view_changed)
        self.canvas.rendered.connect(self.status.set_render_ms)
        self.canvas.identified.connect(self._on_identified)
        self.canvas.selectionChanged.connect(self._on_map_selection_changed)
        self.canvas.historyChanged.connect(self.actions.update_enabled)
        self.table.rowsSelected.connect(self._on_table_selection)
        self.table.rowActivated.connect(self._on_table_activated)

        self.retranslate()
        # Each role's first layout (gridapp.qt.features.polish): the panels as built.
        self.default_state = self.saveState()
        self._restore_layout()
        self.actions.update_enabled()
        self.canvas.set_message(self.tr("No workspace open. Use File › Open."))

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""
        titles = {
            "file": self.tr("&File"),
            "view": self.tr("&View"),
            "tools": self.tr("&Tools"),
            "layer": self.tr("&Layer"),
            "language": self.tr("L&anguage"),
        }
        for key, menu in self.menus.items():
            if key in titles:  # features retitle the menus they add
                menu.setTitle(titles[key])
        self.recent_menu.setTitle(self.tr("Open &recent"))
        self.toolbar.setWindowTitle(self.tr("Map tools"))
        for key, title in {
            "layers": self.tr("Layers"),
            "identify": self.tr("Identify"),
            "messages": self.tr("Messages"),
            "table": self.tr("Attribute table"),
        }.items():
            self.docks[key].setWindowTitle(title)
        self.actions.retranslate()
        for w in (
            self.layer_panel,
            self.table,
            self.identify,
            self.status,
            self.progress,
        ):
            w.retranslate()
        self.layer_model.retranslate()
        for feature in getattr(self, "features", ()):
            feature.retranslate()
        self._update_title()
        lang_action = (
            "gridapp.lang.zh" if self.switcher.language == "zh" else "gridapp.lang.en"
        )
        self.actions[lang_action].setChecked(True)

    def add_dock(self, key: str, widget: Any, area: Qt.DockWidgetArea,
                 *, tabify_with: str | None = None) -> QDockWidget:
        """Host a feature's panel in a dock listed in View › panels.

        Without *tabify_with* the dock becomes a tab of the first dock already
        in *area*, so the first window is not split into many thin panels.
        """
        dock = ScrollDock(self)
        dock.setObjectName(f"dock_{key}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        if tabify_with is None:
            # A tab beside the area's first panel, not one more thin column.
            tabify_with = next(
                (
                    k
                    for k, d in self.docks.items()
                    if self.dockWidgetArea(d) == area and not d.isFloating()
                ),
                None,
            )
        if tabify_with in self.docks:
            self.tabifyDockWidget(self.docks[tabify_with], dock)
        self.docks[key] = dock
        self.menus["view"].addAction(dock.toggleViewAction())
        return dock

    def _update_title(self) -> None:
        title = self.tr("GridApp")
        if self.path is not None:
            title = f"{self.path.name} — {title}"
        self.setWindowTitle(title)

    def show_error(self, text: str, *, modal: bool = True) -> None:
        """An error as a message in the list and (non-blocking) message box."""
        self.status.showMessage(text, 10_000)
        if modal and self.isVisible():
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("GridApp"),
                text,
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    # ------------------------------------------------------------ events
    def _on_view_changed(self, viewport: Viewport) -> None:
        self.status.set_view(viewport)
        self.actions.update_enabled()

    def _on_identified(self, hits: list[tuple[str, int]]) -> None:
        self.identify.show_hits(hits, self.canvas.workspace)
        self.docks["identify"].raise_()

    def _on_current_layer_changed(self, name: str) -> None:
        ws = self.canvas.workspace
        self.canvas.active_layer = name
        if ws is None or name not in ws.data:
            return
        data = ws.data[name]
        self.table.model.references = reference_labels(ws)  # names, not ids
        self.table.set_layer(name, data.layer.attributes, {b.row for b in data.bad})
        self.table.select_rows(self.canvas.selection.get(name, np.empty(0, np.int64)))

    def _on_layer_replaced(self, name: str) -> None:
        """New rows for layer *name*: selection and highlight on the old are void."""
        self.canvas.selection.pop(name, None)
        if self.canvas.highlight is not None and self.canvas.highlight[0] == name:
            self.canvas.highlight = None
        self.canvas.cache.invalidate()  # the new layer may reuse the old revision
        self.canvas.update()
        ws = self.canvas.workspace
        if self.table.model.layer_name == name and ws is not None:
            data = ws.data[name]
            self.table.model.references = reference_labels(ws)
            self.table.set_layer(name, data.layer.attributes, {b.row for b in data.bad})
        self.actions.update_enabled()

    def _on_table_selection(self, name: str, rows: np.ndarray) -> None:
        if name:
            self.canvas.set_selection(name, rows, emit=False)
            self.actions.update_enabled()

    def _on_table_activated(self, name: str, row: int) -> None:
        self.canvas.set_selection(name, [row], emit=False)
        self.canvas.zoom_to_selection()

    def _on_map_selection_changed(self, name: str) -> None:
        if name != self.table.model.layer_name:
            self.layer_panel.set_current_layer(name)
        self.table.select_rows(self.canvas.selection.get(name, np.empty(0, np.int64)))
        self.actions.update_enabled()

    # ------------------------------------------------------------ settings
    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        # still as built (the role's first layout, gridapp.qt.features.polish)?
        self.layout_restored = state is not None
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
            self.resizeDocks(
                [self.docks["layers"], self.docks["identify"]],
                [240, 300],
                Qt.Orientation.Horizontal,
            )
            self.resizeDocks([self.docks["table"]], [220], Qt.Orientation.Vertical)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, ev: Any) -> None:  # noqa: N802
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.close_workspace()
        self.canvas.stop_timers()
        self.status.clearMessage()  # its timeout runs on a timer
        self.settings.sync()
        super().closeEvent(ev)

    def wait_drawn(self) -> None:
        """Render the current view now (used by screenshots and benchmarks)."""
        QTimer.singleShot(0, self.canvas.render_now)

