"""Imported grids and community boundaries made to share their vertices (issue 14).

A grid file from another program usually has vertices that lie *on* a
community's boundary without being vertices of it: a grid line ends in the
middle of a long straight community edge.  In the file's own CRS that is
exact, but GridApp stores degrees (EPSG:4490) and measures in the
Gauss-Krüger zone, and an edge that is straight in one is curved in the
other: a vertex exactly on a 600 m Gauss-Krüger edge is ~5 mm off the same
edge drawn straight in degrees (~5 cm for 2 km).  The imported coverage
still checks clean, but the first edit that cuts such an edge in degrees (a
split) makes a vertex that is off the community's edge in metres, and the
save is refused for a sliver gap of a few hundredths of a m².

:func:`snap_grids_to_communities` makes the coverage topological, as
QGIS's "snap geometries to layer" does before a coverage edit, within
:data:`SNAP_TOLERANCE_M` (1 cm), measured in metres in the CRS the coverage
check uses:

1. a grid vertex within the tolerance of a community vertex (not on it)
   moves onto it, in every grid that shares it;
2. a grid vertex on a community's edge is inserted into that edge (of every
   community sharing the edge);
3. a boundary vertex (also one inserted in step 2) on a grid's edge is
   inserted into that edge: grids on either side of a community border then
   share their vertices too.

"On an edge" means within the tolerance of the edge drawn straight in
metres *or* drawn straight in degrees, so files computed in either space are
recognised.  Inserting a vertex does not move any existing vertex; a result
that is not a valid polygon is dropped and the input kept (the coverage check
then reports what is wrong).  Nothing farther than the tolerance is touched:
real gaps and overlaps stay for the check to report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from gridapp.services.grids.coverage import metric_for
from gridapp.services.importing.checks import ImportProblem

__all__ = ["SNAP_TOLERANCE_M", "SnapResult", "snap_grids_to_communities", "snap_note"]

#: Metres: vertices closer than this to a community vertex or edge are snapped.
SNAP_TOLERANCE_M = 0.01
# Segments are first found within this many metres (an edge straight in degrees
# may be decimetres off the same edge straight in metres), then measured exactly.
_SEARCH_M = 2.0


@dataclass
class SnapResult:
    """Snapped grids and communities; ``changed``: the boundaries that gained vertices."""

    grids: gpd.GeoDataFrame
    communities: gpd.GeoDataFrame | None
    changed: dict[int, BaseGeometry] = field(default_factory=dict)  # id -> new boundary
    moved: int = 0  # grid vertices moved onto a community vertex
    inserted: int = 0  # vertices inserted into grid or community edges


Forward = Callable[[np.ndarray], np.ndarray]


def snap_grids_to_communities(grids: gpd.GeoDataFrame, communities: gpd.GeoDataFrame, *,
                              tolerance: float = SNAP_TOLERANCE_M,
                              community_id_field: str = "id") -> SnapResult:
    """Make *grids* and *communities* share vertices where they meet (module docstring).

    Both frames are in the storage CRS (EPSG:4490); the grids come back with
    the same index and columns.
    """
    if grids.empty or communities is None or communities.empty:
        return SnapResult(grids, communities)
    metric = metric_for(grids)

    def forward(xy: np.ndarray) -> np.ndarray:
        if not len(xy):
            return np.zeros((0, 2))
        return shapely.get_coordinates(metric.forward(shapely.points(xy)))

    g = np.asarray(grids.geometry.array, dtype=object).copy()
    c = np.asarray(communities.geometry.array, dtype=object).copy()
    moved = _move_onto(g, _vertices(c), forward, tolerance)
    c_new, inserted = _insert(c, _vertices(g), forward, tolerance)
    # The boundaries' vertices now include the grid vertices on them, so a grid
    # of one community also gets a vertex of its neighbour community's grid.
    g, added = _insert(g, _vertices(c_new), forward, tolerance)
    out = grids.copy()
    out = out.set_geometry(gpd.GeoSeries(g, index=grids.index, crs=grids.crs))
    changed = {int(i): new for i, old, new in
               zip(communities[community_id_field], communities.geometry, c_new, strict=True)
               if new is not None and old is not None and not new.equals_exact(old, 0.0)}
    comms = communities.set_geometry(gpd.GeoSeries(c_new, index=communities.index,
                                                   crs=communities.crs))
    return SnapResult(out, comms, changed, moved, added + inserted)


def snap_note(snap: SnapResult) -> ImportProblem:
    """A non-blocking import note saying what the snapping did."""
    cm = f"{SNAP_TOLERANCE_M * 100:g}"
    return ImportProblem(
        None, "snapped",
        f"网格与社区边界已对齐共用顶点（容差 {cm} cm）：{snap.moved} 个网格顶点移到社区边界顶点上，"
        f"{snap.inserted} 个顶点插入边界；{len(snap.changed)} 个社区边界增加了顶点",
        f"Grids and community boundaries now share vertices (tolerance {cm} cm): "
        f"{snap.moved} grid vertices moved onto boundary vertices, {snap.inserted} vertices "
        f"inserted into edges; {len(snap.changed)} community boundaries gained vertices",
        blocking=False)


# ------------------------------------------------------------------ helpers
def _vertices(geoms: np.ndarray) -> np.ndarray:
    return np.unique(shapely.get_coordinates(geoms), axis=0)


def _move_onto(geoms: np.ndarray, targets: np.ndarray, forward: Forward, tol: float) -> int:
    """Move vertices of *geoms* within *tol* metres of a *targets* vertex onto it (in place)."""
    own = _vertices(geoms)
    if not len(own) or not len(targets):
        return 0
    tree = shapely.STRtree(shapely.points(forward(targets)))
    i_own, i_target = tree.query_nearest(shapely.points(forward(own)), max_distance=tol,
                                         all_matches=False)
    moves = {tuple(own[a]): tuple(targets[b]) for a, b in zip(i_own, i_target, strict=True)}
    moves = {s: d for s, d in moves.items() if s != d}
    if not moves:
        return 0

    def remap(xy: np.ndarray) -> np.ndarray:
        return np.array([moves.get((x, y), (x, y)) for x, y in xy], dtype=float).reshape(-1, 2)

    for k, geom in enumerate(geoms):
        new = shapely.transform(geom, remap)
        if shapely.is_valid(new):
            geoms[k] = new
    return len(moves)


def _insert(geoms: np.ndarray, points: np.ndarray, forward: Forward,
            tol: float) -> tuple[np.ndarray, int]:
    """*geoms* with each of *points* that lies on one of their edges inserted there."""
    out = geoms.copy()
    if not len(points):
        return out, 0
    pts_m = forward(points)
    tree = shapely.STRtree(shapely.points(points))  # degrees, to find candidates by box
    margin = _SEARCH_M / 90_000.0  # a degree is at least ~99 km east-west in China
    total = 0
    for k, geom in enumerate(geoms):
        if geom is None or shapely.is_empty(geom):
            continue
        hits = tree.query(shapely.box(*(np.array(geom.bounds) + [-margin, -margin,
                                                                  margin, margin])))
        if not len(hits):
            continue
        polys = [geom] if isinstance(geom, Polygon) else list(getattr(geom, "geoms", []))
        new_polys, n = [], 0
        for poly in polys:
            rings = []
            for ring in [poly.exterior, *poly.interiors]:
                xy, added = _insert_ring(np.asarray(ring.coords)[:, :2], points[hits],
                                         pts_m[hits], forward, tol)
                rings.append(xy)
                n += added
            new_polys.append(Polygon(rings[0], rings[1:]))
        if not n:
            continue
        new = new_polys[0] if isinstance(geom, Polygon) else MultiPolygon(new_polys)
        if shapely.is_valid(new):
            out[k] = new
            total += n
    return out, total


def _insert_ring(ring: np.ndarray, pts: np.ndarray, pts_m: np.ndarray, forward: Forward,
                 tol: float) -> tuple[np.ndarray, int]:
    a, b = ring[:-1], ring[1:]
    ring_m = forward(ring)
    am, bm = ring_m[:-1], ring_m[1:]
    segs = shapely.linestrings(np.stack([am, bm], axis=1))
    i_pt, i_seg = shapely.STRtree(segs).query(shapely.points(pts_m), predicate="dwithin",
                                              distance=_SEARCH_M)
    if not len(i_pt):
        return ring, 0
    p, pm = pts[i_pt], pts_m[i_pt]
    # Already a vertex of the ring (within the tolerance): nothing to insert.
    near_vertex = (np.hypot(*(pm - am[i_seg]).T) <= tol) | (np.hypot(*(pm - bm[i_seg]).T) <= tol)
    # Distance to the edge drawn straight in metres...
    dm = bm[i_seg] - am[i_seg]
    tm = np.einsum("ij,ij->i", pm - am[i_seg], dm) / np.maximum(np.einsum("ij,ij->i", dm, dm),
                                                                 1e-300)
    foot_m = am[i_seg] + np.clip(tm, 0, 1)[:, None] * dm
    dist_m = np.hypot(*(pm - foot_m).T)
    # ... and to the same edge drawn straight in degrees (measured in metres).
    dd = b[i_seg] - a[i_seg]
    td = np.einsum("ij,ij->i", p - a[i_seg], dd) / np.maximum(np.einsum("ij,ij->i", dd, dd),
                                                               1e-300)
    foot_d = forward(a[i_seg] + np.clip(td, 0, 1)[:, None] * dd)
    dist_d = np.hypot(*(pm - foot_d).T)
    dist = np.minimum(dist_m, dist_d)
    on_edge = ~near_vertex & (dist <= tol) & (td > 0) & (td < 1)
    if not on_edge.any():
        return ring, 0
    # A point near two edges (around a sharp corner) goes into the nearer one.
    best: dict[int, tuple[float, int, float]] = {}
    for j in np.flatnonzero(on_edge):
        q = int(i_pt[j])
        if q not in best or dist[j] < best[q][0]:
            best[q] = (float(dist[j]), int(i_seg[j]), float(td[j]))
    order = sorted(best.items(), key=lambda kv: (kv[1][1], kv[1][2]))
    out: list[np.ndarray] = []
    done = 0
    for q, (_, seg, _) in order:
        out.append(ring[done:seg + 1])
        out.append(pts[q][None, :])
        done = seg + 1
    out.append(ring[done:])
    return np.concatenate(out), len(order)
