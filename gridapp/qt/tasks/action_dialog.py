"""RecordActionDialog: what the joint action did and its results."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gridapp.qt.fit import FittedDialog
from gridapp.services.joint.tasks import RESULT_KEYS


class RecordActionDialog(FittedDialog):
    """Summary (required) and numeric results (stalls removed, m² demolished, fines…)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordActionDialog")
        self.summary = QPlainTextEdit(self)
        self.summary.setMaximumHeight(90)
        self.results: dict[str, QDoubleSpinBox] = {}
        self.summary_label = QLabel(self)
        form = QFormLayout()
        form.addRow(self.summary_label, self.summary)
        for key, label in RESULT_KEYS.items():
            spin = QDoubleSpinBox(self)
            spin.setRange(0, 1e9)
            spin.setDecimals(0 if key != "demolished_m2" else 1)
            self.results[key] = spin
            form.addRow(label, spin)  # result names are the service's Chinese labels
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Record joint action"))
        self.summary_label.setText(self.tr("What was done"))

    def values(self) -> tuple[str, dict[str, Any]]:
        results = {k: s.value() for k, s in self.results.items() if s.value()}
        return self.summary.toPlainText().strip(), results
