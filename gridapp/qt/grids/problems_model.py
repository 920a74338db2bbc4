"""The coverage problems of a report as a table model (kind, grids, size, message)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from gridapp.qt.rows_model import RowsTableModel

if TYPE_CHECKING:
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


def _size(p: CoverageProblem) -> str:
    unit = "m" if p.kind == "invalid_edge" else "m²"
    return f"{p.size:,.2f} {unit}"


def _titles() -> list[str]:
    return [QCoreApplication.translate(CONTEXT, h) for h in HEADERS]


class ProblemsModel(RowsTableModel):
    """Rows are the problems of a :class:`CoverageReport`; ``label`` names grids."""

    def __init__(self, label: Any = str, parent: Any = None) -> None:
        getters = (
            lambda p: kind_title(p.kind),
            lambda p: ", ".join(self.label(g) for g in p.grid_ids),
            _size,
            lambda p: p.message,
        )
        super().__init__(
            list(zip(_titles(), getters, strict=True)),
            parent,
            tooltip=lambda p: p.message,
        )
        self.label = label

    @property
    def problems(self) -> list[CoverageProblem]:
        return self.rows

    def set_report(self, report: CoverageReport | None) -> None:
        self.set_rows(list(report.problems) if report is not None else [])

    def problem(self, row: int) -> CoverageProblem:
        return self.row(row)

    def retranslate(self) -> None:
        self.set_titles(_titles())
