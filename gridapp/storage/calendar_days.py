"""Named questions about the working calendar kept in a workspace.

A year's holiday schedule that the office loaded is kept in the ``setting``
table under ``calendar.year.<YYYY>`` (a JSON object with ``days``, a list of
``[date, "holiday" | "workday", name]``, and where it came from), so it
travels with the workspace and needs no schema change.  The deadline
recomputation that follows a load writes every changed deadline at once and
is audited by the caller with one entry holding the counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3

    from gridapp.storage.store import GeoPackageStore
    from gridapp.storage.transaction import Transaction

YEAR_PREFIX = "calendar.year."
LEGACY_CSV_KEY = "calendar.csv"


def calendar_settings(store: GeoPackageStore) -> dict[str, Any]:
    """Every ``calendar.*`` setting, key → decoded value (cheap: a few rows)."""
    rows = store.query(
        "SELECT key, value FROM setting WHERE key LIKE 'calendar.%' ORDER BY key"
    )
    return {r[0]: json.loads(r[1]) for r in rows}


def loaded_years(store: GeoPackageStore) -> dict[int, dict[str, Any]]:
    """Years the office loaded into the workspace → their stored schedule."""
    out: dict[int, dict[str, Any]] = {}
    for key, value in calendar_settings(store).items():
        tail = key[len(YEAR_PREFIX):]
        if key.startswith(YEAR_PREFIX) and tail.isdigit() and isinstance(value, dict):
            out[int(tail)] = value
    return out


def save_year(tx: Transaction, year: int, schedule: dict[str, Any]) -> None:
    """Store (replace) one year's schedule; the caller writes the audit entry."""
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (f"{YEAR_PREFIX}{int(year)}", json.dumps(schedule, ensure_ascii=False)),
    )


_DEADLINE_COLUMNS = (
    "SELECT id, case_no, status, category_id, urgency, dispatched_at, deadline, "
    "extension_count FROM report "
)


def open_case_deadlines(
    source: GeoPackageStore | Transaction, open_statuses: Sequence[str]
) -> list[sqlite3.Row]:
    """Open cases that have been dispatched and have a deadline, oldest first.

    *source* is a store (read) or a transaction (read inside the write).
    """
    marks = ", ".join("?" for _ in open_statuses)
    sql = (
        f"{_DEADLINE_COLUMNS}WHERE status IN ({marks}) AND dispatched_at IS NOT NULL "
        "AND deadline IS NOT NULL ORDER BY id"
    )
    params = list(open_statuses)
    if hasattr(source, "conn"):
        return source.execute(sql, params).fetchall()  # type: ignore[union-attr]
    return source.query(sql, params)  # type: ignore[union-attr]


def set_deadlines(tx: Transaction, deadlines: Iterable[tuple[int, str]]) -> int:
    """Write (report id, ISO deadline) pairs; returns how many rows changed.

    Not audited row by row: the caller records one entry with the counts.
    """
    before = tx.conn.total_changes
    tx.conn.executemany(
        "UPDATE report SET deadline = ? WHERE id = ?",
        [(iso, int(rid)) for rid, iso in deadlines],
    )
    return tx.conn.total_changes - before


def case_deadline_rows(store: GeoPackageStore, ids: Sequence[int]) -> list[sqlite3.Row]:
    """The deadline columns of the cases *ids* (for flagging after an action)."""
    out: list[sqlite3.Row] = []
    wanted = sorted({int(i) for i in ids})
    for k in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
        chunk = wanted[k:k + 500]
        marks = ", ".join("?" for _ in chunk)
        out += store.query(f"{_DEADLINE_COLUMNS}WHERE id IN ({marks}) ORDER BY id", chunk)
    return out
