"""A district server before and while the window uses it (issue 16).

:func:`check_server` answers the connection dialog's 测试连接: can this
address be opened (password, server up, street there, schema not newer than
this GridApp), and what is behind it.  It opens the street read-only and
closes it again; nothing is written.  :func:`reconnect_count` tells the
window how often the server store has reopened a dropped connection (a
server restart), so it can tell the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridapp.errors import ValidationError
from gridapp.services.session import Session
from gridapp.storage.queries import workspace as queries

SCHEMES = ("postgresql://", "postgres://")


def is_server_address(text: object) -> bool:
    """Whether *text* is a ``postgresql://…`` address (not a workspace file)."""
    return isinstance(text, str) and text.startswith(SCHEMES)


@dataclass(frozen=True)
class ServerCheck:
    """What a successful check found."""

    street_code: str
    street_name: str
    schema_version: int
    current_grids: int


def check_server(url: str) -> ServerCheck:
    """Open *url* read-only, read the street's name and size, close it.

    Raises
    ------
    WorkspaceOpenError
        Wrong user name or password, server down or unreachable, no such
        street on the server (messages in both languages, address without
        password).
    SchemaVersionError
        The street was written by a newer GridApp.
    ValidationError
        *url* is not a server address.
    """
    if not is_server_address(url):
        raise ValidationError("不是数据库服务器地址：{url}", "Not a database server address: {url}",
                              url=url)
    store = queries.open_store(url, readonly=True)
    try:
        row = queries.first_street(store) or {}
        return ServerCheck(
            street_code=str(row.get("code") or store.setting("street.code") or ""),
            street_name=str(row.get("name") or store.setting("street.name") or ""),
            schema_version=int(store.schema_version),
            current_grids=queries.current_grid_count(store),
        )
    finally:
        store.close()


def reconnect_count(session: Session) -> int:
    """How many times the session's server connections were reopened (0 for a file).

    A helper every role may call: it reads a counter, no data.
    """
    return int(getattr(session.store, "reconnects", 0) or 0)
