"""Point-in-polygon assignment of report positions to grids, vectorised.

:func:`assign_points_to_grids` answers "which grid is each point in" for
millions of points: an STRtree over the grid polygons finds candidate
(point, grid) pairs by bounding box, then ``shapely.contains_xy`` on the
*prepared* polygons checks the candidates straight from the coordinate arrays,
so no per-point Python work and no point-in-polygon test runs on an
unprepared polygon.  It gives the same answer as
``geopandas.sjoin(points, grids, predicate="within")`` (a point on a grid
edge belongs to no grid under "within"; :func:`assign_points_to_grids` then
falls back to "covers" so shared edges still get a grid, lowest id first),
and is faster (see ``bench/assign_reports.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

NO_GRID = -1
# Below this many points the cell index costs more than it saves.
_CELL_INDEX_MIN_POINTS = 20_000
# Index cells per grid polygon: finer cells are more often wholly inside one
# grid (no point test needed) but cost more to set up (a box, an STRtree query
# and a containment test each), so there are about as many cells as
# _POINTS_PER_CELL points, within these bounds per polygon.  Profile at
# 200,000 points in 5,000 grids (cProfile): with a fixed 24 cells per polygon
# the 120,000 cells' boxes, tree query and containment tests took 0.35 s of
# 0.57 s; with ~4 per polygon the join took 0.29 s against sjoin's 0.45 s.
_CELLS_PER_POLYGON = (2, 24)
_POINTS_PER_CELL = 10


def _candidates_by_tree(
    polys: NDArray[Any],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    finite: NDArray[np.bool_],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    pts = shapely.points(np.where(finite, x, 0.0), np.where(finite, y, 0.0))
    pts[~finite] = None
    pi, gi = shapely.STRtree(polys).query(pts)
    return pi, gi


def _candidates_by_cells(
    polys: NDArray[Any],
    ids: NDArray[np.int64],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    finite: NDArray[np.bool_],
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.int64]]:
    """Candidate (point, polygon) pairs from a uniform cell index.

    Points never become shapely objects (building a million of them costs
    more than the whole join): each point's cell is computed from its
    coordinates; a cell wholly inside one polygon assigns its points
    directly, other cells list the polygons that touch them.

    Returns the candidate pairs and the directly assigned points with ids.
    """
    minx, miny, maxx, maxy = shapely.total_bounds(polys)
    w, h = max(maxx - minx, 1e-12), max(maxy - miny, 1e-12)
    lo, hi = _CELLS_PER_POLYGON
    per_polygon = min(max(len(x) / (_POINTS_PER_CELL * len(polys)), lo), hi)
    size = float(np.sqrt(w * h / (len(polys) * per_polygon)))
    nx, ny = int(np.ceil(w / size)) or 1, int(np.ceil(h / size)) or 1
    cx0 = minx + np.arange(nx) * size
    cy0 = miny + np.arange(ny) * size
    bx, by = np.meshgrid(cx0, cy0)  # row-major: cell = iy * nx + ix
    boxes = shapely.box(bx.ravel(), by.ravel(), bx.ravel() + size, by.ravel() + size)
    tree = shapely.STRtree(polys)
    ci, gi = tree.query(boxes, predicate="intersects")
    ncell = nx * ny
    counts = np.bincount(ci, minlength=ncell)
    starts = np.zeros(ncell + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    # A cell touched by one polygon that contains it needs no point test.
    solid = np.full(ncell, -1, dtype=np.int64)
    single = np.flatnonzero(counts == 1)
    g_single = gi[starts[single]]
    inside = shapely.contains_properly(polys[g_single], boxes[single])
    solid[single[inside]] = g_single[inside]

    ok = finite & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
    ix = np.minimum(np.floor((x - minx) / size), nx - 1)
    iy = np.minimum(np.floor((y - miny) / size), ny - 1)
    pts = np.flatnonzero(ok)
    cell = (iy[pts] * nx + ix[pts]).astype(np.int64)
    s = solid[cell]
    direct = s >= 0
    solid_pts, solid_ids = pts[direct], ids[s[direct]]
    pts, cell = pts[~direct], cell[~direct]
    n = counts[cell]
    pi = np.repeat(pts, n)
    # Position of each pair within its cell's list: 0..n-1 per point.
    offs = np.arange(len(pi)) - np.repeat(np.cumsum(n) - n, n)
    gi_pairs = gi[np.repeat(starts[cell], n) + offs]
    return pi, gi_pairs, solid_pts, solid_ids


def _polygons_and_ids(
    grids: Any, id_column: str
) -> tuple[NDArray[Any], NDArray[np.int64]]:
    if hasattr(grids, "geometry"):
        polys = np.asarray(grids.geometry.values, dtype=object)
        if id_column in getattr(grids, "columns", ()):
            ids = np.asarray(grids[id_column], dtype=np.int64)
        else:
            ids = np.asarray(grids.index, dtype=np.int64)
    else:
        polys = np.asarray(list(grids), dtype=object)
        ids = np.arange(len(polys), dtype=np.int64)
    return polys, ids


def assign_points_to_grids(
    lon: ArrayLike,
    lat: ArrayLike,
    grids: Any,
    *,
    id_column: str = "id",
    boundary: bool = True,
) -> NDArray[np.int64]:
    """Grid id of each point, ``NO_GRID`` (-1) for points in no grid.

    Parameters
    ----------
    lon, lat : array_like
        Point coordinates in the grids' CRS (EPSG:4490 for stored grids).
    grids : GeoDataFrame or sequence of polygons
        The grid polygons; ids come from *id_column* (else the index).  A
        plain sequence gives positions 0..n-1.
    id_column : str
        Column holding the grid id.
    boundary : bool
        Points exactly on a grid edge (which "within" leaves out) are given
        the lowest-id grid that covers them.  False gives exactly the
        ``within`` answer.

    Returns
    -------
    ndarray of int64
        One id per point.  Where grids overlap (an invalid coverage), the
        lowest id wins.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> assign_points_to_grids([0.5, 1.5, 9], [0.5, 0.5, 9], [box(0, 0, 1, 1), box(1, 0, 2, 1)])
    array([ 0,  1, -1])
    """
    x = np.ascontiguousarray(lon, dtype=np.float64).ravel()
    y = np.ascontiguousarray(lat, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError("lon and lat differ in length")
    polys, ids = _polygons_and_ids(grids, id_column)
    out = np.full(len(x), NO_GRID, dtype=np.int64)
    if len(x) == 0 or len(polys) == 0:
        return out
    valid = ~(shapely.is_missing(polys) | shapely.is_empty(polys))
    polys, ids = polys[valid], ids[valid]
    shapely.prepare(polys)
    finite = np.isfinite(x) & np.isfinite(y)
    if len(x) < _CELL_INDEX_MIN_POINTS:
        pi, gi = _candidates_by_tree(polys, x, y, finite)
    else:
        pi, gi, solid_pts, solid_ids = _candidates_by_cells(polys, ids, x, y, finite)
        out[solid_pts] = solid_ids
    if len(pi) == 0:
        return out
    inside = shapely.contains_xy(polys[gi], x[pi], y[pi])
    if boundary:
        on_edge = ~inside
        if on_edge.any():
            idx = np.flatnonzero(on_edge)
            edge_hit = shapely.intersects_xy(polys[gi[idx]], x[pi[idx]], y[pi[idx]])
            # Edge hits count only for points no interior hit claimed.
            claimed = np.zeros(len(x), dtype=bool)
            claimed[pi[inside]] = True
            extra = idx[edge_hit & ~claimed[pi[idx]]]
            inside[extra] = True
    pi, hit_ids = pi[inside], ids[gi[inside]]
    # Lowest id per point: sort by (point, id) and keep the first of each point.
    order = np.lexsort((hit_ids, pi))
    pi, hit_ids = pi[order], hit_ids[order]
    first = np.ones(len(pi), dtype=bool)
    first[1:] = pi[1:] != pi[:-1]
    out[pi[first]] = hit_ids[first]
    return out


def assign_point(
    lon: float, lat: float, grids: Any, *, id_column: str = "id"
) -> int | None:
    """The grid id of one point, or None."""
    gid = int(assign_points_to_grids([lon], [lat], grids, id_column=id_column)[0])
    return None if gid == NO_GRID else gid


def grids_for_ids(ids: Sequence[int] | NDArray[np.int64]) -> NDArray[np.int64]:
    """Unique assigned grid ids (without ``NO_GRID``), sorted."""
    arr = np.unique(np.asarray(ids, dtype=np.int64))
    return arr[arr != NO_GRID]
