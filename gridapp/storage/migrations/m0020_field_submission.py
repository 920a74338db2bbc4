"""Schema version 20: what phones sent to the field service, once each.

``field_submission`` keeps the idempotency key a phone gives each report,
track, photo set or case action it queues (a random UUID made on the phone),
the row it became (``kind`` + ``target_id``), who sent it, the phone's own
clock (``device_time``, as the phone said it: it may be wrong) beside the
server's (``received_at``).  A queued submission sent again, after a dropped
connection or a server restart, finds its key and is answered with the row it
already made: it files once.  The key is UNIQUE so two copies racing each
other cannot both write.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from gridapp.storage import gpkg

NAME = "0020_field_submission"
VERSION = 20


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    conn.execute(
        """CREATE TABLE field_submission (
        id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('report', 'track', 'photos', 'action')),
        target_id INTEGER,
        user_id INTEGER REFERENCES app_user(id),
        device_time TEXT,
        received_at DATETIME NOT NULL,
        result TEXT)""")
    gpkg.register_attributes(conn, "field_submission",
                             "外勤提交记录 field submissions (idempotency keys)")
