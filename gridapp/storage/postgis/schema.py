"""The PostGIS schema, built from the same named migrations as the GeoPackage.

There is one description of GridApp's tables: the migrations in
:mod:`gridapp.storage.migrations`.  Rather than a second hand-written copy in
PostgreSQL's dialect (which would drift), each migration is replayed once on a
scratch in-memory GeoPackage and what it changed is read back with SQLite's
own catalogue (``pragma table_info``, ``foreign_key_list``, ``index_list``):
new tables, added or dropped columns, indexes and the rows it seeded.  That
difference is what the PostGIS street schema receives under the migration's
name, in the same (version, name) order.  SQLite triggers (R-tree upkeep,
outside-edit detection, "unique among current rows") are not carried over:
the server keeps its own (audit, see :mod:`gridapp.storage.postgis.audit`).

Types: INTEGER → bigint, REAL → double precision, BLOB → bytea, BOOLEAN →
smallint (0/1, as SQLite keeps them), TEXT/DATETIME → text (GridApp stores ISO-8601 text and compares it
as text on both backends), geometry → ``geometry(<type>, 4490)`` with a GiST
index.  Foreign keys are DEFERRABLE INITIALLY DEFERRED so a whole workspace
can be copied in one transaction in any table order.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from gridapp.storage import gpkg, sqlfuncs
from gridapp.storage.migrations import Migration, all_migrations

MIGRATION_TABLE = "gridapp_migration"
SRID = 4490
_CLOCK_DEFAULT = re.compile(r"\bnow\b|\bcurrent_(timestamp|date|time)\b", re.IGNORECASE)
_SKIP_PREFIXES = ("gpkg_", "gpkgext_", "rtree_", "sqlite_", MIGRATION_TABLE)
_GEOM_TYPES = {"POINT": "Point", "LINESTRING": "LineString", "POLYGON": "Polygon",
               "MULTIPOINT": "MultiPoint", "MULTILINESTRING": "MultiLineString",
               "MULTIPOLYGON": "MultiPolygon", "GEOMETRY": "Geometry",
               "GEOMETRYCOLLECTION": "GeometryCollection"}


@dataclass
class Table:
    name: str
    columns: list[tuple[str, str, bool, str | None, bool]]  # name, type, notnull, default, pk
    fks: list[tuple[str, str, str]] = field(default_factory=list)  # column, table, column
    uniques: list[tuple[str, ...]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    geom_type: str | None = None

    def column_types(self) -> dict[str, str]:
        return {c[0]: pg_type(c[1], c[0] == "geom" and self.geom_type is not None)
                for c in self.columns}


@dataclass
class Snapshot:
    tables: dict[str, Table]
    indexes: dict[str, tuple[str, str]]  # name -> (table, sql)
    rows: dict[str, dict[int, dict[str, Any]]]


@dataclass
class Step:
    """What one migration changes, in PostgreSQL terms."""

    migration: Migration
    statements: list[str]
    optional: list[str]  # checks and indexes SQLite accepts that PostgreSQL may not
    seed: dict[str, list[dict[str, Any]]]
    # portable UPDATEs filling new columns from existing rows (a migration's BACKFILL)
    backfill: tuple[str, ...] = ()


def pg_type(decl: str, is_geom: bool = False, geom_type: str | None = None) -> str:
    decl = (decl or "").upper()
    if is_geom:
        return "geometry"
    if "INT" in decl:
        return "bigint"
    if "BOOL" in decl:
        return "smallint"  # 0/1 as in SQLite: rows and audit entries read the same
    if any(k in decl for k in ("REAL", "FLOA", "DOUB")):
        return "double precision"
    if "BLOB" in decl:
        return "bytea"
    if "NUMERIC" in decl or "DECIMAL" in decl:
        return "numeric"
    return "text"


def _checks(sql: str) -> list[str]:
    """The ``CHECK (...)`` expressions in a CREATE TABLE statement."""
    out = []
    for m in re.finditer(r"\bCHECK\s*\(", sql, re.IGNORECASE):
        depth, i = 1, m.end()
        while i < len(sql) and depth:
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            i += 1
        out.append(sql[m.end():i - 1].strip())
    return out


def _snapshot(conn: sqlite3.Connection) -> Snapshot:
    geoms = {r[0]: r[1] for r in conn.execute(
        "SELECT table_name, geometry_type_name FROM gpkg_geometry_columns")}
    tables: dict[str, Table] = {}
    rows: dict[str, dict[int, dict[str, Any]]] = {}
    # Virtual tables (SQLite's full-text and R-tree indexes) and their shadow
    # tables are SQLite's own machinery, not data: the server has none of them.
    virtual = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")]
    for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid"):
        if name.startswith(_SKIP_PREFIXES) or any(
                name == v or name.startswith(v + "_") for v in virtual):
            continue
        cols = [(r[1], r[2] or "", bool(r[3]), r[4], bool(r[5]))
                for r in conn.execute(f'PRAGMA table_info("{name}")')]
        fks = [(r[3], r[2], r[4] or "id")
               for r in conn.execute(f'PRAGMA foreign_key_list("{name}")')]
        uniques = []
        for r in conn.execute(f'PRAGMA index_list("{name}")'):
            if r[3] == "u":
                uniques.append(tuple(c[2] for c in conn.execute(f'PRAGMA index_info("{r[1]}")')))
        tables[name] = Table(name, cols, fks, uniques, _checks(sql or ""),
                             geoms.get(name))
        if any(c[0] == "id" for c in cols):
            rows[name] = {int(r["id"]): dict(r) for r in conn.execute(f'SELECT * FROM "{name}"')}
    indexes = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        if not r[1].startswith(_SKIP_PREFIXES)}
    return Snapshot(tables, indexes, rows)


def _column_sql(table: Table, col: tuple[str, str, bool, str | None, bool]) -> str:
    name, decl, notnull, default, pk = col
    if pk and name == "id":
        return '"id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY'
    if name == "geom" and table.geom_type:
        kind = _GEOM_TYPES.get(table.geom_type.upper(), "Geometry")
        return f'"geom" geometry({kind}, {SRID})'
    kind = pg_type(decl)
    out = f'"{name}" {kind}'
    # A default that reads SQLite's clock (outside_edit.at) is not carried: the
    # server's clock is not one the suite can set, and GridApp binds every time
    # it writes (domain.timeutil); those rows come with their values on publish.
    if default is not None and not _CLOCK_DEFAULT.search(default):
        out += f" DEFAULT {default}"
    if notnull:
        out += " NOT NULL"
    return out


def _fk_sql(table: str, fk: tuple[str, str, str]) -> str:
    col, ref, refcol = fk
    return (f'ALTER TABLE "{table}" ADD CONSTRAINT "{table}_{col}_fkey" FOREIGN KEY ("{col}")'
            f' REFERENCES "{ref}" ("{refcol}") DEFERRABLE INITIALLY DEFERRED')


def _diff(before: Snapshot, after: Snapshot, mig: Migration) -> Step:
    stmts: list[str] = []
    optional: list[str] = []
    fks: list[str] = []
    for name in before.tables:
        if name not in after.tables:
            stmts.append(f'DROP TABLE IF EXISTS "{name}" CASCADE')
    for name, table in after.tables.items():
        old = before.tables.get(name)
        if old is None:
            parts = [_column_sql(table, c) for c in table.columns]
            parts += [f"UNIQUE ({', '.join(chr(34) + c + chr(34) for c in u)})"
                      for u in table.uniques]
            stmts.append(f'CREATE TABLE "{name}" ({", ".join(parts)})')
            if table.geom_type:
                stmts.append(f'CREATE INDEX "{name}_geom_gist" ON "{name}" USING gist (geom)')
                stmts.append(
                    f'CREATE VIEW "rtree_{name}_geom" AS SELECT id, ST_XMin(geom) AS minx,'
                    " ST_XMax(geom) AS maxx, ST_YMin(geom) AS miny, ST_YMax(geom) AS maxy"
                    f' FROM "{name}" WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)')
            fks += [_fk_sql(name, fk) for fk in table.fks]
            optional += [f'ALTER TABLE "{name}" ADD CHECK ({c})' for c in table.checks]
            continue
        old_cols = {c[0] for c in old.columns}
        new_cols = {c[0] for c in table.columns}
        for c in table.columns:
            if c[0] not in old_cols:
                stmts.append(f'ALTER TABLE "{name}" ADD COLUMN {_column_sql(table, c)}')
        for c in old_cols - new_cols:
            stmts.append(f'ALTER TABLE "{name}" DROP COLUMN IF EXISTS "{c}"')
        fks += [_fk_sql(name, fk) for fk in table.fks if fk not in old.fks]
        optional += [f'ALTER TABLE "{name}" ADD CHECK ({c})' for c in table.checks
                     if c not in old.checks]
    for name in before.indexes:
        if name not in after.indexes:
            stmts.append(f'DROP INDEX IF EXISTS "{name}"')
    for name, (_tbl, sql) in after.indexes.items():
        if before.indexes.get(name) != after.indexes[name]:
            if name in before.indexes:
                stmts.append(f'DROP INDEX IF EXISTS "{name}"')
            optional.append(re.sub(r"\bIF NOT EXISTS\b", "", sql, flags=re.IGNORECASE))
    seed: dict[str, list[dict[str, Any]]] = {}
    for name, rows in after.rows.items():
        fresh = [r for i, r in rows.items() if i not in before.rows.get(name, {})]
        if fresh:
            seed[name] = fresh
    return Step(mig, stmts + fks, optional, seed)


@functools.lru_cache(maxsize=1)
def steps() -> tuple[Step, ...]:
    """Every migration as PostgreSQL statements, oldest first (computed once)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    sqlfuncs.register(conn)
    gpkg.create_core(conn)
    conn.execute(f"CREATE TABLE {MIGRATION_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                 " name TEXT NOT NULL UNIQUE, version INTEGER NOT NULL,"
                 " applied_at DATETIME NOT NULL)")
    out = []
    before = _snapshot(conn)
    for mig in all_migrations():
        mig.module.apply(conn, {"srs_id": SRID})
        after = _snapshot(conn)
        step = _diff(before, after, mig)
        step.backfill = tuple(getattr(mig.module, "BACKFILL", ()))
        out.append(step)
        before = after
    conn.close()
    return tuple(out)


@functools.lru_cache(maxsize=1)
def final_tables() -> dict[str, Table]:
    """Every table as the newest migration leaves it (column types, geometry)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    sqlfuncs.register(conn)
    gpkg.create_core(conn)
    for mig in all_migrations():
        mig.module.apply(conn, {"srs_id": SRID})
    tables = _snapshot(conn).tables
    conn.close()
    return tables


def table_order() -> list[str]:
    """Tables in creation order (parents before most children)."""
    return list(final_tables())


def quote_schema(street_code: str) -> str:
    """The PostgreSQL schema holding one street: ``street_<code>`` (letters, digits, _)."""
    code = re.sub(r"[^a-z0-9_]", "_", street_code.strip().lower())
    if not code:
        raise ValueError("empty street code")
    return f"street_{code}"
