"""Back up a workspace into a folder (keeping the last N) and restore a copy.

:func:`backup_workspace` copies the session's workspace with SQLite's online
backup API (consistent while others write: :mod:`gridapp.storage.backup`) to
``<folder>/<name>-YYYYMMDD-HHMMSS.gpkg`` (Beijing time), checks the copy with the
same checks as ``check``, and removes the oldest copies of that workspace beyond
``keep``.  :func:`restore_workspace` checks a copy, then writes it over a
workspace (first saving the file it replaces beside it) and records the restore
in the restored file's audit log.  Both are the administrator's
(``workspace.backup``).  On a district server, a backup is a GeoPackage of
the street and a restore puts such a copy back as the street (the address
``postgresql://…?street=CODE`` as the target).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from gridapp.domain.timeutil import now_local
from gridapp.errors import ValidationError
from gridapp.progress import Progress, no_progress
from gridapp.services.integrity import Problem, check_workspace
from gridapp.services.session import Session
from gridapp.services.workspace import open_workspace
from gridapp.storage import backup as storage_backup

__all__ = ["BackupResult", "RestoreResult", "backup_workspace", "list_backups",
           "restore_workspace"]

PERMISSION = "workspace.backup"


@dataclass
class BackupResult:
    path: Path
    size_bytes: int
    problems: list[Problem]
    removed: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not [p for p in self.problems if p.severity == "error"]


@dataclass
class RestoreResult:
    target: Path | str  # a file, or a street's address on a district server
    saved_previous: Path | None
    problems: list[Problem]
    replaced_head: tuple[int, str] | None


def _copies(folder: Path, stem: str) -> list[Path]:
    """This workspace's copies in *folder*, oldest first (the name sorts by time)."""
    return sorted(p for p in folder.glob(f"{stem}-????????-??????.gpkg") if p.is_file())


def list_backups(session: Session, folder: str | os.PathLike) -> list[Path]:
    """The copies of the session's workspace in *folder*, oldest first."""
    session.require(PERMISSION)
    store = session.store
    stem = f"street_{store.street}" if getattr(store, "schema", None) else Path(session.path).stem
    return _copies(Path(folder), stem)


def _check_copy(path: Path, progress: Progress = no_progress) -> list[Problem]:
    store = open_workspace(path, readonly=True)
    try:
        return check_workspace(store, progress=progress)
    finally:
        store.close()


def backup_workspace(session: Session, folder: str | os.PathLike, *, keep: int = 7,
                     progress: Progress = no_progress) -> BackupResult:
    """Copy the workspace into *folder*, verify the copy, keep the newest *keep* copies.

    A copy that fails the check is kept (for inspection) but never counts as
    one of the *keep*: older good copies are not removed because of it.
    """
    session.require(PERMISSION)
    if keep < 1:
        raise ValidationError("保留份数至少为 1", "Keep at least 1 copy")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValidationError("{p} 不是文件夹", "{p} is not a folder", p=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    store = session.store
    server = getattr(store, "schema", None)  # a street on a district server
    stem = f"street_{store.street}" if server else Path(session.path).stem
    dest = folder / f"{stem}-{now_local():%Y%m%d-%H%M%S}.gpkg"
    if dest.exists():
        raise ValidationError("备份 {p} 已存在，请稍后再试", "The copy {p} exists; try again in "
                              "a second", p=str(dest))
    if server:
        # A GeoPackage of the street as one consistent snapshot (the checkout's
        # REPEATABLE READ read): it opens anywhere without the server, and goes
        # back with 'publish COPY --db URL --street CODE --replace'.  Not
        # pg_dump: that needs the server's own programs and the database
        # owner's rights, and writes the whole district, not one street.
        from gridapp.storage.postgis import sync

        progress(0, 1, dest.name)
        sync.checkout(store.conninfo, store.street, dest)
        progress(1, 1, dest.name)
    else:
        storage_backup.online_copy(Path(session.path), dest,
                                   progress=lambda d, t: progress(d, t, dest.name))
    result = BackupResult(dest, dest.stat().st_size, _check_copy(dest))
    if result.ok:
        copies = _copies(folder, stem)
        for old in copies[:-keep]:
            old.unlink()
            result.removed.append(old)
    return result


def restore_workspace(session: Session, target: str | os.PathLike) -> RestoreResult:
    """Write the session's workspace (a backup copy) over *target*.

    The copy is checked first and refused if it has problems; the file it
    replaces is first copied to ``<target>.before-restore-<time>.gpkg``.
    """
    session.require(PERMISSION)
    if str(target).startswith(("postgresql://", "postgres://")):
        return _restore_street(session, str(target))
    copy, target = Path(session.path), Path(target)
    if copy.resolve() == target.resolve():
        raise ValidationError("不能把工作空间还原到它自身", "Cannot restore a workspace over itself")
    problems = _checked(copy)
    saved = None
    if target.exists():
        saved = target.with_name(f"{target.stem}.before-restore-{now_local():%Y%m%d-%H%M%S}"
                                 ".gpkg")
        storage_backup.online_copy(target, saved)
    replaced = storage_backup.restore_over(copy, target)
    store = open_workspace(target)
    try:
        with store.transaction(session.user.username, session.user.id) as tx:
            tx.audit("workspace_restored", None, None, {
                "from": str(copy), "saved_previous": str(saved) if saved else None,
                "replaced_head_seq": replaced[0] if replaced else None,
                "replaced_head": replaced[1] if replaced else None})
    finally:
        store.close()
    return RestoreResult(target, saved, problems, replaced)


def _checked(copy: Path) -> list[Problem]:
    """The copy's problems; refused when one is an error."""
    problems = _check_copy(copy)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ValidationError("备份 {p} 未通过检查（{n} 个问题），未还原：{first}",
                              "The copy {p} fails the check ({n} problems); nothing restored: "
                              "{first}", p=str(copy), n=len(errors), first=str(errors[0]))
    return problems


def _restore_street(session: Session, url: str) -> RestoreResult:
    """Put a backup copy (the session's workspace) back as a street of a district server.

    The copy is checked, the street as the server holds it now is saved beside
    the copy (``street_CODE.before-restore-<time>.gpkg``, as :func:`backup_workspace`
    writes it), then the copy replaces the street's rows in one server
    transaction (publish ``--replace``: the server's audit log is kept and goes
    on) and the restore is recorded in it.  Needs the street's owner on the
    server, as publishing does.
    """
    from gridapp.errors import WorkspaceOpenError
    from gridapp.services.sync import district
    from gridapp.storage import open_store
    from gridapp.storage.postgis import sync
    from gridapp.storage.postgis.store import split_url

    copy = Path(session.path)
    problems = _checked(copy)
    conninfo, street, shown = split_url(url)
    if not street:
        raise ValidationError("请指明要还原的街道：在地址后加 ?street=街道代码",
                              "Say which street to restore: add ?street=CODE to the address")
    saved: Path | None = copy.parent / (f"street_{street}.before-restore-"
                                        f"{now_local():%Y%m%d-%H%M%S}.gpkg")
    try:
        sync.checkout(conninfo, street, saved)
    except WorkspaceOpenError:
        if saved.exists():
            raise
        saved = None  # the server has no such street yet: nothing to keep
    district.publish(session, url, street, replace=True)
    with open_store(url) as store, store.transaction(session.user.username,
                                                     session.user.id) as tx:
        tx.audit("workspace_restored", None, None, {
            "from": str(copy), "saved_previous": str(saved) if saved else None})
    return RestoreResult(shown, saved, problems, None)
