"""The append-only, hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so
changing or deleting an entry breaks the chain from there on.  Deleting the
newest entries is caught by comparing the last id with SQLite's AUTOINCREMENT
counter, which never goes back.  Secret columns are never written here.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from gridapp.domain.timeutil import now_iso

GENESIS = "0" * 64
SECRET_COLUMNS = frozenset({"password_hash", "password"})
REDACTED = "***"


def _canonical(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": len(value), "sha256": hashlib.sha256(bytes(value)).hexdigest()}
    return value


def redact(changes: dict[str, Any]) -> dict[str, Any]:
    """Changes with secret columns replaced and binary values summarised."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key in SECRET_COLUMNS:
            out[key] = REDACTED
        elif isinstance(value, list | tuple) and len(value) == 2:
            out[key] = [_canonical(value[0]), _canonical(value[1])]
        else:
            out[key] = _canonical(value)
    return out


def entry_hash(prev_hash: str, at: str, actor: str | None, user_id: int | None,
               action: str, table: str | None, row_id: int | None, changes: str | None) -> str:
    payload = json.dumps(
        [prev_hash, at, actor, user_id, action, table, row_id, changes],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(conn: sqlite3.Connection, *, actor: str | None, user_id: int | None,
           action: str, table: str | None, row_id: int | None,
           changes: dict[str, Any] | None) -> None:
    """Append one entry; call inside the transaction that made the change."""
    row = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    at = now_iso()
    text = (
        json.dumps(redact(changes), ensure_ascii=False, sort_keys=True, default=str)
        if changes is not None else None
    )
    digest = entry_hash(prev, at, actor, user_id, action, table, row_id, text)
    conn.execute(
        "INSERT INTO audit_log (at, actor, user_id, action, table_name, row_id, changes,"
        " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at, actor, user_id, action, table, row_id, text, prev, digest),
    )


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int | None
    reason_zh: str
    reason_en: str


def verify(conn: sqlite3.Connection) -> list[ChainProblem]:
    """Walk the chain; return every place where it is broken."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    last_id = 0
    expected_id = None
    for row in conn.execute(
        "SELECT id, at, actor, user_id, action, table_name, row_id, changes, prev_hash, hash"
        " FROM audit_log ORDER BY id"
    ):
        (id_, at, actor, user_id, action, table, row_id, changes, prev_hash, digest) = row
        if expected_id is not None and id_ != expected_id:
            problems.append(ChainProblem(
                id_, f"第{expected_id}–{id_ - 1}条审计记录缺失",
                f"audit entries {expected_id}–{id_ - 1} are missing"))
        if prev_hash != prev:
            problems.append(ChainProblem(
                id_, f"第{id_}条审计记录的前序哈希与上一条不符（记录被删除或修改）",
                f"audit entry {id_}: previous hash does not match (an entry was "
                "changed or deleted)"))
        if entry_hash(prev_hash, at, actor, user_id, action, table, row_id, changes) != digest:
            problems.append(ChainProblem(
                id_, f"第{id_}条审计记录的内容与其哈希不符（记录被篡改）",
                f"audit entry {id_}: content does not match its hash (tampered)"))
        prev = digest
        last_id = id_
        expected_id = id_ + 1
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").fetchone()
    if seq and seq[0] > last_id:
        problems.append(ChainProblem(
            None, f"最后{seq[0] - last_id}条审计记录被删除",
            f"the last {seq[0] - last_id} audit entries were deleted"))
    return problems
