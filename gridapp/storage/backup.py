"""Copies of a workspace with SQLite's online backup API.

:func:`online_copy` copies a GeoPackage page by page from a read transaction of
its own, so the copy is consistent even while others write (WAL lets them go
on; the copy shows the file as it was when the copy began).  It is written to
``<dest>.part`` and renamed when complete: a copy that is interrupted leaves no
file that looks finished.

:func:`restore_over` writes a copy back over a workspace through the same API
(SQLite takes the target's write lock, so a workspace in use is never half
replaced: the restore waits or fails with "database is locked").  Restoring
an older copy moves the audit chain back on purpose, so the chain-head anchor
this computer keeps for the target is reset to the restored head
(:func:`gridapp.storage.audit.after_commit` never moves an anchor back by
itself), and the caller records the restore in the restored file's audit log.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from gridapp.domain.timeutil import now_iso
from gridapp.storage import audit, keystore
from gridapp.storage.connection import connect, translate_errors

__all__ = ["online_copy", "restore_over"]

_PAGES_PER_STEP = -1  # one step: a single read snapshot, never restarted by writers


def online_copy(source: Path, dest: Path,
                progress: Callable[[int, int], None] | None = None) -> Path:
    """Copy the workspace *source* to *dest* (which must not exist); returns *dest*."""
    source, dest = Path(source), Path(dest)
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    with translate_errors(source):
        src = connect(source, readonly=True)
        try:
            out = sqlite3.connect(str(part))
            try:
                src.backup(out, pages=_PAGES_PER_STEP,
                           progress=(lambda _s, left, total: progress(total - left, total))
                           if progress else None)
                # A copy is one self-contained file: no -wal beside it.
                out.execute("PRAGMA journal_mode = DELETE")
            finally:
                out.close()
        finally:
            src.close()
    os.replace(part, dest)
    return dest


def restore_over(copy: Path, target: Path) -> tuple[int, str] | None:
    """Write *copy* over *target*; returns the replaced file's audit head (seq, hash).

    The target's journal mode (WAL) is kept; its anchor is reset to the
    restored head.
    """
    copy, target = Path(copy), Path(target)
    replaced: tuple[int, str] | None = None
    with translate_errors(target):
        src = connect(copy, readonly=True)
        try:
            if target.exists():
                dst = connect(target, readonly=False)
                replaced = _head(dst)
            else:
                dst = sqlite3.connect(str(target))
            try:
                dst.execute("PRAGMA busy_timeout = 15000")
                src.backup(dst, pages=_PAGES_PER_STEP)
                dst.execute("PRAGMA journal_mode = WAL")
                _reset_anchor(dst, target)
            finally:
                dst.close()
        finally:
            src.close()
    return replaced


def _head(conn: sqlite3.Connection) -> tuple[int, str] | None:
    _ws, seq, digest = audit.head(conn)
    return (seq, digest) if seq else None


def _reset_anchor(conn: sqlite3.Connection, target: Path) -> None:
    ws, seq, digest = audit.head(conn)
    if not ws or not seq:
        return
    audit.flush_anchors()  # a queued anchor of the replaced file must not land after
    path = keystore._json_path("anchors", ws)
    data = keystore.anchors(ws)
    data[str(target.resolve())] = {"seq": seq, "head": digest, "at": now_iso()}
    keystore._write_private(path, json.dumps(data, ensure_ascii=False, indent=1))
