"""The coverage problems of a report as a table model (kind, grids, size, message)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    Qt,
)

from gridapp.services.grids.coverage import CoverageProblem, CoverageReport

CONTEXT = "ProblemsModel"
KIND_TITLES = {
    "invalid": QT_TRANSLATE_NOOP("ProblemsModel", "Invalid geometry"),
    "not_polygon": QT_TRANSLATE_NOOP("ProblemsModel", "Not a polygon"),
    "overlap": QT_TRANSLATE_NOOP("ProblemsModel", "Overlap"),
    "invalid_edge": QT_TRANSLATE_NOOP("ProblemsModel", "Edges do not match"),
    "gap": QT_TRANSLATE_NOOP("ProblemsModel", "Gap"),
    "outside_community": QT_TRANSLATE_NOOP("ProblemsModel", "Outside its community"),
    "sliver": QT_TRANSLATE_NOOP("ProblemsModel", "Sliver"),
}
HEADERS = (
    QT_TRANSLATE_NOOP("ProblemsModel", "Problem"),
    QT_TRANSLATE_NOOP("ProblemsModel", "Grids"),
    QT_TRANSLATE_NOOP("ProblemsModel", "Size"),
    QT_TRANSLATE_NOOP("ProblemsModel", "Details"),
)


def kind_title(kind: str) -> str:
    return QCoreApplication.translate(CONTEXT, KIND_TITLES.get(kind, kind))


class ProblemsModel(QAbstractTableModel):
    """Rows are the problems of a :class:`CoverageReport`; ``label`` names grids."""

    def __init__(self, label: Any = str, parent: Any = None) -> None:
        super().__init__(parent)
        self.label = label
        self.problems: list[CoverageProblem] = []

    def set_report(self, report: CoverageReport | None) -> None:
        self.beginResetModel()
        self.problems = list(report.problems) if report is not None else []
        self.endResetModel()

    def problem(self, row: int) -> CoverageProblem:
        return self.problems[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return QCoreApplication.translate(CONTEXT, HEADERS[section])
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self.problems[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return kind_title(p.kind)
            if col == 1:
                return ", ".join(self.label(g) for g in p.grid_ids)
            if col == 2:
                unit = "m" if p.kind == "invalid_edge" else "m²"
                return f"{p.size:,.2f} {unit}"
            return p.message
        if role == Qt.ItemDataRole.ToolTipRole:
            return p.message
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self.problems:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.problems) - 1, len(HEADERS) - 1)
            )
