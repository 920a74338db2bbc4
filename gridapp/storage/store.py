"""GeoPackageStore: the workspace file (DESIGN §2, STYLE.md Storage).

One writer connection guarded by a lock, used only inside ``BEGIN IMMEDIATE``
transactions; one reader connection per thread; WAL; the ``ST_*`` functions
registered everywhere; named migrations run on open.  Every change made
through a :class:`Transaction` is appended to the hash-chained audit log in the
same transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gridapp.domain.timeutil import now_iso
from gridapp.errors import (
    ClosedStoreError,
    NotFoundError,
    ReadOnlyWorkspaceError,
    SchemaVersionError,
    WorkspaceOpenError,
)
from gridapp.storage import audit, gpkg, outside_edits, schema_guard
from gridapp.storage.connection import (
    begin_immediate,
    connect,
    set_wal,
    sniff,
    translate_errors,
)
from gridapp.storage.migrations import all_migrations
from gridapp.storage.transaction import Transaction

MIGRATION_TABLE = "gridapp_migration"


def _change_stamp(conn: sqlite3.Connection) -> tuple[int, int]:
    """(data_version, schema_version): the first moves when another connection commits."""
    return (int(conn.execute("PRAGMA data_version").fetchone()[0]),
            int(conn.execute("PRAGMA schema_version").fetchone()[0]))


class NotAWorkspaceError(WorkspaceOpenError):
    """A GeoPackage from another program: GridApp's tables can be added."""


class GeoPackageStore:
    """A GridApp workspace in one GeoPackage file.

    Use :meth:`create` for a new file and :meth:`open` for an existing one.
    """

    def __init__(self, path: Path, readonly: bool) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._lock = threading.RLock()  # the one writer
        self._readers_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._writer: sqlite3.Connection | None = None
        self._closed = False
        self._meta: dict[str, Any] = {}
        self.pending_migrations: list[str] = []
        self.adopt_renamed: dict[str, str] = {}  # clashing layer → its new name (adopt)
        # (writer, data_version, schema_version) when the write guard last passed
        self._checked: tuple[sqlite3.Connection, int, int] | None = None

    # -- opening ---------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike, *, readonly: bool = False, adopt: bool = False) -> GeoPackageStore:
        """Open a workspace, running pending migrations.

        Raises :class:`NotAWorkspaceError` for a GeoPackage without GridApp's
        tables unless *adopt* is true, in which case they are added beside the
        existing layers (which are not touched).
        """
        path = Path(path)
        sniff(path)
        if not readonly and not os.access(path, os.W_OK):
            readonly = True
        store = cls(path, readonly)
        try:
            store._open(adopt)
        except BaseException:
            store.close()
            raise
        return store

    def _open(self, adopt: bool) -> None:
        with translate_errors(self.path):
            conn = self._reader()
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if not gpkg.is_geopackage(conn):
                raise WorkspaceOpenError(
                    "{path} 是 SQLite 数据库，但不是 GeoPackage",
                    "{path} is an SQLite database but not a GeoPackage", path=str(self.path))
            has_gridapp = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (MIGRATION_TABLE,)).fetchone()
            if not has_gridapp:
                layers = [r[0] for r in conn.execute("SELECT table_name FROM gpkg_contents")]
                if not adopt:
                    raise NotAWorkspaceError(
                        "{path} 是其他程序生成的 GeoPackage（图层：{layers}），还没有 GridApp 的数据表；"
                        "可以在不改动现有图层的情况下添加（python main.py init --adopt {path}，或在窗口中“文件 ▸ 打开”）",
                        "{path} is a GeoPackage from another program (layers: {layers}) without "
                        "GridApp's tables; they can be added without touching existing layers "
                        "(python main.py init --adopt {path}, or File ▸ Open in the window)",
                        path=str(self.path), layers=", ".join(layers) or "-")
                self._rename_clashing_layers(conn)
            self._migrate(bool(has_gridapp))
            self._load_meta()

    def _rename_clashing_layers(self, conn: sqlite3.Connection) -> None:
        """Move the file's own tables out of the way of GridApp's (``grid`` → ``grid_imported``).

        SQLite names are case-insensitive, so ``Grid`` clashes with ``grid``
        too.  What was renamed is kept in :attr:`adopt_renamed` for the caller
        to tell the user; the layer's rows are not changed.
        """
        if self.readonly:
            return
        from gridapp.storage.migrations import m0001_initial as m

        ours = {t[0] for t in m.FEATURE_TABLES} | {t[0] for t in m.ATTRIBUTE_TABLES}
        ours |= {r[2] for r in m.MEDIA_RELATIONS} | {MIGRATION_TABLE}
        ours |= {"cluster_proposal", "task_escalation", "outside_edit", "gridapp_writer"}
        found = [(r[0], r[1]) for r in conn.execute(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE 'rtree_%'") if r[0].lower() in ours]
        views = sorted(name for name, kind in found if kind == "view")
        if views:
            raise WorkspaceOpenError(
                "无法添加 GridApp 数据表：文件中已有同名的视图 {names}，请先在 QGIS 中改名",
                "Cannot add GridApp's tables: the file already has views named {names}; "
                "rename them first (e.g. in QGIS)", path=str(self.path), names=", ".join(views))
        clash = sorted(name for name, _ in found)
        if not clash:
            return
        with self._write() as wconn:
            for name in clash:
                new = gpkg.free_name(wconn, f"{name.lower()}_imported")
                gpkg.rename_layer(wconn, name, new)
                self.adopt_renamed[name] = new

    def applied_migrations(self) -> list[str]:
        conn = self._reader()
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (MIGRATION_TABLE,)).fetchone():
            return []
        return [r[0] for r in conn.execute(f"SELECT name FROM {MIGRATION_TABLE} ORDER BY id")]

    def _migrate(self, has_table: bool) -> None:
        known = all_migrations()
        applied = set(self.applied_migrations())
        unknown = applied - {m.name for m in known}
        if unknown:
            raise SchemaVersionError(
                "此工作空间由更新版本的 GridApp 写入（未知的结构变更：{names}），请升级 GridApp 后再打开",
                "This workspace was written by a newer GridApp (unknown schema changes: "
                "{names}); upgrade GridApp to open it", names=", ".join(sorted(unknown)),
                path=str(self.path))
        pending = [m for m in known if m.name not in applied]
        if not pending:
            return
        if self.readonly:
            # Read what is there; writing needs the upgrade, which needs write access.
            self.pending_migrations = [m.name for m in pending]
            return
        with self._write() as conn:
            # Another process may have upgraded the file since we looked: decide
            # again under the write lock (BEGIN IMMEDIATE), so two GridApps
            # opening an old file at once apply each migration once.
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (MIGRATION_TABLE,)).fetchone() is not None
            if has_table:
                done = {r[0] for r in conn.execute(f"SELECT name FROM {MIGRATION_TABLE}")}
                pending = [m for m in pending if m.name not in done]
                if not pending:
                    return
            if not has_table:
                conn.execute(
                    f"CREATE TABLE {MIGRATION_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    " name TEXT NOT NULL UNIQUE,"
                    " version INTEGER NOT NULL, applied_at DATETIME NOT NULL)")
                gpkg.register_attributes(conn, MIGRATION_TABLE, "GridApp schema migrations")
            srs = conn.execute(
                "SELECT srs_id FROM gpkg_spatial_ref_sys WHERE srs_id = 4490").fetchone()
            if not srs:
                gpkg.ensure_srs(conn, 4490)
            ctx = {"srs_id": 4490}
            for mig in pending:
                mig.module.apply(conn, ctx)
                conn.execute(
                    f"INSERT INTO {MIGRATION_TABLE} (name, version, applied_at)"
                    " VALUES (?, ?, ?)",
                    (mig.name, mig.version, now_iso()))
            if outside_edits.has_tables(conn):  # follow columns later migrations added
                outside_edits.create_triggers(conn)

    def _load_meta(self) -> None:
        self._meta = {r["key"]: json.loads(r["value"]) for r in
                      self._reader().execute("SELECT key, value FROM setting")}

    # -- connections -----------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise ClosedStoreError("工作空间已关闭", "The workspace is closed", path=str(self.path))

    def _reader(self) -> sqlite3.Connection:
        self._check_open()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, readonly=True)
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def _writer_conn(self, force: bool = False) -> sqlite3.Connection:
        # *force*: a short write on a store opened read-only by choice (failed
        # logins are counted whatever the command); impossible if the file is.
        if self.readonly and not (force and os.access(self.path, os.W_OK)):
            raise ReadOnlyWorkspaceError(
                "工作空间是只读的，不能保存更改：{path}",
                "The workspace is read-only; changes cannot be saved: {path}", path=str(self.path))
        if self._writer is None:
            self._writer = connect(self.path, readonly=False)
            set_wal(self._writer)
        return self._writer

    @contextmanager
    def _write(self, attach: dict[str, Path] | None = None, *, guard: bool = True,
               force: bool = False) -> Iterator[sqlite3.Connection]:
        """A raw write transaction (no audit); storage-internal.

        *attach* names read-only staging files to attach for the transaction
        (SQLite cannot attach inside one).  Foreign triggers and views are
        refused first (:mod:`schema_guard`); only the administrator's removal
        or acceptance of them runs with *guard* false.
        """
        self._check_open()
        with self._lock, translate_errors(self.path):
            conn = self._writer_conn(force)
            for name, path in (attach or {}).items():
                conn.execute(f'ATTACH DATABASE ? AS "{name}"', (str(path),))
            try:
                begin_immediate(conn, self.path)
                try:
                    if guard:  # unguarded: removing foreign objects, write nothing first
                        self._guard(conn)
                        # GridApp's own write: the outside-edit triggers stay quiet.
                        outside_edits.mark_writer(conn)
                    yield conn
                except BaseException:
                    if conn.in_transaction:  # SQLite already rolled back on SQLITE_FULL
                        conn.execute("ROLLBACK")
                    raise
                else:
                    outside_edits.unmark_writer(conn)
                    audit.before_commit(conn)  # users and roles as GridApp leaves them
                    conn.execute("COMMIT")
                    audit.after_commit(conn, self.path)  # chain-head anchor, outside
                    # Fold the commit into the file.  GDAL, with its own SQLite
                    # copy, does open the workspace in this process (importing a
                    # layer of an adopted QGIS GeoPackage into itself): its close
                    # takes the process's POSIX locks and the WAL with it, and a
                    # commit still in the WAL then gives our readers "disk I/O
                    # error" (tests/services/test_foreign_streets.py).
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                schema_guard.trust(conn, False)
                for name in attach or {}:
                    conn.execute(f'DETACH DATABASE "{name}"')

    def _guard(self, conn: sqlite3.Connection) -> None:
        """The checks before a write: foreign schema objects, users changed outside.

        Inside ``BEGIN IMMEDIATE``.  Both look for what *another* connection
        did, so they are skipped when nothing was committed by any other
        connection (``PRAGMA data_version`` unchanged) and the schema cookie
        is the one this connection last checked (its own schema changes, e.g.
        migrations, are checked again).  Saves a read of ``sqlite_master``,
        the accepted-objects file and the users' fingerprints per write.
        """
        stamp = _change_stamp(conn)
        if self._checked != (conn, *stamp):
            self._checked = None
            schema_guard.before_write(conn, audit.workspace_uuid(conn), self.path)
            audit.before_write(conn)  # users/roles changed with plain SQL?
            self._checked = (conn, *stamp)
        else:
            schema_guard.trust(conn, True)

    @contextmanager
    def transaction(self, actor: str | None = None, user_id: int | None = None, *,
                    attach: dict[str, Path] | None = None,
                    force: bool = False) -> Iterator[Transaction]:
        """A write transaction whose changes are audited; rolled back on error.

        *force* writes even on a store opened read-only (login counters only).
        """
        actor = actor if actor is not None else self._meta.get("session.actor", "system")
        with self._write(attach, force=force) as conn:
            yield Transaction(self, conn, actor, user_id)

    # -- reading ---------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a read-only query with bound parameters."""
        with translate_errors(self.path):
            return self._reader().execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def get(self, table: str, row_id: int) -> dict[str, Any]:
        """One row as a dict (geometry decoded to shapely)."""
        from gridapp.storage import geometry

        self.table_schema(table)  # refuses an unknown table
        rows = self.query(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,))
        if not rows:
            raise NotFoundError("{table} 中没有 id={id} 的记录", "No row id={id} in {table}",
                                table=table, id=row_id)
        row = dict(rows[0])
        if "geom" in row and table in self.feature_tables():
            row["geom"] = geometry.decode(row["geom"])
        return row

    def read_layer(self, table: str, where: str | None = None,
                   params: Sequence[Any] | dict[str, Any] = (),
                   columns: Sequence[str] | None = None):
        """A table as a (Geo)DataFrame with an ``id`` column.

        Feature tables come back as GeoDataFrames in EPSG:4490.  *where* is an
        SQL condition with ``?`` placeholders bound to *params*.
        """
        from gridapp.storage.reading import read_table

        self._check_open()
        self.table_schema(table)  # refuses an unknown table
        return read_table(self, table, where, params, columns)

    def feature_tables(self) -> dict[str, str]:
        """Feature table name → geometry type, from ``gpkg_geometry_columns``."""
        if "_features" not in self.__dict__:
            self.__dict__["_features"] = {
                r[0]: r[1] for r in self.query(
                    "SELECT table_name, geometry_type_name FROM gpkg_geometry_columns")}
        return self.__dict__["_features"]

    def table_schema(self, table: str) -> list[tuple[str, str]]:
        """(column, declared type in upper case) of *table*, read once per store.

        The schema changes only on open (migrations), so it is cached; a table
        not seen yet is looked up again.  Raises :class:`NotFoundError` for a
        table the workspace does not have.
        """
        cache: dict[str, list[tuple[str, str]]] = self.__dict__.setdefault("_schema", {})
        if table not in cache:
            rows = self.query("SELECT name, type FROM pragma_table_info(?)", (table,))
            if not rows:
                raise NotFoundError("工作空间中没有数据表 {table}",
                                    "The workspace has no table {table}", table=table)
            cache[table] = [(r[0], (r[1] or "").upper()) for r in rows]
        return cache[table]

    def table_columns(self, table: str) -> list[str]:
        return [name for name, _ in self.table_schema(table)]

    # -- settings --------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        rows = self.query("SELECT value FROM setting WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: Any, actor: str | None = None) -> None:
        with self.transaction(actor) as tx:
            tx.set_setting(key, value)
        self._meta[key] = value

    @property
    def schema_version(self) -> int:
        return int(self.scalar(f"SELECT max(version) FROM {MIGRATION_TABLE}") or 0)

    @property
    def metric_epsg(self) -> int:
        """EPSG of the workspace's metric CRS: the Gauss-Krüger zone of its street.

        See :meth:`metric_crs`; a workspace without any geometry, where
        nothing can be measured, answers ``PROVISIONAL_METRIC_EPSG``.
        """
        from gridapp.domain.crs import PROVISIONAL_METRIC_EPSG

        epsg, _source = self.metric_crs()
        return PROVISIONAL_METRIC_EPSG if epsg is None else epsg

    def metric_crs(self) -> tuple[int | None, str | None]:
        """``(epsg, source)`` of the metric CRS, source saying how it was decided.

        ``"setting"``: recorded in the workspace (when its first boundaries
        arrived, or by the demo); ``"boundaries"``: the zone of the street,
        community and grid extent (workspaces from before it was recorded);
        ``"data"``: the zone of whatever geometry there is; ``(None, None)``:
        the workspace has no geometry yet.
        """
        from gridapp.domain.crs import metric_epsg_for_extent
        from gridapp.storage import street

        epsg = self.setting("crs.metric_epsg")
        if epsg:
            return int(epsg), "setting"
        for source, tables in (("boundaries", street.BOUNDARY_TABLES),
                               ("data", street.DATA_TABLES)):
            extent = street.layer_extent(self, tables)
            if extent is not None:
                return metric_epsg_for_extent(extent[0], extent[2]), source
        return None, None

    # -- closing ---------------------------------------------------------
    def close(self) -> None:
        """Close every connection; safe to call twice."""
        if self._closed:
            return
        audit.flush_anchors()  # the chain-head anchors of this store's commits
        with self._lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
            if self._writer is None and not self.readonly:
                # Close as a writer so the last connection may fold and remove
                # the -wal/-shm files that read-only connections leave behind.
                try:
                    self._writer = connect(self.path, readonly=False)
                except sqlite3.Error:
                    self._writer = None
            if self._writer is not None:
                try:
                    # Fold the WAL back into the file.  The journal mode stays
                    # WAL: switching it here would pull the WAL away from any
                    # other connection to the same file (another store, QGIS).
                    self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass
                self._writer.close()
                self._writer = None
            self._closed = True

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> GeoPackageStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else ("read-only" if self.readonly else "open")
        return f"<GeoPackageStore {self.path} {state}>"
