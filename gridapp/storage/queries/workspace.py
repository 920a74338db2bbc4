"""Named questions about the workspace as a whole: what it holds, whether it is sound.

Used by :mod:`gridapp.services.workspace` (``info``, ``init``),
:mod:`gridapp.services.integrity` (``check``), :mod:`gridapp.services.session`
(a manager's grids), :mod:`gridapp.services.outside_edits` and the demo
generator.  Each function takes the store (or a transaction where it writes)
and returns plain values.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gridapp.storage import audit, keystore, schema_guard
from gridapp.storage import outside_edits as outside
from gridapp.storage.create import create_store
from gridapp.storage.migrations import m0001_initial as m0001
from gridapp.storage.outside_edits import OutsideEdit
from gridapp.storage.store import GeoPackageStore
from gridapp.storage.street import (
    BOUNDARY_TABLES,
    first_street,
    layer_extent,
    street_id_by_code,
)
from gridapp.storage.transaction import Transaction

# Asked by name from the modules that already hold them (and insert_features,
# from storage.bulk on first use: see __getattr__).
__all__ = ["BOUNDARY_TABLES", "OutsideEdit", "create_store", "first_street",
           "layer_extent", "street_id_by_code"]


def __getattr__(name: str) -> Any:
    # storage.bulk (numpy, shapely) is imported on first use: opening a
    # workspace and logging in need neither (issue 22, the window's start).
    if name == "insert_features":
        from gridapp.storage.bulk import insert_features

        return insert_features
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- opening ---------------------------------------------------------------------
def open_store(path: str | os.PathLike, *, readonly: bool = False,
               adopt: bool = False) -> GeoPackageStore:
    """Open a workspace file, running pending migrations (see ``GeoPackageStore.open``).

    A ``postgresql://…?street=CODE`` address opens that street on a district server.
    """
    if isinstance(path, str) and path.startswith(("postgresql://", "postgres://")):
        from gridapp.storage import open_store as open_any

        return open_any(path, readonly=readonly)
    return GeoPackageStore.open(path, readonly=readonly, adopt=adopt)


def reload_meta(store: GeoPackageStore) -> None:
    """Read the store's cached settings again (after the first write of a new file)."""
    store._load_meta()


# -- what the workspace holds --------------------------------------------------------
def has_departments(store: GeoPackageStore) -> bool:
    """Whether reference data was seeded (the file is already a GridApp workspace)."""
    return bool(store.scalar("SELECT count(*) FROM department"))


def table_counts(store: GeoPackageStore) -> dict[str, int]:
    """Rows per registered table, feature tables first, by name."""
    tables = [r[0] for r in store.query(
        "SELECT table_name FROM gpkg_contents ORDER BY data_type DESC, table_name")]
    return {t: int(store.scalar(f'SELECT count(*) FROM "{t}"')) for t in tables}


def storage_crs(store: GeoPackageStore) -> tuple[str, int] | None:
    """(name, srs_id) of the storage CRS, CGCS2000 (EPSG:4490), if registered."""
    rows = store.query("SELECT srs_name, srs_id FROM gpkg_spatial_ref_sys WHERE srs_id = 4490")
    return (str(rows[0][0]), int(rows[0][1])) if rows else None


def current_grid_count(store: GeoPackageStore) -> int:
    return int(store.scalar("SELECT count(*) FROM grid WHERE valid_to IS NULL"))


def case_count(store: GeoPackageStore, statuses: Iterable[str]) -> int:
    """Reports whose status is one of *statuses*."""
    wanted = list(statuses)
    marks = ",".join("?" for _ in wanted)
    return int(store.scalar(f"SELECT count(*) FROM report WHERE status IN ({marks})", wanted))


def file_size(store: GeoPackageStore) -> int:
    """Bytes on disk: the file and its write-ahead log."""
    return sum(p.stat().st_size for p in (store.path, Path(str(store.path) + "-wal"))
               if p.exists())


def manager_grid_ids(store: GeoPackageStore, manager_id: int) -> frozenset[int]:
    """Current grids where the manager has a current assignment, primary or backup."""
    rows = store.query(
        "SELECT DISTINCT g.id FROM grid_assignment a JOIN grid g ON g.id = a.grid_id"
        " WHERE a.manager_id = ? AND a.valid_to IS NULL AND g.valid_to IS NULL", (manager_id,))
    return frozenset(int(r[0]) for r in rows)


# -- the map -----------------------------------------------------------------------
def map_layer(store: GeoPackageStore, table: str, *, reported_since: str | None = None,
              columns: list[str] | None = None) -> Any:
    """What the map draws of *table*, as a GeoDataFrame.

    Current grid versions only; streets once their outline is known; reports
    from *reported_since* (ISO UTC) when given.  *columns*, if given, are
    limited to those the table has.
    """
    where: str | None = None
    params: tuple[Any, ...] = ()
    if table == "grid":
        where = "valid_to IS NULL"
    elif table == "street":
        # init records the street before its outline is known: nothing to draw yet.
        where = "geom IS NOT NULL"
    elif table == "report" and reported_since is not None:
        where, params = "reported_at >= ?", (reported_since,)
    if columns is not None:
        have = set(store.table_columns(table))
        columns = [c for c in columns if c in have]
    return store.read_layer(table, where, params, columns=columns)


# -- integrity -----------------------------------------------------------------------
def sqlite_integrity(store: GeoPackageStore) -> list[str]:
    """SQLite's ``integrity_check`` lines (``["ok"]`` when sound)."""
    return [str(r[0]) for r in store.query("PRAGMA integrity_check")]


def foreign_key_violations(store: GeoPackageStore) -> list[tuple[str, int, str]]:
    """(table, rowid, parent table) of each row referring to a missing row."""
    return [(r[0], r[1], r[2]) for r in store.query("PRAGMA foreign_key_check")]


def registered_tables(store: GeoPackageStore) -> set[str]:
    return {r[0] for r in store.query("SELECT table_name FROM gpkg_contents")}


def geometry_columns(store: GeoPackageStore) -> dict[str, str]:
    """Feature table → its geometry column."""
    return {r[0]: r[1] for r in store.query(
        "SELECT table_name, column_name FROM gpkg_geometry_columns")}


def initial_tables() -> list[str]:
    """GridApp's own tables, feature and attribute, as the first migration made them."""
    return [t[0] for t in m0001.FEATURE_TABLES] + [t[0] for t in m0001.ATTRIBUTE_TABLES]


def decode_geometries(blobs: list[bytes]) -> Any:
    """GeoPackage geometry blobs as an array of shapely geometries (raises on a bad one)."""
    from gridapp.storage import geometry  # numpy, shapely: not at start (issue 22)

    return geometry.decode_many(blobs)


def geometry_blobs(store: GeoPackageStore, table: str, column: str) -> list[tuple[Any, bytes]]:
    """(primary key, geometry blob) of every row of *table* with a geometry.

    *table* and *column* come from :func:`geometry_columns`, never from input.
    """
    pk = next((r[1] for r in store.query(f'PRAGMA table_info("{table}")') if r[5]), "rowid")
    return [(r[0], r[1]) for r in store.query(
        f'SELECT "{pk}", "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')]


def audit_problems(store: GeoPackageStore) -> list[audit.ChainProblem]:
    """What is wrong with the audit chain (empty: intact)."""
    return audit.verify(store._reader(), store.path)


def audit_head(store: GeoPackageStore) -> tuple[str | None, int, str]:
    """(workspace id, last audit entry, its hash)."""
    return audit.head(store._reader())


def workspace_uuid(store: GeoPackageStore) -> str | None:
    return audit.workspace_uuid(store._reader())


def import_audit_key(store: GeoPackageStore, key_file: Path) -> list[str]:
    """Add a key file for this workspace to the user's key store; the key ids."""
    uuid = workspace_uuid(store)
    assert uuid is not None
    return keystore.import_key_file(uuid, key_file)


def foreign_schema(store: GeoPackageStore) -> schema_guard.SchemaReport:
    """Triggers and views GridApp did not create, and its own that are missing."""
    conn = store._reader()
    return schema_guard.inspect(conn, audit.workspace_uuid(conn))


def remove_foreign_schema(store: GeoPackageStore, actor: str,
                          user_id: int | None) -> list[str]:
    return [o.name for o in schema_guard.remove_foreign(store, actor, user_id)]


def accept_foreign_schema(store: GeoPackageStore, actor: str,
                          user_id: int | None) -> list[str]:
    return [o.name for o in schema_guard.accept_foreign(store, actor, user_id)]


# -- outside edits -----------------------------------------------------------------
def pending_outside_edits(store: GeoPackageStore,
                          limit: int | None = None) -> list[outside.OutsideEdit]:
    return outside.pending(store._reader(), limit)


def count_outside_edits(store: GeoPackageStore) -> int:
    return outside.count_pending(store._reader())


def accept_outside_edits(tx: Transaction, edits: list[OutsideEdit], by: str, at: str) -> int:
    """Accept *edits* into history and the audit log, inside *tx*; how many."""
    return outside.accept(tx, edits, by, at)


def revert_outside_edits(tx: Transaction, edits: list[OutsideEdit], by: str, at: str) -> int:
    """Undo *edits*, newest first, each audited, inside *tx*; how many."""
    return outside.revert_edits(tx, edits, by, at)


# -- the demo generator ----------------------------------------------------------------
def department_ids(store: GeoPackageStore) -> dict[str, int]:
    """Department id by code."""
    return {r["code"]: r["id"] for r in store.query("SELECT id, code FROM department")}


def categories_by_code(store: GeoPackageStore) -> dict[str, dict[str, Any]]:
    """Every category row, by code."""
    return {r["code"]: dict(r) for r in store.query("SELECT * FROM category")}


def role_ids(tx: Transaction) -> dict[str, int]:
    """Role id by name, read inside *tx*."""
    return {r["name"]: r["id"] for r in tx.execute("SELECT id, name FROM app_role")}


def delete_all_users(tx: Transaction) -> None:
    """Remove every user account (the demo replaces the workspace's admin by its own)."""
    tx.execute("DELETE FROM app_user")


def lead_duties(tx: Transaction) -> dict[str, tuple[str, int | None]]:
    """Category code → (handling, department id) of its lead duty."""
    return {r[0]: (r[1], r[2]) for r in tx.execute(
        "SELECT c.code, d.handling, d.department_id FROM duty_item d JOIN category c"
        " ON c.id = d.category_id WHERE d.role = 'lead' AND d.area_kind IS NULL")}
