"""Writes of the demo generator that the generic transaction does one row at a time.

A district's 3,333 managers went through ``Transaction.insert`` one by one, each
with its own audit entry (about a millisecond each); here they are one
``executemany`` with one audit entry, like every other bulk load, and their ids
are known without reading them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def insert_numbered(tx: Any, table: str, columns: Sequence[str],
                    rows: Sequence[Sequence[Any]], *, summary: str = "") -> list[int]:
    """Insert *rows* with consecutive ids after the table's last; returns the ids.

    For tables without geometry (:func:`gridapp.storage.bulk.insert_features`
    numbers feature rows the same way).  One audit entry summarises the rows.
    """
    if table not in ("manager",):
        raise ValueError(f"no numbered load for table {table!r}")
    if not rows:
        return []
    conn = tx.conn
    start = conn.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{table}"').fetchone()[0]
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    if seq and seq[0] >= start:
        start = seq[0] + 1
    ids = list(range(int(start), int(start) + len(rows)))
    names = ", ".join('"' + c.replace('"', '""') + '"' for c in ("id", *columns))
    marks = ", ".join("?" for _ in range(len(columns) + 1))
    conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                     ((i, *row) for i, row in zip(ids, rows, strict=True)))
    tx.audit("bulk_insert", table, None, {"rows": len(rows), "first_id": ids[0],
                                          "last_id": ids[-1], "summary": summary})
    return ids
