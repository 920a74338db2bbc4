"""Indicators of one period by unit as a table; cells coloured by warning level."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from gridapp.services.assessment.warnings import LEVELS

_ROOT = QModelIndex()
UNIT_ROLE = Qt.ItemDataRole.UserRole
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
_TEXT = "_text"  # a row's cell texts, made by rows_of
_ROLES = frozenset(int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, UNIT_ROLE, CODE_ROLE))
_TINT = {"red": QColor("#f8c9c4"), "yellow": QColor("#fbe7a6"), "blue": QColor("#c9dcf2")}


def format_value(value: Any, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "ratio":
        return f"{value:.1%}"
    if unit in ("hours", "score"):
        return f"{value:.1f}"
    return f"{value:.0f}"


class KpiTableModel(QAbstractTableModel):
    """Rows are units (the street total last); columns the unit and each indicator."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.unit_title = ""
        self.indicators: list[Any] = []
        self.rows: list[dict[str, Any]] = []
        self.levels: dict[tuple[Any, str], str | None] = {}

    @staticmethod
    def rows_of(table: Any) -> list[dict[str, Any]]:
        """The table's unit rows as the model keeps them, each with its cells' texts
        (``_text``) made once: may run off the GUI thread, and drawing or sizing
        a column asks for them again and again."""
        rows = table.frame.to_dict("records")
        units = [(i.code, i.unit) for i in table.indicators]
        for row in rows:
            row[_TEXT] = [format_value(row.get(code), unit) for code, unit in units]
        return rows

    def set_table(self, table: Any, levels: dict[tuple[Any, str], str | None],
                  unit_title: str, total_title: str,
                  rows: list[dict[str, Any]] | None = None) -> None:
        """Show *table*; *rows* are :meth:`rows_of` it when made beforehand."""
        self.beginResetModel()
        self.unit_title = unit_title
        self.indicators = list(table.indicators)
        self.rows = list(rows) if rows is not None else self.rows_of(table)
        self.rows.append({"unit": None, "label": total_title, **table.total})
        self.levels = levels
        self.endResetModel()

    def clear(self) -> None:
        """No table (the workspace closed)."""
        self.beginResetModel()
        self.indicators, self.rows, self.levels = [], [], {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.indicators) + 1

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.unit_title if section == 0 else self.indicators[section - 1].name
        if role == Qt.ItemDataRole.ToolTipRole and section:
            ind = self.indicators[section - 1]
            return f"{ind.name} = {ind.formula}\n{ind.description}"
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():  # drawing asks ~8 roles a cell
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == UNIT_ROLE:
            return row["unit"]
        if col == 0:
            return str(row["label"]) if role == Qt.ItemDataRole.DisplayRole else None
        ind = self.indicators[col - 1]
        if role == CODE_ROLE:
            return ind.code
        if role == Qt.ItemDataRole.DisplayRole:
            texts = row.get(_TEXT)
            return texts[col - 1] if texts else format_value(row.get(ind.code), ind.unit)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        level = self.levels.get((row["unit"], ind.code))
        if role == Qt.ItemDataRole.BackgroundRole and level:
            return _TINT[level]
        if role == Qt.ItemDataRole.ToolTipRole and level:
            return LEVELS[level][0]
        return None

    def value(self, row: int, code: str) -> Any:
        return self.rows[row].get(code)
