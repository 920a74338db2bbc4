"""Import communities or grids from a file: options, preview with problems, import.

One dialog, three steps top to bottom: the file and how to read it (what to
import, text encoding, source CRS, GCJ-02/BD-09), a preview (what was
detected, which fields give name and code, every feature with its
problems), and the import itself, which runs
:func:`~gridapp.services.grids.importer.import_file` on a worker thread.
Nothing is written unless every feature can be imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp import i18n
from gridapp.errors import GridAppError, ImportFileError
from gridapp.qt.fit import FittedDialog
from gridapp.qt.rows_model import RowsTableModel
from gridapp.qt.worker import WorkerThread

ENCODINGS = ("", "UTF-8", "GBK", "GB18030", "Big5")
FILTER = "*.gpkg *.shp *.geojson *.json *.kml *.csv *.xlsx"
# What the preview table shows of each feature (rows made in _refresh_table).
_PREVIEW_GETTERS = tuple(
    (lambda r, k=k: r[k]) for k in ("index", "name", "code", "geometry", "problems")
)


def _problem_text(p: Any) -> str:
    return p.zh if i18n.language() == "zh" else p.en


class GridImportWizard(FittedDialog):
    """Import boundaries into the workspace of *session*; ``imported`` after success."""

    imported = Signal(object)  # ImportOutcome

    def __init__(
        self,
        session: Any,
        parent: QWidget | None = None,
        path: str | Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("gridImportWizard")
        self.session = session
        self.preview: Any = None
        self.outcome: Any = None
        self.worker: WorkerThread | None = None
        self.setWindowTitle(self.tr("Import boundaries"))
        self.resize(760, 620)

        # 1. file and reading options
        self.path = QLineEdit(str(path or ""), self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Community boundaries"), "community")
        self.kind.addItem(self.tr("Grids"), "grid")
        self.encoding = QComboBox(self)
        self.encoding.setEditable(True)
        for enc in ENCODINGS:
            self.encoding.addItem(enc or self.tr("Detect"), enc)
        self.crs = QLineEdit(self)
        self.crs.setPlaceholderText(self.tr("from the file, or e.g. EPSG:4524"))
        self.coords = QComboBox(self)
        self.coords.addItem(self.tr("As the CRS says (CGCS2000, WGS84…)"), "auto")
        self.coords.addItem(self.tr("GCJ-02 (AMap, Tencent)"), "gcj02")
        self.coords.addItem(self.tr("BD-09 (Baidu)"), "bd09")
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.preview_button.clicked.connect(self.read_preview)
        source = QGroupBox(self.tr("1. File"), self)
        form = QFormLayout(source)
        form.addRow(self.tr("File"), row)
        form.addRow(self.tr("Import as"), self.kind)
        form.addRow(self.tr("Text encoding"), self.encoding)
        form.addRow(self.tr("Coordinate system"), self.crs)
        form.addRow(self.tr("Offset coordinates"), self.coords)
        form.addRow("", self.preview_button)

        # 2. preview
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.name_field = QComboBox(self)
        self.code_field = QComboBox(self)
        self.name_field.currentIndexChanged.connect(self._refresh_table)
        self.code_field.currentIndexChanged.connect(self._refresh_table)
        self.table_model = RowsTableModel(
            list(zip(self._titles(), _PREVIEW_GETTERS, strict=True)),
            self,
            flagged=lambda r: bool(r["problems"]),
        )
        self.table = QTableView(self)
        self.table.setObjectName("importPreviewTable")
        self.table.setModel(self.table_model)
        self.table.verticalHeader().setVisible(False)
        self.problems = QListWidget(self)
        self.problems.setObjectName("importProblems")
        preview = QGroupBox(self.tr("2. Preview"), self)
        pform = QFormLayout(preview)
        pform.addRow(self.summary)
        pform.addRow(self.tr("Name field"), self.name_field)
        pform.addRow(self.tr("Code field"), self.code_field)
        pform.addRow(self.table)
        pform.addRow(self.tr("Problems"), self.problems)

        # 3. import
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.import_button = QPushButton(self.tr("Import"), self)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(source)
        layout.addWidget(preview, 1)
        layout.addWidget(self.result)
        layout.addLayout(bottom)

    # ------------------------------------------------------------ step 1
    def _titles(self) -> list[str]:
        return [
            "#",
            self.tr("Name"),
            self.tr("Code"),
            self.tr("Geometry"),
            self.tr("Problems"),
        ]

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import boundaries"),
            str(Path(self.path.text()).parent),
            self.tr("Boundary files ({patterns})").format(patterns=FILTER),
        )
        if path:
            self.path.setText(path)
            self.read_preview()

    def read_options(self) -> dict[str, Any]:
        text = self.encoding.currentText().strip()
        idx = self.encoding.findText(text)
        enc = self.encoding.itemData(idx) if idx >= 0 else text
        return {
            "encoding": enc or None,
            "source_crs": self.crs.text().strip() or None,
            "coord_system": self.coords.currentData(),
        }

    # ------------------------------------------------------------ step 2
    def read_preview(self) -> bool:
        from gridapp.services.importing.source import read_source

        self.preview = None
        self.import_button.setEnabled(False)
        self.problems.clear()
        self.table_model.clear()
        self.result.clear()
        try:
            self.preview = read_source(self.path.text().strip(), **self.read_options())
        except GridAppError as exc:
            self.summary.setText(exc.message)
            return False
        except OSError as exc:
            self.summary.setText(str(exc))
            return False
        p = self.preview
        self.summary.setText(
            self.tr(
                "{n} features · coordinates {crs} ({crs_how}) · encoding {enc} ({enc_how})"
            ).format(
                n=len(p.frame),
                crs=p.source_crs if len(p.source_crs) < 40 else p.source_crs[:40] + "…",
                crs_how=p.crs_source,
                enc=p.encoding,
                enc_how=p.encoding_source,
            )
        )
        for combo, key in ((self.name_field, "name"), (self.code_field, "code")):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("(none)"), None)
            for f in p.fields:
                combo.addItem(f, f)
            combo.setCurrentIndex(max(combo.findData(p.mapping.get(key)), 0))
            combo.blockSignals(False)
        self._refresh_table()
        return True

    def mapping(self) -> dict[str, str | None]:
        return {
            "name": self.name_field.currentData(),
            "code": self.code_field.currentData(),
        }

    def _refresh_table(self) -> None:
        from gridapp.services.importing.source import validate_for_import

        p = self.preview
        if p is None:
            return
        kind = self.kind.currentData()
        if kind == "grid":  # closed versions skipped, kind and counts checked
            from gridapp.services.grids.importer import grid_file_problems

            problems = grid_file_problems(p, {**p.mapping, **self.mapping()})
        else:
            problems = validate_for_import(p, kind, {**p.mapping, **self.mapping()})
        by_feature: dict[int | None, list[str]] = {}
        for prob in problems:
            by_feature.setdefault(prob.index, []).append(_problem_text(prob))
        self.problems.clear()
        for prob in problems[:500]:
            where = "" if prob.index is None else f"#{prob.index}: "
            self.problems.addItem(where + _problem_text(prob))
        mapping = self.mapping()
        frame = p.frame
        rows = []
        for i in range(min(len(frame), 1000)):
            name = frame[mapping["name"]].iloc[i] if mapping["name"] else ""
            code = frame[mapping["code"]].iloc[i] if mapping["code"] else ""
            geom = frame.geometry.iloc[i]
            rows.append(
                {
                    "index": i,
                    "name": name,
                    "code": code,
                    "geometry": getattr(geom, "geom_type", "—"),
                    "problems": "; ".join(by_feature.get(i, [])),
                }
            )
        self.table_model.set_rows(rows)
        self.table.resizeColumnsToContents()
        blocking = [prob for prob in problems if prob.blocking]
        self.import_button.setEnabled(not blocking and len(frame) > 0)
        if blocking:
            self.result.setText(
                self.tr(
                    "{n} problems must be fixed in the file before "
                    "importing; nothing will be imported."
                ).format(n=len(blocking))
            )
        else:
            self.result.setText(
                self.tr("Ready to import {n} features.").format(n=len(frame))
            )

    # ------------------------------------------------------------ step 3
    def start_import(self) -> None:
        from gridapp.services.grids.importer import import_file

        if self.preview is None or self.worker is not None:
            return
        session, path = self.session, self.path.text().strip()
        kind, mapping, options = (
            self.kind.currentData(),
            self.mapping(),
            self.read_options(),
        )

        def work(progress: Any, cancel: Any) -> Any:
            progress(0, 1, "")
            return import_file(session, path, kind, mapping=mapping, **options)

        self.worker = WorkerThread(work, self)
        self.worker.succeeded.connect(self._on_imported)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self._on_finished)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.import_button.setEnabled(False)
        self.result.setText(self.tr("Importing…"))
        self.worker.start()

    def _on_imported(self, outcome: Any) -> None:
        self.outcome = outcome
        text = self.tr("Imported {n} features.").format(n=len(outcome.ids))
        if outcome.report is not None and outcome.report.problems:
            text += " " + self.tr(
                "The imported grids have {n} coverage problems; see the problems panel."
            ).format(n=len(outcome.report.problems))
        self.result.setText(text)
        self.imported.emit(outcome)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportFileError):
            self.problems.clear()
            for prob in exc.params.get("problems", [])[:500]:
                where = "" if prob.index is None else f"#{prob.index}: "
                self.problems.addItem(where + _problem_text(prob))
        text = exc.message if isinstance(exc, GridAppError) else repr(exc)
        self.result.setText(self.tr("Nothing was imported: {error}").format(error=text))
        self.import_button.setEnabled(True)

    def _on_finished(self) -> None:
        self.progress.setVisible(False)
        if self.worker is not None:
            self.worker.wait()
            self.worker.deleteLater()
        self.worker = None

    def done(self, result: int) -> None:  # noqa: D102 - wait for the worker before closing
        if self.worker is not None:
            self.worker.stop()
        super().done(result)
