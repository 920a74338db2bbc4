"""Base data in the main window (issue 18): the 居民与楼栋 dock.

The dock lists the buildings of a grid with households and population and the
residents of the chosen building, masked as the services mask them for the
user's role (:mod:`gridapp.qt.basedata.panel`).  It is offered to every role
that may read the workspace; choosing a grid on the map shows that grid.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Qt

from gridapp.qt.basedata.panel import BaseDataPanel, translate

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
        window.workspaceLoaded.connect(self._on_loaded)
        window.workspaceClosed.connect(self._on_closed)
        window.canvas.selectionChanged.connect(self._on_selection)
        self.dock.toggleViewAction().setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.dock.setWindowTitle(translate("BaseData", "Residents and buildings"))
        self.panel.retranslate()

    def _on_loaded(self) -> None:
        session = self.window.session
        allowed = session is not None and session.can(READ)
        self.dock.toggleViewAction().setVisible(allowed)
        self.panel.set_session(session if allowed else None)

    def _on_closed(self) -> None:
        self.panel.set_session(None)
        self.dock.toggleViewAction().setVisible(False)

    def _on_selection(self, layer: str) -> None:
        if layer != "grid" or self.panel.session is None:
            return
        ws = self.window.canvas.workspace
        rows = self.window.canvas.selection.get("grid")
        if ws is None or "grid" not in ws.data or rows is None or len(rows) != 1:
            return
        self.panel.show_grid(int(np.asarray(ws.data["grid"].ids)[rows[0]]))

    def show(self) -> None:
        """Show and raise the dock, wide enough for a building's residents."""
        self.dock.show()
        self.dock.raise_()
        if self.dock.width() < WIDTH:
            self.window.resizeDocks([self.dock], [WIDTH], Qt.Orientation.Horizontal)


def install(window: Any) -> BaseDataFeature:
    """Add the base-data dock to *window* (see :mod:`gridapp.qt.features`)."""
    return BaseDataFeature(window)
