"""Schema version 4 (grids): indexes for versioned grid editing.

Current grid codes are unique (a partial unique index over ``valid_to IS
NULL``), and the queries the grid editor and the as-of-date view run most
(current grids of a community, versions by validity, lineage) get indexes.
A file whose current codes are already duplicated keeps opening: the unique
index is then skipped and ``grids check`` reports the duplicates instead.
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0004_grids"
VERSION = 4

INDEXES = [
    "CREATE INDEX IF NOT EXISTS grid_current_community ON grid(community_id)"
    " WHERE valid_to IS NULL",
    "CREATE INDEX IF NOT EXISTS grid_validity ON grid(valid_from, valid_to)",
    "CREATE INDEX IF NOT EXISTS grid_previous ON grid(previous_id)",
    "CREATE INDEX IF NOT EXISTS grid_code ON grid(code)",
]

UNIQUE_RULES = [
    ("SELECT 1 FROM grid WHERE valid_to IS NULL GROUP BY code HAVING count(*) > 1 LIMIT 1",
     "CREATE UNIQUE INDEX IF NOT EXISTS grid_current_code_unique ON grid(code)"
     " WHERE valid_to IS NULL"),
]


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    for sql in INDEXES:
        conn.execute(sql)
    for violation, sql in UNIQUE_RULES:
        if conn.execute(violation).fetchone() is None:
            conn.execute(sql)
