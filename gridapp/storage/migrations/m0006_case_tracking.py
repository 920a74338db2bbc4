"""Schema version 6: what the case workflow records beyond m0001.

* ``report``: the handler's finish time, verification time, the marks left by
  actions that keep the state (延期 extension count and the deadline before
  it, 挂账 shelved, 上报区政府 escalated), the departments assisting a joint
  case, and the user who filed it;
* indexes for the case list (deadline, status + deadline, reporter,
  department + status, parent) so a list over a million cases pages quickly.
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0006_case_tracking"
VERSION = 6

COLUMNS = [
    ("finished_at", "DATETIME"),
    ("verified_at", "DATETIME"),
    ("extension_count", "INTEGER NOT NULL DEFAULT 0"),
    ("original_deadline", "DATETIME"),
    ("shelved_at", "DATETIME"),
    ("escalated_at", "DATETIME"),
    ("assist_department_ids", "TEXT"),
    ("reported_by_user_id", "INTEGER REFERENCES app_user(id)"),
    ("updated_at", "DATETIME"),
]

INDEXES = [
    "CREATE INDEX IF NOT EXISTS report_deadline ON report(deadline)",
    "CREATE INDEX IF NOT EXISTS report_status_deadline ON report(status, deadline)",
    "CREATE INDEX IF NOT EXISTS report_status_time ON report(status, reported_at)",
    "CREATE INDEX IF NOT EXISTS report_reporter ON report(reporter_manager_id)",
    "CREATE INDEX IF NOT EXISTS report_department_status ON report(department_id, status)",
    "CREATE INDEX IF NOT EXISTS report_parent ON report(parent_id)",
    "CREATE INDEX IF NOT EXISTS report_category_time ON report(category_id, reported_at)",
]


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    have = {r[1] for r in conn.execute('PRAGMA table_info("report")')}
    for name, decl in COLUMNS:
        if name not in have:
            conn.execute(f'ALTER TABLE "report" ADD COLUMN "{name}" {decl}')
    for sql in INDEXES:
        conn.execute(sql)
