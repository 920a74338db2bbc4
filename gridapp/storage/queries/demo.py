"""Writes of the demo generator that the generic transaction does one row at a time.

A district's 3,333 managers went through ``Transaction.insert`` one by one, each
with its own audit entry (about a millisecond each); here they are one
``executemany`` with one audit entry, like every other bulk load, and their ids
are known without reading them back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gridapp.storage import bulk


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


def insert_slot_events(tx: Any, kinds: Sequence[tuple[str, str, str, str, bool]],
                       slot_of_kind: Sequence[int], report_ids: Any, done: Any,
                       reject_kind: Any, at_ms: Any, department: Any, actor: str, *,
                       summary: str = "", chunks: int = 4,
                       progress: Callable[[int, int], None] | None = None) -> int:
    """Case events of many reports, expanded by SQLite from one staged row per report.

    Each report goes through some of a fixed list of slots (its *done* bits); a
    slot's event is ``kinds[k]`` = (action, from, to, note, with department),
    where the kind of a slot is the one whose ``slot_of_kind`` is that slot,
    and for slot 0 the report's *reject_kind* chooses between two kinds.
    Binding one row per report (its bits, department and one ms instant per
    slot) and letting ``INSERT … SELECT`` join the kinds and write the text
    costs a third of binding every event from Python (a district's 6 million).
    Events go in report order, then slot order, so ids ascend with both; the
    table's secondary indexes are dropped for the load and built once after.

    Parameters
    ----------
    report_ids : int64 array (n,), ascending
    done : bool array (n, slots)
    reject_kind : int array (n,): the kind of slot 0 for each report
    at_ms : int64 array (n, slots): ms since the epoch (UTC) of each slot
    department : array (n,) of int or None: the department of the with-department kinds
    """
    conn = tx.conn
    n, slots = done.shape
    if n == 0:
        return 0
    conn.execute("CREATE TEMP TABLE demo_kind (id INTEGER PRIMARY KEY, slot INTEGER,"
                 " action TEXT, from_status TEXT, to_status TEXT, note TEXT, dept INTEGER)")
    conn.execute(f"CREATE TEMP TABLE demo_case (report_id INTEGER PRIMARY KEY, done INTEGER,"
                 f" slot0 INTEGER, dept INTEGER, {', '.join(f't{k} INTEGER' for k in range(slots))})")
    try:
        conn.executemany("INSERT INTO temp.demo_kind VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [(i, slot_of_kind[i], a, f, t, note, int(d))
                          for i, (a, f, t, note, d) in enumerate(kinds)])
        bits = (done.astype("int64") << np.arange(slots, dtype="int64")).sum(axis=1)
        conn.executemany(
            f"INSERT INTO temp.demo_case VALUES ({', '.join('?' for _ in range(slots + 4))})",
            zip(report_ids.tolist(), bits.tolist(), reject_kind.tolist(), list(department),
                *(at_ms[:, k].tolist() for k in range(slots)), strict=True))
        indexes = bulk.drop_indexes_for_load(conn, "case_event", None)  # built once, after
        outside = bulk.suspend_outside_insert_trigger(conn, "case_event")
        at = "CASE k.slot " + " ".join(f"WHEN {k} THEN c.t{k}" for k in range(slots)) + " END"
        sql = ("INSERT INTO case_event (report_id, action, from_status, to_status, actor,"
               " department_id, at, note)"
               " SELECT c.report_id, k.action, k.from_status, k.to_status, ?,"
               " CASE WHEN k.dept THEN c.dept END,"
               f" strftime('%Y-%m-%dT%H:%M:%S', ({at}) / 1000, 'unixepoch')"
               f" || printf('.%03dZ', ({at}) % 1000), k.note"
               " FROM temp.demo_case c JOIN temp.demo_kind k"
               " ON (c.done >> k.slot) & 1 AND (k.slot != 0 OR k.id = c.slot0)"
               " WHERE c.report_id BETWEEN ? AND ? ORDER BY c.report_id, k.slot")
        written = 0
        bounds = np.linspace(0, n, chunks + 1).astype(int)
        for i in range(chunks):
            a, b = int(bounds[i]), int(bounds[i + 1])
            if a < b:
                written += conn.execute(sql, (actor, int(report_ids[a]),
                                              int(report_ids[b - 1]))).rowcount
            if progress is not None:
                progress(i + 1, chunks)
        bulk.resume_trigger(conn, outside)
        bulk.create_indexes(conn, indexes)
    finally:
        conn.execute("DROP TABLE temp.demo_case")
        conn.execute("DROP TABLE temp.demo_kind")
    tx.audit("bulk_insert", "case_event", None, {"rows": written, "summary": summary})
    return written

