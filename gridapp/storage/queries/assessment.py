"""Named questions for assessment and supervision (issue 17).

The indicator and threshold tables, the facts each case contributes to a
period's figures (one row per case touched by the period), the joint-task
check-ins and evaluations by department, unit labels, callbacks and the
automatic-supervision bookkeeping.  Times are GeoPackage ISO text in UTC, so
comparing them as text orders them in time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

#: the flags :func:`case_facts` computes for each case, bit by bit of ``flags``
#: (bit i = CASE_SQL_FLAGS[i]; the last callback's verdict code above them)
CASE_SQL_FLAGS = ("filed", "registered", "due", "deferred", "closed", "closed_on_time",
                  "overdue_now", "urgent", "rework", "resolved")
VERDICT_SHIFT = len(CASE_SQL_FLAGS)
#: the unit columns :func:`case_facts` can give (``unit kind`` → column)
UNIT_COLUMNS = {"grid_id": "r.grid_id", "community_id": "r.community_id",
                "manager_id": "r.reporter_manager_id", "department_id": "r.department_id",
                "category_id": "r.category_id"}
#: ``verdict`` as a number in :func:`case_facts` (the last callback in the period)
VERDICT_CODES = {"satisfied": 1, "basic": 2, "dissatisfied": 3}
assert max(VERDICT_CODES.values()) < 4  # two bits in case_facts


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _dicts(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


# -- formulas and thresholds -----------------------------------------------------
def indicators(db: Any, *, active_only: bool = True) -> list[dict[str, Any]]:
    """The indicator table in display order."""
    where = "WHERE active = 1" if active_only else ""
    return _dicts(db.query(
        "SELECT id, code, name_zh, name_en, formula, unit, higher_is_better, position, "
        f"description, active FROM kpi_indicator {where} ORDER BY position, id"))


def thresholds(db: Any) -> list[dict[str, Any]]:
    """Warning thresholds, one row per indicator."""
    return _dicts(db.query(
        "SELECT id, indicator_code, red, yellow, periods, active FROM kpi_threshold "
        "ORDER BY id"))


def threshold_id(tx: Any, code: str) -> int | None:
    row = tx.execute("SELECT id FROM kpi_threshold WHERE indicator_code = ?",
                     (code,)).fetchone()
    return None if row is None else int(row[0])


# -- facts ------------------------------------------------------------------------
def case_facts(db: Any, start: str, end: str, asof: str, open_statuses: Sequence[str],
               *, units: Sequence[str] = tuple(UNIT_COLUMNS), with_dispatcher: bool = True,
               with_ids: bool = True, cancel: Any = None
               ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every case a period [start, end) touches, with what the figures need:
    the column names and one tuple of values per column ([] when none).

    A case is touched when it was filed, registered, due or closed in the
    period, sent back or called back in it, or overdue at *asof* (the period's
    end, or now when the period is running).  Columns: ``id`` (unless
    *with_ids* is False), the unit columns asked for (*units*, keys of
    :data:`UNIT_COLUMNS`), ``flags`` (bit *i* set when :data:`CASE_SQL_FLAGS`
    [*i*] holds: times compared as ISO text, which orders them; ``rework``: sent
    back in the period; ``resolved`` and, from bit :data:`VERDICT_SHIFT`, the
    :data:`VERDICT_CODES` of the last callback in the period), ``dispatcher``
    (only with *with_dispatcher*: only the dispatcher figures need it); and the
    four times office hours are counted between, as ``julianday`` numbers
    (UTC), only where a figure needs them: ``reported_at`` / ``responded_at`` of
    cases filed in the period, ``dispatched_at`` / ``done_at`` of dispatched
    cases closed in it (``done_at``: the handler's report 处置反馈, else the
    closing).  A month of a district is ~300,000 rows: small integers and a few
    numbers are read without parsing text.

    How the rows are found: a period holding more than a tenth of the reports
    (a month of a district) is one scan of the report table, each row's flags
    computed on it (the period's send-backs and callbacks, a few thousand, are
    looked up in a small table made first; the cases touched only by those are
    added after); a shorter period goes through the indexes of its times (a
    UNION of their ranges deduplicates every id: ~4 inserts per case, dearer
    than the scan past a tenth).  *cancel* (a
    :class:`gridapp.progress.CancelToken`) interrupts the query when set.

    ``responded_at`` (first 立案/不予立案), ``finished_at`` and ``dispatched_by``
    are kept on the case by the workflow (schema 24); a row nobody filled falls
    back to its events (the subquery runs only for such rows).
    """
    units = list(units)
    columns = [*(["id"] if with_ids else []), *units, "flags",
               *(["dispatcher"] if with_dispatcher else []), *_TIMES]

    def select(x: dict[str, Any]) -> str:
        return ", ".join([
            *(["r.id"] if with_ids else []), *(UNIT_COLUMNS[u] for u in units),
            x["flags"], *([x["dispatcher"]] if with_dispatcher else []),
            *(f"CASE WHEN {cond} THEN julianday({t}) END" for cond, t in x["times"])])

    statements, params = _facts_sql(db, start, end, asof, open_statuses, select)
    return columns, _by_column(db, statements, params, cancel)


_TIMES = ("reported_at", "responded_at", "dispatched_at", "done_at")


def case_fact_arrays(db: Any, start: str, end: str, asof: str,
                     open_statuses: Sequence[str], *,
                     units: Sequence[str] = tuple(UNIT_COLUMNS),
                     with_dispatcher: bool = True, cancel: Any = None
                     ) -> dict[str, Any]:
    """:func:`case_facts` without the ids, as numpy arrays (the per-unit sums).

    Keys: the unit columns (float, NaN where NULL), ``flags`` (int64),
    ``dispatcher`` (object, only with *with_dispatcher*; ``""`` where none) and
    the four times as whole UTC seconds since 1970 (float, NaN where not
    needed), the seconds office hours count (the stored milliseconds dropped).

    On a GeoPackage the rows never become Python objects: SQLite writes every
    row as fixed-width hex (``printf``) into one text (``group_concat``), which
    numpy reads as a record array; 300,000 rows of a district month cost
    ~0.3 s less CPU than as tuples and leave the interpreter lock free while
    SQLite works.  The text's length is checked against the row count (a value
    wider than its field would lengthen it), else the rows are read as tuples.
    """
    import numpy as np

    units = list(units)
    if _sqlite(db):
        fields = [*units, "flags", *_TIMES]
        fmt = "".join("%08x" for _ in fields)

        def select(x: dict[str, Any]) -> str:
            # NULL as 0 (ids from 1, flags and times are not 0 when present)
            values = [f"COALESCE({UNIT_COLUMNS[u]}, 0)" for u in units]
            values += [x["flags"]]
            values += [f"CASE WHEN {c} THEN COALESCE(unixepoch({t}), 0) ELSE 0 END"
                       for c, t in x["times"]]
            out = f"count(*), group_concat(printf('{fmt}', {', '.join(values)}), '')"
            if with_dispatcher:
                out += f", group_concat(COALESCE({x['dispatcher']}, ''), char(31))"
            return out

        statements, params = _facts_sql(db, start, end, asof, open_statuses, select)
        parts = _by_column(db, statements, params, cancel)
        if not parts or not sum(parts[0]):
            return _empty_arrays(units, with_dispatcher)
        n = int(sum(parts[0]))
        text = "".join(t or "" for t in parts[1])
        if len(text) == n * 8 * len(fields):
            rec = np.frombuffer(bytes.fromhex(text), dtype=np.dtype(">u4")).reshape(
                n, len(fields))
            out: dict[str, Any] = {}
            for i, f in enumerate(fields):
                v = rec[:, i].astype(np.int64)
                out[f] = v if f == "flags" else np.where(v == 0, np.nan, v.astype(float))
            if with_dispatcher:
                names = [d for t in parts[2] if t is not None for d in [t]]
                out["dispatcher"] = np.array(
                    "\x1f".join(names).split("\x1f"), dtype=object)
            return out
    columns, values = case_facts(db, start, end, asof, open_statuses, units=units,
                                 with_dispatcher=with_dispatcher, with_ids=False,
                                 cancel=cancel)
    if not values:
        return _empty_arrays(units, with_dispatcher)
    out = {}
    for c, v in zip(columns, values, strict=True):
        if c == "dispatcher":
            out[c] = np.array(["" if d is None else d for d in v], dtype=object)
        elif c == "flags":
            out[c] = np.array(v, dtype=np.int64)
        elif c in _TIMES:
            ms = np.rint((np.array(v, dtype=float) - _JD_UNIX_EPOCH) * 86_400_000.0)
            out[c] = np.floor(ms / 1000.0)
        else:
            out[c] = np.array(v, dtype=float)
    return out


_JD_UNIX_EPOCH = 2440587.5


def _empty_arrays(units: Sequence[str], with_dispatcher: bool) -> dict[str, Any]:
    import numpy as np

    out = {u: np.zeros(0) for u in units}
    out["flags"] = np.zeros(0, dtype=np.int64)
    out.update({t: np.zeros(0) for t in _TIMES})
    if with_dispatcher:
        out["dispatcher"] = np.zeros(0, dtype=object)
    return out


def _facts_sql(db: Any, start: str, end: str, asof: str, open_statuses: Sequence[str],
               select_of: Any) -> tuple[str, dict[str, Any]]:
    """The statement reading the cases [start, end) touches (see :func:`case_facts`)
    and its parameters; *select_of* makes the select list from the expressions
    ``flags``, ``dispatcher`` and ``times`` ((condition, time) per :data:`_TIMES`)."""
    opened = _marks(open_statuses)
    rework_bit = 1 << CASE_SQL_FLAGS.index("rework")
    resolved_bit = 1 << CASE_SQL_FLAGS.index("resolved")
    verdicts = " ".join(f"WHEN '{k}' THEN {v}" for k, v in VERDICT_CODES.items())
    done_at = """COALESCE(r.finished_at, CASE WHEN r.closed_at IS NOT NULL THEN
                     (SELECT MAX(e.at) FROM case_event e WHERE e.report_id = r.id
                      AND +e.action = 'finish') END, r.closed_at)"""
    responded_at = """COALESCE(r.responded_at, CASE WHEN r.status <> 'reported' THEN
                     (SELECT MIN(e.at) FROM case_event e WHERE e.report_id = r.id
                      AND +e.action IN ('register', 'reject')) END)"""
    # "+r.col": no NUMERIC affinity (DATETIME columns have it), so the text
    # parameters are compared as they are, not tried as numbers at every row
    due = "+r.deadline >= :s AND +r.deadline < :e AND r.dispatched_at IS NOT NULL"
    closed = f"{due} AND +r.closed_at < :e"
    filed = "+r.reported_at >= :s AND +r.reported_at < :e"
    handled = "+r.closed_at >= :s AND +r.closed_at < :e AND r.dispatched_at IS NOT NULL"
    conditions = {
        "filed": filed, "registered": "+r.registered_at >= :s AND +r.registered_at < :e",
        "due": due, "deferred": due + " AND +r.shelved_at < :e", "closed": closed,
        "closed_on_time": f"{closed} AND {done_at} <= r.deadline",
        "overdue_now": "+r.dispatched_at <= :a AND +r.deadline < :a"
                       " AND r.status <> 'rejected'"
                       " AND (r.closed_at IS NULL OR +r.closed_at > :a)",
        "urgent": "r.urgency = 'urgent'"}
    assert set(conditions) | {"rework", "resolved"} == set(CASE_SQL_FLAGS)
    flags = " + ".join(f"CASE WHEN {cond} THEN {1 << CASE_SQL_FLAGS.index(k)} ELSE 0 END"
                       for k, cond in conditions.items())
    dispatcher = """COALESCE(r.dispatched_by, (SELECT e.actor FROM case_event e
              WHERE e.report_id = r.id AND +e.action IN ('dispatch', 'redispatch')
              ORDER BY e.at DESC, e.id DESC LIMIT 1))"""
    select = select_of({
        "flags": f"{flags} + COALESCE(x.bits, 0)", "dispatcher": dispatcher,
        "times": [(filed, "r.reported_at"), (filed, responded_at),
                  (handled, "r.dispatched_at"), (handled, done_at)]})
    # the send-backs and callbacks of the period, as their bits per case; the
    # last callback's verdict and resolved ride below its id (max() picks it)
    # and the callbacks are read in case order (no sort)
    extra = f"""
    WITH sb(rid) AS MATERIALIZED (
        SELECT DISTINCT report_id FROM case_event WHERE action = 'send_back'
        AND at >= :s AND at < :e),
    cb(rid, m) AS MATERIALIZED (
        SELECT report_id, MAX(id * 8 + (CASE verdict {verdicts} ELSE 0 END) * 2
                              + CASE WHEN resolved <> 0 THEN 1 ELSE 0 END)
        FROM case_callback WHERE +called_at >= :s AND +called_at < :e
        GROUP BY report_id),
    x(rid, bits) AS MATERIALIZED (
        SELECT rid, SUM(bits) FROM (
            SELECT rid, {rework_bit} AS bits FROM sb
            UNION ALL
            SELECT rid, (m % 2) * {resolved_bit} + ((m / 2) % 4) * {1 << VERDICT_SHIFT}
            FROM cb) u
        GROUP BY rid)"""
    touched = f"""((+r.reported_at >= :s AND +r.reported_at < :e)
        OR (+r.registered_at >= :s AND +r.registered_at < :e)
        OR (+r.deadline >= :s AND +r.deadline < :e)
        OR (+r.closed_at >= :s AND +r.closed_at < :e)
        OR (+r.status IN ({opened}) AND +r.deadline < :a)
        OR (+r.closed_at > :a AND +r.deadline < :a))"""
    names = {f"st{i}": v for i, v in enumerate(open_statuses)}
    params = {"s": start, "e": end, "a": asof, **names}

    def named(sql: str) -> str:
        # named and positional parameters cannot mix: number the statuses by name
        return sql.replace(f"IN ({opened})",
                           "IN (" + ", ".join(f":{k}" for k in names) + ")")

    if _share_filed(db, start, end) > 0.1:
        # the cases the scan's test misses: sent back or called back only
        sql = f"""{extra}
        SELECT {select} FROM report r LEFT JOIN x ON x.rid = r.id WHERE {touched}
        UNION ALL
        SELECT {select} FROM x JOIN report r ON r.id = x.rid
        WHERE (CASE WHEN {touched} THEN 1 ELSE 0 END) = 0"""
        return named(sql), params
    ranges = f"""
        SELECT id FROM report WHERE reported_at >= :s AND reported_at < :e
        UNION SELECT id FROM report WHERE registered_at >= :s AND registered_at < :e
        UNION SELECT id FROM report WHERE deadline >= :s AND deadline < :e
        UNION SELECT id FROM report WHERE closed_at >= :s AND closed_at < :e
        UNION SELECT id FROM report WHERE status IN ({opened}) AND deadline < :a
        UNION SELECT id FROM report WHERE closed_at > :a AND deadline < :a
        UNION SELECT rid FROM x"""
    sql = f"""{extra}, touched(id) AS MATERIALIZED ({ranges})
        SELECT {select} FROM touched t JOIN report r ON r.id = t.id
        LEFT JOIN x ON x.rid = r.id"""
    return named(sql), params


def _share_filed(db: Any, start: str, end: str) -> float:
    """About which share of all reports was filed in [start, end): the share of
    the time from the first report to the last that the period covers (the two
    ends of the ``reported_at`` index; counting the period's reports walked
    ~270,000 index entries for a district month just to choose a plan)."""
    from datetime import datetime

    first, last = db.query("SELECT (SELECT min(reported_at) FROM report),"
                           " (SELECT max(reported_at) FROM report)")[0]
    if first is None:
        return 0.0
    t = [datetime.fromisoformat(v).timestamp() for v in (first, last, start, end)]
    span = max(t[1] - t[0], 1.0)
    return max(0.0, min(t[3], t[1] + 1) - max(t[2], t[0])) / span


def _sqlite(db: Any) -> sqlite3.Connection | None:
    """The calling thread's SQLite reader of a GeoPackage store, else None."""
    reader = getattr(db, "_reader", None)
    conn = reader() if reader is not None else None
    return conn if isinstance(conn, sqlite3.Connection) else None


def _by_column(db: Any, sql: str, params: Any, cancel: Any = None
               ) -> list[tuple[Any, ...]]:
    """One tuple per column ([] without rows).  On a GeoPackage the rows come as
    plain tuples (no ``sqlite3.Row`` each), :data:`_FETCH` at a time, each batch
    transposed in C by ``zip`` (the interpreter lock is never held long: SQLite
    releases it while it steps), and a set *cancel* token interrupts the query
    within milliseconds (:class:`gridapp.errors.Cancelled`); elsewhere *cancel*
    is checked before the query."""
    if cancel is not None:
        cancel.check()
    conn = _sqlite(db)
    if conn is None:
        reader = getattr(db, "_reader", None)
        if reader is None:
            rows = [tuple(r) for r in db.query(sql, params)]
        else:
            cur = reader().execute(sql, params)
            cur.row_factory = None
            rows = cur.fetchall()
        return list(zip(*rows, strict=True))
    from itertools import chain

    from gridapp.storage.connection import translate_errors

    batches: list[list[tuple[Any, ...]]] = []
    if cancel is not None:
        conn.set_progress_handler(lambda: cancel.cancelled, 20_000)
    try:
        with translate_errors(db.path):
            cur = conn.execute(sql, params)
            cur.row_factory = None
            while rows := cur.fetchmany(_FETCH):
                batches.append(list(zip(*rows, strict=True)))
    except Exception:
        if cancel is not None and cancel.cancelled:
            from gridapp.errors import Cancelled

            raise Cancelled() from None  # interrupted because it was asked: say so
        raise
    finally:
        if cancel is not None:
            conn.set_progress_handler(None, 0)
    if len(batches) <= 1:
        return batches[0] if batches else []
    return [tuple(chain.from_iterable(col)) for col in zip(*batches, strict=True)]


#: rows per batch read by :func:`_by_column`
_FETCH = 20_000


def grid_codes(db: Any) -> dict[int, str]:
    """Every grid version's id → its code (figures by grid count a code's versions
    together)."""
    return {int(r[0]): r[1] for r in db.query("SELECT id, code FROM grid")}


def task_facts(db: Any, start: str, end: str) -> list[dict[str, Any]]:
    """Joint-task departments summoned in [start, end), and evaluations in it."""
    return _dicts(db.query(
        """SELECT td.task_id, td.department_id, td.checkin_status, td.effective,
                  td.summoned_at, t.evaluated_at, t.task_no
           FROM task_department td JOIN joint_task t ON t.id = td.task_id
           WHERE (td.summoned_at >= ? AND td.summoned_at < ?)
              OR (t.evaluated_at >= ? AND t.evaluated_at < ?)""",
        (start, end, start, end)))


def unit_labels(db: Any, kind: str) -> dict[Any, str]:
    """Display names of the units of *kind* (grid codes map to code + name)."""
    if kind == "grid":
        rows = db.query("SELECT code, name, valid_to FROM grid ORDER BY valid_to IS NULL, id")
        return {r[0]: f"{r[0]} {r[1] or ''}".strip() for r in rows}
    table = {"community": "community", "department": "department",
             "category": "category", "manager": "manager"}.get(kind)
    if table is None:
        return {}
    return {r[0]: r[1] for r in db.query(f'SELECT id, name FROM "{table}"')}


def current_grid_codes(db: Any) -> dict[str, int]:
    """Current grid code → grid id (for colouring the map)."""
    return {r[0]: int(r[1]) for r in db.query(
        "SELECT code, id FROM grid WHERE valid_to IS NULL")}


def case_rows(db: Any, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The list behind a figure: case number, where, what, state and times."""
    out: list[dict[str, Any]] = []
    ids = list(ids)
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        out += _dicts(db.query(
            f"""SELECT r.id, r.case_no, r.status, r.source, r.urgency, r.address,
                       c.name AS category, d.name AS department, g.code AS grid_code,
                       r.reported_at, r.dispatched_at, r.deadline, r.closed_at
                FROM report r LEFT JOIN category c ON c.id = r.category_id
                LEFT JOIN department d ON d.id = r.department_id
                LEFT JOIN grid g ON g.id = r.grid_id
                WHERE r.id IN ({_marks(chunk)}) ORDER BY r.reported_at, r.id""", chunk))
    return out


# -- callbacks ---------------------------------------------------------------------
def callbacks(db: Any, report_id: int) -> list[dict[str, Any]]:
    return _dicts(db.query(
        "SELECT * FROM case_callback WHERE report_id = ? ORDER BY called_at, id",
        (report_id,)))


def reopen_count(tx: Any, report_id: int) -> int:
    return int(tx.execute(
        "SELECT COUNT(*) FROM case_callback WHERE report_id = ? AND reopened = 1",
        (report_id,)).fetchone()[0])


def callback_gate(tx: Any, report_id: int) -> tuple[str | None, str | None]:
    """(source, verified_at) of a case, read inside the transaction."""
    row = tx.execute("SELECT source, verified_at FROM report WHERE id = ?",
                     (report_id,)).fetchone()
    return (None, None) if row is None else (row[0], row[1])


def has_callback_since(tx: Any, report_id: int, since: str | None) -> bool:
    """Whether the case has a callback at or after *since* (its last verification)."""
    row = tx.execute(
        "SELECT COUNT(*) FROM case_callback WHERE report_id = ? AND called_at >= ?",
        (report_id, since or "")).fetchone()
    return bool(row[0])


def callback_due(db: Any, sources: Sequence[str]) -> list[int]:
    """Verified cases from residents or the hotline with no callback since verifying."""
    return [int(r[0]) for r in db.query(
        f"""SELECT r.id FROM report r WHERE r.status = 'verified'
            AND r.source IN ({_marks(sources)})
            AND NOT EXISTS (SELECT 1 FROM case_callback c WHERE c.report_id = r.id
                            AND c.called_at >= COALESCE(r.verified_at, ''))
            ORDER BY r.verified_at, r.id""", list(sources))]


# -- supervision -------------------------------------------------------------------
def overdue_open_cases(db: Any, statuses: Sequence[str], now: str) -> list[dict[str, Any]]:
    """Open dispatched cases past their deadline, with how often they were escalated."""
    return _dicts(db.query(
        f"""SELECT r.id, r.case_no, r.deadline, r.department_id, r.grid_id,
                   (SELECT MAX(level) FROM case_escalation x WHERE x.report_id = r.id)
                       AS level,
                   (SELECT COUNT(*) FROM case_escalation x WHERE x.report_id = r.id
                       AND x.deadline = r.deadline) AS done
            FROM report r WHERE r.status IN ({_marks(statuses)}) AND r.deadline < ?
            ORDER BY r.deadline, r.id""", [*statuses, now]))


def cases_due_between(db: Any, statuses: Sequence[str], start: str,
                      end: str) -> list[dict[str, Any]]:
    return _dicts(db.query(
        f"""SELECT id, case_no, deadline, department_id, grid_id FROM report
            WHERE status IN ({_marks(statuses)}) AND deadline >= ? AND deadline < ?
            ORDER BY deadline, id""", [*statuses, start, end]))


def overdue_task_departments(db: Any, now: str) -> list[dict[str, Any]]:
    """Running joint tasks past their deadline, or departments not checked in."""
    return _dicts(db.query(
        """SELECT t.id AS task_id, t.task_no, t.title, t.deadline, t.state
           FROM joint_task t WHERE t.state IN ('summoned', 'in_action')
           AND t.deadline IS NOT NULL AND t.deadline < ? ORDER BY t.deadline, t.id""",
        (now,)))


def reminder_exists(tx: Any, key: str) -> bool:
    return tx.execute("SELECT 1 FROM reminder WHERE key = ?", (key,)).fetchone() is not None


def escalation_exists(tx: Any, report_id: int, deadline: str) -> bool:
    return tx.execute(
        "SELECT 1 FROM case_escalation WHERE report_id = ? AND deadline = ?",
        (report_id, deadline)).fetchone() is not None


def reminders(db: Any, role: str, limit: int = 200) -> list[dict[str, Any]]:
    return _dicts(db.query(
        "SELECT * FROM reminder WHERE role = ? ORDER BY created_at DESC, id DESC LIMIT ?",
        (role, limit)))


def escalations(db: Any, report_id: int | None = None) -> list[dict[str, Any]]:
    if report_id is None:
        return _dicts(db.query("SELECT * FROM case_escalation ORDER BY at, id"))
    return _dicts(db.query(
        "SELECT * FROM case_escalation WHERE report_id = ? ORDER BY at, id", (report_id,)))


# -- heat map of open cases ----------------------------------------------------------
def open_case_points(db: Any, asof: str) -> tuple[Any, Any]:
    """x, y (EPSG:4490) of the cases open at *asof*: reported by then, not rejected,
    not closed by then (the dashboard's heat map)."""
    from gridapp.storage.queries.tasks import decode_points

    rows = db.query(
        "SELECT geom FROM report WHERE reported_at < ? AND status != 'rejected' "
        "AND (closed_at IS NULL OR closed_at >= ?)", (asof, asof))
    return decode_points([r[0] for r in rows])


def community_outlines(db: Any) -> list[Any]:
    """The communities' geometries (shapely), for the heat map's outlines: decoded
    from the GeoPackage blobs here, not through a layer read (which would load
    geopandas, pyproj and pyarrow into the dashboard's worker, holding the
    interpreter lock ~0.2-0.3 s and freezing the window the first time)."""
    from gridapp.storage import geometry

    out = []
    for (blob,) in db.query("SELECT geom FROM community WHERE geom IS NOT NULL ORDER BY id"):
        g = geometry.decode(blob)
        if g is not None and not g.is_empty:
            out.append(g)
    return out
