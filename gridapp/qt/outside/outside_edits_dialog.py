"""The administrator's review of edits made outside GridApp: accept or revert them.

Lists the pending outside edits with before → after; *Accept* takes the
selected ones (all when none is selected) into history and the audit log,
*Revert* undoes them, both through :mod:`gridapp.services.outside_edits`.
A refusal (a rule the revert would break, a missing permission) is shown in
the dialog and changes nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from gridapp.errors import GridAppError
from gridapp.qt.fit import FittedDialog
from gridapp.qt.outside.outside_edits_model import OutsideEditsModel
from gridapp.services import outside_edits


class OutsideEditsDialog(FittedDialog):
    """Pending outside edits of *session*'s workspace, with Accept and Revert."""

    resolved = Signal(int)  # how many edits are still pending after an accept/revert

    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("outsideEditsDialog")
        self.session = session
        self.model = OutsideEditsModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("outsideEditsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.accept_button = QPushButton(self)
        self.accept_button.setObjectName("acceptOutsideEdits")
        self.revert_button = QPushButton(self)
        self.revert_button.setObjectName("revertOutsideEdits")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.revert_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.accept_button.clicked.connect(self.accept_selected)
        self.revert_button.clicked.connect(self.revert_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(820, 380)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Edits made outside GridApp"))
        self.accept_button.setText(self.tr("&Accept into history"))
        self.revert_button.setText(self.tr("&Revert"))
        self._update_summary()

    def refresh(self) -> None:
        self.model.set_edits(outside_edits.pending_outside_edits(self.session))
        self._update_summary()

    def _update_summary(self) -> None:
        n = len(self.model.edits)
        self.summary.setText(self.tr(
            "{n} edits were made outside GridApp (QGIS, sqlite3…). Accept them into "
            "history and the audit log, or revert them. With no row selected, the "
            "buttons act on all of them.").format(n=n))
        self.accept_button.setEnabled(n > 0)
        self.revert_button.setEnabled(n > 0)

    def selected_ids(self) -> list[int] | None:
        """Record ids of the selected rows; None (all) when nothing is selected."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.edits[r].id for r in rows] or None

    def accept_selected(self) -> int:
        return self._apply(outside_edits.accept_outside_edits)

    def revert_selected(self) -> int:
        return self._apply(outside_edits.revert_outside_edits)

    def _apply(self, service: Any) -> int:
        self.error.clear()
        try:
            n = service(self.session, self.selected_ids())
        except GridAppError as exc:
            self.error.setText(exc.message)
            return 0
        self.refresh()
        self.resolved.emit(len(self.model.edits))
        return int(n)
