"""A table model over :func:`gridapp.services.people.managers.list_managers`.

Rows are managers (with their current grids and households); a manager row
can be dragged (MIME :data:`.common.MANAGER_MIME`, the manager id) onto a
grid on the map to assign it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from gridapp.domain.enums import Employment
from gridapp.qt.rows_model import RowsTableModel

from .common import CONTEXT, MANAGER_MIME

Index = QModelIndex | QPersistentModelIndex
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", QT_TRANSLATE_NOOP("People", "Name")),
    ("grids", QT_TRANSLATE_NOOP("People", "Grids")),
    ("households", QT_TRANSLATE_NOOP("People", "Households")),
    ("phone", QT_TRANSLATE_NOOP("People", "Phone")),
    ("staff_no", QT_TRANSLATE_NOOP("People", "Staff no.")),
    ("employment", QT_TRANSLATE_NOOP("People", "Employment")),
    ("active", QT_TRANSLATE_NOOP("People", "Status")),
)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
_NUMBERS = ("grids", "households")


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if key == "employment":
        try:
            e = Employment(value)  # type: ignore[call-arg]
        except ValueError:
            return str(value or "")
        return QCoreApplication.translate(
            CONTEXT, "Full-time" if e is Employment.FULL_TIME else "Part-time"
        )
    if key == "active":
        return QCoreApplication.translate(CONTEXT, "Active" if value else "Inactive")
    return "" if value is None else str(value)


def _titles() -> list[str]:
    return [QCoreApplication.translate(CONTEXT, title) for _key, title in COLUMNS]


class ManagerTableModel(RowsTableModel):
    """Managers as rows (dicts); :meth:`set_rows` replaces them all.

    On top of the shared rows model: the manager id, a sort key and a search
    text as roles, numbers aligned right, inactive managers grey, and active
    rows draggable when :attr:`draggable` is set.
    """

    def __init__(self, parent: Any = None) -> None:
        columns = [(t, lambda r, k=key: _text(r, k))
                   for t, (key, _title) in zip(_titles(), COLUMNS, strict=True)]
        super().__init__(
            columns, parent,
            foreground=lambda r: None if r.get("active") else QColor("#888888"),
            tooltip=lambda r: r.get("notes") or None,
        )
        self.draggable = False

    def row_of(self, manager_id: int) -> int:
        for i, r in enumerate(self.rows):
            if r["id"] == manager_id:
                return i
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == ID_ROLE:
            return row["id"]
        if role == SORT_ROLE:
            value = row.get(key)
            return value if isinstance(value, int | float) else _text(row, key)
        if role == SEARCH_ROLE:
            return " ".join(
                str(row.get(k) or "") for k in ("name", "phone", "staff_no", "notes")
            ).lower()
        if role == Qt.ItemDataRole.TextAlignmentRole and key in _NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.draggable and self.rows[index.row()].get("active"):
            base |= Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MANAGER_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        ids = sorted({self.rows[i.row()]["id"] for i in indexes if i.isValid()})
        if ids:
            mime.setData(MANAGER_MIME, QByteArray(str(ids[0]).encode()))
            mime.setText(self.rows[self.row_of(ids[0])]["name"])
        return mime

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.LinkAction | Qt.DropAction.CopyAction

    def retranslate(self) -> None:
        self.set_titles(_titles())


class ManagerFilterProxy(QSortFilterProxyModel):
    """Text search over name, phone, staff number and notes; active/inactive filter."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status = "active"  # active | inactive | all

    def set_text(self, text: str) -> None:
        self.text = text.strip().lower()
        self.invalidateFilter()

    def set_status(self, status: str) -> None:
        self.status = status
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, ManagerTableModel)
        row = model.rows[source_row]
        if self.status == "active" and not row.get("active"):
            return False
        if self.status == "inactive" and row.get("active"):
            return False
        if self.text:
            idx = model.index(source_row, 0)
            return all(
                part in model.data(idx, SEARCH_ROLE) for part in self.text.split()
            )
        return True
