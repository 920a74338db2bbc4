"""Schema 15: the keyed audit chain (docs/security.md).

Adds the index the audit layer uses to find the last ``users_digest`` entry
quickly.  The keyed segment itself begins with the first write after this
migration (in the same transaction when the migration runs on a writable
file): :func:`gridapp.storage.audit.current_key` gives the workspace an id,
makes a key in the user's configuration folder and appends an
``audit_keyed_segment`` entry whose ``prev_hash`` covers the older, unkeyed
entries.
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0015_audit_keyed"
VERSION = 15


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    conn.execute("CREATE INDEX IF NOT EXISTS audit_action ON audit_log(action, id)")
