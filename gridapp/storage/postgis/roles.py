"""Database logins for GridApp users: one login role per user, in its street's group.

A street's group role (``gridapp_street_<code>``, made by the migrations) may
use that street's schema and nothing else; :func:`create_login` adds a
user's own login role to it (``ga_<code>_<username>``, with a password the
server keeps as a SCRAM hash).  Whatever program the user connects with —
GridApp, QGIS or psql — the server lets it read and write that street only,
and the audit triggers record the login role beside the GridApp actor.
"""

from __future__ import annotations

from gridapp.errors import ValidationError
from gridapp.storage.postgis import serverside
from gridapp.storage.postgis.schema import quote_schema
from gridapp.storage.postgis.store import connect, split_url


def create_login(admin_url: str, street: str, username: str, password: str) -> str:
    """Create (or reset the password of) *username*'s login for *street*; the role name."""
    if len(password) < 8:
        raise ValidationError("密码至少 8 个字符", "The password needs at least 8 characters")
    conninfo, _street, shown = split_url(admin_url)
    sch = quote_schema(street)
    role = serverside.user_role(sch, username)
    group = serverside.street_role(sch)
    conn = connect(conninfo, shown)
    try:
        with conn.transaction():
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone():
                raise ValidationError("服务器上没有街道 {street}", "The server has no street {street}",
                                      street=street)
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            verb = "ALTER" if exists else "CREATE"
            # The password is sent as a literal (roles take no parameters); quote it.
            literal = conn.execute("SELECT quote_literal(%s)", (password,)).fetchone()[0]
            conn.execute(f'{verb} ROLE "{role}" LOGIN INHERIT PASSWORD {literal}')
            conn.execute(f'GRANT "{group}" TO "{role}"')
    finally:
        conn.close()
    return role
