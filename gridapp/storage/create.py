"""Creating a new, empty workspace file atomically."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from gridapp.errors import StorageError, WorkspaceOpenError
from gridapp.storage import gpkg
from gridapp.storage.connection import translate_errors
from gridapp.storage.store import GeoPackageStore


def create_store(path: str | os.PathLike, *, overwrite: bool = False) -> GeoPackageStore:
    """Create an empty GridApp GeoPackage at *path* and open it.

    The file is built under a temporary name in the same folder and moved into
    place only when complete, so a failure leaves nothing behind.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise WorkspaceOpenError(
            "文件已存在：{path}（不会覆盖）", "File already exists: {path} (not overwritten)",
            path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WorkspaceOpenError("文件夹不存在：{folder}", "No such folder: {folder}",
                                 folder=str(folder))
    if not os.access(folder, os.W_OK):
        raise WorkspaceOpenError("没有在 {folder} 中写文件的权限",
                                 "No permission to write in {folder}", folder=str(folder))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".gpkg.part", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        with translate_errors(tmp):
            conn = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                conn.execute("PRAGMA page_size = 4096")
                conn.execute("BEGIN")
                gpkg.create_core(conn)
                conn.execute("COMMIT")
            finally:
                conn.close()
        store = GeoPackageStore.open(tmp, adopt=True)
        store.close()
        os.replace(tmp, path)
    except OSError as exc:
        _cleanup(tmp)
        raise StorageError("无法创建工作空间 {path}：{detail}",
                           "Cannot create workspace {path}: {detail}",
                           path=str(path), detail=exc.strerror or str(exc)) from exc
    except BaseException:
        _cleanup(tmp)
        raise
    return GeoPackageStore.open(path)


def _cleanup(tmp: Path) -> None:
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm"), Path(str(tmp) + "-journal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
