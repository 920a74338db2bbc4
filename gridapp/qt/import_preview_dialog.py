"""Import layer: a preview of a boundary file through the importers' reader.

This is the hand-off point to the grid issue's importer: it reads the file
with :func:`gridapp.services.importing.source.read_source` (when that service
exists) and shows what would be imported and the problems found.  Writing
the features into the workspace belongs to the import wizard of that issue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from gridapp import i18n
from gridapp.errors import GridAppError
from gridapp.qt.fit import FittedDialog


def read_preview(path: str | Path, layer: str | None = None) -> Any:
    """The importer's preview of *path*, or None when no importer is installed."""
    try:
        from gridapp.services.importing.source import read_source
    except ImportError:
        return None
    return read_source(path, layer=layer)


class ImportPreviewDialog(FittedDialog):
    """Shows the file's CRS, encoding, fields, feature count and problems."""

    def __init__(self, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Import layer: {name}").format(name=Path(path).name)
        )
        self.preview: Any = None
        self._path = path
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        # A file with several layers is not read until the user picks one.
        self.layer_combo = QComboBox(self)
        self.layer_combo.setVisible(False)
        self.layer_combo.currentTextChanged.connect(self._on_layer_changed)
        self.problems = QListWidget(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.layer_combo)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(buttons)
        self._load(None)

    def _on_layer_changed(self, name: str) -> None:
        if name:
            self._load(name)

    def _load(self, layer: str | None) -> None:
        self.preview = None
        self.problems.clear()
        try:
            self.preview = read_preview(self._path, layer)
        except GridAppError as exc:
            self.summary.setText(exc.message)
            layers = exc.params.get("layers") if layer is None else None
            if layers:
                self.layer_combo.blockSignals(True)
                self.layer_combo.clear()
                self.layer_combo.addItem("")  # nothing chosen yet
                self.layer_combo.addItems([str(n) for n in layers])
                self.layer_combo.blockSignals(False)
                self.layer_combo.setVisible(True)
            return
        if self.preview is None:
            self.summary.setText(self.tr("Importing is not available in this version."))
            return
        p = self.preview
        self.summary.setText(
            self.tr(
                "{n} features; coordinates {crs} ({crs_how}); encoding {enc}; fields: {fields}.\n"
                "Importing into the workspace is done by the grid import wizard."
            ).format(
                n=len(p.frame),
                crs=p.source_crs,
                crs_how=p.crs_source,
                enc=p.encoding,
                fields=", ".join(p.fields),
            )
        )
        lang = i18n.language()
        for problem in p.problems[:500]:
            text = problem.zh if lang == "zh" else problem.en
            where = "" if problem.index is None else f"#{problem.index}: "
            self.problems.addItem(where + text)
