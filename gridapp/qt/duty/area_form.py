"""The kind and name of a duty area just drawn (绘制职责区域)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from gridapp.qt.fit import FittedDialog
from gridapp.services.cases import routing


class DutyAreaForm(FittedDialog):
    """Asks the area's kind (a known one, or typed) and an optional name."""

    def __init__(self, session: Any, parent: QWidget | None = None,
                 kind: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dutyAreaForm")
        self.kind = QComboBox(self)
        self.kind.setObjectName("dutyAreaKind")
        self.kind.setEditable(True)
        self.kind.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for key, label in routing.area_kinds(session):
            self.kind.addItem(label, key)
        if kind is not None and self.kind.findData(kind) >= 0:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        self.name = QLineEdit(self)
        self.name.setObjectName("dutyAreaName")
        self.name.setMaxLength(60)
        self._labels = [QLabel(self), QLabel(self)]
        form = QFormLayout(self)
        form.addRow(self._labels[0], self.kind)
        form.addRow(self._labels[1], self.name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setWindowTitle(self.tr("New duty area"))
        self._labels[0].setText(self.tr("Kind"))
        self._labels[1].setText(self.tr("Name"))
        self.name.setPlaceholderText(self.tr("optional, e.g. 中山路"))

    def draft(self) -> tuple[str, str]:
        """(kind key, name): a kind chosen from the list gives its key, a typed one itself."""
        text = self.kind.currentText().strip()
        i = self.kind.findText(text)
        key = self.kind.itemData(i) if i >= 0 else text
        return str(key or ""), self.name.text().strip()
