"""Import layer: a preview of a boundary file through the importers' reader.

This is the hand-off point to the grid issue's importer: it reads the file
with :func:`gridapp.services.importing.read_source` (when that service
exists) and shows what would be imported and the problems found.  Writing
the features into the workspace belongs to the import wizard of that issue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from gridapp import i18n
from gridapp.errors import GridAppError


def read_preview(path: str | Path) -> Any:
    """The importer's preview of *path*, or None when no importer is installed."""
    try:
        from gridapp.services.importing import read_source
    except ImportError:
        return None
    return read_source(path)


class ImportPreviewDialog(QDialog):
    """Shows the file's CRS, encoding, fields, feature count and problems."""

    def __init__(self, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Import layer: {name}").format(name=Path(path).name)
        )
        self.preview: Any = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.problems = QListWidget(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(buttons)
        try:
            self.preview = read_preview(path)
        except GridAppError as exc:
            self.summary.setText(exc.message)
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
