"""Named questions about grids and communities: versions, codes, neighbourhoods.

A grid row is one version: valid from ``valid_from`` (inclusive) to
``valid_to`` (exclusive; NULL while current), with ``previous_id`` pointing
at the version it continues.  Frames come back as GeoDataFrames in
EPSG:4490 with an ``id`` column.  Every function takes the store; the
ones a save may ask under its write lock also take a :class:`Transaction`.
Parameters are always bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from gridapp.storage import geometry
from gridapp.storage.store import GeoPackageStore
from gridapp.storage.transaction import Transaction

if TYPE_CHECKING:  # geopandas (and pyproj) load when a frame is read, not at start (issue 22)
    import geopandas as gpd

Db = GeoPackageStore | Transaction
Bounds = Sequence[float]

_CURRENT = "valid_to IS NULL"
# Rows of {t} whose R-tree box meets a box; {t} is a trusted table name.
_IN_BOX = ("id IN (SELECT id FROM rtree_{t}_geom WHERE minx <= ? AND maxx >= ?"
           " AND miny <= ? AND maxy >= ?)")
# Tables whose boxes may be asked for (their R-tree names are built from them).
_BOXED = ("grid", "community", "building", "place")
# Columns the light row reads may ask for, per table.
_COLUMNS = {
    "grid": ("id", "code", "name", "kind", "households", "population", "notes",
             "community_id", "valid_from", "valid_to", "previous_id"),
    "community": ("id", "code", "name"),
    "building": ("id", "households"),
    "place": ("id",),
}


def _rows(db: Db, sql: str, params: Any = ()) -> list[Any]:
    if isinstance(db, Transaction):
        return list(db.execute(sql, params).fetchall())
    return list(db.query(sql, params))


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _box(table: str, bounds: Bounds, margin: float) -> tuple[str, list[float]]:
    if table not in _BOXED:
        raise ValueError(f"no box query for table {table!r}")
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    return (_IN_BOX.format(t=table),
            [maxx + margin, minx - margin, maxy + margin, miny - margin])


# -- grid versions ---------------------------------------------------------
def current_grids(store: GeoPackageStore, community_id: int | None = None
                  ) -> gpd.GeoDataFrame:
    """Current grid rows, optionally of one community."""
    if community_id is None:
        return store.read_layer("grid", _CURRENT)
    return store.read_layer("grid", _CURRENT + " AND community_id = ?", [int(community_id)])


def grids_as_of(store: GeoPackageStore, moment: str, community_id: int | None = None
                ) -> gpd.GeoDataFrame:
    """Grid rows in force at *moment* (ISO text): ``valid_from <= t < valid_to``."""
    where = "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"
    params: list[object] = [moment, moment]
    if community_id is not None:
        where += " AND community_id = ?"
        params.append(int(community_id))
    return store.read_layer("grid", where, params)


def all_grid_versions(store: GeoPackageStore) -> gpd.GeoDataFrame:
    """Every grid row, closed versions included."""
    return store.read_layer("grid")


def grids_by_id(store: GeoPackageStore, ids: Sequence[int]) -> gpd.GeoDataFrame:
    """The grid rows (any version) with these ids; missing ids are simply absent."""
    ids = [int(i) for i in ids]
    return store.read_layer("grid", f"id IN ({_marks(ids)})", ids)


def grid_row(store: GeoPackageStore, grid_id: int) -> dict[str, Any]:
    """One grid version as a dict (``geom`` decoded); NotFoundError if absent."""
    return store.get("grid", int(grid_id))


def lineage_ids(store: GeoPackageStore, grid_id: int) -> list[int]:
    """Ids of every version in *grid_id*'s lineage, sorted; empty if no such grid.

    Follows ``previous_id`` back to the first version, then every row that
    continues it (split pieces included).
    """
    if not _rows(store, "SELECT 1 FROM grid WHERE id = ?", (int(grid_id),)):
        return []
    root = int(grid_id)
    while True:
        prev = _rows(store, "SELECT previous_id FROM grid WHERE id = ?", (root,))
        if not prev or prev[0][0] is None:
            break
        root = int(prev[0][0])
    found = _rows(store,
                  "WITH RECURSIVE line(id) AS (SELECT ? UNION SELECT g.id FROM grid g"
                  " JOIN line ON g.previous_id = line.id) SELECT id FROM line", (root,))
    return sorted(int(r[0]) for r in found)


def grid_box(store: GeoPackageStore, grid_id: int) -> tuple[float, float, float, float] | None:
    """``(minx, miny, maxx, maxy)`` of a grid row from the R-tree, or None."""
    found = _rows(store, "SELECT minx, miny, maxx, maxy FROM rtree_grid_geom WHERE id = ?",
                  (int(grid_id),))
    return tuple(float(v) for v in found[0]) if found else None  # type: ignore[return-value]


def near_box(store: GeoPackageStore, table: str, bounds: Bounds, *, margin: float = 0.0,
             current_only: bool = True) -> gpd.GeoDataFrame:
    """Rows of *table* (``grid``/``community``/``building``/``place``) whose box meets
    *bounds*.

    Grids are the current ones unless *current_only* is false.
    """
    where, params = _box(table, bounds, margin)
    if table == "grid" and current_only:
        where += " AND " + _CURRENT
    return store.read_layer(table, where, params)


def _select(table: str, columns: Sequence[str]) -> str:
    allowed = _COLUMNS.get(table, ())
    bad = [c for c in columns if c not in allowed]
    if bad:
        raise ValueError(f"cannot read {bad!r} of {table!r}")
    return ", ".join([*columns, "geom"])


def _decoded(found: list[Any], n: int) -> list[tuple[Any, ...]]:
    if not found:
        return []
    geoms = geometry.decode_many([r[n] for r in found])
    return [(*r[:n], g) for r, g in zip(found, geoms, strict=True)]


def near_rows(db: Db, table: str, bounds: Bounds, columns: Sequence[str], *,
              margin: float = 0.0, current_only: bool = True) -> list[tuple[Any, ...]]:
    """Rows of *table* whose box meets *bounds*, as plain tuples: *columns*, then the
    geometry (shapely), in id order.

    The light form of :func:`near_box` for the editor's small reads (no frame):
    grids are the current ones unless *current_only* is false.
    """
    where, params = _box(table, bounds, margin)
    if table == "grid" and current_only:
        where += " AND " + _CURRENT
    found = _rows(db, f"SELECT {_select(table, columns)} FROM {table} WHERE {where}"
                      " ORDER BY id", params)
    return _decoded(found, len(columns))


def rows_by_id(db: Db, table: str, ids: Sequence[int], columns: Sequence[str]
               ) -> list[tuple[Any, ...]]:
    """Rows of *table* (``grid``/``community``) with these ids as plain tuples:
    *columns*, then the geometry; missing ids are simply absent."""
    ids = [int(i) for i in ids]
    if not ids or table not in ("grid", "community"):
        if ids:
            raise ValueError(table)
        return []
    found = _rows(db, f"SELECT {_select(table, columns)} FROM {table}"
                      f" WHERE id IN ({_marks(ids)}) ORDER BY id", ids)
    return _decoded(found, len(columns))


def grid_boxes(db: Db, grid_ids: Sequence[int]) -> list[tuple[float, float, float, float]]:
    """``(minx, miny, maxx, maxy)`` of each of these grid rows found in the R-tree."""
    ids = [int(i) for i in grid_ids]
    if not ids:
        return []
    found = _rows(db, "SELECT minx, miny, maxx, maxy FROM rtree_grid_geom"
                      f" WHERE id IN ({_marks(ids)})", ids)
    return [(float(a), float(b), float(c), float(d)) for a, b, c, d in found]


def building_points(store: GeoPackageStore, bounds: Bounds
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Households and a point on each building in *bounds* (a light read: no frame).

    Returns ``(households, xy)``: households as floats (0 when unknown) and
    an ``(n, 2)`` array of points in EPSG:4490.
    """
    where, params = _box("building", bounds, 0.0)
    found = _rows(store, "SELECT households, geom FROM building WHERE " + where, params)
    if not found:
        return np.zeros(0), np.zeros((0, 2))
    pts = shapely.point_on_surface(geometry.decode_many([r[1] for r in found]))
    hh = np.array([r[0] or 0 for r in found], dtype=float)
    return hh, np.column_stack([shapely.get_x(pts), shapely.get_y(pts)])


def codes_in_community(db: Db, community_code: str) -> list[str]:
    """Every grid code ever used in a community (closed versions included)."""
    found = _rows(db, "SELECT code FROM grid WHERE substr(code, 1, 12) = ?",
                  (str(community_code),))
    return [r[0] for r in found]


def current_code_ids(db: Db, codes: Sequence[str] | None = None) -> list[tuple[str, int]]:
    """``(code, id)`` of the current grids (with one of *codes*, or all of them).

    A list, not a mapping: a damaged workspace may hold a code twice.
    """
    if codes is None:
        found = _rows(db, "SELECT code, id FROM grid WHERE " + _CURRENT)
    else:
        codes = [str(c) for c in codes]
        if not codes:
            return []
        found = _rows(db, f"SELECT code, id FROM grid WHERE {_CURRENT} AND code IN"
                          f" ({_marks(codes)})", codes)
    return [(r[0], int(r[1])) for r in found]


def current_codes(store: GeoPackageStore) -> set[str]:
    """The codes of the current grids."""
    return {r[0] for r in _rows(store, "SELECT code FROM grid WHERE " + _CURRENT)}


def current_ids_in_communities(db: Db, community_ids: Sequence[int]) -> list[int]:
    """Ids of the current grids of these communities."""
    ids = [int(i) for i in community_ids]
    if not ids:
        return []
    found = _rows(db, f"SELECT id FROM grid WHERE {_CURRENT} AND community_id IN"
                      f" ({_marks(ids)})", ids)
    return [int(r[0]) for r in found]


def assigned_grid_ids(db: Db, grid_ids: Sequence[int]) -> set[int]:
    """Those of *grid_ids* with a current manager assignment."""
    ids = [int(i) for i in grid_ids]
    if not ids:
        return set()
    found = _rows(db, "SELECT DISTINCT grid_id FROM grid_assignment WHERE valid_to IS NULL"
                      f" AND grid_id IN ({_marks(ids)})", ids)
    return {int(r[0]) for r in found}


# -- communities and the street --------------------------------------------
def communities(store: GeoPackageStore, columns: Sequence[str] | None = None
                ) -> gpd.GeoDataFrame:
    """Every community boundary (optionally only *columns* besides ``id``)."""
    return store.read_layer("community", columns=columns)


def community_by_id(store: GeoPackageStore, community_id: int) -> gpd.GeoDataFrame:
    """The community row with this id (an empty frame if there is none)."""
    return store.read_layer("community", "id = ?", [int(community_id)])


def community_ids_by_ref(store: GeoPackageStore, ref: str) -> list[int]:
    """Ids of the communities whose code or name is *ref*."""
    found = _rows(store, "SELECT id FROM community WHERE code = ? OR name = ?", (ref, ref))
    return [int(r[0]) for r in found]


def community_code(store: GeoPackageStore, community_id: int) -> str | None:
    """The 12-digit code of a community, or None."""
    found = _rows(store, "SELECT code FROM community WHERE id = ?", (int(community_id),))
    return found[0][0] if found else None


def community_list(store: GeoPackageStore) -> list[tuple[int, str | None, str | None]]:
    """``(id, code, name)`` of every community, by code."""
    found = _rows(store, "SELECT id, code, name FROM community ORDER BY code")
    return [(int(r[0]), r[1], r[2]) for r in found]


def community_codes(store: GeoPackageStore) -> set[str]:
    """Every community code in use."""
    return {r[0] for r in _rows(store, "SELECT code FROM community WHERE code IS NOT NULL")}


def street_ids(store: GeoPackageStore) -> list[int]:
    """Ids of the street rows (a workspace normally has one)."""
    return [int(r[0]) for r in _rows(store, "SELECT id FROM street")]
