"""Checking a street's audit chain on the server.

The server writes every entry (:mod:`.serverside`): ``hash`` is the SHA-256 of
the previous entry's hash and the entry's fields, computed by
``gridapp.audit_hash``.  :func:`verify` recomputes each one and checks the
links and the ids: the server numbers entries one after the other under a
lock (a rolled-back transaction leaves no gap), so a gap is a deleted entry.
Entries deleted at the very end leave no gap: compare the head ``info``
prints (and exports carry) with an earlier one.  Only a database superuser can
change the table at all (street roles may not; the guard trigger refuses
even the owner); this finds what such a change left behind.
"""

from __future__ import annotations

from typing import Any

from gridapp.storage.audit import GENESIS, ChainProblem


def verify(store: Any) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    rows = store.query(
        "SELECT id, prev_hash, hash, gridapp.audit_hash(prev_hash, at, actor, user_id, action,"
        " table_name, row_id, changes, db_role) FROM audit_log ORDER BY id")
    prev, expected = GENESIS, None
    for id_, prev_hash, digest, recomputed in rows:
        if expected is not None and id_ != expected:
            problems.append(ChainProblem(
                id_, f"第{expected}–{id_ - 1}条审计记录缺失",
                f"audit entries {expected}–{id_ - 1} are missing"))
        if prev_hash != prev:
            problems.append(ChainProblem(
                id_, f"第{id_}条审计记录的前序哈希与上一条不符（记录被删除或修改）",
                f"audit entry {id_}: previous hash does not match (an entry was "
                "changed or deleted)"))
        if recomputed != digest:
            problems.append(ChainProblem(
                id_, f"第{id_}条审计记录的内容与其哈希不符（记录被修改）",
                f"audit entry {id_}: its content does not match its hash (it was changed)"))
        prev, expected = digest, id_ + 1
    return problems
