"""The one place that opens SQLite connections to a workspace file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from gridapp.errors import (
    DiskFullError,
    ReadOnlyWorkspaceError,
    StorageError,
    WorkspaceBusyError,
    WorkspaceOpenError,
)
from gridapp.storage import sqlfuncs

SQLITE_HEADER = b"SQLite format 3\x00"

# How long a write waits for another program's write lock before giving up
# (seconds); GRIDAPP_LOCK_WAIT overrides it (tests use a short wait).
LOCK_WAIT = 15.0
# Told every second or so while a write waits: ``listener(path, seconds_waited)``.
_lock_wait_listeners: list[Callable[[Path, float], None]] = []


def add_lock_wait_listener(listener: Callable[[Path, float], None]) -> None:
    """Call *listener* while a write waits for another program's lock (once a second)."""
    if listener not in _lock_wait_listeners:
        _lock_wait_listeners.append(listener)


def lock_wait_seconds() -> float:
    try:
        return float(os.environ.get("GRIDAPP_LOCK_WAIT", LOCK_WAIT))
    except ValueError:
        return LOCK_WAIT


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


def begin_immediate(conn: sqlite3.Connection, path: Path) -> None:
    """``BEGIN IMMEDIATE``, waiting up to :func:`lock_wait_seconds` for the write lock.

    SQLite's own busy timeout waits silently; here the wait is cut into steps
    of one second so the listeners (the command line prints a line, the window
    its status bar) can say that GridApp is waiting and for how long.  After
    the wait :class:`WorkspaceBusyError` says that nothing was changed.
    """
    limit = lock_wait_seconds()
    start = time.monotonic()
    conn.execute("PRAGMA busy_timeout = 1000")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - start
                if not _is_busy(exc):
                    raise
                if waited >= limit:
                    raise _busy(path, waited) from exc
                for listener in list(_lock_wait_listeners):
                    listener(path, waited)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(limit * 1000)}")


def _busy(path: Path, waited: float) -> WorkspaceBusyError:
    return WorkspaceBusyError(
        "工作空间正被另一个程序写入，已等待 {s:.0f} 秒仍未释放；未做任何更改，稍后重试是安全的：{path}",
        "Another program has been writing to the workspace for {s:.0f} s and still holds it; "
        "nothing was changed and retrying later is safe: {path}",
        path=str(path), s=waited)


def sniff(path: Path) -> None:
    """Refuse a path that does not exist or is not an SQLite file, clearly.

    The file is never opened with Python's own I/O: closing any descriptor of a
    file drops every POSIX lock this process holds on it, so a store already open
    on the same file (the window's, a worker's) would lose its WAL read locks and
    the next connection to close would delete the -wal and -shm files under it
    ("disk I/O error").  SQLite's own open and close keep the locks."""
    if not path.exists():
        raise WorkspaceOpenError("文件不存在：{path}", "No such file: {path}", path=str(path))
    if path.is_dir():
        raise WorkspaceOpenError(
            "{path} 是文件夹，不是 GeoPackage 文件", "{path} is a folder, not a GeoPackage file",
            path=str(path))
    if not os.access(path, os.R_OK):
        raise WorkspaceOpenError(
            "没有读取 {path} 的权限", "No permission to read {path}", path=str(path))
    not_sqlite = WorkspaceOpenError(
        "{path} 不是 GeoPackage（SQLite）文件", "{path} is not a GeoPackage (SQLite) file",
        path=str(path))
    if path.stat().st_size < len(SQLITE_HEADER):
        raise not_sqlite
    probe = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=ro", uri=True)
    try:
        probe.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc).lower():
            raise not_sqlite from exc
        # anything else (a WAL file in a read-only folder, a lock) is for connect()
    finally:
        probe.close()


def is_wal(path: Path) -> bool:
    """Whether the file's header says WAL.  Opens the file with Python's I/O, so
    only call it where no connection of this process can hold a lock (see
    :func:`sniff`)."""
    with path.open("rb") as f:
        head = f.read(20)
    return len(head) >= 20 and head[18] == 2 and head[19] == 2


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """Open a connection with GridApp's pragmas and the ``ST_*`` functions."""
    if readonly:
        uri = f"file:{path.resolve().as_posix()}?mode=ro"
        # a WAL file in a folder we cannot write: no -shm can be made, read it as
        # immutable (no locks are taken, so reading the header here is safe)
        if not os.access(path.parent, os.W_OK) and is_wal(path):
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
    conn.execute(f"PRAGMA busy_timeout = {int(lock_wait_seconds() * 1000)}")
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
        if _is_busy(exc):
            raise _busy(path, lock_wait_seconds()) from exc
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
