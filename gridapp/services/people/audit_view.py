"""Reading the audit log: filter by person, time, table and row; verify the chain.

Residents' and reporters' personal data inside an entry's changes (a
report's ``reporter_name`` and ``reporter_phone``...) is masked for readers
whose role does not reach every record (the leader); an administrator sees
it in full, and that read is itself logged once (``view_personal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from gridapp.domain.timeutil import LOCAL_TZ, to_iso
from gridapp.services.people.personal_data import reveal_audit
from gridapp.services.session import Session
from gridapp.storage.queries import audit as qaudit


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str | None
    user_id: int | None
    action: str
    table: str | None
    row_id: int | None
    changes: dict[str, Any] | None


def _bound(value: date | datetime | str | None, end: bool) -> str | None:
    """A stored-time bound; a date means the whole local (Asia/Shanghai) day."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return to_iso(value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ))
    day = value + timedelta(days=1) if end else value
    return to_iso(datetime.combine(day, time(0), tzinfo=LOCAL_TZ))


def query_audit(session: Session, *, actor: str | None = None, user_id: int | None = None,
                since: date | datetime | str | None = None,
                until: date | datetime | str | None = None,
                table: str | None = None, row_id: int | None = None,
                action: str | None = None, limit: int = 1000,
                offset: int = 0, newest_first: bool = True) -> list[AuditEntry]:
    """Audit entries matching every given filter.

    *since* and *until* are inclusive; a :class:`date` covers the whole local day.
    Personal data in the changes is masked per role (see the module docstring).
    """
    session.require("audit.read")
    where = qaudit.AuditFilter(
        actor=actor, user_id=user_id, table=table, row_id=row_id, action=action,
        since=_bound(since, False), until=_bound(until, True),
        until_exclusive=isinstance(until, date) and not isinstance(until, datetime))
    rows = qaudit.entries(session.store, where, limit=limit, offset=offset,
                          newest_first=newest_first)
    return reveal_audit(session, [
        AuditEntry(r["id"], r["at"], r["actor"], r["user_id"], r["action"], r["table_name"],
                   r["row_id"], r["changes"])
        for r in rows])


def history_of(session: Session, table: str, row_id: int) -> list[AuditEntry]:
    """Every change of one row, oldest first."""
    return query_audit(session, table=table, row_id=row_id, limit=100_000,
                       newest_first=False)


def audit_actors(session: Session) -> list[str]:
    """Everyone who appears in the log (for the viewer's person filter)."""
    session.require("audit.read")
    return qaudit.actors(session.store)


def audit_tables(session: Session) -> list[str]:
    """Every table named in the log (for the viewer's table filter)."""
    session.require("audit.read")
    return qaudit.tables(session.store)


def verify_chain(session: Session) -> list[qaudit.ChainProblem]:
    """Every break in the audit log's hash chain (empty: intact)."""
    session.require("audit.read")
    return qaudit.chain_problems(session.store)
