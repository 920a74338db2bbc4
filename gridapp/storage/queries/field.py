"""Named questions of the field service (phones): submissions by idempotency key.

Read through the store, or inside the write transaction that files the
submission, so that two copies of one queued report racing each other are
serialised by ``BEGIN IMMEDIATE`` and only the first writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gridapp.storage.store import GeoPackageStore
    from gridapp.storage.transaction import Transaction

_BY_KEY = ("SELECT id, idempotency_key, kind, target_id, user_id, device_time,"
           " received_at, result FROM field_submission WHERE idempotency_key = ?")


def submission(db: GeoPackageStore | Transaction, key: str) -> dict[str, Any] | None:
    """The submission filed under idempotency *key*, or ``None``."""
    from gridapp.storage.transaction import Transaction

    if isinstance(db, Transaction):
        row = db.execute(_BY_KEY, (key,)).fetchone()
    else:
        found = list(db.query(_BY_KEY, (key,)))
        row = found[0] if found else None
    return None if row is None else dict(row)


def submissions_of_user(store: GeoPackageStore, user_id: int,
                        limit: int = 50) -> list[dict[str, Any]]:
    """The user's latest submissions, newest first (what the phone may show as sent)."""
    rows = store.query(
        "SELECT id, idempotency_key, kind, target_id, device_time, received_at"
        " FROM field_submission WHERE user_id = ? ORDER BY id DESC LIMIT ?",
        (user_id, limit))
    return [dict(r) for r in rows]


def submission_count(store: GeoPackageStore, kind: str | None = None) -> int:
    """How many submissions are stored (of *kind*, or all)."""
    if kind is None:
        return int(store.scalar("SELECT count(*) FROM field_submission") or 0)
    return int(store.scalar("SELECT count(*) FROM field_submission WHERE kind = ?",
                            (kind,)) or 0)
