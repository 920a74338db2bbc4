"""Named questions about the audit log: filtered entries, who and what appears, the chain.

Writing the log is :mod:`gridapp.storage.audit`'s (every audited transaction
appends to it); this module only reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gridapp.storage import audit
from gridapp.storage.store import GeoPackageStore

ChainProblem = audit.ChainProblem


@dataclass(frozen=True)
class AuditFilter:
    """Every field given must match; *since*/*until* are stored-time (ISO) bounds."""

    actor: str | None = None
    user_id: int | None = None
    table: str | None = None
    row_id: int | None = None
    action: str | None = None
    since: str | None = None
    until: str | None = None
    until_exclusive: bool = False


def entries(store: GeoPackageStore, where: AuditFilter, *, limit: int, offset: int = 0,
            newest_first: bool = True) -> list[dict[str, Any]]:
    """Log rows matching *where*: id, at, actor, user_id, action, table_name, row_id,
    and ``changes`` decoded from JSON (``None`` when empty), ordered by id."""
    conds: list[str] = []
    params: list[Any] = []
    for column, value in (("actor", where.actor), ("user_id", where.user_id),
                          ("table_name", where.table), ("row_id", where.row_id),
                          ("action", where.action)):
        if value is not None:
            conds.append(f"{column} = ?")
            params.append(value)
    if where.since is not None:
        conds.append("at >= ?")
        params.append(where.since)
    if where.until is not None:
        conds.append("at < ?" if where.until_exclusive else "at <= ?")
        params.append(where.until)
    order = "DESC" if newest_first else "ASC"
    found = store.query(
        "SELECT id, at, actor, user_id, action, table_name, row_id, changes FROM audit_log"
        f" WHERE {' AND '.join(conds) or '1 = 1'} ORDER BY id {order} LIMIT ? OFFSET ?",
        [*params, int(limit), int(offset)])
    out = []
    for r in found:
        row = dict(r)
        row["changes"] = json.loads(r["changes"]) if r["changes"] else None
        out.append(row)
    return out


def actors(store: GeoPackageStore) -> list[str]:
    """Everyone who appears in the log, by name."""
    return [r[0] for r in store.query(
        "SELECT DISTINCT actor FROM audit_log WHERE actor IS NOT NULL ORDER BY actor")]


def tables(store: GeoPackageStore) -> list[str]:
    """Every table named in the log, by name."""
    return [r[0] for r in store.query(
        "SELECT DISTINCT table_name FROM audit_log WHERE table_name IS NOT NULL"
        " ORDER BY table_name")]


def chain_problems(store: GeoPackageStore) -> list[ChainProblem]:
    """Every break in the log's hash chain (empty: intact)."""
    if getattr(store, "schema", None):  # a street on a district server
        from gridapp.storage.postgis.audit import verify

        return verify(store)
    return audit.verify(store._reader())
