"""Moving a street between a GeoPackage and the server: publish, checkout, checkin.

* :func:`publish` copies a street's workspace file into its schema on the
  server (one transaction, COPY, ids kept).
* :func:`checkout` writes an offline copy of one street: a normal GridApp
  workspace plus ``gridapp_sync_base`` — a fingerprint of every row as the
  server had it — and the ``sync.origin`` setting (server, street, checkout id).
* :func:`checkin` compares the copy with its fingerprints (what the laptop
  changed) and the server's rows with the same fingerprints (what changed
  online meanwhile).  A row changed on both sides differently is a conflict:
  both versions are returned side by side and *nothing* is applied.  Otherwise
  every change is applied in one server transaction, recorded in
  ``gridapp_checkin`` by (checkout id, change-set fingerprint), so a second
  checkin of the same file is a no-op.  A connection cut mid-way leaves the
  server as it was (the transaction never commits).
"""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
import os
import signal
import sqlite3
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridapp.domain.timeutil import now_iso
from gridapp.errors import StorageError, WorkspaceOpenError
from gridapp.storage import audit, geometry, gpkg, outside_edits, sqlfuncs
from gridapp.storage.migrations import all_migrations
from gridapp.storage.postgis import schema
from gridapp.storage.postgis import search as server_search
from gridapp.storage.postgis.store import PostgisStore, split_url
from gridapp.storage.postgis.transaction import copy_rows
from gridapp.storage.queries import search

log = logging.getLogger(__name__)

# Tables that describe one copy, not the street: never moved.
LOCAL_TABLES = frozenset({"audit_log", "outside_edit", "gridapp_writer"})
# Settings that identify one copy (its audit chain and key), not the street.
BASE_TABLE = "gridapp_sync_base"
ORIGIN = "sync.origin"
CHECKED_IN = "sync.checked_in"
# The workspace id (workspace.uuid) travels: residents' personal data is sealed
# under it (gridapp.storage.personal_crypto), so the server and the copies must
# keep the street's; each copy's audit chain gets its own key all the same.
LOCAL_SETTINGS = frozenset({audit.KEY_SETTING, ORIGIN, CHECKED_IN})
# Fault injection for the "killed mid-way" test: die after N applied rows.
FAULT_ENV = "GRIDAPP_SYNC_DIE_AFTER"


@dataclass
class Conflict:
    table: str
    row_id: int
    offline: dict[str, Any] | None  # None: deleted offline
    online: dict[str, Any] | None  # None: deleted on the server
    columns: list[str] = field(default_factory=list)  # the columns that differ


@dataclass
class CheckinResult:
    applied: dict[str, int]
    conflicts: list[Conflict]
    noop: bool = False


def synced_tables() -> list[str]:
    return [t for t in schema.table_order() if t not in LOCAL_TABLES]


_PLAIN = frozenset({str, int, type(None)})


def _norm(value: Any) -> Any:
    if type(value) in _PLAIN:  # most values: nothing to normalise
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        b = bytes(value)
        if len(b) >= 8 and b[:2] == b"GP":  # geometry: the WKB, whatever the header
            try:
                return "wkb:" + hashlib.sha256(b[geometry._header(b)[2]:]).hexdigest()
            except ValueError:
                pass
        return "bytes:" + hashlib.sha256(b).hexdigest()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# json.dumps(..., ensure_ascii=False, sort_keys=True, default=str) without building
# an encoder per row (the same text, so fingerprints of older copies still match).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)


def row_hash(row: dict[str, Any]) -> str:
    data = _ENCODER.encode({k: _norm(v) for k, v in row.items()})
    return hashlib.sha256(data.encode()).hexdigest()


def _keep(table: str, row: dict[str, Any]) -> bool:
    return not (table == "setting" and row.get("key") in LOCAL_SETTINGS)


def _sqlite_cols(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


# -- publish ------------------------------------------------------------------------
def publish(src: Any, url: str, street: str, *, replace: bool = False) -> dict[str, int]:
    """Copy the open GeoPackage store *src* into street *street* on the server."""
    pg = PostgisStore.open(url, street=street, create=True)
    try:
        has_data = pg.scalar("SELECT count(*) FROM street") or pg.scalar(
            "SELECT count(*) FROM report")
        if has_data and not replace:
            raise StorageError(
                "服务器上已有街道 {street} 的数据；如要覆盖请加 --replace",
                "The server already holds street {street}; add --replace to overwrite it",
                street=street)
        counts: dict[str, int] = {}
        with pg._write() as conn:  # noqa: SLF001 - storage-internal
            raw = conn.raw
            present = {r[0] for r in src.query("SELECT name FROM sqlite_master WHERE type='table'")}
            tables = [t for t in synced_tables() if t in present]
            for table in reversed(tables):
                raw.execute(f'DELETE FROM "{table}"')
            for table in tables:
                pg_cols = [c[0] for c in schema.final_tables()[table].columns]
                cols = [c for c in pg_cols if c in set(src.table_columns(table))]
                rows = src.query(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)}'
                                 f' FROM "{table}"')
                if table == "setting":
                    rows = [r for r in rows if _keep(table, dict(r))]
                counts[table] = copy_rows(raw, table, cols, (tuple(r) for r in rows))
            from gridapp.storage.postgis.migrate import sync_sequences

            sync_sequences(raw)
            raw.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the copied rows' references, now
            _text_index(raw)
            if not raw.execute("SELECT 1 FROM setting WHERE key = %s",
                               (audit.UUID_SETTING,)).fetchone():
                # A street that never had an id (nothing written yet): one now, so
                # residents can be added on the server.
                raw.execute("INSERT INTO setting (key, value) VALUES (%s, %s)",
                            (audit.UUID_SETTING, json.dumps(str(uuidlib.uuid4()))))
            head = src.query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            raw.execute("SELECT gridapp.audit_append(%s, 'publish', NULL, NULL, %s)",
                        (pg.schema, json.dumps({"file": str(src.path.name),
                                                "audit_head": head[0][0] if head else None,
                                                "rows": sum(counts.values())})))
        return counts
    finally:
        pg.close()


def _text_index(raw: Any) -> None:
    """Reports' trigram index for text search (:mod:`.search`), built once after the rows.
    A server without ``pg_trgm`` still searches, reading every report."""
    import psycopg

    try:
        with raw.transaction():
            server_search.create_text_index(raw)
    except psycopg.Error as exc:
        log.warning("no text index for reports' search (%s)", exc.diag.message_primary)


# -- checkout -----------------------------------------------------------------------
def _scratch_workspace(path: Path) -> sqlite3.Connection:
    """An empty workspace file built by the migrations, without their seed rows."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.row_factory = sqlite3.Row
    sqlfuncs.register(conn)
    conn.execute("PRAGMA trusted_schema = ON")  # our own schema: R-tree triggers may run
    # A scratch file renamed into place only when complete: no need to survive a
    # crash, and a street's indexes need far more than SQLite's 2 MB page cache.
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1048576")  # up to 1 GiB, only as used
    conn.execute("PRAGMA threads = 2")  # index builds may sort on a second core
    conn.execute("BEGIN")
    gpkg.create_core(conn)
    conn.execute(f"CREATE TABLE {schema.MIGRATION_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                 " name TEXT NOT NULL UNIQUE, version INTEGER NOT NULL,"
                 " applied_at DATETIME NOT NULL)")
    gpkg.register_attributes(conn, schema.MIGRATION_TABLE, "GridApp schema migrations")
    for mig in all_migrations():
        mig.module.apply(conn, {"srs_id": schema.SRID})
        conn.execute(f"INSERT INTO {schema.MIGRATION_TABLE} (name, version, applied_at)"
                     " VALUES (?, ?, ?)", (mig.name, mig.version, now_iso()))
    return conn


# Columns that record when something happened to a row rather than an edit of it:
# when they are all that differs between the copy and the server, the later wins.
VOLATILE = {"app_user": ("last_login",)}


def _volatile_only(table: str, offline: dict[str, Any],
                   online: dict[str, Any] | None) -> list[str] | None:
    """None when *offline* and *online* differ in more than :data:`VOLATILE` columns;
    else the volatile columns whose offline value is the later (to write)."""
    cols = VOLATILE.get(table)
    if not cols or online is None:
        return None
    if any(_norm(offline.get(k)) != _norm(online.get(k)) for k in offline if k not in cols):
        return None
    return [k for k in cols if k in offline and offline[k] is not None
            and (online.get(k) is None or str(offline[k]) > str(online[k]))]


def _suspend_rtree(conn: sqlite3.Connection, table: str) -> tuple[str, str, str] | None:
    """Drop *table*'s R-tree insert trigger for a load: (geometry column, name, SQL)."""
    row = conn.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
                       (table,)).fetchone()
    if row is None:
        return None
    name = f"rtree_{table}_{row[0]}_insert"
    trig = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                        (name,)).fetchone()
    if trig is None:
        return None
    conn.execute(f'DROP TRIGGER "{name}"')
    return str(row[0]), name, str(trig[0])


# A row's print on the server: the quick print (:func:`quick_hash`) of the row as
# :func:`_select_sql` fetches it (plain values, geometry as the GeoPackage blob the
# server builds), over the columns recorded at checkout.  Taken for every row of
# the street at checkout and for the few changed rows at checkin; the prefix tells
# it from the older fingerprints (:func:`row_hash` of the row's values, in JSON),
# which copies checked out before keep.
SERVER_PRINT = "s1:"


def _geom_col(table: str) -> str | None:
    return "geom" if schema.final_tables()[table].geom_type else None


def _select_sql(cols: list[str], gcol: str | None) -> str:
    """The select list of a row as the copy gets it (and as its server print is taken)."""
    return ", ".join(_gpkg_sql(c) if c == gcol else f't."{c}"' for c in cols)


def _server_print(values: Any) -> str:
    return SERVER_PRINT + quick_hash(values)


def _server_prints(raw: Any, table: str, cols: list[str], ids: list[int]) -> dict[int, str]:
    """The server prints of rows *ids* of *table* over *cols*, by id."""
    import psycopg.rows

    gcol = _geom_col(table)
    with raw.cursor(row_factory=psycopg.rows.tuple_row, binary=True) as cur:
        rows = cur.execute(f'SELECT {_select_sql(cols, gcol)} FROM "{table}" t'
                           " WHERE t.id = ANY(%s)", (ids,)).fetchall()
    return {int(r[0]): _server_print(r) for r in rows}


def _gpkg_sql(col: str) -> str:
    """SQL of a GeoPackage blob of geometry column *col* (no envelope), the bytes
    :func:`.geom.ewkb_to_gpkg` makes of the server's EWKB, built by the server."""
    g = f't."{col}"'
    srid = f"int4send(ST_SRID({g}))"
    little = " || ".join(f"substring({srid} from {k} for 1)" for k in (4, 3, 2, 1))
    return (f"CASE WHEN {g} IS NULL THEN NULL ELSE '\\x4750'::bytea"
            f" || CASE WHEN ST_IsEmpty({g}) THEN '\\x0011'::bytea ELSE '\\x0001'::bytea END"
            f" || {little} || ST_AsBinary(ST_Force2D({g}), 'NDR') END")


def _fetch_rows(reader: Any, table: str, cols: list[str]) -> list[tuple[Any, ...]]:
    """Every row of *table* in the server's snapshot *reader*: the values of *cols*
    (geometry as the GeoPackage blob), then the envelope for feature tables.

    The server builds the blobs and envelopes (in C); the rows come as plain
    tuples, in one binary fetch.
    """
    import psycopg.rows

    gcol = _geom_col(table)
    gcol = gcol if gcol in cols else None
    select = _select_sql(cols, gcol)
    if gcol:
        g = f't."{gcol}"'
        select += "".join(f", CASE WHEN {g} IS NULL OR ST_IsEmpty({g}) THEN NULL ELSE {f}({g}) END"
                          for f in ("ST_XMin", "ST_XMax", "ST_YMin", "ST_YMax"))
    with reader.cursor(row_factory=psycopg.rows.tuple_row, binary=True) as cur:
        return cur.execute(f'SELECT {select} FROM "{table}" t ORDER BY t.id').fetchall()


def _copy_table(conn: sqlite3.Connection, table: str, cols: list[str],
                rows: list[tuple[Any, ...]]) -> int:
    """The server's *rows* (:func:`_fetch_rows`) into the copy *conn*, with their R-tree
    entries, server prints and quick prints; how many rows."""
    gcol = _geom_col(table)
    gcol = gcol if gcol in cols else None
    n = len(cols)
    key = cols.index("id")
    if table == "setting":
        k = cols.index("key")
        rows = [r for r in rows if r[k] not in LOCAL_SETTINGS]
    if not rows:
        return 0
    # Secondary indexes built once after the rows, not row by row.
    indexes = [(name, sql) for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        " AND tbl_name = ? AND sql IS NOT NULL", (table,))]
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    # Reports' full-text index: the rows are left pending, as after any bulk load
    # (search reads pending rows; indexed later).
    fts_trigger = search.suspend_indexing(conn, table)
    rtree = _suspend_rtree(conn, table)
    quoted = ", ".join(f'"{c}"' for c in cols)
    conn.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * n)})',
                     [r[:n] for r in rows])
    if rtree is not None:
        col, _name, sql = rtree
        if gcol:  # what the dropped trigger would have written, envelopes by the server
            conn.executemany(
                f'INSERT OR REPLACE INTO "rtree_{table}_{col}" VALUES (?, ?, ?, ?, ?)',
                [(r[key], *r[n:]) for r in rows if r[n] is not None])
        conn.execute(sql)
    search.resume_indexing(conn, fts_trigger, int(rows[0][key]), int(rows[-1][key]))
    for _name, sql in indexes:
        conn.execute(sql)
    # Quick prints (at checkin a row whose print is unchanged is not looked at again:
    # most of a street's rows): of the values as fetched when they are the copy's
    # columns in local_changes' order, else of the rows as the copy reads them back.
    # A value SQLite stored otherwise (type affinity) only makes its row looked at.
    prints = [quick_hash(r[:n]) for r in rows]
    local = _local_cols(conn, table)
    if local == cols:
        quick = dict(zip((int(r[key]) for r in rows), prints, strict=True))
    else:
        cur = conn.cursor()
        cur.row_factory = None
        quick = {int(r[0]): quick_hash(r) for r in cur.execute(
            f'SELECT {", ".join(chr(34) + c + chr(34) for c in local)} FROM "{table}"')}
    conn.executemany(f"INSERT INTO {BASE_TABLE} VALUES (?, ?, ?, ?)",
                     [(table, r[key], SERVER_PRINT + p, quick.get(int(r[key])))
                      for r, p in zip(rows, prints, strict=True)])
    return len(rows)


def checkout(url: str, street: str, out: Path) -> dict[str, int]:
    """Write an offline copy of *street* to *out* (a new GeoPackage); rows per table."""
    out = Path(out)
    if out.exists():
        raise WorkspaceOpenError("文件已存在：{path}（不会覆盖）",
                                 "File already exists: {path} (not overwritten)", path=str(out))
    pg = PostgisStore.open(url, street=street, readonly=True)
    tmp = out.with_name(f".{out.name}.part")
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    try:
        conn = _scratch_workspace(tmp)
        conn.execute(f"CREATE TABLE {BASE_TABLE} (table_name TEXT NOT NULL, row_id INTEGER"
                     " NOT NULL, hash TEXT NOT NULL, quick TEXT,"
                     " PRIMARY KEY (table_name, row_id)) WITHOUT ROWID")
        reader = pg._new_connection(autocommit=False)  # noqa: SLF001 - one snapshot for all tables
        try:
            import psycopg

            reader.commit()  # the set-up queries; the snapshot starts with the next one
            reader.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            reader.read_only = True
            on_server: dict[str, set[str]] = {}
            for t, c in reader.execute(
                    "SELECT table_name, column_name FROM information_schema.columns"
                    " WHERE table_schema = current_schema()"):
                on_server.setdefault(t, set()).add(c)
            # Columns on both sides: a server a migration behind this program (not
            # opened by its owner since) lacks the newest ones; they keep defaults.
            plan = [(t, [c for c in _sqlite_cols(conn, t)
                         if c in {d[0] for d in schema.final_tables()[t].columns}
                         and c in on_server[t]])
                    for t in synced_tables() if t in on_server]
            prints: dict[str, list[str]] = {}
            # One table at a time: reading the next one in a second thread while this
            # one is written was no faster (both hold the GIL for most of their work).
            for table, cols in plan:
                rows = _fetch_rows(reader, table, cols)
                conn.execute(f'DELETE FROM "{table}"')  # the migrations' seed rows
                counts[table] = _copy_table(conn, table, cols, rows)
                prints[table] = cols
                del rows
            reader.rollback()
        finally:
            reader.close()
        _, street_code, shown = split_url(url, street)
        origin = {"server": shown, "street": street, "checkout_id": str(uuidlib.uuid4()),
                  "at": now_iso(), "prints": prints}
        conn.execute("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key)"
                     " DO UPDATE SET value = excluded.value", (ORIGIN, json.dumps(origin)))
        if outside_edits.has_tables(conn):
            outside_edits.create_triggers(conn)
            outside_edits.unmark_writer(conn)  # later writers other than GridApp are recorded
        conn.execute("COMMIT")
        conn.close()
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        pg.close()
    return counts


# -- checkin ------------------------------------------------------------------------
def _fk_targets() -> dict[str, dict[str, str]]:
    return {name: {col: ref for col, ref, _refcol in t.fks}
            for name, t in schema.final_tables().items()}


def _insert_order(tables: list[str]) -> list[str]:
    """Tables with referenced tables first (self references aside)."""
    fks = _fk_targets()
    done: list[str] = []
    pending = list(tables)
    while pending:
        for t in pending:
            if all(r == t or r not in pending for r in fks.get(t, {}).values()):
                done.append(t)
                pending.remove(t)
                break
        else:  # a cycle: keep the creation order for the rest
            done += pending
            break
    return done


def _local_cols(conn: sqlite3.Connection, table: str) -> list[str]:
    """The copy's columns of *table* that are GridApp's (``id`` first, as created)."""
    final = {c[0] for c in schema.final_tables()[table].columns}
    return [c for c in _sqlite_cols(conn, table) if c in final]


def quick_hash(values: Any) -> str:
    """A fast print of a row's values exactly as SQLite returns them (not comparable
    with the server's rows: for "has the copy's row changed since checkout" only)."""
    # Version 2: no back-references (from version 3 on, the bytes depend on which
    # values happen to be the same object, not only on the values).
    return hashlib.blake2b(marshal.dumps(tuple(values), 2), digest_size=16).hexdigest()


def local_changes(field_conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """``{table: {"changed": {id: row}, "deleted": [ids], "new": {id: row}, "base": {id: hash}}}``.

    A row whose quick print (:func:`quick_hash`, taken at checkout) still matches
    is unchanged; only the others are fingerprinted (:func:`row_hash`) and
    compared with the fingerprint the server's row had.  Copies checked out
    before quick prints existed are fingerprinted whole.
    """
    base: dict[str, dict[int, str]] = {}
    quick: dict[str, dict[int, str]] = {}
    has_quick = "quick" in _sqlite_cols(field_conn, BASE_TABLE)
    sql = (f"SELECT table_name, row_id, hash, quick FROM {BASE_TABLE}" if has_quick
           else f"SELECT table_name, row_id, hash, NULL FROM {BASE_TABLE}")
    for t, rid, h, q in field_conn.execute(sql):
        base.setdefault(t, {})[int(rid)] = h
        if q is not None:
            quick.setdefault(t, {})[int(rid)] = q
    present = {r[0] for r in field_conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    out: dict[str, dict[str, Any]] = {}
    for table in synced_tables():
        if table not in present:
            continue
        cols = _local_cols(field_conn, table)
        tq = quick.get(table, {})
        tb = base.get(table, {})
        seen: set[int] = set()
        rows: dict[int, dict[str, Any]] = {}
        cur = field_conn.cursor()
        cur.row_factory = None  # plain tuples: most rows are only printed and dropped
        for values in cur.execute(
                f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"'):
            rid = int(values[0])
            seen.add(rid)
            q = tq.get(rid)
            if q is not None and quick_hash(values) == q:
                continue  # unchanged since checkout
            row = dict(zip(cols, values, strict=True))
            if _keep(table, row):
                rows[rid] = row
        # A server print cannot be compared with the copy's row: the quick print
        # changed, so the row is looked at (the same values on both sides are no edit).
        changed = {i: r for i, r in rows.items() if i in tb and (
            tb[i].startswith(SERVER_PRINT) or row_hash(r) != tb[i])}
        deleted = [i for i in tb if i not in seen]
        new = {i: r for i, r in rows.items() if i not in tb}
        if changed or deleted or new:
            out[table] = {"changed": changed, "deleted": deleted, "new": new, "base": tb}
    return out


def _changes_fingerprint(changes: dict[str, dict[str, Any]]) -> str:
    digest = hashlib.sha256()
    for table in sorted(changes):
        c = changes[table]
        for i in sorted(c["changed"]):
            digest.update(f"{table}:c:{i}:{row_hash(c['changed'][i])}".encode())
        for i in sorted(c["deleted"]):
            digest.update(f"{table}:d:{i}".encode())
        for i in sorted(c["new"]):
            digest.update(f"{table}:n:{i}:{row_hash(c['new'][i])}".encode())
    return digest.hexdigest()


def read_origin(field_conn: sqlite3.Connection) -> dict[str, Any] | None:
    row = field_conn.execute("SELECT value FROM setting WHERE key = ?", (ORIGIN,)).fetchone()
    return json.loads(row[0]) if row else None


def origin_of(path: Path) -> dict[str, Any] | None:
    """The checkout record of an offline copy (server, street, checkout id), or None."""
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve().as_posix()}?mode=ro", uri=True)
        try:
            return read_origin(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def apply_checkin(pg: PostgisStore, field_conn: sqlite3.Connection,
                  origin: dict[str, Any],
                  changes: dict[str, dict[str, Any]] | None = None) -> CheckinResult:
    """Apply the copy's changes to the server in one transaction, or report conflicts.

    *changes* is :func:`local_changes` of *field_conn* when the caller has it
    already (it reads and fingerprints every row of the copy).
    """
    if changes is None:
        changes = local_changes(field_conn)
    fingerprint = _changes_fingerprint(changes)
    die_after = int(os.environ.get(FAULT_ENV, "0") or 0)
    applied: dict[str, int] = {}
    conflicts: list[Conflict] = []
    fks = _fk_targets()
    with pg._write() as conn:  # noqa: SLF001 - storage-internal
        raw = conn.raw
        raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (pg.schema + ".checkin",))
        if raw.execute("SELECT 1 FROM gridapp_checkin WHERE checkout_id = %s AND changes = %s",
                       (origin["checkout_id"], fingerprint)).fetchone():
            return CheckinResult({}, [], noop=True)
        new_ids: dict[tuple[str, int], int] = {}
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if die_after and done >= die_after:
                os.kill(os.getpid(), signal.SIGKILL)

        def remap(table: str, row: dict[str, Any]) -> dict[str, Any]:
            out = dict(row)
            for col, ref in fks.get(table, {}).items():
                v = out.get(col)
                if v is not None and (ref, int(v)) in new_ids:
                    out[col] = new_ids[(ref, int(v))]
            return out

        for table in _insert_order(list(changes)):
            c = changes[table]
            cols = list(next(iter(c["new"].values())).keys()) if c["new"] else []
            for old_id in sorted(c["new"]):
                row = remap(table, c["new"][old_id])
                vals = {k: v for k, v in row.items() if k != "id"}
                cur = conn.execute(
                    f'INSERT INTO "{table}" ({", ".join(chr(34) + k + chr(34) for k in vals)})'
                    f' VALUES ({", ".join("?" for _ in vals)})', list(vals.values()))
                new_ids[(table, old_id)] = int(cur.lastrowid)
                applied[table] = applied.get(table, 0) + 1
                step()
            del cols
        for table, c in changes.items():
            # The server's rows, locked, in one query per table (not one per row).
            cols = list(next(iter(c["changed"].values()))) if c["changed"] else []
            pcols = (origin.get("prints") or {}).get(table)
            onlines, oprints = _pg_rows_locked(raw, table, cols, list(c["changed"]), pcols)

            updates: dict[tuple[str, ...], list[list[Any]]] = {}
            for rid, row in sorted(c["changed"].items()):
                online = onlines.get(rid)
                if online is not None and row_hash(online) == row_hash(row):
                    continue  # the same edit on both sides
                if _moved_online(c["base"][rid], online, oprints.get(rid)):
                    later = _volatile_only(table, row, online)
                    if later is None:
                        conflicts.append(_conflict(table, rid, row, online))
                        continue
                    # Only a time such as the user's last login differs (the user logged
                    # in on both sides): not an edit; keep the later time.
                    if later:
                        updates.setdefault(tuple(later), []).append(
                            [row[k] for k in later] + [rid])
                    continue
                row = remap(table, row)
                sets = tuple(k for k in cols if k != "id" and _norm(row[k]) != _norm(online[k]))
                updates.setdefault(sets, []).append([row[k] for k in sets] + [rid])
            if not conflicts:
                for sets, rows in updates.items():  # one statement per set of changed columns
                    _bulk_update(raw, table, sets, rows)
                    for _ in rows:
                        applied[table] = applied.get(table, 0) + 1
                        step()
            all_cols = [col[0] for col in schema.final_tables()[table].columns]
            gone, oprints = _pg_rows_locked(raw, table, all_cols, list(c["deleted"]), pcols)
            for rid in c["deleted"]:
                online = gone.get(rid)
                if online is None:
                    continue
                if _moved_online(c["base"][rid], online, oprints.get(rid)):
                    conflicts.append(_conflict(table, rid, None, online))
                    continue
                conn.execute(f'DELETE FROM "{table}" WHERE id = ?', (rid,))
                applied[table] = applied.get(table, 0) + 1
                step()
        if conflicts:
            raise _Conflicts(conflicts)
        raw.execute("INSERT INTO gridapp_checkin (checkout_id, changes, at, rows) VALUES"
                    " (%s, %s, %s, %s)", (origin["checkout_id"], fingerprint, now_iso(),
                                          sum(applied.values())))
    return CheckinResult(applied, [])


def _bulk_update(raw: Any, table: str, sets: tuple[str, ...], rows: list[list[Any]]) -> None:
    """``UPDATE table SET sets... WHERE id = ...`` for every row (values, then id) as one
    statement: the rows COPYed into a temporary table first, so the server's audit
    trigger runs once for the statement (one entry per row all the same)."""
    if not sets or not rows:
        return
    cols = ", ".join(f'"{c}"' for c in sets)
    raw.execute("DROP TABLE IF EXISTS pg_temp.gridapp_checkin_rows")
    raw.execute(f'CREATE TEMP TABLE gridapp_checkin_rows ON COMMIT DROP AS'
                f' SELECT id, {cols} FROM "{table}" WITH NO DATA')
    copy_rows(raw, "gridapp_checkin_rows", ["id", *sets], ([r[-1], *r[:-1]] for r in rows))
    assign = ", ".join(f'"{c}" = s."{c}"' for c in sets)
    raw.execute(f'UPDATE "{table}" t SET {assign} FROM gridapp_checkin_rows s WHERE t.id = s.id')
    raw.execute("DROP TABLE gridapp_checkin_rows")


class _Conflicts(Exception):
    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__(f"{len(conflicts)} conflicts")
        self.conflicts = conflicts


def _moved_online(base: str, online: dict[str, Any] | None, online_print: str | None) -> bool:
    """Whether the server's row is gone or differs from the one checked out (*base*:
    its print then, a server print or, in older copies, its :func:`row_hash`)."""
    if online is None:
        return True
    if base.startswith(SERVER_PRINT):
        return online_print != base
    return row_hash(online) != base


def _pg_rows_locked(raw: Any, table: str, cols: list[str], ids: list[int],
                    print_cols: list[str] | None = None,
                    ) -> tuple[dict[int, dict[str, Any]], dict[int, str]]:
    """The server's rows *ids* of *table* (columns *cols*), locked FOR UPDATE, by id;
    and their server prints over *print_cols* (the columns printed at checkout)."""
    if not ids:
        return {}, {}
    names = list(dict.fromkeys(["id", *cols]))
    q = ", ".join(f'"{c}"' for c in names)
    out = {}
    for r in raw.execute(f'SELECT {q} FROM "{table}" WHERE id = ANY(%s) ORDER BY id FOR UPDATE',
                         (ids,)).fetchall():
        row = dict(zip(names, r, strict=True))
        out[int(row["id"])] = {c: row[c] for c in cols} if cols else row
    prints = _server_prints(raw, table, print_cols, ids) if print_cols else {}
    return out, prints


def _conflict(table: str, rid: int, offline: dict[str, Any] | None,
              online: dict[str, Any] | None) -> Conflict:
    cols = sorted(set(offline or {}) | set(online or {}))
    differ = [c for c in cols if _norm((offline or {}).get(c)) != _norm((online or {}).get(c))]
    return Conflict(table, rid, offline, online, differ)


def checkin(field_path: Path, url: str) -> CheckinResult:
    """Bring the edits of offline copy *field_path* back to the server it came from."""
    field_path = Path(field_path)
    fconn = sqlite3.connect(f"file:{field_path.resolve().as_posix()}?mode=ro", uri=True)
    fconn.row_factory = sqlite3.Row
    try:
        origin = read_origin(fconn)
        if origin is None or not fconn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (BASE_TABLE,)).fetchone():
            raise WorkspaceOpenError(
                "{path} 不是从服务器签出的副本（没有签出记录）",
                "{path} is not a copy checked out from a server (no checkout record)",
                path=str(field_path))
        _, street, _shown = split_url(url, origin["street"])
        if street != origin["street"]:
            raise WorkspaceOpenError(
                "{path} 是街道 {origin} 的副本，不是 {street} 的",
                "{path} is a copy of street {origin}, not of {street}",
                path=str(field_path), origin=origin["street"], street=street)
        if outside_edits.has_tables(fconn) and outside_edits.count_pending(fconn):
            raise WorkspaceOpenError(
                "{path} 有在 GridApp 之外做的修改（例如 QGIS），请先在 GridApp 中接受或撤销后再签入",
                "{path} has edits made outside GridApp (e.g. QGIS); accept or revert them in "
                "GridApp before checking in", path=str(field_path))
        row = fconn.execute("SELECT value FROM setting WHERE key = ?", (CHECKED_IN,)).fetchone()
        done_before = json.loads(row[0]) if row else None
        changes = local_changes(fconn)  # once: it reads and fingerprints every row
        fingerprint = _changes_fingerprint(changes)
        if done_before and done_before != fingerprint:
            raise WorkspaceOpenError(
                "{path} 已于 {at} 签入；之后的修改请在新的签出副本中进行（本文件未改动，修改仍在其中）",
                "{path} was checked in at {at}; make further edits in a new checkout (this "
                "file is unchanged and still holds them)", path=str(field_path),
                at=str(origin.get("checked_in_at", "")))
        pg = PostgisStore.open(url, street=origin["street"])
        try:
            try:
                result = apply_checkin(pg, fconn, origin, changes)
            except _Conflicts as exc:
                return CheckinResult({}, exc.conflicts)
        finally:
            pg.close()
    finally:
        fconn.close()
    if not result.noop:
        from gridapp.storage.store import GeoPackageStore

        with GeoPackageStore.open(field_path) as field_store:
            field_store.set_setting(CHECKED_IN, fingerprint, actor="checkin")
    return result
