"""Named questions for writing many reports at once (batch import).

Each asks once for a whole batch what :mod:`gridapp.storage.queries.cases`
asks per position: the named places and buildings and the open reports in a
box around all the batch's points, the case numbers already taken on each
day, and the external ids already imported.  One statement each, whatever
the batch's size (a JSON array is bound as one parameter and read with
``json_each``), so an import's statement count does not grow with its rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from gridapp.storage import bulk


def _rows(db: Any, sql: str, params: Sequence[Any]) -> list[Any]:
    if hasattr(db, "query"):
        return list(db.query(sql, params))
    return list(db.execute(sql, params).fetchall())


def _scalar(db: Any, sql: str) -> Any:
    return _rows(db, sql, ())[0][0]


# From this many ids, existing_external_ids compares with the table's ids when the
# table holds fewer (one more statement, whatever the file's length).
_SCAN_FROM = 50_000


def named_features_in_box(db: Any, table: str, minx: float, miny: float,
                          maxx: float, maxy: float) -> list[Any]:
    """``id, name, address, geom`` of named places or buildings whose box meets the box."""
    if table not in ("place", "building"):
        raise ValueError(f"no named features in table {table!r}")
    return _rows(
        db,
        f'SELECT t.id, t.name, t.address, t.geom FROM "{table}" t '
        f'JOIN "rtree_{table}_geom" r ON r.id = t.id '
        "WHERE r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ? "
        "AND coalesce(t.name, t.address) IS NOT NULL ORDER BY t.id",
        (maxx, minx, maxy, miny),
    )


def open_reports_in_box(db: Any, minx: float, miny: float, maxx: float, maxy: float,
                        category_ids: Iterable[int], statuses: Sequence[str],
                        since: str, until: str) -> list[Any]:
    """Reports in the box of *category_ids* and *statuses* reported in [since, until].

    Columns: ``id, case_no, status, reported_at, description, category_id, geom``.
    """
    return _rows(
        db,
        "SELECT t.id, t.case_no, t.status, t.reported_at, t.description, t.category_id, "
        "t.geom FROM report t JOIN rtree_report_geom r ON r.id = t.id "
        "WHERE r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ? "
        "AND t.category_id IN (SELECT value FROM json_each(?)) "
        "AND t.status IN (SELECT value FROM json_each(?)) "
        "AND t.reported_at >= ? AND t.reported_at <= ? ORDER BY t.id",
        (maxx, minx, maxy, miny, json.dumps(sorted({int(c) for c in category_ids})),
         json.dumps(list(statuses)), since, until),
    )


def last_case_nos(db: Any, prefixes: Iterable[str]) -> dict[str, str]:
    """Per 8-character day prefix, the highest case number in [prefix00000, prefix99999~).

    The batch form of ``cases.max_case_no``; call inside the write that takes
    the next numbers.
    """
    wanted = sorted(set(prefixes))
    if not wanted:
        return {}
    rows = _rows(
        db,
        "SELECT substr(case_no, 1, 8), max(case_no) FROM report "
        "WHERE case_no >= ? AND case_no < ? "
        "AND substr(case_no, 1, 8) IN (SELECT value FROM json_each(?)) "
        "AND substr(case_no, 9) >= '00000' AND substr(case_no, 9) < '99999~' "
        "GROUP BY 1",
        (wanted[0] + "00000", wanted[-1] + "99999~", json.dumps(wanted)),
    )
    return {str(r[0]): str(r[1]) for r in rows if r[1] is not None}


def existing_external_ids(db: Any, ids: Iterable[str]) -> dict[str, str]:
    """Those of *ids* already on a report, with the (lowest-id) case number carrying each."""
    ids = ids if isinstance(ids, list) else list(ids)
    found: dict[str, str] = {}
    if len(ids) >= _SCAN_FROM and _scalar(db, "SELECT count(external_id) FROM report") < len(ids):
        # A file longer than the table's ids: read those (the index) and look each
        # up in a set, instead of sorting the file's ids and binding them as JSON.
        wanted_set = set(map(str, filter(None, ids)))
        for r in _rows(db, "SELECT external_id, case_no FROM report"
                           " WHERE external_id IS NOT NULL ORDER BY external_id, id", ()):
            if str(r[0]) in wanted_set:
                found.setdefault(str(r[0]), str(r[1]))
        return found
    # Sorted, so SQLite builds its IN set in order (1,000,000 ids: 0.19 s vs
    # 1.98 s unsorted); deduplicated in file order first, so a file whose ids
    # ascend (most exports) costs timsort one pass (0.24-0.31 s vs 0.65 s for
    # a set; 5-10 % more than that for ids in random order).
    wanted = sorted(dict.fromkeys(map(str, filter(None, ids))))
    if not wanted:
        return {}
    for r in _rows(
        db,
        "SELECT external_id, case_no FROM report "
        "WHERE external_id IN (SELECT value FROM json_each(?)) ORDER BY external_id, id",
        (json.dumps(wanted, ensure_ascii=False),),
    ):
        found.setdefault(str(r[0]), str(r[1]))
    return found


def insert_first_events(tx: Any, first_id: int, last_id: int, status: str, actor: str,
                        user_id: int | None, at: str, summary: str = "") -> int:
    """The ``report`` event of every report with id in [first_id, last_id]; one
    ``INSERT … SELECT`` (no value passes through Python per row) and one audit
    entry, as :meth:`Transaction.insert_many` writes it.  Returns the count."""
    conn = tx.conn
    outside = bulk.suspend_outside_insert_trigger(conn, "case_event")
    # Many more events than the table holds: its indexes are built again once,
    # sorted, instead of taking each entry (1,000,000 events into 18,000, process
    # CPU at load 2.4-3: 1.17-1.30 s with, 1.47-1.87 s without; 20,000 into 18,000:
    # 0.04-0.06 s with, 0.02-0.04 s without, hence "twice the table").
    indexes = bulk.drop_indexes_for_load(conn, "case_event", last_id - first_id + 1, times=2)
    cur = conn.execute(
        "INSERT INTO case_event (report_id, action, from_status, to_status, actor, user_id,"
        " at, note) SELECT id, 'report', NULL, ?, ?, ?, ?, NULL FROM report"
        " WHERE id BETWEEN ? AND ? ORDER BY id",
        (status, actor, user_id, at, first_id, last_id))
    n = cur.rowcount
    bulk.create_indexes(conn, indexes)
    bulk.resume_trigger(conn, outside)
    tx.audit("bulk_insert", "case_event", None, {"rows": n, "summary": summary})
    return n


def fill_kept_case_times(tx: Any) -> None:
    """Fill ``report.responded_at``, ``dispatched_by`` and ``finished_at`` from the
    case events where a bulk writer left them empty (schema 24).

    The workflow keeps these as it goes; writers that insert reports and events
    in bulk (the demo generator) call this once after their events, so the
    assessment figures read the kept times instead of falling back to the events
    case by case.  Idempotent: filled rows are left as they are.
    """
    from gridapp.storage.migrations.m0024_case_times import backfill

    backfill(tx.conn)


def insert_chunks(tx: Any, table: str, columns: Sequence[str],
                  chunks: Iterable[Iterable[Sequence[Any]]], total: int, *,
                  summary: str = "") -> int:
    """Insert *total* rows given as chunks of rows, with one audit entry; returns the count.

    For writers of millions of case events or callbacks (the demo district): each
    chunk is bound by one ``executemany`` and may be dropped before the next is
    made, so a caller holds one chunk of Python values at a time.  As in
    :func:`gridapp.storage.bulk.insert_rows`, a load larger than the table (and at
    least 10,000 rows) drops the table's secondary indexes and builds each once
    afterwards, and the outside-edit trigger is off for the load.
    """
    if table not in ("case_event", "case_callback"):
        raise ValueError(f"no chunked load for table {table!r}")
    if total == 0:
        return 0
    conn = tx.conn
    existing = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    indexes = [(r[0], r[1]) for r in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
        " AND sql IS NOT NULL", (table,))] if total >= 10_000 and total > existing else []
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    outside = bulk.suspend_outside_insert_trigger(conn, table)
    names = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})'
    n = 0
    for rows in chunks:
        n += conn.executemany(sql, rows).rowcount
    if n != total:
        raise ValueError(f"{table}: {n} rows written, {total} announced")
    bulk.resume_trigger(conn, outside)
    for _name, create in indexes:
        conn.execute(create)
    tx.audit("bulk_insert", table, None, {"rows": n, "summary": summary})
    return n
