"""Import many managers from Excel/CSV: preview accepted and rejected rows, then all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp import i18n
from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.services.people import manager_import as svc

from .common import ERROR_STYLE, OK_STYLE

SHOWN = ("name", "phone", "staff_no", "employment", "notes")
REJECTED_BG = QColor(255, 220, 220)


class ManagerImportDialog(FittedDialog):
    """Pick a file, see every row checked, import only when no row is rejected.

    :attr:`preview` is the last :class:`~gridapp.services.people.manager_import.ManagerImportPreview`;
    :attr:`imported` the number of managers written.
    """

    imported_managers = Signal(int)

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerImportDialog")
        self.session = session
        self.preview: svc.ManagerImportPreview | None = None
        self.imported = 0
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.browse_button = QPushButton(self)
        self.browse_button.clicked.connect(self.browse)
        top = QHBoxLayout()
        top.addWidget(self.path_edit, 1)
        top.addWidget(self.browse_button)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(SHOWN) + 2, self)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(820, 480)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import grid managers"))
        self.browse_button.setText(self.tr("Choose file…"))
        self.import_button.setText(self.tr("Import all"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Row"),
                self.tr("Name"),
                self.tr("Phone"),
                self.tr("Staff no."),
                self.tr("Employment"),
                self.tr("Notes"),
                self.tr("Check"),
            ]
        )
        if self.preview is None:
            self.summary.setText(
                self.tr(
                    "Choose an Excel (.xlsx) or CSV file with the columns 姓名, 电话, 工号 "
                    "and optionally 用工性质, 备注."
                )
            )

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import grid managers"), "", self.tr("Tables (*.xlsx *.csv)")
        )
        if path:
            self.load(path)

    def load(self, path: str | Path) -> bool:
        """Check *path*; True when every row would be imported."""
        self.path_edit.setText(str(path))
        self.preview = None
        self.table.setRowCount(0)
        try:
            self.preview = svc.preview_manager_import(self.session, path)
        except GridAppError as exc:
            self._summary(ERROR_STYLE, error_text(exc))
            self.import_button.setEnabled(False)
            return False
        p = self.preview
        self.table.setRowCount(len(p.rows))
        for i, row in enumerate(p.rows):
            cells = [str(row.line)] + [str(row.values.get(k) or "") for k in SHOWN]
            # The row number has its own column: the reasons without "row N:".
            cells.append(
                "; ".join(i18n.pick(pr.zh, pr.en) for pr in row.problems)
                or self.tr("OK")
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not row.ok:
                    item.setBackground(REJECTED_BG)
                self.table.setItem(i, j, item)
        lines = [
            self.tr("{ok} rows accepted, {bad} rejected.").format(
                ok=len(p.accepted), bad=len(p.rejected)
            )
        ]
        lines += [pr.message for pr in p.file_problems]
        if p.ok:
            lines.append(self.tr("Nothing is written until you press “Import all”."))
            self._summary(OK_STYLE, "\n".join(lines))
        else:
            if not p.rows and not p.file_problems:
                lines.append(self.tr("The file has no rows."))
            lines.append(
                self.tr(
                    "Fix the rejected rows in the file and choose it again: "
                    "the import writes all rows or none."
                )
            )
            self._summary(ERROR_STYLE, "\n".join(lines))
        self.import_button.setEnabled(p.ok)
        return p.ok

    def _summary(self, style: str, text: str) -> None:
        self.summary.setStyleSheet(style)
        self.summary.setText(text)

    def accept(self) -> None:
        if self.preview is None or not self.preview.ok:
            return
        try:
            self.imported = svc.import_managers(self.session, self.preview)
        except GridAppError as exc:
            problems = exc.params.get("problems") or []
            text = "\n".join([error_text(exc), *[str(p) for p in problems][:20]])
            self._summary(ERROR_STYLE, text)
            self.import_button.setEnabled(False)
            return
        self.imported_managers.emit(self.imported)
        super().accept()
