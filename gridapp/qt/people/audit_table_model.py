"""A table model over audit entries (:class:`gridapp.services.people.audit_view.AuditEntry`)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from gridapp.services.people.audit_view import AuditEntry

from .common import CONTEXT, local_time

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
COLUMNS = (
    QT_TRANSLATE_NOOP("People", "No."),
    QT_TRANSLATE_NOOP("People", "Time"),
    QT_TRANSLATE_NOOP("People", "Person"),
    QT_TRANSLATE_NOOP("People", "Action"),
    QT_TRANSLATE_NOOP("People", "Table"),
    QT_TRANSLATE_NOOP("People", "Row"),
    QT_TRANSLATE_NOOP("People", "Changes"),
)


def changes_text(changes: dict[str, Any] | None, limit: int = 200) -> str:
    """Changed fields as ``field: old → new``, one per entry, shortened to *limit*."""
    if not changes:
        return ""
    parts = []
    for key, value in changes.items():
        if isinstance(value, dict) and ("old" in value or "new" in value):
            parts.append(f"{key}: {value.get('old')!s} → {value.get('new')!s}")
        elif isinstance(value, list | tuple) and len(value) == 2:
            parts.append(f"{key}: {value[0]!s} → {value[1]!s}")
        else:
            parts.append(f"{key}: {json.dumps(value, ensure_ascii=False)[:60]}")
    text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AuditTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[AuditEntry] = []

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

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
            return QCoreApplication.translate(CONTEXT, COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(e.id),
                local_time(e.at),
                e.actor or "",
                e.action,
                e.table or "",
                "" if e.row_id is None else str(e.row_id),
                changes_text(e.changes),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 6 and e.changes:
            return json.dumps(e.changes, ensure_ascii=False, indent=1)[:4000]
        if role == Qt.ItemDataRole.UserRole:
            return e
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
