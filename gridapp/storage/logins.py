"""Reading a user for a login attempt, inside the attempt's write transaction.

Every login attempt is counted in a short ``BEGIN IMMEDIATE`` transaction
before the password is checked (services/auth.py), so attempts from many
processes at once are serialised by SQLite's single writer and none of them
reads a stale counter.
"""

from __future__ import annotations

import sqlite3

USER_SQL = (
    "SELECT u.id, u.username, u.display_name, r.name AS role, u.department_id,"
    " u.manager_id, u.password_hash, u.failed_logins, u.locked_until, u.active"
    " FROM app_user u JOIN app_role r ON r.id = u.role_id")


def user_by_name(conn: sqlite3.Connection, username: str) -> sqlite3.Row | None:
    """The login row of *username* (``None`` when there is no such user)."""
    return conn.execute(USER_SQL + " WHERE u.username = ?", (username,)).fetchone()
