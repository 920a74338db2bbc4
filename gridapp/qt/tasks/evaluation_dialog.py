"""EvaluationDialog: per department, effective or not, with a comment (评价)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gridapp.qt.fit import FittedDialog


class EvaluationDialog(FittedDialog):
    """One row per summoned department; absent ones start as not effective."""

    def __init__(self, task: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationDialog")
        self.task = task
        grid = QGridLayout()
        self.header = [QLabel(self) for _ in range(3)]
        for i, h in enumerate(self.header):
            grid.addWidget(h, 0, i)
        self.rows: dict[int, tuple[QCheckBox, QLineEdit]] = {}
        for r, d in enumerate(task.departments, start=1):
            name = QLabel(f"{d.name}（{d.checkin_status.label}）", self)
            effective = QCheckBox(self)
            effective.setChecked(d.checkin_at is not None)
            comment = QLineEdit(self)
            grid.addWidget(name, r, 0)
            grid.addWidget(effective, r, 1)
            grid.addWidget(comment, r, 2)
            self.rows[d.department_id] = (effective, comment)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Evaluate departments"))
        for h, t in zip(self.header, (self.tr("Department"), self.tr("Effective"),
                                      self.tr("Comment")), strict=True):
            h.setText(t)

    def values(self) -> dict[int, tuple[bool, str]]:
        return {d: (cb.isChecked(), c.text()) for d, (cb, c) in self.rows.items()}
