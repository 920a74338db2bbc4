"""Batch import of reports from CSV/XLSX: file, encoding, CRS, mapping, preview, commit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import Cancelled, GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.qt.worker import WorkerThread
from gridapp.services.cases.report_import import (
    FIELDS,
    ImportPreview,
    ImportResult,
    commit_report_import,
    guess_mapping,
    prepare_report_import,
    read_rows,
)
from gridapp.services.session import Session

from .common import ERROR_STYLE, OK_STYLE, local_time
from .report_dialog import CRS_CHOICES

ENCODINGS = ("", "utf-8", "utf-8-sig", "gbk", "gb18030", "big5")
FIELD_LABELS = {
    "lon": QT_TRANSLATE_NOOP("ReportImportDialog", "Longitude"),
    "lat": QT_TRANSLATE_NOOP("ReportImportDialog", "Latitude"),
    "position": QT_TRANSLATE_NOOP("ReportImportDialog", "Position (text)"),
    "category": QT_TRANSLATE_NOOP("ReportImportDialog", "Category"),
    "description": QT_TRANSLATE_NOOP("ReportImportDialog", "Description"),
    "address": QT_TRANSLATE_NOOP("ReportImportDialog", "Address"),
    "reported_at": QT_TRANSLATE_NOOP("ReportImportDialog", "Reported at"),
    "source": QT_TRANSLATE_NOOP("ReportImportDialog", "Source"),
    "urgency": QT_TRANSLATE_NOOP("ReportImportDialog", "Urgency"),
    "reporter_name": QT_TRANSLATE_NOOP("ReportImportDialog", "Reporter"),
    "reporter_phone": QT_TRANSLATE_NOOP("ReportImportDialog", "Phone"),
    "external_id": QT_TRANSLATE_NOOP("ReportImportDialog", "Source id"),
}


class ReportImportDialog(FittedDialog):
    """Import reports from a collection form's CSV or XLSX export.

    Parameters
    ----------
    session : Session
        A user allowed to import reports (``report.import``).
    path : str, optional
        A file to open at once.

    Signals
    -------
    imported(list)
        The new reports' ids after a successful commit.
    """

    imported = Signal(list)
    preview_ready = Signal(object)

    def __init__(
        self,
        session: Session,
        path: str | Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.preview: ImportPreview | None = None
        self.import_result: ImportResult | None = None
        self.worker: WorkerThread | None = None
        self._columns: list[str] = []
        self.setWindowTitle(self.tr("Import reports"))
        self.resize(820, 620)

        self.path_edit = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._on_browse_clicked)
        self.encoding_combo = QComboBox()
        for enc in ENCODINGS:
            self.encoding_combo.addItem(enc or self.tr("Detect"), enc or None)
        self.crs_combo = QComboBox()
        for key, label in CRS_CHOICES:
            self.crs_combo.addItem(label, key)
        self.read_button = QPushButton(self.tr("Read columns"))
        self.read_button.clicked.connect(self.read_columns)

        top = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        top.addRow(self.tr("File"), row)
        opts = QHBoxLayout()
        opts.addWidget(QLabel(self.tr("Encoding")))
        opts.addWidget(self.encoding_combo)
        opts.addWidget(QLabel(self.tr("Coordinates")))
        opts.addWidget(self.crs_combo)
        opts.addStretch(1)
        opts.addWidget(self.read_button)
        top.addRow(opts)

        self.mapping_combos: dict[str, QComboBox] = {}
        mapping = QGridLayout()
        for i, fld in enumerate(FIELDS):
            combo = QComboBox()
            self.mapping_combos[fld] = combo
            label = QCoreApplication.translate(
                "ReportImportDialog", FIELD_LABELS.get(fld, fld)
            )
            mapping.addWidget(QLabel(label), i // 3, (i % 3) * 2)
            mapping.addWidget(combo, i // 3, (i % 3) * 2 + 1)

        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.clicked.connect(self.run_preview)
        self.accepted_table = self._table(
            [
                self.tr("Row"),
                self.tr("Grid"),
                self.tr("Category"),
                self.tr("Position"),
                self.tr("Reported at"),
                self.tr("Description"),
                self.tr("Warnings"),
            ]
        )
        self.rejected_table = self._table(
            [self.tr("Row"), self.tr("Reason"), self.tr("Values")]
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(self.accepted_table, self.tr("Accepted"))
        self.tabs.addTab(self.rejected_table, self.tr("Rejected"))
        self.skip_rejected_check = QCheckBox(
            self.tr("Import the accepted rows, skip the rejected")
        )
        self.save_rejected_button = QPushButton(self.tr("Save rejected rows…"))
        self.save_rejected_button.clicked.connect(self._on_save_rejected_clicked)
        self.commit_button = QPushButton(self.tr("Import"))
        self.commit_button.clicked.connect(self.run_commit)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)

        bottom = QHBoxLayout()
        bottom.addWidget(self.skip_rejected_check)
        bottom.addStretch(1)
        bottom.addWidget(self.save_rejected_button)
        bottom.addWidget(self.commit_button)
        bottom.addWidget(self.close_button)
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr("Columns")))
        layout.addLayout(mapping)
        layout.addWidget(self.preview_button)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(busy)
        layout.addWidget(self.message_label)
        layout.addLayout(bottom)
        self._update_buttons()
        if path is not None:
            self.path_edit.setText(str(path))
            self.read_columns()

    # -- steps ---------------------------------------------------------------------
    def read_columns(self) -> bool:
        """Read the header and fill the mapping with guesses."""
        try:
            table = read_rows(self.path_edit.text().strip(), encoding=self.encoding())
        except GridAppError as exc:
            self._message(ERROR_STYLE, error_text(exc))
            return False
        self._columns = table.columns
        guess = guess_mapping(table.columns)
        for fld, combo in self.mapping_combos.items():
            combo.clear()
            combo.addItem(self.tr("(none)"), None)
            for c in table.columns:
                combo.addItem(c, c)
            if fld in guess:
                combo.setCurrentIndex(combo.findData(guess[fld]))
        self.preview = None
        self._fill_tables()
        self._message(
            "",
            self.tr("{n} rows, encoding {enc}.").format(
                n=len(table.rows), enc=table.encoding
            ),
        )
        self._update_buttons()
        return True

    def encoding(self) -> str | None:
        return self.encoding_combo.currentData()

    def mapping(self) -> dict[str, str]:
        return {
            f: c.currentData()
            for f, c in self.mapping_combos.items()
            if c.currentData()
        }

    def run_preview(self) -> bool:
        """Check every row on a worker thread; :attr:`preview_ready` when done."""
        path, mapping = self.path_edit.text().strip(), self.mapping()
        crs, enc = self.crs_combo.currentData(), self.encoding()

        def job(progress: Any, cancel: Any) -> ImportPreview:
            return prepare_report_import(
                self.session,
                path,
                mapping,
                crs=crs,
                encoding=enc,
                progress=progress,
                cancel=cancel,
            )

        return self._run(job, self._on_preview_done)

    def run_commit(self) -> bool:
        if self.preview is None:
            return False
        preview, skip = self.preview, self.skip_rejected_check.isChecked()

        def job(progress: Any, cancel: Any) -> ImportResult:
            return commit_report_import(
                self.session,
                preview,
                skip_rejected=skip,
                progress=progress,
                cancel=cancel,
            )

        return self._run(job, self._on_commit_done)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def is_busy(self) -> bool:
        return self.worker is not None

    def done(self, result: int) -> None:
        if self.worker is not None:
            self.worker.stop()
        super().done(result)

    # -- worker ------------------------------------------------------------------
    def _run(self, fn: Callable[..., Any], on_ok: Callable[[Any], None]) -> bool:
        if self.worker is not None:
            return False
        self.worker = WorkerThread(fn, self)
        self.worker.progressed.connect(self._on_progress)
        self.worker.succeeded.connect(on_ok)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self._on_worker_finished)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self._message("", self.tr("Working…"))
        self._update_buttons()
        self.worker.start()
        return True

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._message("", self.tr("Cancelled."))
            return
        text = error_text(exc)
        problems = getattr(exc, "params", {}).get("problems") or []
        if problems:
            text += "\n" + "\n".join(map(str, problems[:20]))
        self._message(ERROR_STYLE, text)

    def _on_worker_finished(self) -> None:
        worker, self.worker = self.worker, None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        if worker is not None:
            # Finished workers stay children of the dialog and go with it: a
            # deleteLater() here crashed the process now and then (~QObject in
            # the deferred delete, seen in about half the runs of the import
            # tests); a dialog runs only a handful of jobs.
            worker.wait()
        self._update_buttons()

    def _on_preview_done(self, preview: ImportPreview) -> None:
        self.preview = preview
        self._fill_tables()
        self._message(
            ERROR_STYLE if preview.rejected else OK_STYLE,
            "\n".join(
                [
                    self.tr("{a} rows accepted, {r} rejected.").format(
                        a=len(preview.accepted), r=len(preview.rejected)
                    ),
                    # How far GCJ-02/BD-09 positions moved (text from the service).
                    *preview.shift_messages(),
                ]
            ),
        )
        if preview.rejected and not preview.accepted:
            self.tabs.setCurrentWidget(self.rejected_table)
        self.preview_ready.emit(preview)

    def _on_commit_done(self, result: ImportResult) -> None:
        self.import_result = result
        self.preview = None
        self._message(
            OK_STYLE,
            self.tr("{n} reports imported, {s} rows skipped.").format(
                n=len(result.report_ids), s=result.skipped
            ),
        )
        self.imported.emit(list(result.report_ids))

    # -- internals -------------------------------------------------------------------
    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setStretchLastSection(True)
        return t

    def _fill_tables(self) -> None:
        p = self.preview
        acc = p.accepted if p else []
        rej = p.rejected if p else []
        self.accepted_table.setRowCount(len(acc))
        for i, r in enumerate(acc):
            pl = r.check.placement
            cells = (
                str(r.row_no),
                f"{pl.grid_code} {pl.grid_name}",
                str(r.values.get(self.mapping().get("category", ""), "")),
                f"{pl.lon:.6f}, {pl.lat:.6f}",
                local_time(r.draft.reported_at),
                r.draft.description,
                "; ".join(map(str, r.warnings)),
            )
            for j, text in enumerate(cells):
                self.accepted_table.setItem(i, j, QTableWidgetItem(text))
        self.rejected_table.setRowCount(len(rej))
        for i, r in enumerate(rej):
            values = ", ".join(
                f"{k}={v}" for k, v in r.values.items() if v not in ("", None)
            )
            for j, text in enumerate((str(r.row_no), r.reason, values)):
                self.rejected_table.setItem(i, j, QTableWidgetItem(text))
        self.tabs.setTabText(0, self.tr("Accepted ({n})").format(n=len(acc)))
        self.tabs.setTabText(1, self.tr("Rejected ({n})").format(n=len(rej)))

    def _message(self, style: str, text: str) -> None:
        self.message_label.setStyleSheet(style)
        self.message_label.setText(text)

    def _update_buttons(self) -> None:
        idle = self.worker is None
        self.read_button.setEnabled(idle)
        self.preview_button.setEnabled(idle and bool(self._columns))
        has = self.preview is not None
        self.commit_button.setEnabled(idle and has and bool(self.preview.accepted))
        self.save_rejected_button.setEnabled(
            idle and has and bool(self.preview.rejected)
        )

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import reports"), "", self.tr("Tables (*.csv *.xlsx)")
        )
        if path:
            self.path_edit.setText(path)
            self.read_columns()

    def _on_save_rejected_clicked(self) -> None:
        if self.preview is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save rejected rows"), "rejected.csv", self.tr("CSV (*.csv)")
        )
        if path:
            self.preview.write_rejected(path)
