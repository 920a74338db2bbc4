"""Schema version 24 (issue 17): what the indicators need, kept on the case.

The assessment figures used to derive three things from ``case_event`` every
time a period was computed (a month of a district read ~3M events):

* ``report.responded_at`` (new): the first 立案 or 不予立案 (``register`` /
  ``reject``), the moment the response-time rate (响应率) measures;
* ``report.dispatched_by`` (new): who made the last dispatch or re-dispatch
  (the dispatcher the figures are counted for);
* ``report.finished_at`` (kept since schema 6 by the workflow): the handler's
  report (处置反馈).  Writers that bypassed the workflow (the demo generator,
  old bulk loads) left it empty on finished cases; it is filled from the last
  ``finish`` event for cases at 已反馈, 已核查 or 已结案, the states in which
  the workflow keeps it.

The case workflow keeps all three from now on (gridapp.services.cases.workflow).
Rows nobody filled stay NULL and the assessment query falls back to the events
for them, so a writer that forgets them gives slower, not wrong, figures.

Also the index ``report(grid_id, reported_at)``: per-grid counts of a time
window (opening a district, the month by grid) read the index alone.

:data:`BACKFILL` is portable SQL (SQLite 3.33+ and PostgreSQL: ``UPDATE …
FROM``, window functions): run here on a GeoPackage and by
``gridapp.storage.postgis.migrate`` on a server street.
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0024_case_times"
VERSION = 24

BACKFILL: tuple[str, ...] = (
    """UPDATE report SET responded_at = ev.t
       FROM (SELECT report_id, MIN(at) AS t FROM case_event
             WHERE action IN ('register', 'reject') GROUP BY report_id) AS ev
       WHERE report.id = ev.report_id AND report.responded_at IS NULL""",
    """UPDATE report SET dispatched_by = ev.actor
       FROM (SELECT report_id, actor FROM (
                 SELECT report_id, actor, row_number() OVER (
                     PARTITION BY report_id ORDER BY at DESC, id DESC) AS n
                 FROM case_event WHERE action IN ('dispatch', 'redispatch')) AS d
             WHERE n = 1) AS ev
       WHERE report.id = ev.report_id AND report.dispatched_by IS NULL""",
    """UPDATE report SET finished_at = ev.t
       FROM (SELECT report_id, MAX(at) AS t FROM case_event
             WHERE action = 'finish' GROUP BY report_id) AS ev
       WHERE report.id = ev.report_id AND report.finished_at IS NULL
         AND report.status IN ('handler_done', 'verified', 'closed')""",
)


def backfill(conn: Any) -> None:
    """Fill the kept times from the events where they are empty (idempotent).

    Nothing to do without events: the schema's replays (the schema guard's, the
    PostGIS diff's) run on empty in-memory files, whose connections lack the
    GeoPackage functions the report's R-tree triggers name."""
    if conn.execute("SELECT 1 FROM case_event LIMIT 1").fetchone() is None:
        return
    for sql in BACKFILL:
        conn.execute(sql)


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    have = {r[1] for r in conn.execute('PRAGMA table_info("report")')}
    if "responded_at" not in have:
        conn.execute('ALTER TABLE "report" ADD COLUMN "responded_at" DATETIME')
    if "dispatched_by" not in have:
        conn.execute('ALTER TABLE "report" ADD COLUMN "dispatched_by" TEXT')
    conn.execute("CREATE INDEX IF NOT EXISTS report_grid_time ON report(grid_id, reported_at)")
    backfill(conn)
