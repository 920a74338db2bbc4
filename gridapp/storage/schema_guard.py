"""Triggers and views a workspace file may carry, and refusing the others.

A trigger runs with the rights of whoever writes: a file sent by someone else
can carry ``AFTER UPDATE ON app_user ... SET role_id = <admin>`` that fires the
moment a leader saves anything.  Every connection is opened with
``PRAGMA trusted_schema = OFF`` (SQL functions GridApp registers cannot be
called from the schema), and before each write transaction the file's
triggers and views are compared, by name and normalised SQL, with the ones
GridApp itself would create:

* every trigger of GridApp's migrations (built once in memory from them),
  and the outside-edit triggers generated for the file's own columns;
* the GeoPackage R-tree triggers (1.2 and 1.4 forms) of each registered
  spatial index, as GridApp, GDAL and QGIS write them;
* GDAL's feature-count triggers (``trigger_insert_feature_count_<t>``) with
  their exact body;
* triggers on tables that are not GridApp's whose body only ``SELECT RAISE``\\ s
  (the GeoPackage ``gpkg_tile_matrix``/``gpkg_metadata`` constraint triggers):
  they can refuse a write to that table, never change anything;
* views registered as layers in ``gpkg_contents`` (QGIS/GDAL view layers):
  a view cannot write, GridApp never reads them, and with ``trusted_schema``
  off they cannot call GridApp's functions;
* objects an administrator accepted on this computer, by the SHA-256 of their
  normalised SQL (a changed body is foreign again).

Anything else is *foreign*: writes are refused (:class:`ForeignSchemaError`)
until an administrator removes or accepts it.  Only inside a write whose
schema was found clean is ``trusted_schema`` turned on, so GridApp's R-tree
triggers may call ``ST_MinX`` and friends.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gridapp.errors import StorageError
from gridapp.storage import gpkg, keystore

if TYPE_CHECKING:
    from gridapp.storage.store import GeoPackageStore


class ForeignSchemaError(StorageError):
    """The workspace carries triggers or views GridApp did not create."""


@dataclass(frozen=True)
class SchemaObject:
    type: str  # trigger | view
    name: str
    table: str
    sql: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(normalise(self.sql).encode("utf-8")).hexdigest()


_TOKEN = re.compile(r"""
    '(?:[^']|'')*'            # string literal: kept exactly
  | "(?:[^"]|"")*"            # quoted identifiers: unquoted, case-folded
  | `(?:[^`]|``)*`
  | \[[^\]]*\]
  | --[^\n]*                  # comments: dropped
  | /\*.*?(?:\*/|$)
  | \s+
  | [A-Za-z_][A-Za-z0-9_$]*
  | [0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)? | \.[0-9]+(?:[eE][+-]?[0-9]+)?
  | !=|<>|<=|>=|==|\|\||<<|>>
  | .
""", re.S | re.X)


def tokens(sql: str) -> list[str]:
    """SQL as tokens: identifiers unquoted and lower-cased, literals exact."""
    out = []
    for m in _TOKEN.finditer(sql):
        t = m.group(0)
        if t.isspace() or t.startswith("--") or t.startswith("/*"):
            continue
        if t[0] == '"':
            t = t[1:-1].replace('""', '"').lower()
        elif t[0] == "`":
            t = t[1:-1].replace("``", "`").lower()
        elif t[0] == "[":
            t = t[1:-1].lower()
        elif t[0] != "'":
            t = t.lower()
        out.append(t)
    if out and out[-1] == ";":
        out.pop()
    return out


@functools.lru_cache(maxsize=8192)  # the guard compares the same texts on every write
def normalise(sql: str) -> str:
    """One spelling per statement: ``"NEW"."geom"`` and ``new.geom`` compare equal."""
    return "\x1f".join(tokens(sql))


# -- GridApp's own objects -----------------------------------------------------
@functools.cache
def _reference() -> tuple[frozenset[str], dict[str, str]]:
    """(GridApp's tables, trigger/view name → normalised SQL) from its migrations."""
    from gridapp.storage.migrations import all_migrations

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        # names only: the reference compares triggers and views, not CRS texts
        gpkg.create_core(conn, define=lambda epsg: (f"EPSG:{epsg}", "undefined"))
        conn.execute("CREATE TABLE gridapp_migration (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                     " name TEXT NOT NULL UNIQUE, version INTEGER NOT NULL,"
                     " applied_at DATETIME NOT NULL)")
        ctx = {"srs_id": 4490}
        for mig in all_migrations():
            mig.module.apply(conn, ctx)
        tables = frozenset(
            r[0].lower() for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].lower().startswith(("gpkg_", "rtree_", "sqlite_")))
        objects = {r[0].lower(): normalise(r[1]) for r in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')")
            if not r[0].lower().startswith(("rtree_", "outside_edit_"))}
    finally:
        conn.close()
    return tables, objects


def gridapp_tables() -> frozenset[str]:
    return _reference()[0]


def _outside_edit_triggers(conn: sqlite3.Connection) -> dict[str, str]:
    """The outside-edit triggers GridApp would write for the file's own columns."""
    from gridapp.storage import outside_edits

    mem = sqlite3.connect(":memory:", isolation_level=None)
    try:
        mem.execute("CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT)")
        for table in outside_edits.TRACKED:
            row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (table,)).fetchone()
            if row is None:
                continue
            mem.execute(row[0])
            for r in conn.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"
                                  " WHERE table_name = ?", (table,)):
                mem.execute("INSERT INTO gpkg_geometry_columns VALUES (?, ?)", tuple(r))
        outside_edits.create_triggers(mem)
        return {r[0].lower(): normalise(r[1]) for r in mem.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        mem.close()


def _rtree_triggers(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """R-tree trigger name → accepted normalised forms, for each registered index."""
    out: dict[str, set[str]] = {}
    try:
        rows = conn.execute("SELECT table_name, column_name FROM gpkg_extensions"
                            " WHERE extension_name = 'gpkg_rtree_index'").fetchall()
    except sqlite3.Error:
        return out
    for table, column in rows:
        if not table or not column:
            continue
        pks = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[5]]
        for pk in {*pks, "rowid", "fid", "id"}:
            for template in (*gpkg._RTREE_TRIGGERS, *gpkg._RTREE_TRIGGERS_1_2):
                norm = normalise(template.format(t=table, c=column, pk=pk))
                out.setdefault(norm.split("\x1f")[2], set()).add(norm)
    return out


def _feature_count_sql(op: str, table: str) -> str:
    sign = "+" if op == "insert" else "-"
    quoted = table.replace("'", "''")
    return (f'CREATE TRIGGER "trigger_{op}_feature_count_{table}" AFTER '
            f'{op.upper()} ON "{table}" BEGIN UPDATE gpkg_ogr_contents SET feature_count = '
            f"feature_count {sign} 1 WHERE lower(table_name) = lower('{quoted}'); END")


_WRITING_WORDS = frozenset({"insert", "update", "delete", "replace", "create", "drop",
                            "alter", "attach", "detach", "pragma", "vacuum", "reindex",
                            "analyze", "upsert", "returning"})


def _only_raises(sql: str) -> bool:
    """True for a trigger whose body is one ``SELECT RAISE(...) [WHERE ...]``."""
    toks = tokens(sql)
    try:
        body = toks[toks.index("begin") + 1:]
    except ValueError:
        return False
    if not body or body[-1] != "end":
        return False
    body = body[:-1]
    if body and body[-1] == ";":
        body = body[:-1]
    if body[:3] != ["select", "raise", "("] or ";" in body:
        return False
    return not any(t in _WRITING_WORDS for t in body if not t.startswith("'"))


def schema_objects(conn: sqlite3.Connection) -> list[SchemaObject]:
    return [SchemaObject(r[0], r[1], r[2] or "", r[3] or "") for r in conn.execute(
        "SELECT type, name, tbl_name, sql FROM main.sqlite_master"
        " WHERE type IN ('trigger', 'view') ORDER BY type, name")]


@dataclass(frozen=True)
class SchemaReport:
    foreign: list[SchemaObject]
    missing: list[str]  # GridApp's own triggers that are not in the file


def inspect(conn: sqlite3.Connection, uuid: str | None) -> SchemaReport:
    """Compare the file's triggers and views with GridApp's list."""
    tables, own = _reference()
    own = dict(own)
    own.update(_outside_edit_triggers(conn))
    rtree = _rtree_triggers(conn)
    layers = {r[0].lower() for r in conn.execute("SELECT table_name FROM gpkg_contents")}
    accepted = keystore.accepted_schema(uuid)
    foreign = []
    present = set()
    for obj in schema_objects(conn):
        name = obj.name.lower()
        present.add(name)
        norm = normalise(obj.sql)
        if own.get(name) == norm or norm in rtree.get(name, ()):
            continue
        if obj.type == "trigger":
            m = re.fullmatch(r"trigger_(insert|delete)_feature_count_(.+)", obj.name)
            if m and m.group(2) == obj.table and norm == normalise(
                    _feature_count_sql(m.group(1), obj.table)):
                continue
            if obj.table.lower() not in tables and _only_raises(obj.sql):
                continue
        elif name in layers and name not in tables:
            continue
        if accepted.get(obj.name) == obj.digest:
            continue
        foreign.append(obj)
    has_table = {r[0].lower() for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = sorted(n for n in own if n not in present and _table_of(n, has_table))
    return SchemaReport(foreign, missing)


def _table_of(trigger: str, tables: set[str]) -> bool:
    """Whether the table a GridApp trigger belongs on exists in this file."""
    from gridapp.storage import outside_edits

    if trigger.startswith("outside_edit_"):
        return outside_edits.MARKER in tables and any(
            trigger.startswith(f"outside_edit_{t}_") for t in tables)
    return "audit_log" in tables


def describe(objects: list[SchemaObject]) -> str:
    return ", ".join(f"{o.type} {o.name} ON {o.table}" if o.type == "trigger"
                     else f"{o.type} {o.name}" for o in objects)


def refusal(objects: list[SchemaObject], path: object) -> ForeignSchemaError:
    return ForeignSchemaError(
        "工作空间中有不是 GridApp 创建的触发器或视图：{names}。它们会以您的权限执行，"
        "因此在管理员删除（check --remove-foreign-schema）或确认接受"
        "（check --accept-foreign-schema）之前不能保存任何更改",
        "The workspace carries triggers or views GridApp did not create: {names}. They "
        "would run with your rights, so no change can be saved until an administrator "
        "removes them (check --remove-foreign-schema) or accepts them "
        "(check --accept-foreign-schema)",
        names=describe(objects), path=str(path))


# -- the guard on every write ----------------------------------------------------
_clean: dict[tuple[str, str], bool] = {}


def _raw_digest(conn: sqlite3.Connection) -> str:
    h = hashlib.sha256()
    for r in conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master"
                          " WHERE type IN ('trigger', 'view', 'table') ORDER BY name"):
        h.update(repr(tuple(r)).encode("utf-8"))
    return h.hexdigest()


def before_write(conn: sqlite3.Connection, uuid: str | None, path: object) -> None:
    """Inside ``BEGIN IMMEDIATE``: refuse foreign objects, then trust the schema.

    The write lock is held, so nobody can change the schema between this check
    and the commit.  A schema seen clean before (same objects, same accepted
    list) is not compared again.
    """
    key = (_raw_digest(conn), repr(sorted(keystore.accepted_schema(uuid).items())))
    if not _clean.get(key):
        report = inspect(conn, uuid)
        if report.foreign:
            raise refusal(report.foreign, path)
        if len(_clean) > 64:
            _clean.clear()
        _clean[key] = True
    trust(conn, True)


def trust(conn: sqlite3.Connection, on: bool) -> None:
    """Let the schema call GridApp's SQL functions (only after :func:`before_write`)."""
    conn.execute(f"PRAGMA trusted_schema = {'ON' if on else 'OFF'}")


def drop(conn: sqlite3.Connection, objects: list[SchemaObject]) -> None:
    for obj in objects:
        kind = "TRIGGER" if obj.type == "trigger" else "VIEW"
        conn.execute(f'DROP {kind} IF EXISTS "{obj.name.replace(chr(34), chr(34) * 2)}"')


# -- the administrator's answer ----------------------------------------------------
def _foreign_now(conn: sqlite3.Connection) -> list[SchemaObject]:
    from gridapp.storage import audit

    return inspect(conn, audit.workspace_uuid(conn)).foreign


def remove_foreign(store: GeoPackageStore, actor: str, user_id: int | None) -> list[SchemaObject]:
    """Drop every foreign trigger and view (audited); what was dropped.

    Runs without the guard (that is its purpose) but with ``trusted_schema``
    off, and drops before it writes anything that could fire them.
    """
    from gridapp.storage import audit

    with store._write(guard=False) as conn:
        found = _foreign_now(conn)
        drop(conn, found)
        if found:
            audit.append(conn, actor=actor, user_id=user_id, action="schema_removed",
                         table=None, row_id=None,
                         changes={o.name: {"type": o.type, "table": o.table, "sql": o.sql}
                                  for o in found})
    _clean.clear()
    return found


def accept_foreign(store: GeoPackageStore, actor: str,
                   user_id: int | None) -> list[SchemaObject]:
    """Accept every foreign trigger and view on this computer (audited); what was accepted.

    The acceptance is kept in the configuration folder by the SHA-256 of each
    object's normalised SQL, so a changed body is foreign again.
    """
    from gridapp.storage import audit

    with store._write(guard=False) as conn:
        found = _foreign_now(conn)
        if found:
            audit.current_key(conn)  # gives the workspace its id
            keystore.accept_schema(audit.workspace_uuid(conn) or "",
                                   {o.name: o.digest for o in found})
            audit.append(conn, actor=actor, user_id=user_id, action="schema_accepted",
                         table=None, row_id=None,
                         changes={o.name: {"type": o.type, "table": o.table, "sql": o.sql,
                                           "sha256": o.digest} for o in found})
    _clean.clear()
    return found
