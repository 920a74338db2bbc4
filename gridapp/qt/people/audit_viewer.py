"""The audit log viewer: filter by person, date range, table and row; verify the chain."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp import i18n
from gridapp.domain.timeutil import today_local
from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.services.people import audit_view as svc

from .audit_table_model import AuditTableModel
from .common import ERROR_STYLE, OK_STYLE

LIMIT = 2000


class AuditViewer(FittedDialog):
    """Entries of the audit log, newest first, at most :data:`LIMIT` at a time."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditViewer")
        self.session = session
        self.model = AuditTableModel(self)
        self.person = QComboBox(self)
        self.table = QComboBox(self)
        self.row_id = QLineEdit(self)
        self.row_id.setMaximumWidth(90)
        self.use_since = QCheckBox(self)
        self.use_until = QCheckBox(self)
        today = QDate(today_local())  # Beijing's date, by GridApp's clock
        self.since = QDateEdit(today.addDays(-30), self)
        self.until = QDateEdit(today, self)
        for d in (self.since, self.until):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.use_since.toggled.connect(self.since.setEnabled)
        self.use_until.toggled.connect(self.until.setEnabled)
        self.since.setEnabled(False)
        self.until.setEnabled(False)
        self.apply_button = QPushButton(self)
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.verify_button = QPushButton(self)
        self.verify_button.clicked.connect(self.verify)
        self._labels = [QLabel(self) for _ in range(3)]
        filters = QGridLayout()
        filters.addWidget(self._labels[0], 0, 0)
        filters.addWidget(self.person, 0, 1)
        filters.addWidget(self._labels[1], 0, 2)
        filters.addWidget(self.table, 0, 3)
        filters.addWidget(self._labels[2], 0, 4)
        filters.addWidget(self.row_id, 0, 5)
        filters.addWidget(self.use_since, 1, 0)
        filters.addWidget(self.since, 1, 1)
        filters.addWidget(self.use_until, 1, 2)
        filters.addWidget(self.until, 1, 3)
        filters.addWidget(self.apply_button, 1, 5)
        filters.setColumnStretch(6, 1)

        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        split = QSplitter(self)
        split.setOrientation(split.orientation().Vertical)
        split.addWidget(self.view)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.count_label = QLabel(self)
        self.chain_label = QLabel(self)
        self.chain_label.setObjectName("chainResult")
        self.chain_label.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.chain_label, 2)
        bottom.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.resize(980, 620)
        self._fill_choices()
        self.retranslate()
        self.apply()

    def _fill_choices(self) -> None:
        self.person.addItem("", None)
        self.table.addItem("", None)
        try:
            for actor in svc.audit_actors(self.session):
                self.person.addItem(actor, actor)
            for table in svc.audit_tables(self.session):
                self.table.addItem(table, table)
        except GridAppError as exc:
            self.chain_label.setStyleSheet(ERROR_STYLE)
            self.chain_label.setText(error_text(exc))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Audit log"))
        for label, text in zip(
            self._labels,
            (self.tr("Person"), self.tr("Table"), self.tr("Row id")),
            strict=True,
        ):
            label.setText(text)
        self.person.setItemText(0, self.tr("Everyone"))
        self.table.setItemText(0, self.tr("All tables"))
        self.use_since.setText(self.tr("From"))
        self.use_until.setText(self.tr("To"))
        self.apply_button.setText(self.tr("Show"))
        self.verify_button.setText(self.tr("Verify chain"))
        self.model.retranslate()
        self._update_count()

    # ------------------------------------------------------------ filters
    def set_filters(
        self,
        *,
        person: str | None = None,
        table: str | None = None,
        row_id: int | None = None,
        since: QDate | None = None,
        until: QDate | None = None,
    ) -> None:
        """Set the filter widgets (None clears a filter) and show the result."""
        self.person.setCurrentIndex(
            max(self.person.findData(person), 0) if person is not None else 0
        )
        self.table.setCurrentIndex(
            max(self.table.findData(table), 0) if table is not None else 0
        )
        self.row_id.setText("" if row_id is None else str(row_id))
        self.use_since.setChecked(since is not None)
        if since is not None:
            self.since.setDate(since)
        self.use_until.setChecked(until is not None)
        if until is not None:
            self.until.setDate(until)
        self.apply()

    def filters(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "actor": self.person.currentData(),
            "table": self.table.currentData(),
        }
        text = self.row_id.text().strip()
        if text:
            if not text.isdigit():
                raise ValueError(text)
            out["row_id"] = int(text)
        if self.use_since.isChecked():
            out["since"] = self.since.date().toPython()
        if self.use_until.isChecked():
            out["until"] = self.until.date().toPython()
        return out

    def apply(self) -> bool:
        try:
            f = self.filters()
        except ValueError:
            self.chain_label.setStyleSheet(ERROR_STYLE)
            self.chain_label.setText(self.tr("The row id must be a number."))
            return False
        try:
            entries = svc.query_audit(self.session, limit=LIMIT, **f)
        except GridAppError as exc:
            self.model.set_rows([])
            self.chain_label.setStyleSheet(ERROR_STYLE)
            self.chain_label.setText(error_text(exc))
            self._update_count()
            return False
        self.model.set_rows(entries)
        self.details.clear()
        self._update_count()
        return True

    def _update_count(self) -> None:
        n = self.model.rowCount()
        text = self.tr("{n} entries").format(n=n)
        if n >= LIMIT:
            text += " " + self.tr("(the newest {limit}; narrow the filters)").format(
                limit=LIMIT
            )
        self.count_label.setText(text)

    def _on_current_changed(self, current: Any, _previous: Any) -> None:
        if not current.isValid():
            return
        e = self.model.rows[current.row()]
        self.details.setPlainText(
            json.dumps(
                {
                    "id": e.id,
                    "at": e.at,
                    "actor": e.actor,
                    "action": e.action,
                    "table": e.table,
                    "row_id": e.row_id,
                    "changes": e.changes,
                },
                ensure_ascii=False,
                indent=2,
            )
        )

    # ------------------------------------------------------------ chain
    def verify(self) -> bool:
        """Check the hash chain and show the result; True when intact."""
        try:
            problems = svc.verify_chain(self.session)
        except GridAppError as exc:
            self.chain_label.setStyleSheet(ERROR_STYLE)
            self.chain_label.setText(error_text(exc))
            return False
        if not problems:
            self.chain_label.setStyleSheet(OK_STYLE)
            self.chain_label.setText(self.tr("The audit chain is intact."))
            return True
        lines = [
            self.tr("The audit chain is broken at {n} places:").format(n=len(problems))
        ]
        for p in problems[:10]:
            where = "—" if p.entry_id is None else str(p.entry_id)
            lines.append(f"#{where}: {i18n.pick(p.reason_zh, p.reason_en)}")
        self.chain_label.setStyleSheet(ERROR_STYLE)
        self.chain_label.setText("\n".join(lines))
        return False
