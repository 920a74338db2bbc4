"""Publish, checkout and checkin between workspace files and a district server.

Each function takes the session of the user doing it and checks permission
first: an administrator publishes a street's file; an administrator, office
clerk or grid manager takes an offline copy for a laptop and brings it back.
The work itself is :mod:`gridapp.storage.postgis.sync` (one server
transaction each; checkin all or nothing, conflicts kept side by side).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridapp.errors import ValidationError
from gridapp.services.session import Session


@dataclass
class ConflictView:
    """One row edited both offline and on the server since the checkout."""

    table: str
    row_id: int
    columns: list[str]
    offline: dict[str, Any] | None  # None: deleted in the offline copy
    online: dict[str, Any] | None  # None: deleted on the server


@dataclass
class CheckinOutcome:
    applied: dict[str, int] = field(default_factory=dict)
    conflicts: list[ConflictView] = field(default_factory=list)
    noop: bool = False

    @property
    def ok(self) -> bool:
        return not self.conflicts


def _server_url(url: str) -> str:
    if not isinstance(url, str) or not url.startswith(("postgresql://", "postgres://")):
        raise ValidationError("服务器地址应以 postgresql:// 开头：{url}",
                              "The server address must start with postgresql://: {url}",
                              url=str(url))
    return url


def publish(session: Session, url: str, street: str | None = None, *,
            replace: bool = False) -> dict[str, int]:
    """Copy the session's workspace file to the server as street *street* (rows per table).

    *street* defaults to the code of the workspace's street.  A street the
    server already holds is refused unless *replace*.
    """
    session.require("district.publish")
    from gridapp.storage.postgis import sync
    from gridapp.storage.queries import workspace as wq

    url = _server_url(url)
    if street is None:
        row = wq.first_street(session.store)
        if row is None or not row.get("code"):
            raise ValidationError("工作空间中没有街道代码，请用 --street 指明",
                                  "The workspace has no street code; give one with --street")
        street = str(row["code"])
    return sync.publish(session.store, url, street, replace=replace)


def _street_of(session: Session) -> tuple[str, str]:
    store: Any = session.store
    url = getattr(store, "url", None)
    street = getattr(store, "street", None)
    if not url or not street:
        raise ValidationError("签出和签入需要连接到区服务器（--db postgresql://…）",
                              "Checkout and checkin work on a district server "
                              "(--db postgresql://…)")
    return store.conninfo + ("&" if "?" in store.conninfo else "?") + f"street={street}", street


def checkout(session: Session, out: str | os.PathLike) -> dict[str, int]:
    """Write an offline copy of the session's street (a server store) to *out*."""
    session.require("district.checkout")
    from gridapp.storage.postgis import sync

    url, street = _street_of(session)
    return sync.checkout(url, street, Path(out))


def copy_origin(field_copy: str | os.PathLike) -> dict[str, Any]:
    """Where an offline copy came from: ``{"server", "street", "checkout_id", "at"}``.

    Read before logging in (the street decides where to log in); refuses a
    file that was not checked out from a server.
    """
    from gridapp.errors import WorkspaceOpenError
    from gridapp.storage.postgis import sync

    origin = sync.origin_of(Path(field_copy))
    if origin is None:
        raise WorkspaceOpenError("{path} 不是从服务器签出的副本",
                                 "{path} is not a copy checked out from a server",
                                 path=str(field_copy))
    return origin


def checkin(session: Session, field_copy: str | os.PathLike) -> CheckinOutcome:
    """Bring an offline copy's edits back to the session's street, all or nothing.

    Rows edited on both sides come back as conflicts (both versions) and
    nothing is applied; the same file checked in twice changes nothing the
    second time.
    """
    session.require("district.checkin")
    from gridapp.storage.postgis import sync

    url, _street = _street_of(session)
    result = sync.checkin(Path(field_copy), url)
    return CheckinOutcome(
        result.applied,
        [ConflictView(c.table, c.row_id, c.columns, c.offline, c.online)
         for c in result.conflicts],
        result.noop)
