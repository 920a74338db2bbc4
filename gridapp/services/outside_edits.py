"""Edits made outside GridApp: list them, accept them into history and audit, or revert them.

QGIS, ``sqlite3`` or ``ogrinfo -sql`` can change the workspace file without
GridApp's versioning and audit log.  Plain-SQL triggers record each such
insert, update and delete of grids, communities, reports and case events
(kept in storage); ``check`` lists them as "edited
outside GridApp" with the row before and after.  An administrator then
either accepts them (each becomes an audit entry; a grid update or delete is
turned into a closed version, as GridApp's own edit would have made it) or
reverts them (newest first, each audited).  Either way nothing else changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from gridapp.domain.timeutil import now_iso
from gridapp.errors import NotFoundError
from gridapp.services.session import Session, as_session
from gridapp.storage.api import Store
from gridapp.storage.queries import workspace as queries
from gridapp.storage.queries.workspace import OutsideEdit

__all__ = ["OutsideEdit", "pending_outside_edits", "count_outside_edits",
           "accept_outside_edits", "revert_outside_edits", "describe"]

PERMISSION = "workspace.outside_edits"
READ_PERMISSION = "workspace.read"  # how many: shown to everyone when a workspace opens
LIST_PERMISSION = "workspace.check"  # what they were: listed by ``check``

_ACTION = {"insert": ("新增", "inserted"), "update": ("修改", "updated"),
           "delete": ("删除", "deleted")}


def pending_outside_edits(session: Session | Store,
                          limit: int | None = None) -> list[OutsideEdit]:
    """Outside edits not yet accepted or reverted, oldest first (``workspace.check``)."""
    session = as_session(session)
    session.require(LIST_PERMISSION)
    return queries.pending_outside_edits(session.store, limit)


def count_outside_edits(session: Session | Store) -> int:
    """How many outside edits are pending (every role may know)."""
    session = as_session(session)
    session.require(READ_PERMISSION)
    return queries.count_outside_edits(session.store)


def describe(edit: OutsideEdit) -> tuple[str, str]:
    """(Chinese, English) one-line description with before → after of changed columns."""
    zh_act, en_act = _ACTION[edit.action]
    b, a = edit.before or {}, edit.after or {}
    parts = []
    for c in edit.changed_columns():
        if c in ("geom", "id") and edit.action != "update":
            continue
        old, new = b.get(c), a.get(c)
        if c == "geom":
            old, new = ("…" if old else None), ("…" if new else None)
        parts.append(f"{c}: {old!r} → {new!r}" if edit.action == "update"
                     else f"{c}={old if edit.action == 'delete' else new!r}")
    shown = "; ".join(parts[:8]) + ("; …" if len(parts) > 8 else "")
    return (f"在 GridApp 之外{zh_act}（{edit.at}，记录 #{edit.id}）：{shown}",
            f"edited outside GridApp: {en_act} at {edit.at} (record #{edit.id}): {shown}")


def _chosen(session: Session, ids: Sequence[int] | None) -> list[OutsideEdit]:
    edits = queries.pending_outside_edits(session.store)
    if ids is None:
        return edits
    by_id = {e.id: e for e in edits}
    missing = sorted(set(ids) - set(by_id))
    if missing:
        raise NotFoundError("没有待处理的外部修改记录：{ids}",
                            "No pending outside edit with id {ids}",
                            ids=", ".join(map(str, missing)))
    return [by_id[i] for i in sorted(set(ids))]


def accept_outside_edits(session: Session, ids: Sequence[int] | None = None) -> int:
    """Accept pending outside edits (all, or *ids*) into history and the audit log.

    Administrators only.  Returns how many were accepted.
    """
    session.require(PERMISSION)
    edits = _chosen(session, ids)
    if not edits:
        return 0
    with session.transaction() as tx:
        return queries.accept_outside_edits(tx, edits, session.user.username, now_iso())


def revert_outside_edits(session: Session, ids: Sequence[int] | None = None) -> int:
    """Undo pending outside edits (all, or *ids*), newest first, each audited.

    Administrators only.  If a revert would break a rule (a grid code already
    used by a current grid, a row others now refer to) nothing is changed and
    the error names the record.  Returns how many were reverted.
    """
    session.require(PERMISSION)
    edits = _chosen(session, ids)
    if not edits:
        return 0
    with session.transaction() as tx:
        return queries.revert_outside_edits(tx, edits, session.user.username, now_iso())
