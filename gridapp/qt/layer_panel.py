"""Layer list with visibility, order, opacity and the style editor."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gridapp.qt.layer_tree_model import NAME_ROLE, LayerTreeModel, layer_title
from gridapp.qt.style_dialog import StyleDialog


class LayerPanel(QWidget):
    """A view of a :class:`LayerTreeModel` plus controls for the current layer."""

    currentLayerChanged = Signal(str)
    zoomToLayerRequested = Signal(str)

    def __init__(self, model: LayerTreeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QTreeView(self)
        self.view.setObjectName("layerTree")
        self.view.setHeaderHidden(True)
        self.view.setRootIsDecorated(False)
        self.view.setModel(model)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.doubleClicked.connect(lambda _i: self.edit_style())

        self.up = QToolButton(self)
        self.up.setArrowType(Qt.ArrowType.UpArrow)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down = QToolButton(self)
        self.down.setArrowType(Qt.ArrowType.DownArrow)
        self.down.clicked.connect(lambda: self._move(1))
        self.style_button = QToolButton(self)
        self.style_button.clicked.connect(self.edit_style)
        self.zoom_button = QToolButton(self)
        self.zoom_button.clicked.connect(self._zoom)
        self.opacity_label = QLabel(self)
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.valueChanged.connect(self._on_opacity_changed)

        buttons = QHBoxLayout()
        for w in (self.up, self.down, self.style_button, self.zoom_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        op = QHBoxLayout()
        op.addWidget(self.opacity_label)
        op.addWidget(self.opacity, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addLayout(op)
        model.modelReset.connect(self._on_reset)
        model.dataChanged.connect(lambda *_: self._sync_controls())
        self.dialog: StyleDialog | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.up.setToolTip(self.tr("Move layer up"))
        self.down.setToolTip(self.tr("Move layer down"))
        self.style_button.setText(self.tr("Style…"))
        self.zoom_button.setText(self.tr("Zoom to layer"))
        self.opacity_label.setText(self.tr("Opacity"))

    def current_layer(self) -> str | None:
        idx = self.view.currentIndex()
        return idx.data(NAME_ROLE) if idx.isValid() else None

    def set_current_layer(self, name: str) -> None:
        self.view.setCurrentIndex(self.model.index_of(name))

    def _on_reset(self) -> None:
        if self.model.rowCount():
            name = (
                "grid"
                if self.model.workspace and "grid" in self.model.workspace.data
                else self.model.layer(0).name
            )
            self.set_current_layer(name)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._sync_controls()
        if current.isValid():
            self.currentLayerChanged.emit(current.data(NAME_ROLE))

    def _sync_controls(self) -> None:
        name = self.current_layer()
        self.opacity.blockSignals(True)
        self.opacity.setEnabled(name is not None)
        if name is not None and self.model.workspace is not None:
            self.opacity.setValue(round(self.model.workspace.stack[name].opacity * 100))
        self.opacity.blockSignals(False)

    def _on_opacity_changed(self, value: int) -> None:
        name = self.current_layer()
        if name is not None:
            self.model.set_opacity(name, value / 100.0)

    def _move(self, delta: int) -> None:
        name = self.current_layer()
        if name is not None and self.model.move_layer(name, delta):
            self.set_current_layer(name)

    def _zoom(self) -> None:
        name = self.current_layer()
        if name is not None:
            self.zoomToLayerRequested.emit(name)

    def style_dialog(self, name: str | None = None) -> StyleDialog | None:
        """The style dialog for *name* (or the current layer), not yet shown."""
        name = name or self.current_layer()
        if name is None or self.model.workspace is None:
            return None
        return StyleDialog(self.model.workspace.stack[name], layer_title(name), self)

    def edit_style(self) -> None:
        name = self.current_layer()
        dialog = self.style_dialog(name)
        if dialog is None or name is None:
            return
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.model.set_style(name, dialog.style()))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
