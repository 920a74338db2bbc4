"""The geometry of auto-division: grid counts, balanced regions, exact grid outlines.

Pure functions on arrays and shapely geometries (no workspace, no session),
used by :mod:`gridapp.services.grids.division`, whose docstring describes the
algorithm: regions grown by recursive bisection over the adjacency graph of
Voronoi (or lattice) cells, then merged into grids that follow the
community's boundary vertex for vertex.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from gridapp.errors import ValidationError
from gridapp.progress import NEVER_CANCELLED, CancelToken

__all__ = ["adjacency", "area_seeds", "assemble", "divide_area", "grid_count", "polygon_of"]


def grid_count(total: float, households: tuple[int, int]) -> int:
    """How many grids divide *total* households into the range best.

    Examples
    --------
    >>> grid_count(16000, (300, 500))
    40
    """
    lo, hi = households
    if lo <= 0 or hi < lo:
        raise ValidationError("户数范围无效：{lo}-{hi}", "Invalid household range: {lo}-{hi}",
                              lo=lo, hi=hi)
    n = max(1, round(total / ((lo + hi) / 2)))
    n_min, n_max = max(1, math.ceil(total / hi)), max(1, math.floor(total / lo))
    return min(max(n, n_min), n_max) if n_min <= n_max else n


def adjacency(cells: np.ndarray) -> list[list[int]]:
    tree = shapely.STRtree(cells)
    a, b = tree.query(cells, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    shared = shapely.length(shapely.intersection(shapely.boundary(cells[a]),
                                                 shapely.boundary(cells[b])))
    neigh: list[list[int]] = [[] for _ in range(len(cells))]
    for i, j in zip(a[shared > 1e-6], b[shared > 1e-6], strict=True):
        neigh[i].append(int(j))
        neigh[j].append(int(i))
    return neigh


def _components(members: np.ndarray, neigh: list[list[int]]) -> list[np.ndarray]:
    pos = {int(c): k for k, c in enumerate(members)}
    rows, cols = [], []
    for c in members:
        for d in neigh[c]:
            if d in pos:
                rows.append(pos[int(c)])
                cols.append(pos[d])
    m = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(members), len(members)))
    n, labels = connected_components(m, directed=False)
    return [members[labels == k] for k in range(n)]


def _bisect(members: np.ndarray, n: int, xy: np.ndarray, w: np.ndarray,
            neigh: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    span = xy[members].max(axis=0) - xy[members].min(axis=0)
    axis = 0 if span[0] >= span[1] else 1
    key = xy[:, axis]
    inside = np.zeros(len(w), dtype=bool)
    inside[members] = True
    target = w[members].sum() * (n // 2) / n
    start = int(members[np.argmin(key[members])])
    heap = [(key[start], start)]
    seen = {start}
    grown: list[int] = []
    total = 0.0
    while heap and total < target:
        _, c = heapq.heappop(heap)
        if total + w[c] - target > target - total and grown:
            break  # adding this cell would overshoot more than stopping undershoots
        grown.append(c)
        total += w[c]
        for d in neigh[c]:
            if inside[d] and d not in seen:
                seen.add(d)
                heapq.heappush(heap, (key[d], d))
    part_a = np.array(grown, dtype=np.intp)
    rest = np.setdiff1d(members, part_a)
    if len(rest) == 0:  # one heavy cell took everything: leave the last cell out
        part_a, rest = part_a[:-1], part_a[-1:]
    comps = _components(rest, neigh)
    if len(comps) > 1:
        best = max(range(len(comps)), key=lambda k: (w[comps[k]].sum(), len(comps[k])))
        part_a = np.concatenate([part_a] + [c for k, c in enumerate(comps) if k != best])
        rest = comps[best]
    return part_a, rest


def divide_area(xy: np.ndarray, weights: np.ndarray, neigh: list[list[int]], n: int,
                cancel: CancelToken = NEVER_CANCELLED) -> np.ndarray:
    """Labels 0..n-1 for connected cells: *n* connected regions of balanced weight.

    *neigh* is the cell adjacency (lists of neighbour indices), *xy* a point
    per cell (metres).  Each region is connected in *neigh* when the whole
    is.
    """
    labels = np.full(len(weights), -1)
    stack: list[tuple[np.ndarray, int]] = []
    for comp in _components(np.arange(len(weights)), neigh):
        stack.append((comp, 0))
    # Share the grids among disconnected pieces (rare: islands) by weight.
    total = float(weights.sum()) or 1.0
    shares = [max(1, round(n * weights[c].sum() / total)) for c, _ in stack]
    shares[int(np.argmax([len(c) for c, _ in stack]))] += n - sum(shares)
    stack = [(c, max(1, s)) for (c, _), s in zip(stack, shares, strict=True)]
    next_label = 0
    while stack:
        cancel.check()
        members, k = stack.pop()
        if k <= 1 or len(members) <= 1:
            labels[members] = next_label
            next_label += 1
            continue
        a, b = _bisect(members, k, xy, weights, neigh)
        if len(a) == 0 or len(b) == 0:
            labels[members] = next_label
            next_label += 1
            continue
        stack.append((b, k - k // 2))
        stack.append((a, k // 2))
    return labels


def polygon_of(geom: BaseGeometry) -> BaseGeometry:
    parts = shapely.get_parts(geom)
    return parts[0] if len(parts) == 1 else geom


def area_seeds(area_m: BaseGeometry, n: int) -> np.ndarray:
    """Seed points for division by area: a square lattice over *area_m* (metres).

    About 40 points per grid (at least 400), so regions can be balanced to a
    few per cent; every part of a multipart area gets at least one point.
    """
    count = max(400, 40 * n)
    step = math.sqrt(area_m.area / count)
    minx, miny, maxx, maxy = area_m.bounds
    xs = np.arange(minx + step / 2, maxx, step)
    ys = np.arange(miny + step / 2, maxy, step)
    gx, gy = (g.ravel() for g in np.meshgrid(xs, ys))
    inside = shapely.contains_xy(area_m, gx, gy)
    seeds = [np.column_stack([gx[inside], gy[inside]])]
    parts = shapely.get_parts(area_m)
    lonely = [p for p in parts if not shapely.contains_xy(p, gx[inside], gy[inside]).any()]
    if lonely:
        seeds.append(shapely.get_coordinates(shapely.point_on_surface(
            np.array(lonely, dtype=object))))
    return np.vstack(seeds)


def assemble(cells: np.ndarray, labels: np.ndarray, area: BaseGeometry) -> list[Polygon]:
    regions = []
    for k in range(labels.max() + 1):
        mine = cells[labels == k]
        try:
            u = shapely.coverage_union_all(mine)
        except shapely.errors.GEOSException:
            u = shapely.union_all(mine)
        regions.append(shapely.intersection(u, area))
    # Pieces cut off by a concave boundary go to the neighbour with the longest edge.
    for k in range(len(regions)):
        parts = [p for p in shapely.get_parts(regions[k]) if p.geom_type == "Polygon"]
        if len(parts) <= 1:
            continue
        parts.sort(key=lambda p: -p.area)
        regions[k] = parts[0]
        for p in parts[1:]:
            shared = [shapely.length(shapely.intersection(p.boundary, shapely.boundary(r)))
                      if j != k else -1.0 for j, r in enumerate(regions)]
            j = int(np.argmax(shared))
            if shared[j] > 0:
                regions[j] = shapely.union(regions[j], p)
            else:
                regions[k] = shapely.union(regions[k], p)
    out = np.array(regions, dtype=object)
    if not shapely.coverage_is_valid(out):
        # Crossings of inner edges with the boundary computed twice can differ
        # in the last bit: snap everything to 1e-9° (0.1 mm).
        out = shapely.set_precision(out, 1e-9)
    return [polygon_of(g) for g in out]
