"""Named questions about patrol tracks (巡查轨迹) and what they are measured against.

Tracks are ``patrol_track`` rows: a LINESTRING in EPSG:4490 with the times
and accuracies of its vertices as JSON text (migration ``0018_patrols``).
Frames come back as GeoDataFrames in EPSG:4490 with an ``id`` column.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from gridapp.storage import geometry
from gridapp.storage.store import GeoPackageStore
from gridapp.storage.transaction import Transaction

Db = GeoPackageStore | Transaction


def _rows(db: Db, sql: str, params: Any = ()) -> list[Any]:
    if isinstance(db, Transaction):
        return list(db.execute(sql, params).fetchall())
    return list(db.query(sql, params))


def track_by_idempotency_key(db: Db, key: str) -> tuple[int, str | None] | None:
    """``(track id, recorded_by)`` of the track sent with *key*, or ``None``."""
    found = _rows(db, "SELECT id, recorded_by FROM patrol_track WHERE idempotency_key = ?",
                  (key,))
    return (int(found[0][0]), found[0][1]) if found else None


def area_outline(db: Db) -> BaseGeometry | None:
    """The workspace's area: its street polygons, else its communities, else its grids."""
    for table, where in (("street", ""), ("community", ""),
                         ("grid", " WHERE valid_to IS NULL")):
        blobs = [r[0] for r in _rows(db, f"SELECT geom FROM {table}{where}")
                 if r[0] is not None]
        if blobs:
            return shapely.union_all(geometry.decode_many(blobs))
    return None


def manager_id_by_staff_no(db: Db, staff_no: str) -> int | None:
    """The manager whose 工号 is *staff_no* (ignoring case), or ``None``."""
    found = _rows(db, "SELECT id FROM manager WHERE lower(staff_no) = lower(?)",
                  (staff_no.strip(),))
    return int(found[0][0]) if found else None


def manager_names(db: Db) -> dict[int, str]:
    return {int(r[0]): r[1] for r in _rows(db, "SELECT id, name FROM manager")}


def tracks_between(store: GeoPackageStore, start_iso: str, end_iso: str,
                   manager_id: int | None = None) -> gpd.GeoDataFrame:
    """Tracks that started in ``[start, end)`` (ISO UTC text), optionally of one manager."""
    where = "started_at >= ? AND started_at < ?"
    params: list[Any] = [start_iso, end_iso]
    if manager_id is not None:
        where += " AND manager_id = ?"
        params.append(int(manager_id))
    return store.read_layer("patrol_track", where, params)


def track_row(store: GeoPackageStore, track_id: int) -> dict[str, Any]:
    """One track as a dict (``geom`` decoded); NotFoundError if absent."""
    return store.get("patrol_track", int(track_id))


def places(store: GeoPackageStore) -> gpd.GeoDataFrame:
    """Every place (重点场所, shops, schools) with its point."""
    return store.read_layer("place")


def track_days(store: GeoPackageStore) -> list[str]:
    """Start times of every track (ISO UTC), for choosing days to show."""
    return [r[0] for r in _rows(store, "SELECT started_at FROM patrol_track"
                                       " WHERE started_at IS NOT NULL ORDER BY started_at")]


def primary_grids(db: Db) -> list[tuple[int, int]]:
    """``(manager id, grid id)`` of every current primary assignment to a current grid."""
    return [(int(r[0]), int(r[1])) for r in _rows(
        db, "SELECT a.manager_id, a.grid_id FROM grid_assignment a JOIN grid g"
            " ON g.id = a.grid_id WHERE a.role = 'primary' AND a.valid_to IS NULL"
            " AND g.valid_to IS NULL ORDER BY a.manager_id, a.grid_id")]
