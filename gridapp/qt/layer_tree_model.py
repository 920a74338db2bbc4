"""QAbstractItemModel adapter over a :class:`~gridapp.render.layers.LayerStack`.

Rows are layers top first (the reverse of drawing order), as in QGIS.  The
check state is visibility; :data:`OPACITY_ROLE` and :data:`NAME_ROLE` expose
the rest.  Every change goes through the model so that views and the canvas
(listening to :attr:`LayerTreeModel.layersChanged`) stay in step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from gridapp.qt.layer_data import LayerData, WorkspaceLayers
from gridapp.render.layers import LayerStack, VectorLayer
from gridapp.render.style import Style, StyleError

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
OPACITY_ROLE = Qt.ItemDataRole.UserRole + 2
BAD_ROLE = Qt.ItemDataRole.UserRole + 3

LAYER_TITLES = {
    "street": QT_TRANSLATE_NOOP("Layers", "Street"),
    "community": QT_TRANSLATE_NOOP("Layers", "Communities"),
    "grid": QT_TRANSLATE_NOOP("Layers", "Grids"),
    "building": QT_TRANSLATE_NOOP("Layers", "Buildings"),
    "report": QT_TRANSLATE_NOOP("Layers", "Reports"),
    "task": QT_TRANSLATE_NOOP("Layers", "Joint tasks"),
    "cluster": QT_TRANSLATE_NOOP("Layers", "Cluster areas"),  # qt/tasks/map_overlay.py
}

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, as a default argument


def layer_title(name: str) -> str:
    """The layer's display name in the UI language."""
    return QCoreApplication.translate("Layers", LAYER_TITLES.get(name, name))


def swatch(layer: VectorLayer, size: int = 14) -> QIcon:
    """A small square in the colours of the layer's first symbol."""
    from gridapp.render.renderer import qcolour

    pix = QPixmap(size, size)
    pix.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pix)
    sym = layer.symbols[0] if layer.symbols else None
    if sym is not None:
        painter.setBrush(qcolour(sym.fill) if sym.fill else QColor(0, 0, 0, 0))
        painter.setPen(qcolour(sym.stroke) if sym.stroke else QColor(0, 0, 0, 0))
        if layer.kind == "point":
            painter.drawEllipse(3, 3, size - 6, size - 6)
        else:
            painter.drawRect(1, 1, size - 3, size - 3)
    painter.end()
    return QIcon(pix)


class LayerTreeModel(QAbstractItemModel):
    """Layers of one workspace as a flat tree (one column)."""

    layersChanged = Signal()
    # A layer's rows were replaced: selections and highlights on it are stale.
    layerReplaced = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.workspace: WorkspaceLayers | None = None
        # Layers whose style was chosen (set_style), not the one they opened with.
        self._chosen_styles: set[str] = set()

    # ------------------------------------------------------------ content
    def set_workspace(self, workspace: WorkspaceLayers | None) -> None:
        self.beginResetModel()
        self.workspace = workspace
        self._chosen_styles.clear()
        self.endResetModel()

    def replace_layer(
        self, name: str, data: LayerData, style: Style | None = None
    ) -> None:
        """Swap layer *name*'s data for *data*, keeping its row and look.

        Position, visibility and opacity are kept.  With *style* None, a style
        chosen with :meth:`set_style` (by the user or a feature) is kept; if
        it no longer applies (its field vanished) *data* keeps its own default
        style.  A layer still on its opening style takes *data*'s, which is
        worked out from the new rows.  A layer not yet in the workspace is
        inserted where it belongs.  :attr:`layerReplaced` tells listeners to
        drop selections on the old rows.
        """
        assert self.workspace is not None
        ws = self.workspace
        if name not in ws.data:
            later = WorkspaceLayers(ws.epsg, LayerStack(), {name: data})
            self.merge_layers(later)
            if style is not None:
                self.set_style(name, style)
            self.layerReplaced.emit(name)
            return
        old = ws.stack[name]
        new = data.layer
        new.visible, new.opacity = old.visible, old.opacity
        keep = style is None and name in self._chosen_styles
        wanted = style if style is not None else (old.style if keep else None)
        if wanted is not None:
            try:
                new.apply_style(wanted)
            except StyleError:
                # The field the style classifies by is gone: the default again.
                self._chosen_styles.discard(name)
            else:
                if style is not None:
                    self._chosen_styles.add(name)
        pos = ws.stack.names.index(name)
        ws.stack.remove(name)
        ws.stack.add(new, pos)
        ws.data[name] = data
        idx = self.index_of(name)
        self.dataChanged.emit(idx, idx, [])
        self.layerReplaced.emit(name)
        self.layersChanged.emit()

    def merge_layers(self, later: WorkspaceLayers) -> None:
        """Insert the layers of *later* (read after the others) as new rows."""
        assert self.workspace is not None
        for name, data in later.data.items():
            pos = self.workspace.position_for(name)
            row = len(self.workspace.stack) - pos
            self.beginInsertRows(QModelIndex(), row, row)
            self.workspace.stack.add(data.layer, pos)
            self.workspace.data[name] = data
            self.endInsertRows()
        self.layersChanged.emit()

    def _layers_top_first(self) -> list[VectorLayer]:
        return (
            [] if self.workspace is None else list(reversed(list(self.workspace.stack)))
        )

    def layer(self, row: int) -> VectorLayer:
        return self._layers_top_first()[row]

    def row_of(self, name: str) -> int:
        return [lay.name for lay in self._layers_top_first()].index(name)

    def index_of(self, name: str) -> QModelIndex:
        return self.index(self.row_of(name), 0)

    # ------------------------------------------------------------ Qt model
    def index(self, row: int, column: int = 0, parent: Index = _ROOT) -> QModelIndex:
        if parent.isValid() or not (0 <= row < self.rowCount()) or column != 0:
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        if parent.isValid() or self.workspace is None:
            return 0
        return len(self.workspace.stack)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        layer = self.layer(index.row())
        bad = self.workspace.data[layer.name].bad if self.workspace else []
        if role == Qt.ItemDataRole.DisplayRole:
            text = f"{layer_title(layer.name)} ({len(layer)})"
            undrawn = sum(not b.drawn for b in bad)
            if bad:
                text += " ⚠"
            return text if not undrawn else text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole:
            return swatch(layer)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.tr("{n} features, opacity {o}%").format(
                n=len(layer), o=round(layer.opacity * 100)
            )
            if bad:
                tip += "\n" + self.tr("{n} features with bad geometry").format(
                    n=len(bad)
                )
            return tip
        if role == NAME_ROLE:
            return layer.name
        if role == OPACITY_ROLE:
            return layer.opacity
        if role == BAD_ROLE:
            return bad
        return None

    def setData(
        self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        layer = self.layer(index.row())
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (
                Qt.CheckState.Checked,
                Qt.CheckState.Checked.value,
                2,
                True,
            )
            layer.visible = bool(checked)
        elif role == OPACITY_ROLE:
            layer.opacity = max(0.0, min(1.0, float(value)))
        else:
            return False
        self.dataChanged.emit(index, index, [role])
        self.layersChanged.emit()
        return True

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def moveRows(
        self,
        parent: Index,
        source_row: int,
        count: int,  # noqa: N802
        dest_parent: Index,
        dest_child: int,
    ) -> bool:
        if count != 1 or parent.isValid() or self.workspace is None:
            return False
        n = self.rowCount()
        if (
            not (0 <= source_row < n)
            or not (0 <= dest_child <= n)
            or dest_child in (source_row, source_row + 1)
        ):
            return False
        name = self.layer(source_row).name
        target = dest_child if dest_child < source_row else dest_child - 1
        if not self.beginMoveRows(
            QModelIndex(), source_row, source_row, QModelIndex(), dest_child
        ):
            return False
        self.workspace.stack.move(name, n - 1 - target)
        self.endMoveRows()
        self.layersChanged.emit()
        return True

    # ------------------------------------------------------------ helpers
    def set_visible(self, name: str, visible: bool) -> None:
        self.setData(
            self.index_of(name),
            Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked,
            Qt.ItemDataRole.CheckStateRole,
        )

    def set_opacity(self, name: str, opacity: float) -> None:
        self.setData(self.index_of(name), opacity, OPACITY_ROLE)

    def move_layer(self, name: str, delta: int) -> bool:
        """Move *name* up (delta < 0, towards the top of the list) or down."""
        row = self.row_of(name)
        new = row + delta
        if not (0 <= new < self.rowCount()):
            return False
        return self.moveRows(
            QModelIndex(), row, 1, QModelIndex(), new + (1 if delta > 0 else 0)
        )

    def set_style(self, name: str, style: Style) -> None:
        assert self.workspace is not None
        self.workspace.stack[name].apply_style(style)
        self._chosen_styles.add(name)
        idx = self.index_of(name)
        self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])
        self.layersChanged.emit()

    def retranslate(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))
