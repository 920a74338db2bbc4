"""GeoPackage core tables and table registration (OGC GeoPackage 1.4).

Creates the mandatory ``gpkg_*`` tables, registers feature tables (with the
R-tree spatial index extension and its triggers, as GDAL writes them) and
attribute tables in ``gpkg_contents``, and the Related Tables extension used
for attachments.  Every statement here runs on a connection inside the
caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10400  # GeoPackage 1.4

RTREE_EXTENSION = "http://www.geopackage.org/spec120/#extension_rtree"
RTE_EXTENSION = "http://www.opengis.net/doc/IS/gpkg-rte/1.0"

_CORE_DDL = [
    """CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL,
    srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
    description TEXT)""",
    """CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY,
    data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
    last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
    CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id)
    REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL,
    column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
    CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
    CONSTRAINT uk_gc_table_name UNIQUE (table_name),
    CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
    CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
    """CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT,
    extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
    CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))""",
]

_RTREE_TRIGGERS = [
    # The GeoPackage 1.4 triggers, with the table's own primary key and column.
    """CREATE TRIGGER "rtree_{t}_{c}_insert" AFTER INSERT ON "{t}"
    WHEN (new."{c}" NOT NULL AND NOT ST_IsEmpty(NEW."{c}")) BEGIN
    INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (NEW."{pk}",
    ST_MinX(NEW."{c}"), ST_MaxX(NEW."{c}"), ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}"));
    END""",
    """CREATE TRIGGER "rtree_{t}_{c}_update6" AFTER UPDATE OF "{c}" ON "{t}"
    WHEN OLD."{pk}" = NEW."{pk}" AND (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}"))
    AND (OLD."{c}" NOTNULL AND NOT ST_IsEmpty(OLD."{c}")) BEGIN
    UPDATE "rtree_{t}_{c}" SET minx = ST_MinX(NEW."{c}"), maxx = ST_MaxX(NEW."{c}"),
    miny = ST_MinY(NEW."{c}"), maxy = ST_MaxY(NEW."{c}") WHERE id = NEW."{pk}"; END""",
    """CREATE TRIGGER "rtree_{t}_{c}_update7" AFTER UPDATE OF "{c}" ON "{t}"
    WHEN OLD."{pk}" = NEW."{pk}" AND (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}"))
    AND (OLD."{c}" ISNULL OR ST_IsEmpty(OLD."{c}")) BEGIN
    INSERT INTO "rtree_{t}_{c}" VALUES (NEW."{pk}", ST_MinX(NEW."{c}"),
    ST_MaxX(NEW."{c}"), ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")); END""",
    """CREATE TRIGGER "rtree_{t}_{c}_update2" AFTER UPDATE OF "{c}" ON "{t}"
    WHEN OLD."{pk}" = NEW."{pk}" AND (NEW."{c}" ISNULL OR ST_IsEmpty(NEW."{c}")) BEGIN
    DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."{pk}"; END""",
    """CREATE TRIGGER "rtree_{t}_{c}_update5" AFTER UPDATE ON "{t}"
    WHEN OLD."{pk}" != NEW."{pk}" AND (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}"))
    BEGIN DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."{pk}";
    INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (NEW."{pk}", ST_MinX(NEW."{c}"),
    ST_MaxX(NEW."{c}"), ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")); END""",
    """CREATE TRIGGER "rtree_{t}_{c}_update4" AFTER UPDATE ON "{t}"
    WHEN OLD."{pk}" != NEW."{pk}" AND (NEW."{c}" ISNULL OR ST_IsEmpty(NEW."{c}"))
    BEGIN DELETE FROM "rtree_{t}_{c}" WHERE id IN (OLD."{pk}", NEW."{pk}"); END""",
    """CREATE TRIGGER "rtree_{t}_{c}_delete" AFTER DELETE ON "{t}"
    WHEN old."{c}" NOT NULL BEGIN DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."{pk}"; END""",
]


# GeoPackage 1.0–1.3 (GDAL before 3.7, QGIS 3.22 and older): the 1.2 update
# triggers.  GDAL's validator expects exactly this set below version 1.4.
_RTREE_TRIGGERS_1_2 = [
    _RTREE_TRIGGERS[0],
    """CREATE TRIGGER "rtree_{t}_{c}_update1" AFTER UPDATE OF "{c}" ON "{t}"
    WHEN OLD."{pk}" = NEW."{pk}" AND (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}")) BEGIN
    INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (NEW."{pk}", ST_MinX(NEW."{c}"),
    ST_MaxX(NEW."{c}"), ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")); END""",
    _RTREE_TRIGGERS[3],
    """CREATE TRIGGER "rtree_{t}_{c}_update3" AFTER UPDATE ON "{t}"
    WHEN OLD."{pk}" != NEW."{pk}" AND (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}"))
    BEGIN DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."{pk}";
    INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (NEW."{pk}", ST_MinX(NEW."{c}"),
    ST_MaxX(NEW."{c}"), ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")); END""",
    _RTREE_TRIGGERS[5],
    _RTREE_TRIGGERS[6],
]

# application_id of GeoPackage 1.0 ("GP10") and 1.1 ("GP11"); 1.2+ use "GPKG"
# with the version in user_version.
_OLD_APPLICATION_IDS = {0x47503130: 10000, 0x47503131: 10100}


def srs_definition(epsg: int) -> tuple[str, str]:
    """(name, WKT1 definition) of an EPSG CRS for ``gpkg_spatial_ref_sys``."""
    # pyproj only when a CRS is added: opening a workspace does not need it
    from pyproj import CRS
    from pyproj.enums import WktVersion

    crs = CRS.from_epsg(epsg)
    return crs.name, crs.to_wkt(WktVersion.WKT1_GDAL)


def create_core(conn: sqlite3.Connection, srs_ids: tuple[int, ...] = (4490,), *,
                define: Callable[[int], tuple[str, str]] = srs_definition) -> None:
    """Create the GeoPackage core tables in an empty database.

    *define* gives each CRS's (name, WKT): pyproj's by default; the schema
    guard's in-memory reference, which compares triggers and views only, passes
    one that does not import pyproj (0.2-0.4 s of a login, issue 22).
    """
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {USER_VERSION}")
    for ddl in _CORE_DDL:
        conn.execute(ddl)
    conn.executemany(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("Undefined Cartesian SRS", -1, "NONE", -1, "undefined",
             "undefined Cartesian coordinate reference system"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined",
             "undefined geographic coordinate reference system"),
        ],
    )
    for epsg in (4326, *srs_ids):
        ensure_srs(conn, epsg, define=define)


def ensure_srs(conn: sqlite3.Connection, epsg: int, *,
               define: Callable[[int], tuple[str, str]] = srs_definition) -> None:
    """Add an EPSG CRS to ``gpkg_spatial_ref_sys`` if it is not there."""
    if conn.execute("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (epsg,)).fetchone():
        return
    name, wkt = define(epsg)
    conn.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, 'EPSG', ?, ?, ?)",
        (name, epsg, epsg, wkt, None),
    )


def is_geopackage(conn: sqlite3.Connection) -> bool:
    """True for GeoPackage 1.0 to 1.4 (``GP10``, ``GP11`` or ``GPKG`` application id)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    has_contents = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='gpkg_contents'"
    ).fetchone()
    return (app_id == APPLICATION_ID or app_id in _OLD_APPLICATION_IDS) and bool(has_contents)


def version(conn: sqlite3.Connection) -> int:
    """The file's GeoPackage version as ``user_version`` spells it (10200 for 1.2)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id in _OLD_APPLICATION_IDS:
        return _OLD_APPLICATION_IDS[app_id]
    return int(conn.execute("PRAGMA user_version").fetchone()[0] or 0) or USER_VERSION


def register_features(
    conn: sqlite3.Connection,
    table: str,
    geometry_type: str,
    srs_id: int,
    description: str = "",
    pk: str = "id",
    column: str = "geom",
) -> None:
    """Register an existing feature table, its geometry column and R-tree index."""
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)"
        " VALUES (?, 'features', ?, ?, ?)",
        (table, table, description, srs_id),
    )
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)",
        (table, column, geometry_type, srs_id),
    )
    conn.execute(
        f'CREATE VIRTUAL TABLE "rtree_{table}_{column}" USING rtree(id, minx, maxx, miny, maxy)'
    )
    conn.execute(
        "INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', ?, 'write-only')",
        (table, column, RTREE_EXTENSION),
    )
    create_rtree_triggers(conn, table, pk, column)


def create_rtree_triggers(conn: sqlite3.Connection, table: str, pk: str = "id", column: str = "geom") -> None:
    """The R-tree triggers of the file's own GeoPackage version.

    A file written as GeoPackage 1.0–1.3 (GDAL 3.4–3.6, QGIS 3.22) gets the 1.2
    set, so adding GridApp's tables keeps it valid for its version.
    """
    triggers = _RTREE_TRIGGERS if version(conn) >= 10400 else _RTREE_TRIGGERS_1_2
    for sql in triggers:
        conn.execute(sql.format(t=table, c=column, pk=pk))


def drop_rtree_triggers(conn: sqlite3.Connection, table: str, column: str = "geom") -> None:
    for suffix in ("insert", "update1", "update2", "update3", "update4", "update5",
                   "update6", "update7", "delete"):
        conn.execute(f'DROP TRIGGER IF EXISTS "rtree_{table}_{column}_{suffix}"')


# gpkg_* tables that name a table in a ``table_name`` column.
_TABLE_NAME_COLUMNS = [
    ("gpkg_contents", "table_name"), ("gpkg_geometry_columns", "table_name"),
    ("gpkg_extensions", "table_name"), ("gpkg_data_columns", "table_name"),
    ("gpkg_metadata_reference", "table_name"), ("gpkg_ogr_contents", "table_name"),
    ("gpkgext_relations", "base_table_name"), ("gpkgext_relations", "related_table_name"),
]


def free_name(conn: sqlite3.Connection, wanted: str) -> str:
    """*wanted*, or *wanted* with a number, not yet used by any schema object."""
    names = {r[0].lower() for r in conn.execute("SELECT name FROM sqlite_master")}
    name, n = wanted, 2
    while name.lower() in names or f"rtree_{name}_geom".lower() in names:
        name, n = f"{wanted}{n}", n + 1
    return name


def rename_layer(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Rename a feature or attribute table with its registration and R-tree.

    Runs in the caller's transaction.  The R-tree triggers are recreated under
    the new name in the style of the file's version; GDAL's own feature-count
    triggers (``trigger_*_feature_count_<table>``) are dropped, as GDAL
    recreates them when it next writes.
    """
    geom = conn.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
        (old,)).fetchone()
    pk = next((r[1] for r in conn.execute(f'PRAGMA table_info("{old}")') if r[5]), "fid")
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?"
            " AND (name LIKE 'rtree_%' OR name LIKE 'trigger_%_feature_count_%')",
            (old,)).fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute(f'ALTER TABLE "{old}" RENAME TO "{new}"')
    if geom is not None:
        rtree = f"rtree_{old}_{geom[0]}"
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (rtree,)).fetchone():
            conn.execute(f'ALTER TABLE "{rtree}" RENAME TO "rtree_{new}_{geom[0]}"')
            create_rtree_triggers(conn, new, pk, geom[0])
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.execute("PRAGMA defer_foreign_keys = ON")  # contents ↔ geometry_columns
    for table, column in _TABLE_NAME_COLUMNS:
        if table in present:
            conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE lower("{column}") = lower(?)',
                         (new, old))
    conn.execute("UPDATE gpkg_contents SET identifier = ? WHERE table_name = ? AND identifier = ?",
                 (new, new, old))
    if "gpkg_ogr_contents" in present:  # GDAL recounts a NULL feature count
        conn.execute("UPDATE gpkg_ogr_contents SET feature_count = NULL WHERE table_name = ?",
                     (new,))


def register_attributes(conn: sqlite3.Connection, table: str, description: str = "") -> None:
    """Register an attribute (non-spatial) table in ``gpkg_contents``."""
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description)"
        " VALUES (?, 'attributes', ?, ?)",
        (table, table, description),
    )


def enable_related_tables(conn: sqlite3.Connection) -> None:
    """Create ``gpkgext_relations`` (Related Tables extension) if missing."""
    if conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name='gpkgext_relations'"
    ).fetchone():
        return
    conn.execute(
        """CREATE TABLE gpkgext_relations (id INTEGER PRIMARY KEY AUTOINCREMENT,
        base_table_name TEXT NOT NULL, base_primary_column TEXT NOT NULL DEFAULT 'id',
        related_table_name TEXT NOT NULL, related_primary_column TEXT NOT NULL DEFAULT 'id',
        relation_name TEXT NOT NULL, mapping_table_name TEXT NOT NULL UNIQUE)"""
    )
    conn.execute(
        "INSERT INTO gpkg_extensions VALUES ('gpkgext_relations', NULL,"
        " 'related_tables', ?, 'read-write')",
        (RTE_EXTENSION,),
    )


def relate_media(conn: sqlite3.Connection, base_table: str, media_table: str, mapping_table: str) -> None:
    """Create a media relation ``base_table`` → ``media_table`` through a mapping table."""
    enable_related_tables(conn)
    conn.execute(
        f'CREATE TABLE "{mapping_table}" (id INTEGER PRIMARY KEY AUTOINCREMENT,'
        f' base_id INTEGER NOT NULL REFERENCES "{base_table}"(id),'
        f' related_id INTEGER NOT NULL REFERENCES "{media_table}"(id),'
        " UNIQUE (base_id, related_id))"
    )
    register_attributes(conn, mapping_table, f"{base_table} → {media_table} (media)")
    conn.execute(
        "INSERT INTO gpkg_extensions VALUES (?, NULL, 'related_tables', ?, 'read-write')",
        (mapping_table, RTE_EXTENSION),
    )
    conn.execute(
        "INSERT INTO gpkgext_relations (base_table_name, base_primary_column,"
        " related_table_name, related_primary_column, relation_name, mapping_table_name)"
        " VALUES (?, 'id', ?, 'id', 'media', ?)",
        (base_table, media_table, mapping_table),
    )
    conn.execute(
        "INSERT OR IGNORE INTO gpkg_extensions VALUES (?, NULL, 'related_tables', ?, 'read-write')",
        (media_table, RTE_EXTENSION),
    )
