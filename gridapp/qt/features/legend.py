"""The map legend as a dock beside the layer list (issue 21): see :mod:`gridapp.qt.legend_panel`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from gridapp.qt.legend_panel import LegendPanel, translate


class LegendFeature(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.panel = LegendPanel(window.layer_model)
        self.panel.setObjectName("legendPanel")
        self.dock = window.add_dock("legend", self.panel, Qt.DockWidgetArea.LeftDockWidgetArea,
                                    tabify_with="layers")
        self.retranslate()

    def retranslate(self) -> None:
        self.dock.setWindowTitle(translate("LegendPanel", "Legend"))
        self.panel.retranslate()


def install(window: Any) -> LegendFeature:
    return LegendFeature(window)
