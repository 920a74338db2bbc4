"""The audit viewer's table: :class:`gridapp.services.people.audit_view.AuditEntry`
rows through :class:`gridapp.qt.rows_model.RowsTableModel`."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from gridapp.qt.rows_model import RowsTableModel
from gridapp.services.people.audit_view import AuditEntry

from .common import CONTEXT, local_time

TITLES = (
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


def _full_changes(e: AuditEntry) -> str | None:
    return json.dumps(e.changes, ensure_ascii=False, indent=1)[:4000] if e.changes else None


class AuditTableModel(RowsTableModel):
    """Audit entries as rows; a row's tool tip is its full changes."""

    def __init__(self, parent: Any = None) -> None:
        getters = (
            lambda e: str(e.id),
            lambda e: local_time(e.at),
            lambda e: e.actor or "",
            lambda e: e.action,
            lambda e: e.table or "",
            lambda e: "" if e.row_id is None else str(e.row_id),
            lambda e: changes_text(e.changes),
        )
        super().__init__(list(zip(_titles(), getters, strict=True)), parent,
                         tooltip=_full_changes)

    def retranslate(self) -> None:
        self.set_titles(_titles())


def _titles() -> list[str]:
    return [QCoreApplication.translate(CONTEXT, t) for t in TITLES]
