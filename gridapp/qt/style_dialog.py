"""Style editor: single symbol, categorised by a field, graduated by a number."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gridapp.qt.fit import FittedDialog
from gridapp.render.layers import VectorLayer
from gridapp.render.style import (
    CategorizedStyle,
    GraduatedStyle,
    SingleStyle,
    Style,
    Symbol,
)

# Sequential ramp (ColorBrewer YlOrRd, 7 classes).
RAMP = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026")
MODES = ("single", "categorized", "graduated")


def ramp(n: int) -> list[str]:
    """*n* colours spread over :data:`RAMP`."""
    idx = np.linspace(0, len(RAMP) - 1, n).round().astype(int)
    return [RAMP[i] for i in idx]


def quantile_breaks(values: Any, n: int) -> list[float]:
    """*n* + 1 increasing breaks at quantiles of the finite *values*."""
    import pandas as pd  # with the dialog's first use, not with the window (issue 22)

    v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    v = v[np.isfinite(v)]
    if not len(v):
        return [0.0, 1.0]
    qs = np.unique(np.quantile(v, np.linspace(0, 1, n + 1)))
    if len(qs) < 2:
        qs = np.array([qs[0], qs[0] + 1.0])
    return [float(q) for q in qs]


class StyleDialog(FittedDialog):
    """Edits a copy of a layer's style; :meth:`style` builds the result."""

    def __init__(
        self, layer: VectorLayer, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.layer = layer
        self.setWindowTitle(self.tr("Style: {layer}").format(layer=title))
        current = layer.style
        base = layer.symbols[0] if layer.symbols else Symbol()
        self.fill = base.fill
        self.stroke = base.stroke
        self.base = base
        from pandas.api.types import is_numeric_dtype

        table = layer.attributes
        self.fields = [c for c in table.columns if c != "id"]
        self.numeric = [
            c for c in self.fields if is_numeric_dtype(table[c])
        ]

        self.mode = QComboBox(self)
        self.mode.addItem(self.tr("Single symbol"), "single")
        self.mode.addItem(self.tr("Categorised by field"), "categorized")
        self.mode.addItem(self.tr("Graduated by number"), "graduated")

        self.pages = QStackedWidget(self)
        single = QWidget()
        f1 = QFormLayout(single)
        self.fill_button = QPushButton(single)
        self.fill_button.clicked.connect(lambda: self._pick("fill"))
        self.stroke_button = QPushButton(single)
        self.stroke_button.clicked.connect(lambda: self._pick("stroke"))
        f1.addRow(self.tr("Fill"), self.fill_button)
        f1.addRow(self.tr("Outline"), self.stroke_button)
        cat = QWidget()
        f2 = QFormLayout(cat)
        self.cat_field = QComboBox(cat)
        self.cat_field.addItems(self.fields)
        f2.addRow(self.tr("Field"), self.cat_field)
        grad = QWidget()
        f3 = QFormLayout(grad)
        self.grad_field = QComboBox(grad)
        self.grad_field.addItems(self.numeric)
        self.classes = QSpinBox(grad)
        self.classes.setRange(2, 7)
        self.classes.setValue(5)
        f3.addRow(self.tr("Field"), self.grad_field)
        f3.addRow(self.tr("Classes (quantiles)"), self.classes)
        if not self.numeric:
            f3.addRow(QLabel(self.tr("The layer has no numeric field."), grad))
        for page in (single, cat, grad):
            self.pages.addWidget(page)
        self.mode.currentIndexChanged.connect(self.pages.setCurrentIndex)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("Type"), self.mode)
        layout.addLayout(form)
        layout.addWidget(self.pages)
        layout.addWidget(buttons)

        if isinstance(current, CategorizedStyle) and current.field in self.fields:
            self.set_mode("categorized")
            self.cat_field.setCurrentText(current.field)
        elif isinstance(current, GraduatedStyle) and current.field in self.numeric:
            self.set_mode("graduated")
            self.grad_field.setCurrentText(current.field)
            self.classes.setValue(len(current.colours))
        self._show_colours()

    def set_mode(self, mode: str) -> None:
        self.mode.setCurrentIndex(MODES.index(mode))

    def set_fill(self, colour: str | None) -> None:
        self.fill = colour
        self._show_colours()

    def _pick(self, which: str) -> None:
        initial = QColor(getattr(self, which) or "#ffffff")
        colour = QColorDialog.getColor(
            initial, self, options=QColorDialog.ColorDialogOption.ShowAlphaChannel
        )
        if colour.isValid():
            setattr(
                self,
                which,
                colour.name()
                + (f"{colour.alpha():02x}" if colour.alpha() < 255 else ""),
            )
            self._show_colours()

    def _show_colours(self) -> None:
        for button, colour in (
            (self.fill_button, self.fill),
            (self.stroke_button, self.stroke),
        ):
            button.setText(colour or self.tr("none"))
            button.setStyleSheet(f"background: {colour[:7]};" if colour else "")

    def style(self) -> Style:
        """The style the dialog currently describes."""
        mode = MODES[self.mode.currentIndex()]
        if mode == "categorized" and self.cat_field.currentText():
            field = self.cat_field.currentText()
            values = self.layer.attributes[field].dropna().unique().tolist()
            return CategorizedStyle.from_values(
                field, values, base=replace(self.base, label="")
            )
        if mode == "graduated" and self.grad_field.currentText():
            field = self.grad_field.currentText()
            breaks = quantile_breaks(self.layer.attributes[field], self.classes.value())
            return GraduatedStyle(field, breaks, ramp(len(breaks) - 1), base=self.base)
        return SingleStyle(
            replace(self.base, fill=self.fill, stroke=self.stroke, label="")
        )
