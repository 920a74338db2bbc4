"""Schema version 24 (issue 17): an index on ``report.registered_at``.

A period's figures find the cases registered in it (立案数); without an index
that was a scan of every report (on the 1M-report district ~0.5 s of the
month's read).
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0024_report_registered_at"
VERSION = 24


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    conn.execute("CREATE INDEX IF NOT EXISTS report_registered_at ON report(registered_at)")
