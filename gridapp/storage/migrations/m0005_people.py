"""Schema version 5 (people and access): indexes for assignments, users and the audit viewer.

At most one current primary manager per grid, and one current row per
(grid, manager), are enforced by partial unique indexes.  Files whose data
already break that rule keep opening: the indexes are then skipped and the
assignment warnings report the problem instead.
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0005_people"
VERSION = 5

INDEXES = [
    "CREATE INDEX IF NOT EXISTS audit_at ON audit_log(at)",
    "CREATE INDEX IF NOT EXISTS audit_actor ON audit_log(actor)",
    "CREATE INDEX IF NOT EXISTS app_user_manager ON app_user(manager_id)",
    "CREATE INDEX IF NOT EXISTS assignment_current ON grid_assignment(grid_id)"
    " WHERE valid_to IS NULL",
]

UNIQUE_RULES = [
    ("SELECT 1 FROM grid_assignment WHERE valid_to IS NULL AND role = 'primary'"
     " GROUP BY grid_id HAVING count(*) > 1 LIMIT 1",
     "CREATE UNIQUE INDEX IF NOT EXISTS assignment_one_primary ON grid_assignment(grid_id)"
     " WHERE valid_to IS NULL AND role = 'primary'"),
    ("SELECT 1 FROM grid_assignment WHERE valid_to IS NULL"
     " GROUP BY grid_id, manager_id HAVING count(*) > 1 LIMIT 1",
     "CREATE UNIQUE INDEX IF NOT EXISTS assignment_one_current ON"
     " grid_assignment(grid_id, manager_id) WHERE valid_to IS NULL"),
]


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    for sql in INDEXES:
        conn.execute(sql)
    for violation, sql in UNIQUE_RULES:
        if conn.execute(violation).fetchone() is None:
            conn.execute(sql)
