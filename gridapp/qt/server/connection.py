"""A district-server connection as the dialog edits it, and the remembered list.

A :class:`ServerConnection` is host, port, database, login and street code,
or a libpq service name (``~/.pg_service.conf``) and a street code.  It never
holds a password: passwords live in the OS keyring or a pgpass file
(:mod:`gridapp.qt.server.passwords`).  The remembered connections are kept in
the window's QSettings under ``server/connections`` as JSON, without
passwords.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any
from urllib.parse import quote, urlencode

from gridapp.domain import codes
from gridapp.errors import ValidationError

SETTINGS_KEY = "server/connections"
MAX_REMEMBERED = 10
DEFAULT_PORT = 5432


@dataclass(frozen=True)
class ServerConnection:
    """Where a street lives on a district server (no password)."""

    host: str = ""
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    street: str = ""
    service: str = ""  # a libpq service name: host, port, database, user come from it

    def validated(self) -> ServerConnection:
        """A copy with the blanks trimmed; :class:`ValidationError` for what is missing."""
        c = ServerConnection(self.host.strip(), int(self.port), self.database.strip(),
                             self.user.strip(), self.street.strip(), self.service.strip())
        if not c.service:
            for value, zh, en in ((c.host, "服务器地址", "the server's address"),
                                  (c.database, "数据库名", "the database name"),
                                  (c.user, "登录名", "the login name")):
                if not value:
                    raise ValidationError("请填写{what}", "Enter {what_en}", what=zh, what_en=en)
            if not 1 <= c.port <= 65535:
                raise ValidationError("端口应在 1–65535 之间", "The port must be 1–65535")
        if not c.street:
            raise ValidationError("请填写街道代码（9 位数字）", "Enter the street code (9 digits)")
        codes.validate_street_code(c.street)
        return c

    def url(self, passfile: str | None = None) -> str:
        """The ``postgresql://…?street=CODE`` address GridApp opens (no password in it).

        *passfile*: a pgpass file libpq reads the password from for this
        connection only (the dialog's private file, see :mod:`.passwords`).
        """
        query: dict[str, str] = {}
        if self.service:
            query["service"] = self.service
        if passfile:
            query["passfile"] = passfile
        query["street"] = self.street
        if self.service:
            # "postgresql://@/": an empty host and user that the service fills in
            # (the storage layer drops a bare "//" when rebuilding the address).
            return "postgresql://@/?" + urlencode(query)
        host = f"[{self.host}]" if ":" in self.host else self.host
        return (f"postgresql://{quote(self.user, safe='')}@{host}:{self.port}/"
                f"{quote(self.database, safe='')}?" + urlencode(query))

    def label(self) -> str:
        """How the list of remembered connections shows it."""
        if self.service:
            return f"service={self.service} · {self.street}"
        return f"{self.user}@{self.host}:{self.port}/{self.database} · {self.street}"

    def title(self) -> str:
        """A short name for the window title (no slashes: it stands in for a file name)."""
        where = f"service {self.service}" if self.service else f"{self.database}@{self.host}"
        return f"{where} · {self.street}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ServerConnection | None:
        try:
            data = json.loads(text)
            known = {f.name for f in fields(cls)}
            return cls(**{k: v for k, v in data.items() if k in known})
        except (TypeError, ValueError):
            return None


def remembered(settings: Any) -> list[ServerConnection]:
    """The connections remembered in *settings*, the last used first."""
    value = settings.value(SETTINGS_KEY, [])
    if isinstance(value, str):
        value = [value]
    found = [ServerConnection.from_json(str(v)) for v in value or []]
    return [c for c in found if c is not None]


def remember(settings: Any, conn: ServerConnection) -> None:
    """Put *conn* first in the remembered list (no password is ever part of it)."""
    rest = [c for c in remembered(settings) if c != conn]
    settings.setValue(SETTINGS_KEY, [c.to_json() for c in [conn, *rest][:MAX_REMEMBERED]])


def forget(settings: Any, conn: ServerConnection) -> None:
    settings.setValue(SETTINGS_KEY, [c.to_json() for c in remembered(settings) if c != conn])
