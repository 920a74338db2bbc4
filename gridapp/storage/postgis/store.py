"""PostgisStore: one street of a district server, behind the same door as a GeoPackage.

A district database holds one PostgreSQL schema per street (``street_<code>``)
with GridApp's tables as the named migrations build them
(:mod:`.schema`).  ``open_store("postgresql://user@host/db?street=CODE")``
opens one street; the search path is that schema, then ``gridapp`` (the
SQLite-compatible functions) and ``public`` (PostGIS).

Reads go through :meth:`query` (one autocommit connection, shared, thread
safe); writes through :meth:`transaction` (a second connection under a lock)
whose audit entries the server writes itself (:mod:`.serverside`).  A
connection lost to a server restart is reopened once and the read retried;
a write in flight is rolled back by the server and reported as not saved.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gridapp.errors import (
    ClosedStoreError,
    NotFoundError,
    ReadOnlyWorkspaceError,
    SchemaVersionError,
    StorageError,
    WorkspaceOpenError,
)
from gridapp.storage.postgis import dialect, geom, schema
from gridapp.storage.postgis.transaction import PgConnection, PgTransaction


def is_url(text: Any) -> bool:
    return isinstance(text, str) and text.startswith(("postgresql://", "postgres://"))


def split_url(url: str, street: str | None = None) -> tuple[str, str | None, str]:
    """``(conninfo without the street, street code, url shown to users without password)``."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    in_url = query.pop("street", None)
    street = street or in_url
    rest = urlencode(query)
    # urlunsplit drops the '//' of an address without a host (postgresql:///?service=…,
    # a libpq service or the local socket), which libpq then refuses
    conninfo = (urlunsplit(parts._replace(query=rest)) if parts.netloc
                else f"{parts.scheme}://{parts.path}" + (f"?{rest}" if rest else ""))
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0] + "@" if len(netloc) == 2 and netloc[0] else ""
    shown = f"{parts.scheme}://{user}{netloc[-1]}{parts.path}" + (f"?street={street}" if street else "")
    return conninfo, street, shown


def connect(conninfo: str, shown: str, *, autocommit: bool = True):
    """A psycopg connection with GridApp's row factory; clear messages on failure."""
    import psycopg

    try:
        conn = psycopg.connect(conninfo, autocommit=autocommit, row_factory=dialect.row_factory,
                               connect_timeout=10)
    except psycopg.OperationalError as exc:
        text = str(exc)
        if "password authentication failed" in text or "no password supplied" in text:
            raise WorkspaceOpenError(
                "无法登录数据库服务器 {url}：用户名或密码错误",
                "Cannot log in to the database server {url}: wrong user name or password",
                url=shown) from exc
        raise WorkspaceOpenError(
            "无法连接数据库服务器 {url}：服务器未运行或网络不通（{detail}）",
            "Cannot reach the database server {url}: it is not running or the network is "
            "down ({detail})", url=shown, detail=text.strip().splitlines()[-1] if text else "") from exc
    return conn


class PostgisStore:
    """One street of a district PostGIS database (the :class:`~gridapp.storage.api.Store` protocol)."""

    def __init__(self, conninfo: str, street: str, shown: str, readonly: bool) -> None:
        self.conninfo = conninfo
        self.street = street
        self.schema = schema.quote_schema(street)
        self.url = shown
        self.path = Path(shown)  # what messages show; no file behind it
        self.readonly = readonly
        self.pending_migrations: list[str] = []
        self.adopt_renamed: dict[str, str] = {}
        self._lock = threading.RLock()
        self._read_conn = None
        self._writer = None
        self._closed = False
        self._meta: dict[str, Any] = {}
        # Times a connection the server dropped (a restart) was reopened and the
        # read or the transaction's BEGIN sent again; a caller may tell the user.
        self.reconnects = 0

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, url: str, *, readonly: bool = False, street: str | None = None,
             create: bool = False, **_ignored: Any) -> PostgisStore:
        conninfo, street, shown = split_url(url, street)
        if not street:
            raise WorkspaceOpenError(
                "请指明街道：在地址后加 ?street=街道代码（例如 {url}?street=110101001）",
                "Say which street: add ?street=CODE to the address (e.g. {url}?street=110101001)",
                url=shown)
        store = cls(conninfo, street, shown, readonly)
        try:
            store._open(create)
        except BaseException:
            store.close()
            raise
        return store

    def _open(self, create: bool) -> None:
        conn = self._conn()
        exists = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                              (self.schema,)).fetchone()
        if not exists and not create:
            raise WorkspaceOpenError(
                "服务器 {url} 上没有街道 {street}（或没有访问权限）",
                "The server {url} has no street {street} (or you may not open it)",
                url=self.url, street=self.street)
        self._migrate(bool(exists))
        self._load_meta()

    def _conn(self):
        self._check_open()
        if self._read_conn is None or self._read_conn.closed:
            self._read_conn = self._new_connection()
        return self._read_conn

    def _reader(self) -> PgConnection:
        """The read connection with SQLite's calling conventions (shared storage code)."""
        return PgConnection(self._conn(), self.schema)

    def _new_connection(self, autocommit: bool = True):
        conn = connect(self.conninfo, self.url, autocommit=autocommit)
        conn.execute(f'SET search_path = "{self.schema}", gridapp, public')
        # numeric (sum/avg of integers) as SQLite returns it: a whole number as int,
        # else float (a Decimal is not JSON and does not mix with floats).
        from psycopg.adapt import Loader

        class NumericLoader(Loader):
            def load(self, data: Any) -> int | float:
                return _numeric(data)

        conn.adapters.register_loader("numeric", NumericLoader)
        try:
            geom.register(conn)
        except Exception:  # noqa: BLE001 - PostGIS missing: reported when a table is read
            pass
        return conn

    def applied_migrations(self) -> list[str]:
        rows = self.query(
            "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?",
            (schema.MIGRATION_TABLE,))
        if not rows:
            return []
        return [r[0] for r in self.query(f"SELECT name FROM {schema.MIGRATION_TABLE} ORDER BY id")]

    def _migrate(self, exists: bool) -> None:
        from gridapp.storage.postgis import migrate

        steps = schema.steps()
        applied = set(self.applied_migrations()) if exists else set()
        unknown = applied - {s.migration.name for s in steps}
        if unknown:
            raise SchemaVersionError(
                "服务器上的数据由更新版本的 GridApp 写入（未知的结构变更：{names}），请升级 GridApp 后再连接",
                "The server's data was written by a newer GridApp (unknown schema changes: "
                "{names}); upgrade GridApp to connect", names=", ".join(sorted(unknown)),
                path=self.url)
        pending = [s for s in steps if s.migration.name not in applied]
        if not pending:
            if exists and not self.readonly:
                self._refresh_serverside()
            return
        if self.readonly:
            self.pending_migrations = [s.migration.name for s in pending]
            return
        with self._write() as conn:
            migrate.apply(conn.raw, self.schema)

    def _refresh_serverside(self) -> None:
        """A street published by an older GridApp gets this version's audit triggers
        (one statement-level trigger per bulk update instead of one per row) the
        first time its owner opens it; other logins keep the older, equally
        complete ones."""
        import psycopg

        from gridapp.storage.postgis import migrate

        if migrate.serverside_current(self._conn(), self.schema):
            return
        try:
            with self._write() as conn:
                migrate.refresh_serverside(conn.raw, self.schema)
        except (psycopg.Error, ReadOnlyWorkspaceError, StorageError):
            pass  # not the owner: the older triggers stay (every change is still logged)

    def _load_meta(self) -> None:
        self._meta = {r[0]: json.loads(r[1]) for r in self.query("SELECT key, value FROM setting")
                      if r[1] is not None}

    # -- connections -------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise ClosedStoreError("工作空间已关闭", "The workspace is closed", path=self.url)

    @contextmanager
    def _write(self, *, force: bool = False) -> Iterator[PgConnection]:
        import psycopg

        self._check_open()
        if self.readonly and not force:
            raise ReadOnlyWorkspaceError(
                "工作空间是只读的，不能保存更改：{path}",
                "The workspace is read-only; changes cannot be saved: {path}", path=self.url)
        with self._lock:
            begun = ExitStack()
            for attempt in (1, 2):
                if self._writer is None or self._writer.closed:
                    self._writer = self._new_connection()
                raw = self._writer
                try:
                    begun.enter_context(raw.transaction())  # BEGIN
                    break
                except psycopg.OperationalError as exc:
                    if attempt == 1 and (raw.closed or raw.broken):
                        # The server restarted since the last write: nothing was sent
                        # yet, so reconnect and begin once more.
                        self._writer = None
                        self.reconnects += 1
                        continue
                    self._writer = None
                    raise _translate(exc) from exc
            try:
                with begun:
                    yield PgConnection(raw, self.schema)
            except psycopg.OperationalError as exc:
                if raw.closed or raw.broken:
                    self._writer = None
                    raise StorageError(
                        "与数据库服务器的连接中断，本次更改未保存（服务器已回滚）；请重试",
                        "The connection to the database server was lost; this change was not "
                        "saved (the server rolled it back); please try again") from exc
                raise _translate(exc) from exc
            except psycopg.Error as exc:
                raise _translate(exc) from exc

    @contextmanager
    def transaction(self, actor: str | None = None, user_id: int | None = None, *,
                    attach: dict[str, Path] | None = None,
                    force: bool = False) -> Iterator[PgTransaction]:
        """An audited write transaction (the server writes the audit entries)."""
        if attach:
            raise StorageError("服务器上的工作空间不能附加文件",
                               "A server workspace cannot attach files")
        actor = actor if actor is not None else self._meta.get("session.actor", "system")
        with self._write(force=force) as conn:
            # One writer per street at a time, as a GeoPackage's BEGIN IMMEDIATE: a
            # service reads a case's state and writes the next one in its transaction;
            # two clients doing so at once under READ COMMITTED would both see the old
            # state (a case registered twice: bench/pg_clients.py found it). Readers
            # are not held up; transactions are short.
            conn.raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s)),"
                             " set_config('gridapp.actor', %s, true),"
                             " set_config('gridapp.user_id', %s, true)",
                             (self.schema + ".writer", actor or "",
                              "" if user_id is None else str(int(user_id))))
            yield PgTransaction(self, conn, actor, user_id)

    # -- reading -----------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        """A read-only query in GridApp's shared SQL (see :mod:`.dialect`)."""
        import psycopg

        text, args = dialect.prepare(sql, params)
        for attempt in (1, 2):
            try:
                with self._lock:
                    return self._conn().execute(text, args).fetchall()
            except psycopg.OperationalError as exc:
                if attempt == 1 and (self._read_conn is None or self._read_conn.closed
                                     or self._read_conn.broken):
                    self._read_conn = None  # the server restarted: reconnect, read again
                    self.reconnects += 1
                    continue
                raise _translate(exc) from exc
            except psycopg.Error as exc:
                raise _translate(exc) from exc
        raise AssertionError("unreachable")

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def get(self, table: str, row_id: int) -> dict[str, Any]:
        from gridapp.storage import geometry

        self.table_schema(table)
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
        from gridapp.storage.postgis.bulk import read_table

        self._check_open()
        self.table_schema(table)
        return read_table(self, table, where, params, columns)

    def feature_tables(self) -> dict[str, str]:
        return {name: t.geom_type for name, t in schema.final_tables().items() if t.geom_type}

    def table_schema(self, table: str) -> list[tuple[str, str]]:
        tables = schema.final_tables()
        if table not in tables:
            raise NotFoundError("工作空间中没有数据表 {table}",
                                "The workspace has no table {table}", table=table)
        t = tables[table]
        return [(c[0], (t.geom_type if c[0] == "geom" and t.geom_type else c[1] or "").upper())
                for c in t.columns]

    def table_columns(self, table: str) -> list[str]:
        return [name for name, _ in self.table_schema(table)]

    # -- settings ----------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        rows = self.query("SELECT value FROM setting WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows and rows[0][0] is not None else default

    def set_setting(self, key: str, value: Any, actor: str | None = None) -> None:
        with self.transaction(actor) as tx:
            tx.set_setting(key, value)
        self._meta[key] = value

    @property
    def schema_version(self) -> int:
        return int(self.scalar(f"SELECT max(version) FROM {schema.MIGRATION_TABLE}") or 0)

    @property
    def metric_epsg(self) -> int:
        from gridapp.domain.crs import PROVISIONAL_METRIC_EPSG

        epsg, _source = self.metric_crs()
        return PROVISIONAL_METRIC_EPSG if epsg is None else epsg

    def metric_crs(self) -> tuple[int | None, str | None]:
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

    # -- closing -----------------------------------------------------------
    def close(self) -> None:
        if self._closed:
            return
        with self._lock:
            for conn in (self._read_conn, self._writer):
                if conn is not None:
                    try:
                        conn.close()
                    except Exception:  # noqa: BLE001 - closing a broken connection
                        pass
            self._read_conn = self._writer = None
            self._closed = True

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> PostgisStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else ("read-only" if self.readonly else "open")
        return f"<PostgisStore {self.url} {state}>"


def _numeric(data: Any) -> int | float:
    text = bytes(data).decode("ascii")
    return int(text) if text.lstrip("-").isdigit() else float(text)


def _translate(exc: Exception) -> Exception:
    """A psycopg error as GridApp's: integrity errors keep their kind for callers."""
    import sqlite3

    import psycopg

    if isinstance(exc, psycopg.errors.IntegrityError):
        # Services catch sqlite3.IntegrityError for "already exists" and the like.
        return sqlite3.IntegrityError(str(exc).strip())
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return ReadOnlyWorkspaceError(
            "数据库拒绝了此操作（没有权限）：{detail}",
            "The database refused this (no permission): {detail}",
            detail=str(exc).strip().splitlines()[0])
    return StorageError("读写服务器出错：{detail}", "Server read/write error: {detail}",
                        detail=str(exc).strip().splitlines()[0] if str(exc) else type(exc).__name__)
