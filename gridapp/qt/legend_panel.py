"""The map legend: what each colour of the visible classified layers means (issue 21).

A dock beside the layer list.  For every visible layer drawn with more than one
symbol (reports by category or by status, grids by manager, graduated styles)
it lists the classes present in the layer, each with its colour swatch, its
label and how many features it holds, most common first.  It follows the layer
model: a style change, a reloaded layer or a hidden layer updates it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from gridapp.qt.layer_tree_model import layer_title
from gridapp.render.style import Symbol

NAME_ROLE = Qt.ItemDataRole.UserRole + 1


def symbol_icon(symbol: Symbol, point: bool, size: int = 14) -> QIcon:
    from gridapp.render.renderer import qcolour

    pix = QPixmap(size, size)
    pix.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(qcolour(symbol.fill) if symbol.fill else QColor(0, 0, 0, 0))
    painter.setPen(qcolour(symbol.stroke) if symbol.stroke else QColor(0, 0, 0, 0))
    if point:
        painter.drawEllipse(2, 2, size - 4, size - 4)
    else:
        painter.drawRect(1, 1, size - 3, size - 3)
    painter.end()
    return QIcon(pix)


def legend_entries(layer: Any) -> list[tuple[Symbol, int]]:
    """The classes of *layer* that hold features: (symbol, count), most first."""
    symbols = list(getattr(layer, "symbols", []) or [])
    classes = np.asarray(getattr(layer, "classes", []), dtype=np.int64)
    if len(symbols) < 2 or classes.size == 0:
        return []
    counts = np.bincount(classes[classes >= 0], minlength=len(symbols))
    used = [(symbols[i], int(counts[i])) for i in range(len(symbols)) if counts[i] > 0]
    used.sort(key=lambda e: -e[1])
    return used


class LegendPanel(QWidget):
    """The legend of the visible classified layers of a :class:`LayerTreeModel`."""

    def __init__(self, model: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("legendTree")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(False)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        # The model signals several times per change (a load emits reset, inserts,
        # dataChanged...): one refresh per burst, after the events in the queue.
        self._later = QTimer(self)
        self._later.setObjectName("legend_refresh_timer")
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.refresh)
        for signal in (model.layersChanged, model.modelReset, model.rowsInserted,
                       model.dataChanged):
            signal.connect(self._schedule)
        self.retranslate()

    def _schedule(self, *_: Any) -> None:
        if self.model.workspace is None:
            self.refresh()  # nothing to draw: at once (no timer left behind a close)
        else:
            self._later.start()

    def retranslate(self) -> None:
        self.empty.setText(self.tr("No layer on the map is coloured by category."))
        self.refresh()

    def layers(self) -> list[Any]:
        ws = self.model.workspace
        return [] if ws is None else list(reversed(list(ws.stack)))

    def refresh(self, *_: Any) -> None:
        self._later.stop()
        self.tree.clear()
        for layer in self.layers():
            if not layer.visible:
                continue
            entries = legend_entries(layer)
            if not entries:
                continue
            head = QTreeWidgetItem(self.tree, [layer_title(layer.name), ""])
            head.setData(0, NAME_ROLE, layer.name)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFirstColumnSpanned(True)
            point = getattr(layer, "kind", "") == "point"
            for symbol, n in entries:
                item = QTreeWidgetItem(head, [symbol.label or "–", f"{n:,}"])
                item.setIcon(0, symbol_icon(symbol, point))
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                item.setToolTip(0, symbol.label)
            head.setExpanded(True)
        self.tree.resizeColumnToContents(1)
        self.empty.setVisible(self.tree.topLevelItemCount() == 0)

    def entries(self, name: str) -> list[tuple[str, str, int]]:
        """(label, fill colour, count) of layer *name* as shown (tests)."""
        if self._later.isActive():
            self.refresh()  # a change is waiting to be shown
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            if head.data(0, NAME_ROLE) != name:
                continue
            layer = next(lay for lay in self.layers() if lay.name == name)
            fills = {s.label or "–": s.fill for s, _ in legend_entries(layer)}
            return [(head.child(j).text(0), str(fills.get(head.child(j).text(0))),
                     int(head.child(j).text(1).replace(",", "")))
                    for j in range(head.childCount())]
        return []


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
