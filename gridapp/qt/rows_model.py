"""One table model for the small read-only lists: rows of anything, shown through columns.

Dialogs that show a list a service returned (proposal rows, preview rows,
coverage problems, people) use :class:`RowsTableModel` rather than filling a
``QTableWidget`` or a ``QStandardItemModel`` by hand: the rows stay the
service's own objects (dicts, dataclasses), a view shows them, and
:meth:`RowsTableModel.row` gives the selected one back.

Examples
--------
>>> model = RowsTableModel([("Code", lambda r: r["code"]),
...                         ("Households", lambda r: r["households"])])
>>> model.set_rows([{"code": "520102003001001", "households": 320}])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], Any]]
_ROOT = QModelIndex()
FLAGGED = QColor("#8b0000")  # dark red: rows with problems
ROW_ROLE = Qt.ItemDataRole.UserRole  # data(index, ROW_ROLE) is the row object itself


class RowsTableModel(QAbstractTableModel):
    """Rows of any objects shown through ``(title, getter)`` columns, read-only.

    Titles are shown as given: translate them where the model is made (and
    again in :meth:`set_titles` when the language changes).  *flagged* marks
    rows shown in dark red; *foreground* gives a row's own text colour (or
    ``None``); *tooltip* gives a row's tool tip.  ``data(index, ROW_ROLE)`` is
    the row object.  Subclasses add roles, flags or drag data by overriding
    :meth:`data` and calling the base for the rest.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        parent: Any = None,
        *,
        flagged: Callable[[Any], bool] | None = None,
        tooltip: Callable[[Any], str | None] | None = None,
        foreground: Callable[[Any], QColor | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns: list[Column] = list(columns)
        self.rows: list[Any] = []
        self._flagged = flagged
        self._tooltip = tooltip
        self._foreground = foreground

    # -- the rows ----------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row(self, i: int) -> Any:
        return self.rows[i]

    def set_titles(self, titles: Sequence[str]) -> None:
        """New column titles (e.g. after the language changed); rows are shown again."""
        self.columns = [
            (t, get) for t, (_old, get) in zip(titles, self.columns, strict=True)
        ]
        last = max(len(self.columns) - 1, 0)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, last)
            )

    # -- QAbstractTableModel -----------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
        ):
            return self.columns[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.columns[index.column()][1](item)
            return "" if value is None else str(value)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and self._flagged
            and self._flagged(item)
        ):
            return FLAGGED
        if role == Qt.ItemDataRole.ForegroundRole and self._foreground:
            return self._foreground(item)
        if role == Qt.ItemDataRole.ToolTipRole and self._tooltip:
            return self._tooltip(item)
        if role == ROW_ROLE:
            return item
        return None
