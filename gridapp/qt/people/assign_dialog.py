"""Assign chosen grids to a manager (primary or backup)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain.enums import AssignmentRole
from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.services.people import assignments as svc
from gridapp.services.people.managers import list_managers

from .common import ERROR_STYLE


class AssignDialog(FittedDialog):
    """ "Assign to manager…" for grids selected on the map or in the table.

    :attr:`result` is the :class:`~gridapp.services.people.assignments.AssignResult`
    after a successful assignment.
    """

    def __init__(
        self,
        session: Any,
        grid_ids: list[int],
        grid_labels: list[str],
        manager_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.session = session
        self.grid_ids = list(grid_ids)
        self.result: svc.AssignResult | None = None
        self.grids_label = QLabel(self)
        self.grids_label.setWordWrap(True)
        self.grid_labels = grid_labels
        self.manager = QComboBox(self)
        for m in list_managers(session):
            self.manager.addItem(
                f"{m['name']}  ({m['staff_no']}, {m['grids']})", m["id"]
            )
        if manager_id is not None:
            self.manager.setCurrentIndex(max(self.manager.findData(manager_id), 0))
        self.role = QComboBox(self)
        self.role.addItem("", AssignmentRole.PRIMARY.value)
        self.role.addItem("", AssignmentRole.BACKUP.value)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self._labels = [QLabel(self), QLabel(self)]
        form = QFormLayout()
        form.addRow(self._labels[0], self.manager)
        form.addRow(self._labels[1], self.role)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grids_label)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Assign grids to a manager"))
        shown = ", ".join(self.grid_labels[:12]) + (
            " …" if len(self.grid_labels) > 12 else ""
        )
        self.grids_label.setText(
            self.tr("{n} grids: {grids}").format(n=len(self.grid_ids), grids=shown)
        )
        self._labels[0].setText(self.tr("Manager"))
        self._labels[1].setText(self.tr("Role"))
        self.role.setItemText(0, self.tr("Primary"))
        self.role.setItemText(1, self.tr("Backup"))

    def assign(self) -> bool:
        mid = self.manager.currentData()
        if mid is None:
            self.error.setText(self.tr("Select a manager."))
            return False
        try:
            self.result = svc.assign_grids(
                self.session, self.grid_ids, int(mid), self.role.currentData()
            )
        except GridAppError as exc:
            self.error.setText(error_text(exc))
            return False
        return True

    def accept(self) -> None:
        if self.assign():
            super().accept()
