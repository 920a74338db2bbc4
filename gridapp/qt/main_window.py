"""The main window: map canvas, layer panel, attribute table, identify, menus.

Actions are declared once in :meth:`MainWindow._declare_actions`; menus and
the toolbar are built from their ids.  Opening a workspace loads its layers
on a worker thread; a workspace that fails to open leaves the window usable
with the message shown on the canvas and in the message list.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
)

from gridapp.errors import GridAppError
from gridapp.qt.actions import ActionRegistry, ActionSpec
from gridapp.qt.attribute_table import AttributeTable
from gridapp.qt.identify_panel import IdentifyPanel
from gridapp.qt.job_progress import JobProgress
from gridapp.qt.layer_data import (
    DEFAULT_REPORT_DAYS,
    SOURCES,
    WorkspaceLayers,
    grid_colours,
    load_workspace_layers,
)
from gridapp.qt.layer_panel import LayerPanel
from gridapp.qt.layer_tree_model import LayerTreeModel, layer_title
from gridapp.qt.map_canvas import MapCanvas
from gridapp.qt.message_panel import MessagePanel
from gridapp.qt.status_bar import MapStatusBar
from gridapp.qt.translator import LanguageSwitcher
from gridapp.render.viewport import Viewport

ICONS = str(Path(__file__).resolve().parent.parent.parent / "resources" / "icons")
MAX_RECENT = 8
LATER_LAYERS = ("building", "report")  # the big ones: read after the rest is on screen
BAD_REASONS = {
    "missing": QT_TRANSLATE_NOOP("MainWindow", "no geometry"),
    "empty": QT_TRANSLATE_NOOP("MainWindow", "empty geometry"),
    "type": QT_TRANSLATE_NOOP("MainWindow", "wrong geometry type"),
    "invalid": QT_TRANSLATE_NOOP("MainWindow", "invalid geometry (drawn)"),
}


class MainWindow(QMainWindow):
    """The window every user lives in.

    Parameters
    ----------
    settings : QSettings
        Where layout, last views, recent files and language are kept.
    switcher : LanguageSwitcher, optional
        Installs translators; the window re-titles itself on a switch.
    authenticate : callable, optional
        ``authenticate(store) -> Session | None``; default shows the login
        dialog.  Tests and screenshots pass one that logs in directly.
    """

    workspaceLoaded = Signal()
    workspaceFailed = Signal(str)
    workspaceClosed = Signal()  # at the end of every close_workspace()

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
        self.store: Any = None
        self.session: Any = None
        self.path: Path | None = None
        self.loaded = False
        self.load_seconds = 0.0
        self._load_started = 0.0

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
            dock = QDockWidget(self)
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
        self._restore_layout()
        self.actions.update_enabled()
        self.canvas.set_message(self.tr("No workspace open. Use File › Open."))

    # ------------------------------------------------------------ actions
    def _declare_actions(self) -> None:
        ws = lambda: self.canvas.workspace is not None  # noqa: E731
        sel = lambda: bool(self.canvas.selection)  # noqa: E731
        SK = QKeySequence.StandardKey
        self.actions.add_all(
            [
                ActionSpec(
                    "gridapp.file.new",
                    QT_TRANSLATE_NOOP("Actions", "&New workspace…"),
                    self.new_workspace,
                    SK.New,
                ),
                ActionSpec(
                    "gridapp.file.open",
                    QT_TRANSLATE_NOOP("Actions", "&Open…"),
                    self.open_dialog,
                    SK.Open,
                    icon="open",
                ),
                ActionSpec(
                    "gridapp.file.import",
                    QT_TRANSLATE_NOOP("Actions", "&Import layer…"),
                    self.import_layer,
                    enabled_when=ws,
                ),
                ActionSpec(
                    "gridapp.file.close",
                    QT_TRANSLATE_NOOP("Actions", "&Close workspace"),
                    self.close_workspace,
                    enabled_when=lambda: self.store is not None,
                ),
                ActionSpec(
                    "gridapp.file.quit",
                    QT_TRANSLATE_NOOP("Actions", "&Quit"),
                    self.close,
                    SK.Quit,
                ),
                ActionSpec(
                    "gridapp.view.zoom_in",
                    QT_TRANSLATE_NOOP("Actions", "Zoom &in"),
                    lambda: self.canvas.zoom_by(2.0),
                    ("Ctrl++", "+", "="),
                    ws,
                    icon="zoom_in",
                ),
                ActionSpec(
                    "gridapp.view.zoom_out",
                    QT_TRANSLATE_NOOP("Actions", "Zoom &out"),
                    lambda: self.canvas.zoom_by(0.5),
                    ("Ctrl+-", "-"),
                    ws,
                    icon="zoom_out",
                ),
                ActionSpec(
                    "gridapp.view.zoom_full",
                    QT_TRANSLATE_NOOP("Actions", "Zoom to &full extent"),
                    self.canvas.zoom_full,
                    "Ctrl+Shift+F",
                    ws,
                    icon="zoom_full",
                ),
                ActionSpec(
                    "gridapp.view.zoom_layer",
                    QT_TRANSLATE_NOOP("Actions", "Zoom to &layer"),
                    lambda: self.canvas.zoom_to_layer(
                        self.layer_panel.current_layer() or ""
                    ),
                    None,
                    ws,
                    icon="zoom_layer",
                ),
                ActionSpec(
                    "gridapp.view.zoom_selection",
                    QT_TRANSLATE_NOOP("Actions", "Zoom to &selection"),
                    self.canvas.zoom_to_selection,
                    "Ctrl+J",
                    sel,
                    icon="zoom_selection",
                ),
                ActionSpec(
                    "gridapp.view.back",
                    QT_TRANSLATE_NOOP("Actions", "&Back"),
                    self.canvas.back,
                    "Alt+Left",
                    lambda: self.canvas.history.can_back,
                    icon="back",
                ),
                ActionSpec(
                    "gridapp.view.forward",
                    QT_TRANSLATE_NOOP("Actions", "&Forward"),
                    self.canvas.forward,
                    "Alt+Right",
                    lambda: self.canvas.history.can_forward,
                    icon="forward",
                ),
                ActionSpec(
                    "gridapp.view.refresh",
                    QT_TRANSLATE_NOOP("Actions", "&Reload layers"),
                    self.reload,
                    "F5",
                    ws,
                ),
                ActionSpec(
                    "gridapp.tool.pan",
                    QT_TRANSLATE_NOOP("Actions", "&Pan"),
                    lambda: self.set_tool("pan"),
                    "P",
                    group="tools",
                    icon="pan",
                ),
                ActionSpec(
                    "gridapp.tool.zoom_box",
                    QT_TRANSLATE_NOOP("Actions", "&Zoom to box"),
                    lambda: self.set_tool("zoom_box"),
                    "Z",
                    group="tools",
                    icon="zoom_box",
                ),
                ActionSpec(
                    "gridapp.tool.identify",
                    QT_TRANSLATE_NOOP("Actions", "&Identify"),
                    lambda: self.set_tool("identify"),
                    "I",
                    group="tools",
                    icon="identify",
                ),
                ActionSpec(
                    "gridapp.tool.select",
                    QT_TRANSLATE_NOOP("Actions", "&Select"),
                    lambda: self.set_tool("select"),
                    "S",
                    group="tools",
                    icon="select",
                ),
                ActionSpec(
                    "gridapp.select.clear",
                    QT_TRANSLATE_NOOP("Actions", "&Clear selection"),
                    self.canvas.clear_selection,
                    "Ctrl+Shift+A",
                    sel,
                ),
                ActionSpec(
                    "gridapp.layer.style",
                    QT_TRANSLATE_NOOP("Actions", "Layer &style…"),
                    self.layer_panel.edit_style,
                    None,
                    ws,
                ),
                ActionSpec(
                    "gridapp.layer.background",
                    QT_TRANSLATE_NOOP("Actions", "&Background tiles…"),
                    self.choose_background,
                    None,
                    ws,
                ),
                ActionSpec(
                    "gridapp.layer.no_background",
                    QT_TRANSLATE_NOOP("Actions", "&No background"),
                    lambda: self.set_background(None),
                    None,
                    lambda: self.canvas.cache.background is not None,
                ),
                ActionSpec(
                    "gridapp.lang.zh",
                    QT_TRANSLATE_NOOP("Actions", "中文"),
                    lambda: self.set_language("zh"),
                    group="lang",
                ),
                ActionSpec(
                    "gridapp.lang.en",
                    QT_TRANSLATE_NOOP("Actions", "English"),
                    lambda: self.set_language("en"),
                    group="lang",
                ),
            ]
        )
        self.actions["gridapp.tool.pan"].setChecked(True)
        # The canvas handles bare +/- and arrows itself when it has focus.
        for key in ("gridapp.view.zoom_in", "gridapp.view.zoom_out"):
            self.actions[key].setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {}
        self.recent_menu = QMenu(self)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        layout = {
            "file": [
                "gridapp.file.new",
                "gridapp.file.open",
                "@recent",
                "gridapp.file.import",
                "-",
                "gridapp.file.close",
                "gridapp.file.quit",
            ],
            "view": [
                "gridapp.view.zoom_in",
                "gridapp.view.zoom_out",
                "gridapp.view.zoom_full",
                "gridapp.view.zoom_layer",
                "gridapp.view.zoom_selection",
                "-",
                "gridapp.view.back",
                "gridapp.view.forward",
                "-",
                "gridapp.view.refresh",
                "@panels",
            ],
            "tools": [
                "gridapp.tool.pan",
                "gridapp.tool.zoom_box",
                "gridapp.tool.identify",
                "gridapp.tool.select",
                "-",
                "gridapp.select.clear",
            ],
            "layer": [
                "gridapp.layer.style",
                "-",
                "gridapp.layer.background",
                "gridapp.layer.no_background",
            ],
            "language": ["gridapp.lang.zh", "gridapp.lang.en"],
        }
        for key, ids in layout.items():
            menu = bar.addMenu("")
            menu.setObjectName(f"menu_{key}")
            self.menus[key] = menu
            for item in ids:
                if item == "@recent":
                    menu.addMenu(self.recent_menu)
                elif item == "@panels":
                    menu.addSeparator()
                    for dock in self.docks.values():
                        menu.addAction(dock.toggleViewAction())
                else:
                    self.actions.fill_menu(menu, [item])
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mapToolbar")
        self.actions.fill_toolbar(
            self.toolbar,
            [
                "gridapp.file.open",
                "-",
                "gridapp.tool.pan",
                "gridapp.tool.zoom_box",
                "gridapp.tool.identify",
                "gridapp.tool.select",
                "-",
                "gridapp.view.zoom_in",
                "gridapp.view.zoom_out",
                "gridapp.view.zoom_full",
                "gridapp.view.zoom_layer",
                "gridapp.view.zoom_selection",
                "-",
                "gridapp.view.back",
                "gridapp.view.forward",
            ],
        )
        self.addToolBar(self.toolbar)

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
        dock = QDockWidget(self)
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

    def set_language(self, lang: str) -> None:
        self.switcher.apply(lang)
        self.settings.setValue("ui/language", lang)
        self.retranslate()
        if self.table.model.layer_name:
            self._on_current_layer_changed(self.table.model.layer_name)

    def set_tool(self, name: str) -> None:
        self.canvas.set_tool(name)
        action = f"gridapp.tool.{name}"
        if action in self.actions:
            self.actions[action].setChecked(True)

    # ------------------------------------------------------------ workspace
    def _login_dialog(self, store: Any) -> Any:
        from gridapp.qt.login_dialog import LoginDialog

        is_demo = "demo" in Path(store.path).name
        dialog = LoginDialog(store, self, show_demo_users=is_demo)
        return dialog.session if dialog.exec() else None

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

    def open_workspace(self, path: str | Path) -> bool:
        """Open *path*, log in and start loading its layers (on a worker)."""
        from gridapp.storage import open_store

        path = Path(path)
        self.close_workspace()
        try:
            store = open_store(path)
        except GridAppError as exc:
            return self._open_failed(path, exc.message)
        except Exception as exc:  # noqa: BLE001 - the window must stay usable
            return self._open_failed(path, self.messages.add_error(exc))
        try:
            session = self.authenticate(store)
        except GridAppError as exc:
            store.close()
            return self._open_failed(path, exc.message)
        if session is None:
            store.close()
            self.canvas.set_message(self.tr("Not logged in. Use File › Open."))
            return False
        self.store, self.session, self.path = store, session, path
        self.status.set_user(f"{session.user.display_name} ({session.user.username})")
        self._add_recent(path)
        self._update_title()
        self._load_layers()
        return True

    def _open_failed(self, path: Path, message: str) -> bool:
        text = self.tr("Cannot open workspace {path}: {error}").format(
            path=str(path), error=message
        )
        self.messages.add(text)
        self.canvas.set_message(text)
        self.show_error(text)
        self.workspaceFailed.emit(text)
        self.actions.update_enabled()
        return False

    def _load_layers(self) -> None:
        """Read the layers on a worker: all but reports first, then reports."""
        store = self.store
        self.loaded = False
        self._load_started = time.perf_counter()
        self.canvas.set_message(self.tr("Loading layers…"))
        first = [s.name for s in SOURCES if s.name not in LATER_LAYERS]

        def work(progress: Any, cancel: Any) -> WorkspaceLayers:
            return load_workspace_layers(
                store,
                progress=progress,
                cancel=cancel,
                colour_grids=grid_colours,
                names=first,
            )

        self.progress.run(
            work,
            self._on_layers_loaded,
            self._on_load_failed,
            self.tr("Loading layers"),
        )

    def _on_layers_loaded(self, workspace: WorkspaceLayers) -> None:
        self.status.epsg = workspace.epsg
        self.layer_model.set_workspace(workspace)
        self.canvas.set_workspace(workspace, self._saved_view())
        self._report_bad(workspace)
        self._on_current_layer_changed(self.layer_panel.current_layer() or "grid")
        self.actions.update_enabled()
        store, now = self.store, workspace.report_since

        def work(progress: Any, cancel: Any) -> WorkspaceLayers:
            return load_workspace_layers(
                store,
                progress=progress,
                cancel=cancel,
                names=LATER_LAYERS,
                now=None if now is None else now + timedelta(days=DEFAULT_REPORT_DAYS),
            )

        self.progress.run(
            work,
            self._on_later_layers_loaded,
            self._on_load_failed,
            self.tr("Loading buildings and reports"),
        )

    def _on_later_layers_loaded(self, later: WorkspaceLayers) -> None:
        if self.canvas.workspace is None:
            return
        self.layer_model.merge_layers(later)
        self._report_bad(later)
        self.canvas.layers_changed()
        self.load_seconds = time.perf_counter() - self._load_started
        self.loaded = True
        self.actions.update_enabled()
        self.status.showMessage(
            self.tr("Loaded in {s:.2f} s").format(s=self.load_seconds), 5000
        )
        self.workspaceLoaded.emit()

    def _report_bad(self, workspace: WorkspaceLayers) -> None:
        for name, data in workspace.data.items():
            if data.bad:
                shown = ", ".join(
                    f"id {b.fid} ({QCoreApplication.translate('MainWindow', BAD_REASONS[b.reason])})"
                    for b in data.bad[:20]
                )
                more = "" if len(data.bad) <= 20 else f" … (+{len(data.bad) - 20})"
                self.messages.add(
                    self.tr(
                        "Layer {layer}: {n} features with bad geometry: {list}"
                    ).format(
                        layer=layer_title(name), n=len(data.bad), list=shown + more
                    )
                )

    def _on_load_failed(self, exc: BaseException) -> None:
        text = (
            exc.message
            if isinstance(exc, GridAppError)
            else self.messages.add_error(exc)
        )
        self.canvas.set_message(
            self.tr("The layers could not be loaded: {error}").format(error=text)
        )
        self.show_error(text)
        self.workspaceFailed.emit(text)

    def reload(self) -> None:
        if self.store is not None:
            self._save_view()
            self._load_layers()

    def close_workspace(self) -> None:
        self.progress.shutdown()
        self._save_view()
        self.canvas.set_workspace(None)
        self.layer_model.set_workspace(None)
        self.table.set_layer("", __import__("pandas").DataFrame())
        self.identify.show_hits([], None)
        if self.canvas.cache.background is not None:
            self.set_background(None)
        if self.store is not None:
            self.store.close()
        self.store = self.session = self.path = None
        self.loaded = False
        self._update_title()
        self.status.set_user("")
        self.canvas.set_message(self.tr("No workspace open. Use File › Open."))
        self.actions.update_enabled()
        self.workspaceClosed.emit()

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open workspace"),
            self._last_dir(),
            self.tr("GeoPackage (*.gpkg)"),
        )
        if path:
            self.open_workspace(path)

    def new_workspace(self) -> None:
        from gridapp.qt.new_workspace_dialog import NewWorkspaceDialog

        dialog = NewWorkspaceDialog(self, self._last_dir())
        if dialog.exec() and dialog.created is not None:
            self.open_workspace(dialog.created)

    def import_layer(self) -> None:
        from gridapp.qt.import_preview_dialog import ImportPreviewDialog

        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import layer"),
            self._last_dir(),
            self.tr(
                "Boundary files (*.gpkg *.shp *.geojson *.json *.kml *.csv *.xlsx)"
            ),
        )
        if path:
            dialog = ImportPreviewDialog(path, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def choose_background(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Background tiles (MBTiles)"),
            self._last_dir(),
            self.tr("MBTiles (*.mbtiles)"),
        )
        if not path:
            path = QFileDialog.getExistingDirectory(
                self, self.tr("XYZ tile folder"), self._last_dir()
            )
        if path:
            self.set_background(path)

    def set_background(self, path: str | Path | None) -> bool:
        from gridapp.qt.tiles import TileSource

        old = self.canvas.cache.background
        if path is None:
            self.canvas.set_background(None)
            if old is not None:
                old.close()
            self.actions.update_enabled()
            return True
        if self.canvas.workspace is None:
            return False
        try:
            source = TileSource(path, self.canvas.workspace.epsg)
        except (OSError, Exception) as exc:  # noqa: BLE001 - a bad file is a message
            self.messages.add(
                self.tr("Cannot use {path} as background: {error}").format(
                    path=str(path), error=str(exc)
                )
            )
            return False
        self.canvas.set_background(source)
        if old is not None:
            old.close()
        self.settings.setValue("map/background", str(path))
        self.actions.update_enabled()
        return True

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
    def _last_dir(self) -> str:
        return (
            str(self.path.parent)
            if self.path
            else str(self.settings.value("file/last_dir", ""))
        )

    def recent_files(self) -> list[str]:
        value = self.settings.value("file/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        p = str(path.resolve())
        recent = [r for r in self.recent_files() if r != p]
        self.settings.setValue("file/recent", [p, *recent][:MAX_RECENT])
        self.settings.setValue("file/last_dir", str(path.resolve().parent))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for p in self.recent_files():
            action = self.recent_menu.addAction(p)
            action.triggered.connect(lambda _c=False, p=p: self.open_workspace(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)

    def _view_key(self) -> str:
        return "view/" + str(self.path.resolve()).replace("/", "|") if self.path else ""

    def _save_view(self) -> None:
        vp = self.canvas.viewport
        if vp is not None and self.path is not None:
            self.settings.setValue(
                self._view_key(), [vp.center_x, vp.center_y, vp.resolution]
            )

    def _saved_view(self) -> Viewport | None:
        if self.path is None:
            return None
        value = self.settings.value(self._view_key())
        try:
            cx, cy, res = (float(v) for v in value)  # type: ignore[union-attr]
            return Viewport(
                max(self.canvas.width(), 1), max(self.canvas.height(), 1), cx, cy, res
            )
        except (TypeError, ValueError):
            return None

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
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
