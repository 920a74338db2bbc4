"""A table model over :class:`CaseQuery` that fetches rows page by page.

Only the rows scrolled to are read (``canFetchMore``/``fetchMore`` with keyset
paging, :meth:`CaseQuery.after`), so a million cases list without freezing:
the first screen costs one ``count`` and one page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush

from gridapp.errors import GridAppError
from gridapp.services.cases.holidays import unsure_deadline_note
from gridapp.services.cases.query import CaseFilter, CaseQuery, CaseRow
from gridapp.services.session import Session

from .common import DUE_SOON_COLOR, OVERDUE_COLOR, local_time

PAGE_SIZE = 200
Index = QModelIndex | QPersistentModelIndex

#: (key, English header) of the columns, in order.
COLUMNS = (
    ("case_no", QT_TRANSLATE_NOOP("CaseTableModel", "Case no.")),
    ("status", QT_TRANSLATE_NOOP("CaseTableModel", "Status")),
    ("category", QT_TRANSLATE_NOOP("CaseTableModel", "Category")),
    ("grid", QT_TRANSLATE_NOOP("CaseTableModel", "Grid")),
    ("department", QT_TRANSLATE_NOOP("CaseTableModel", "Handler")),
    ("reported_at", QT_TRANSLATE_NOOP("CaseTableModel", "Reported")),
    ("deadline", QT_TRANSLATE_NOOP("CaseTableModel", "Deadline")),
    ("address", QT_TRANSLATE_NOOP("CaseTableModel", "Address")),
)
ID_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class CaseTableModel(QAbstractTableModel):
    """Cases matching a filter, newest first, read lazily.

    Parameters
    ----------
    session : Session
        Whose view of the cases (record scope follows the role).
    flt : CaseFilter, optional
        What to list; change it with :meth:`set_filter`.
    page_size : int
        Rows read per ``fetchMore``.
    now : datetime, optional
        The time overdue and due-soon are judged at (tests pin it).
    """

    def __init__(
        self,
        session: Session,
        flt: CaseFilter | None = None,
        *,
        page_size: int = PAGE_SIZE,
        now: datetime | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.page_size = page_size
        self.now = now
        self.error: GridAppError | None = None
        self._rows: list[CaseRow] = []
        self._total = 0
        self._query: CaseQuery | None = None
        self.set_filter(flt or CaseFilter())

    # -- filter ------------------------------------------------------------------
    @property
    def filter(self) -> CaseFilter:
        return self._query.filter if self._query else CaseFilter()

    def total(self) -> int:
        """How many cases match (not how many are loaded)."""
        return self._total

    def set_filter(self, flt: CaseFilter) -> None:
        """List other cases: drop the loaded rows and read the first page."""
        self.beginResetModel()
        self._rows = []
        self.error = None
        try:
            self._query = CaseQuery(self.session, flt, now=self.now)
            self._total = self._query.count()
        except GridAppError as exc:
            self._query, self._total, self.error = None, 0, exc
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def refresh(self) -> None:
        """Read again with the same filter (after a case changed)."""
        self.set_filter(self.filter)

    # -- lazy fetching -------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return (
            not parent.isValid()
            and self._query is not None
            and (len(self._rows) < self._total)
        )

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._query is None:
            return
        last = self._rows[-1] if self._rows else None
        try:
            page = self._query.after(last, self.page_size)
        except GridAppError as exc:
            self.error = exc
            page = []
        if not page:  # the count was stale (cases changed meanwhile)
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # -- table -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return QCoreApplication.translate("CaseTableModel", COLUMNS[section][1])
        return None

    def row_at(self, row: int) -> CaseRow:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, COLUMNS[index.column()][0])
        if role == Qt.ItemDataRole.BackgroundRole:
            if r.due_state == "overdue":
                return QBrush(OVERDUE_COLOR)
            if r.due_state == "due_soon":
                return QBrush(DUE_SOON_COLOR)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if r.unsure_years:  # counted as Monday-Friday: say so first
                note = unsure_deadline_note(list(r.unsure_years))
                state = {"overdue": self.tr("Overdue"), "due_soon": self.tr("Due soon")}
                return "\n".join(t for t in (state.get(r.due_state or ""), note) if t)
            if r.due_state == "overdue":
                return self.tr("Overdue")
            if r.due_state == "due_soon":
                return self.tr("Due soon")
            return r.description or None
        if role == ID_ROLE:
            return r.id
        if role == ROW_ROLE:
            return r
        return None

    @staticmethod
    def _text(r: CaseRow, key: str) -> str:
        if key == "case_no":
            return r.case_no
        if key == "status":
            return r.status_label
        if key == "category":
            return r.category
        if key == "grid":
            return r.grid_code
        if key == "department":
            return r.department
        if key == "reported_at":
            return local_time(r.reported_at)
        if key == "deadline":
            return local_time(r.deadline) + (" ⚠" if r.unsure_years else "")
        return r.address
