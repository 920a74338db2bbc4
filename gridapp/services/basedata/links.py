"""Which grid and community each building and place lies in, over time (issue 18).

:func:`relink_base_data` links every building (by a point on its surface)
and place to the current grid and community containing it.  A link that
changed is closed at the moment of relinking and a new one opened, so
:func:`grid_on` answers "which grid was this building in on date X" after
grids are redrawn.  Imports call it; after grids change, the office runs
it again (``buildings relink``); the grid editor re-links where it changed
grids, inside its own save.
"""

from __future__ import annotations

from datetime import date, datetime, time

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gridapp.domain.timeutil import LOCAL_TZ, now_iso, to_iso
from gridapp.services.session import Session
from gridapp.storage.api import Transaction
from gridapp.storage.queries import basedata as q
from gridapp.storage.queries import grids as grid_queries

TABLES = ("building", "place")


def _containing(points: np.ndarray, polygons) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Index into *polygons* (an array, or a frame's geometry) of the polygon holding
    each point (-1: none)."""
    if hasattr(polygons, "geometry"):
        polygons = np.asarray(polygons.geometry.values, dtype=object)
    out = np.full(len(points), -1, dtype=int)
    if len(points) == 0 or len(polygons) == 0:
        return out
    tree = shapely.STRtree(polygons)
    pt_idx, poly_idx = tree.query(points, predicate="within")
    out[pt_idx] = poly_idx  # a point on a shared edge takes the last grid found
    return out


def _relink(session: Session, tx: Transaction, table: str, at: str,
            rows: tuple[list[int], np.ndarray] | None = None) -> int:
    """Relink *rows* (ids and geometries; default: every row of *table*)."""
    if rows is None:
        frame = q.base_frame(session.store, table)
        rows = (frame["id"].tolist(), np.asarray(frame.geometry.values, dtype=object))
    ids, geoms = np.asarray(rows[0], dtype=int), np.asarray(rows[1], dtype=object)
    grids = grid_queries.current_grids(session.store)
    communities = grid_queries.communities(session.store, ["id"])
    present = ~shapely.is_missing(geoms)
    points = shapely.point_on_surface(geoms[present])
    return _write_links(
        tx, table, at, ids[present].tolist(), points,
        (grids["id"].to_numpy(), np.asarray(grids.geometry.values, dtype=object),
         grids["community_id"].to_numpy()),
        (communities["id"].to_numpy(), np.asarray(communities.geometry.values, dtype=object)),
        q.current_links(tx, table))


def _write_links(tx: Transaction, table: str, at: str, row_ids: list[int], points: np.ndarray,
                 grids: tuple[np.ndarray, np.ndarray, np.ndarray],
                 communities: tuple[np.ndarray, np.ndarray],
                 links: dict[int, tuple[int, int | None, int | None]]) -> int:
    """Close and open the links of the rows at *points* whose grid or community changed.

    *grids* are ``(ids, polygons, community ids)``, *communities* ``(ids,
    polygons)``: the ones a point may lie in.  Returns how many links opened.
    """
    grid_ids, grid_geoms, grid_comm = grids
    comm_ids, comm_geoms = communities
    g_at = _containing(points, grid_geoms)
    c_at = _containing(points, comm_geoms)
    closing, opening = [], []
    for row_id, gi, ci in zip(row_ids, g_at.tolist(), c_at.tolist(), strict=True):
        grid_id = int(grid_ids[gi]) if gi >= 0 else None
        comm_id = int(comm_ids[ci]) if ci >= 0 else None
        if comm_id is None and grid_id is not None:
            value = grid_comm[gi]
            comm_id = None if value is None or value != value else int(value)
        old = links.get(row_id)
        if old is not None and (old[1], old[2]) == (grid_id, comm_id):
            continue
        if old is not None:
            closing.append(old[0])
        opening.append((row_id, grid_id, comm_id))
    q.close_links(tx, closing, at)
    q.open_links(tx, table, opening, at)
    return len(opening)


def _relink_edit(session: Session, tx: Transaction, at: str, zone: BaseGeometry,
                 grids: tuple[np.ndarray, np.ndarray, np.ndarray],
                 communities: tuple[np.ndarray, np.ndarray]) -> dict[str, int]:
    """Inside a grid edit's own transaction: buildings and places in *zone* follow.

    *zone* (EPSG:4490) is where grids changed: the closed grids' and the new
    grids' outlines; anything whose point lies elsewhere keeps its grid.
    *grids* are the current grids around the zone as they are after the edit
    (``(ids, polygons, community ids)``: the unchanged neighbours and the new
    rows) and *communities* those around it (``(ids, polygons)``), so nothing
    is read but the rows in the zone's box and their open links.  Links open
    at *at*, the edit's instant; an entry ``relink_base_data`` is audited
    when any changed.
    """
    session.require("grid.edit")
    bounds = shapely.bounds(zone)
    shapely.prepare(zone)
    counts: dict[str, int] = {}
    for table in TABLES:
        found = grid_queries.near_rows(tx, table, bounds, ("id",))
        if not found:
            counts[table] = 0
            continue
        ids = np.array([r[0] for r in found], dtype=np.int64)
        geoms = np.array([r[1] for r in found], dtype=object)
        present = ~shapely.is_missing(geoms)
        ids, points = ids[present], shapely.point_on_surface(geoms[present])
        inside = shapely.intersects(zone, points)
        ids, points = ids[inside], points[inside]
        counts[table] = _write_links(tx, table, at, ids.tolist(), points, grids, communities,
                                     q.current_links_of(tx, table, ids.tolist())) if len(ids) else 0
    if any(counts.values()):
        tx.audit("relink_base_data", None, None, {**counts, "after": "grid_change"})
    return counts


def _relink_in(session: Session, tx: Transaction, table: str, ids: list[int],
               geoms: np.ndarray) -> int:
    """Link new rows inside the caller's transaction (imports); permissions checked there."""
    return _relink(session, tx, table, now_iso(), (ids, geoms))


def relink_base_data(session: Session) -> dict[str, int]:
    """Link every building and place to its current grid and community; changed counts."""
    session.require("building.edit")
    at = now_iso()
    with session.transaction() as tx:
        counts = {t: _relink(session, tx, t, at) for t in TABLES}
        tx.audit("relink_base_data", None, None, counts)
    return counts


def relink_after_grid_change(session: Session, when: str,
                             bounds: tuple[float, float, float, float] | None = None
                             ) -> dict[str, int]:
    """After grids were saved anew at *when*: buildings and places follow, links opened
    at that same instant so "which grid on date X" reads the old grid before it.

    Called by the grid import once its own transaction has committed (a new
    version is only visible then; the grid editor's ``save_edit`` re-links inside
    its own transaction with :func:`_relink_edit` instead); a consequence of the
    grid change, so it needs the grid edit's permission, not ``building.edit``.  With *bounds* (EPSG:4490,
    the changed grids' box) only the buildings there are looked at, so an edit
    of one grid does not re-read a district's buildings.  Nothing to change
    writes nothing.
    """
    session.require("grid.edit")
    rows: dict[str, tuple[list[int], np.ndarray] | None] = {}
    for table in TABLES:
        if not q.base_count(session.store, table):
            continue
        if bounds is not None and table == "building":
            frame = grid_queries.near_box(session.store, "building", bounds, margin=1e-4)
            rows[table] = (frame["id"].tolist(), np.asarray(frame.geometry.values, dtype=object))
        else:
            rows[table] = None  # every row (places are few)
    if not rows:
        return {t: 0 for t in TABLES}
    with session.transaction() as tx:
        counts = {t: _relink(session, tx, t, when, r) for t, r in rows.items()}
        if any(counts.values()):
            tx.audit("relink_base_data", None, None, {**counts, "after": "grid_change"})
    return {t: counts.get(t, 0) for t in TABLES}


def grid_on(session: Session, table: str, row_id: int, day: date | datetime | str
            ) -> tuple[int | None, int | None]:
    """``(grid id, community id)`` of a building or place on *day* (end of that day in
    Beijing for a date) or at an instant."""
    session.require("workspace.read")
    if table not in TABLES:
        raise ValueError(table)
    if isinstance(day, str):
        day = date.fromisoformat(day) if len(day) == 10 else datetime.fromisoformat(day)
    if not isinstance(day, datetime):
        day = datetime.combine(day, time(23, 59, 59), LOCAL_TZ)
    return q.link_as_of(session.store, table, row_id, to_iso(day))  # type: ignore[arg-type]
