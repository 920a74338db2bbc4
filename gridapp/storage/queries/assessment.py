"""Named questions for assessment and supervision (issue 17).

The indicator and threshold tables, the facts each case contributes to a
period's figures (one row per case touched by the period), the joint-task
check-ins and evaluations by department, unit labels, callbacks and the
automatic-supervision bookkeeping.  Times are GeoPackage ISO text in UTC, so
comparing them as text orders them in time.
"""

from __future__ import annotations

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
               *, units: Sequence[str] = tuple(UNIT_COLUMNS), with_dispatcher: bool = True
               ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every case a period [start, end) touches, with what the figures need:
    the column names and one tuple of values per column ([] when none).

    A case is touched when it was filed, registered, due or closed in the
    period, sent back or called back in it, or overdue at *asof* (the period's
    end, or now when the period is running).  Columns: ``id``, the unit columns
    asked for (*units*, keys of :data:`UNIT_COLUMNS`), ``flags`` (bit *i* set
    when :data:`CASE_SQL_FLAGS` [*i*] holds: times compared as ISO text, which
    orders them; ``rework``: sent back in the period; ``resolved`` and, from bit
    :data:`VERDICT_SHIFT`, the :data:`VERDICT_CODES` of the last callback in the
    period), ``dispatcher``; and the four times office hours are counted
    between, as ``julianday`` numbers (UTC), only where a figure needs them:
    ``reported_at`` / ``responded_at`` of cases filed in the period,
    ``dispatched_at`` / ``done_at`` of dispatched cases closed in it
    (``done_at``: the handler's report 处置反馈, else the closing).  A month of
    a district is ~300,000 rows: small integers and a few numbers are read
    without parsing text.

    ``responded_at`` (first 立案/不予立案), ``finished_at`` and ``dispatched_by``
    are kept on the case by the workflow (schema 24); a row nobody filled falls
    back to its events (the subquery runs only for such rows).
    *with_dispatcher* False gives NULL for ``dispatcher`` (only the dispatcher
    figures need it).
    """
    opened = _marks(open_statuses)
    dispatcher = """COALESCE(r.dispatched_by, (SELECT e.actor FROM case_event e
              WHERE e.report_id = r.id AND +e.action IN ('dispatch', 'redispatch')
              ORDER BY e.at DESC, e.id DESC LIMIT 1))""" if with_dispatcher else "NULL"
    verdicts = " ".join(f"WHEN '{k}' THEN {v}" for k, v in VERDICT_CODES.items())
    inner_units = "".join(f"{UNIT_COLUMNS[u]} AS {u}, " for u in units)
    outer_units = "".join(f"x.{u}, " for u in units)

    due = "x.deadline >= :s AND x.deadline < :e AND x.dispatched_at IS NOT NULL"
    closed = f"{due} AND x.closed_at < :e"
    filed = "x.reported_at >= :s AND x.reported_at < :e"
    handled = "x.closed_at >= :s AND x.closed_at < :e AND x.dispatched_at IS NOT NULL"
    conditions = [
        filed, "x.registered_at >= :s AND x.registered_at < :e", due,
        due + " AND x.shelved_at < :e", closed, closed + " AND x.done_at <= x.deadline",
        "x.dispatched_at <= :a AND x.deadline < :a AND x.status <> 'rejected'"
        " AND (x.closed_at IS NULL OR x.closed_at > :a)",
        "x.urgency = 'urgent'", "sb.rid IS NOT NULL", "c.resolved <> 0"]
    assert len(conditions) == len(CASE_SQL_FLAGS)
    # A period covering most reports (a year, "all the data") is read in one scan
    # of the report table; a month through the indexes (a UNION of their ranges
    # deduplicates every id: 4M inserts for 1M reports)
    wide = _share_filed(db, start, end) > 0.5
    scan = f"""SELECT id FROM report WHERE (+reported_at >= :s AND +reported_at < :e)
        OR (+registered_at >= :s AND +registered_at < :e)
        OR (+deadline >= :s AND +deadline < :e) OR (+closed_at >= :s AND +closed_at < :e)
        OR (+status IN ({opened}) AND +deadline < :a)
        OR (+closed_at > :a AND +deadline < :a)
        OR id IN (SELECT report_id FROM case_event WHERE action = 'send_back'
                  AND at >= :s AND at < :e)
        OR id IN (SELECT report_id FROM case_callback WHERE called_at >= :s
                  AND called_at < :e)"""
    ranges = f"""
        SELECT id FROM report WHERE reported_at >= :s AND reported_at < :e
        UNION SELECT id FROM report WHERE registered_at >= :s AND registered_at < :e
        UNION SELECT id FROM report WHERE deadline >= :s AND deadline < :e
        UNION SELECT id FROM report WHERE closed_at >= :s AND closed_at < :e
        UNION SELECT id FROM report WHERE status IN ({opened}) AND deadline < :a
        UNION SELECT id FROM report WHERE closed_at > :a AND deadline < :a
        UNION SELECT report_id FROM case_event WHERE action = 'send_back'
              AND at >= :s AND at < :e
        UNION SELECT report_id FROM case_callback WHERE called_at >= :s AND called_at < :e"""
    sql = f"""
    WITH touched(id) AS MATERIALIZED ({scan if wide else ranges}),
    sb(rid, n) AS MATERIALIZED (
        SELECT report_id, COUNT(*) FROM case_event WHERE action = 'send_back'
        AND at >= :s AND at < :e GROUP BY report_id),
    cb(rid, id) AS MATERIALIZED (
        SELECT report_id, MAX(id) FROM case_callback WHERE called_at >= :s
        AND called_at < :e GROUP BY report_id)
    SELECT x.id, {outer_units}
           {" + ".join(f"CASE WHEN {cond} THEN {1 << i} ELSE 0 END"
                       for i, cond in enumerate(conditions))}
           + (CASE c.verdict {verdicts} ELSE 0 END) * {1 << VERDICT_SHIFT},
           x.dispatcher,
           CASE WHEN {filed} THEN julianday(x.reported_at) END,
           CASE WHEN {filed} THEN julianday(x.responded_at) END,
           CASE WHEN {handled} THEN julianday(x.dispatched_at) END,
           CASE WHEN {handled} THEN julianday(x.done_at) END
    FROM (SELECT r.id, {inner_units}r.urgency, r.status, r.reported_at, r.registered_at,
                 r.dispatched_at, r.deadline, r.closed_at, r.shelved_at,
                 {dispatcher} AS dispatcher,
                 COALESCE(r.finished_at, CASE WHEN r.closed_at IS NOT NULL THEN
                     (SELECT MAX(e.at) FROM case_event e WHERE e.report_id = r.id
                      AND +e.action = 'finish') END, r.closed_at) AS done_at,
                 COALESCE(r.responded_at, CASE WHEN r.status <> 'reported' THEN
                     (SELECT MIN(e.at) FROM case_event e WHERE e.report_id = r.id
                      AND +e.action IN ('register', 'reject')) END) AS responded_at
          FROM touched t JOIN report r ON r.id = t.id) x
    LEFT JOIN sb ON sb.rid = x.id
    LEFT JOIN cb ON cb.rid = x.id
    LEFT JOIN case_callback c ON c.id = cb.id
    """
    # named and positional parameters cannot mix: number the statuses by name
    names = {f"st{i}": v for i, v in enumerate(open_statuses)}
    sql = sql.replace(f"IN ({opened})", "IN (" + ", ".join(f":{k}" for k in names) + ")")
    columns = ["id", *units, "flags", "dispatcher", "reported_at", "responded_at",
               "dispatched_at", "done_at"]
    return columns, _by_column(db, sql, {"s": start, "e": end, "a": asof, **names})


def _share_filed(db: Any, start: str, end: str) -> float:
    """About which share of all reports was filed in [start, end) (index reads)."""
    row = db.query("SELECT (SELECT count(*) FROM report WHERE reported_at >= ? AND"
                   " reported_at < ?), (SELECT max(id) - min(id) + 1 FROM report)",
                   (start, end))[0]
    return float(row[0] or 0) / float(row[1] or 1)


def _by_column(db: Any, sql: str, params: Any) -> list[tuple[Any, ...]]:
    """One tuple per column ([] without rows).  On a GeoPackage the rows come as
    plain tuples (no ``sqlite3.Row`` each) and are transposed in C by ``zip``."""
    reader = getattr(db, "_reader", None)
    if reader is None:
        rows = [tuple(r) for r in db.query(sql, params)]
    else:
        from gridapp.storage.connection import translate_errors

        with translate_errors(db.path):
            cur = reader().execute(sql, params)
            cur.row_factory = None
            rows = cur.fetchall()
    return list(zip(*rows, strict=True))


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
