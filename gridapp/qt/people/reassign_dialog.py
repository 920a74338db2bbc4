"""Hand every grid of a leaving manager over to another, optionally deactivating them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.services.people import assignments as svc
from gridapp.services.people.managers import get_manager, list_managers

from .common import ERROR_STYLE


class ReassignDialog(FittedDialog):
    """Choose the manager who takes over all grids of *from_manager_id*."""

    def __init__(
        self, session: Any, from_manager_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reassignDialog")
        self.session = session
        self.from_id = from_manager_id
        self.from_row = get_manager(session, from_manager_id)
        self.grids = svc.current_assignments(session, manager_id=from_manager_id)
        self.result: svc.AssignResult | None = None
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.target = QComboBox(self)
        for m in list_managers(session):
            if m["id"] != from_manager_id:
                self.target.addItem(
                    f"{m['name']}  ({m['staff_no']}, {m['grids']})", m["id"]
                )
        self.deactivate = QCheckBox(self)
        self.deactivate.setVisible(session.can("manager.edit"))
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.target_label = QLabel(self)
        form = QFormLayout()
        form.addRow(self.target_label, self.target)
        form.addRow("", self.deactivate)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Hand over all grids"))
        codes = ", ".join(a.grid_code for a in self.grids) or "—"
        self.info.setText(
            self.tr("{name} is responsible for {n} grids: {codes}").format(
                name=self.from_row["name"], n=len(self.grids), codes=codes
            )
        )
        self.target_label.setText(self.tr("Hand over to"))
        self.deactivate.setText(
            self.tr("Deactivate {name} (leaving)").format(name=self.from_row["name"])
        )

    def reassign(self) -> bool:
        to_id = self.target.currentData()
        if to_id is None:
            self.error.setText(self.tr("Select a manager."))
            return False
        try:
            self.result = svc.reassign_all(
                self.session,
                self.from_id,
                int(to_id),
                deactivate=self.deactivate.isChecked(),
            )
        except GridAppError as exc:
            self.error.setText(error_text(exc))
            return False
        return True

    def accept(self) -> None:
        if self.reassign():
            super().accept()
