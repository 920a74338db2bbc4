"""The search box on the map toolbar and its shortcut (Ctrl+F): see :mod:`gridapp.qt.search_box`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtGui import QKeySequence

from gridapp.qt.actions import ActionSpec
from gridapp.qt.search_box import SearchBox, extent_of, kind_title


class SearchFeature(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.box = SearchBox(lambda: window.session, window)
        window.toolbar.addSeparator()
        window.toolbar.addWidget(self.box)
        window.actions.add_all([
            ActionSpec("gridapp.view.find", QT_TRANSLATE_NOOP("Actions", "&Find…"),
                       self.focus, QKeySequence.StandardKey.Find,
                       lambda: window.session is not None),
        ])
        window.actions.fill_menu(window.menus["view"], ["gridapp.view.find"])
        self.box.picked.connect(self.go_to)
        self.box.failed.connect(window.messages.add)
        window.workspaceClosed.connect(self._on_closed)
        window.when_loaded(lambda: self.box.setEnabled(True))
        self.box.setEnabled(False)

    def retranslate(self) -> None:
        self.box.retranslate()

    def focus(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def go_to(self, hit: Any) -> None:
        ws = self.window.canvas.workspace
        if ws is None:
            return
        self.window.canvas.zoom_to_extent(extent_of(hit, ws.epsg), margin=0.1)
        self.window.status.showMessage(
            QCoreApplication.translate("SearchBox", "Found: {kind} {label}").format(kind=kind_title(hit.kind), label=hit.label),
            5000)

    def _on_closed(self) -> None:
        self.box.clear()
        self.box.model.clear()
        self.box.hits = []
        self.box.setEnabled(False)


def install(window: Any) -> SearchFeature:
    return SearchFeature(window)
