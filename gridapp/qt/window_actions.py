"""The main window's actions, menus and toolbar, declared once by id.

A mixin of :class:`~gridapp.qt.main_window.MainWindow`: actions are declared
in :meth:`WindowActions._declare_actions` (id like ``gridapp.view.zoom_in``,
title, callback, shortcut, enabled-when) and the menus and toolbar are built
from their ids.  Features add their own actions and menus the same way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from gridapp.qt.actions import ActionSpec


class WindowActions:
    """Declares the window's actions and builds its menus and toolbar."""

    actions: Any
    canvas: Any
    layer_panel: Any
    docks: dict[str, Any]
    settings: Any
    switcher: Any
    table: Any
    menus: dict[str, QMenu]
    recent_menu: QMenu
    toolbar: QToolBar
    status: Any

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
                    enabled_when=lambda: self.session is not None,
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
            self.status.set_tool(self.actions[action].text())

