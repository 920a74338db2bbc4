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

_CASE_COLUMNS = [
    "id", "case_no", "grid_id", "grid_code", "community_id", "manager_id",
    "department_id", "category_id", "source", "urgency", "status", "reported_at",
    "registered_at", "dispatched_at", "deadline", "closed_at", "finished_at",
    "shelved_at", "responded_at", "finish_event", "dispatcher", "rework_events", "verdict",
    "resolved", "called_at",
]


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
               *, with_dispatcher: bool = True
               ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every case a period [start, end) touches, with what the figures need.

    A case is touched when it was filed, registered, due or closed in the
    period, sent back or called back in it, or overdue at *asof* (the period's
    end, or now when the period is running).  ``responded_at`` is the first
    register/reject event; ``dispatcher`` the actor of the last dispatch;
    ``finish_event`` the last 处置反馈 event; ``rework_events`` the send-backs in
    the period (the ``+`` before ``e.action`` in the dispatcher's subquery keeps
    SQLite on the report index: the action index would scan every event of that
    kind per case); ``verdict`` / ``resolved``
    the last callback in the period.  *with_dispatcher* False gives NULL for
    ``dispatcher`` (the dearest subquery; only the dispatcher figures need it).
    """
    opened = _marks(open_statuses)
    dispatcher = """(SELECT e.actor FROM case_event e WHERE e.report_id = r.id
              AND +e.action IN ('dispatch', 'redispatch') ORDER BY e.at DESC, e.id DESC
              LIMIT 1)""" if with_dispatcher else "NULL"
    # The touched cases first; then their events are read once, in one grouped
    # pass (first register/reject, last finish, send-backs in the period), not
    # by one subquery per figure per case.
    sql = f"""
    WITH touched(id) AS MATERIALIZED (
        SELECT id FROM report WHERE reported_at >= :s AND reported_at < :e
        UNION SELECT id FROM report WHERE registered_at >= :s AND registered_at < :e
        UNION SELECT id FROM report WHERE deadline >= :s AND deadline < :e
        UNION SELECT id FROM report WHERE closed_at >= :s AND closed_at < :e
        UNION SELECT id FROM report WHERE status IN ({opened}) AND deadline < :a
        UNION SELECT id FROM report WHERE closed_at > :a AND deadline < :a
        UNION SELECT report_id FROM case_event WHERE action = 'send_back'
              AND at >= :s AND at < :e
        UNION SELECT report_id FROM case_callback WHERE called_at >= :s AND called_at < :e),
    ev(rid, responded, finished, sent_back) AS MATERIALIZED (
        SELECT e.report_id,
               MIN(CASE WHEN e.action IN ('register', 'reject') THEN e.at END),
               MAX(CASE WHEN e.action = 'finish' THEN e.at END),
               SUM(e.action = 'send_back' AND e.at >= :s AND e.at < :e)
        FROM touched t JOIN case_event e ON e.report_id = t.id
        GROUP BY e.report_id)
    SELECT r.id, r.case_no, r.grid_id, g.code, r.community_id, r.reporter_manager_id,
           r.department_id, r.category_id, r.source, r.urgency, r.status,
           r.reported_at, r.registered_at, r.dispatched_at, r.deadline, r.closed_at,
           r.finished_at, r.shelved_at, ev.responded, ev.finished, {dispatcher},
           COALESCE(ev.sent_back, 0), cb.verdict, cb.resolved, cb.called_at
    FROM touched t
    JOIN report r ON r.id = t.id
    LEFT JOIN ev ON ev.rid = t.id
    LEFT JOIN grid g ON g.id = r.grid_id
    LEFT JOIN case_callback cb ON cb.id = (
        SELECT MAX(c.id) FROM case_callback c WHERE c.report_id = r.id
          AND c.called_at >= :s AND c.called_at < :e)
    """
    # named and positional parameters cannot mix: number the statuses by name
    names = {f"st{i}": v for i, v in enumerate(open_statuses)}
    sql = sql.replace(f"IN ({opened})", "IN (" + ", ".join(f":{k}" for k in names) + ")")
    rows = db.query(sql, {"s": start, "e": end, "a": asof, **names})
    return list(_CASE_COLUMNS), [tuple(r) for r in rows]


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
