"""The map legend as a dock beside the layer list (issue 21): see :mod:`gridapp.qt.legend_panel`.

The legend is rebuilt only while its dock is on screen: a district's grids
coloured by manager are hundreds of classes, and drawing their swatches took
0.5-0.8 s of the GUI thread per layer change while the workspace loaded with
the legend behind the layer list's tab (issue 21).  A change while it is
hidden marks it stale; it catches up when the dock is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from gridapp.qt.legend_panel import LegendPanel, translate
from gridapp.qt.on_screen import on_screen


class LazyLegendPanel(LegendPanel):
    """A :class:`LegendPanel` that skips refreshes while ``on_screen()`` says no."""

    on_screen: Any = None  # () -> bool; None: always refresh
    stale = False

    def refresh(self, *args: Any) -> None:
        shown = self.on_screen is None or self.on_screen()
        if not shown and self.model.workspace is not None:
            self._later.stop()
            self.stale = True
            return
        self.stale = False
        super().refresh(*args)

    def catch_up(self) -> None:
        """Refresh now if a change came while hidden."""
        if self.stale:
            self.stale = False
            LegendPanel.refresh(self)

    def entries(self, name: str) -> list[tuple[str, str, int]]:
        if self._later.isActive():  # a change is waiting to be shown
            self._later.stop()
            self.stale = True
        self.catch_up()  # what the legend would show (tests), shown or not
        return super().entries(name)


class LegendFeature(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.panel = LazyLegendPanel(window.layer_model)
        self.panel.setObjectName("legendPanel")
        self.dock = window.add_dock("legend", self.panel, Qt.DockWidgetArea.LeftDockWidgetArea,
                                    tabify_with="layers")
        self.panel.on_screen = self.on_screen
        self.dock.visibilityChanged.connect(self._on_visibility)
        self.retranslate()

    def on_screen(self) -> bool:
        """The dock is shown and not behind another tab."""
        return on_screen(self.dock)

    def _on_visibility(self, visible: bool) -> None:
        if visible:
            self.panel.catch_up()

    def retranslate(self) -> None:
        self.dock.setWindowTitle(translate("LegendPanel", "Legend"))
        self.panel.retranslate()


def install(window: Any) -> LegendFeature:
    return LegendFeature(window)
