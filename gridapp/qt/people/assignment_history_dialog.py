"""Every assignment of one manager, ended ones included (who had which grid, when)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp import i18n
from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.qt.rows_model import RowsTableModel
from gridapp.services.people.assignments import Assignment, assignment_history

from .common import ERROR_STYLE, local_time


class AssignmentHistoryDialog(FittedDialog):
    """The assignment history of *manager_id*, newest first."""

    def __init__(
        self, session: Any, manager_id: int, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assignmentHistoryDialog")
        self.name = name
        self.rows: list[Assignment] = []
        self.info = QLabel(self)
        self.model = RowsTableModel(
            [("", _grid_text), ("", lambda a: i18n.pick(a.role.zh, a.role.en)),
             ("", lambda a: local_time(a.valid_from)), ("", lambda a: local_time(a.valid_to)),
             ("", lambda a: "")],
            self,
        )
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 400)
        try:
            self.rows = sorted(
                assignment_history(session, manager_id=manager_id),
                key=lambda a: a.valid_from,
                reverse=True,
            )
        except GridAppError as exc:
            self.info.setStyleSheet(ERROR_STYLE)
            self.info.setText(error_text(exc))
        self.model.set_rows(self.rows)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Assignment history"))
        self.model.set_titles(
            [self.tr("Grid"), self.tr("Role"), self.tr("From"), self.tr("To"), ""]
        )
        current = sum(1 for a in self.rows if a.valid_to is None)
        if self.info.styleSheet() != ERROR_STYLE:
            self.info.setText(
                self.tr(
                    "{name}: {n} assignments, {current} current († retired grid version)"
                ).format(name=self.name, n=len(self.rows), current=current)
            )


def _grid_text(a: Assignment) -> str:
    """Code and name; a dagger marks a retired grid version."""
    grid = f"{a.grid_code} {a.grid_name or ''}".strip()
    return grid if a.grid_current else grid + " †"
