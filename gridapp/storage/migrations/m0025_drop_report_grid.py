"""Schema version 25 (issue 22): drop the index ``report(grid_id)``.

Schema 24 added ``report(grid_id, reported_at)``, whose first column is the
whole of ``report_grid``: every lookup, join, foreign-key check and
``GROUP BY grid_id`` that used ``report_grid`` can use ``report_grid_time``
instead (SQLite and PostgreSQL both search a prefix of a composite index).
The narrower index only cost writes: bulk loads rebuild each report index
once, and this one was 1/13 of that (a million reports: ~0.4-0.5 s of
``bulk.load_frame``), and every single report insert updated it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0025_drop_report_grid"
VERSION = 25


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    # The replacement must exist before the index goes (it does after 0024).
    conn.execute("CREATE INDEX IF NOT EXISTS report_grid_time ON report(grid_id, reported_at)")
    conn.execute("DROP INDEX IF EXISTS report_grid")
