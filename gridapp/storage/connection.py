"""The one place that opens SQLite connections to a workspace file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from gridapp.errors import (
    DiskFullError,
    ReadOnlyWorkspaceError,
    StorageError,
    WorkspaceOpenError,
)
from gridapp.storage import sqlfuncs

SQLITE_HEADER = b"SQLite format 3\x00"


def sniff(path: Path) -> None:
    """Refuse a path that does not exist or is not an SQLite file, clearly."""
    if not path.exists():
        raise WorkspaceOpenError("文件不存在：{path}", "No such file: {path}", path=str(path))
    if path.is_dir():
        raise WorkspaceOpenError(
            "{path} 是文件夹，不是 GeoPackage 文件", "{path} is a folder, not a GeoPackage file",
            path=str(path))
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except PermissionError as exc:
        raise WorkspaceOpenError(
            "没有读取 {path} 的权限", "No permission to read {path}", path=str(path)) from exc
    if not head.startswith(SQLITE_HEADER):
        raise WorkspaceOpenError(
            "{path} 不是 GeoPackage（SQLite）文件", "{path} is not a GeoPackage (SQLite) file",
            path=str(path))


def is_wal(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(20)
    return len(head) >= 20 and head[18] == 2 and head[19] == 2


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """Open a connection with GridApp's pragmas and the ``ST_*`` functions."""
    if readonly:
        uri = f"file:{path.resolve().as_posix()}?mode=ro"
        if is_wal(path) and not os.access(path.parent, os.W_OK):
            uri += "&immutable=1"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    # A workspace may come from anyone: its triggers and views may not call the
    # functions registered below until the store has compared them with
    # GridApp's own (storage/schema_guard.py), inside each write.
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MB: bulk loads touch many pages
    conn.execute("PRAGMA temp_store = MEMORY")  # index builds sort in memory, not temp files
    conn.execute("PRAGMA threads = 2")  # and may use a helper thread to sort
    sqlfuncs.register(conn)
    return conn


def set_wal(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a committed transaction survives a power cut, not only a crash.
    conn.execute("PRAGMA synchronous = FULL")


@contextlib.contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's I/O errors into GridApp errors with clear messages."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "disk is full" in text or "database or disk is full" in text:
            raise DiskFullError(
                "磁盘已满，未写入任何更改：{path}",
                "The disk is full; nothing was written: {path}", path=str(path)) from exc
        if "readonly" in text or "read-only" in text:
            raise ReadOnlyWorkspaceError(
                "工作空间是只读的，不能保存更改：{path}",
                "The workspace is read-only; changes cannot be saved: {path}",
                path=str(path)) from exc
        if "not a database" in text or "malformed" in text:
            raise WorkspaceOpenError(
                "文件已损坏或不是数据库：{path}（{detail}）",
                "The file is damaged or not a database: {path} ({detail})",
                path=str(path), detail=str(exc)) from exc
        raise StorageError(
            "读写工作空间出错：{detail}", "Workspace read/write error: {detail}",
            detail=str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.IntegrityError):
            raise
        raise WorkspaceOpenError(
            "文件已损坏或不是数据库：{path}（{detail}）",
            "The file is damaged or not a database: {path} ({detail})",
            path=str(path), detail=str(exc)) from exc
