"""Named questions about reports' external ids (the source's own 编号).

Each function takes either the store (reads) or an open transaction (so a
check and the writes it guards see the same snapshot).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_CHUNK = 500  # bound parameters per statement, well under SQLite's limit


def _rows(db: Any, sql: str, params: list[Any]) -> list[Any]:
    if hasattr(db, "query"):
        return list(db.query(sql, params))
    return list(db.execute(sql, params).fetchall())


def existing_external_ids(db: Any, ids: Iterable[str]) -> dict[str, str]:
    """Those of *ids* already on a report, with the case number carrying each."""
    wanted = sorted({str(i) for i in ids if i})
    found: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start : start + _CHUNK]
        marks = ", ".join("?" for _ in part)
        for r in _rows(
            db,
            f"SELECT external_id, case_no FROM report WHERE external_id IN ({marks}) "
            "ORDER BY external_id, id",
            part,
        ):
            found.setdefault(str(r[0]), str(r[1]))
    return found


def active_categories(db: Any) -> list[Any]:
    """(id, code, name) of every active category, by code."""
    return _rows(
        db, "SELECT id, code, name FROM category WHERE active ORDER BY code", []
    )
