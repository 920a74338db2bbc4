"""Geometry of the generated demo street: region, grids, communities, buildings.

Everything is built in the metric CRS (metres) from a seeded random generator,
so the same seed always gives the same street.  Grids are Voronoi cells of
relaxed random seeds clipped to an irregular region and snapped to a 1 cm
precision grid, which makes their shared edges identical: a valid coverage.
Communities (and, for large runs, streets) are contiguous unions of grids,
grown over the adjacency graph, so their boundaries are irregular and shared
exactly.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon

GRID_AREA_M2 = 50_000.0  # an urban unit grid is typically 200–250 m across
PRECISION_M = 0.01


def irregular_region(rng: np.random.Generator, cx: float, cy: float, area: float) -> Polygon:
    """A blob-shaped polygon of about *area* m² around (cx, cy)."""
    radius = math.sqrt(area / math.pi)
    angles = np.linspace(0, 2 * math.pi, 72, endpoint=False)
    # A few low harmonics make a believable, non-convex outline.
    r = np.ones_like(angles)
    for k in (2, 3, 5):
        r += rng.uniform(0.04, 0.10) * np.sin(k * angles + rng.uniform(0, 2 * math.pi))
    r *= radius
    poly = Polygon(np.column_stack([cx + r * np.cos(angles), cy + r * np.sin(angles)]))
    return shapely.set_precision(poly, PRECISION_M)


def voronoi_cells(rng: np.random.Generator, region: Polygon, n: int, relax: int = 2) -> np.ndarray:
    """*n* Voronoi cells tiling *region* exactly (array of Polygons)."""
    minx, miny, maxx, maxy = region.bounds
    pts = np.empty((0, 2))
    while len(pts) < n:
        cand = rng.uniform((minx, miny), (maxx, maxy), size=(n * 2, 2))
        cand = cand[shapely.contains_xy(region, cand[:, 0], cand[:, 1])]
        pts = np.vstack([pts, cand])[:n]
    for _ in range(relax + 1):
        regions = shapely.voronoi_polygons(MultiPoint(pts), extend_to=region)
        cells = shapely.intersection(np.asarray(shapely.get_parts(regions)), region)
        if _ == relax:
            break
        c = shapely.centroid(cells)
        pts = shapely.get_coordinates(c)
    cells = shapely.set_precision(cells, PRECISION_M)
    # A clipped cell can fall apart into pieces; keep the largest piece and
    # hand the crumbs to the neighbour they touch most, so every grid is one polygon.
    return _single_polygons(cells)


def _single_polygons(cells: np.ndarray) -> np.ndarray:
    cells = np.asarray(cells, dtype=object)
    for i, cell in enumerate(cells):
        if cell.geom_type == "Polygon":
            continue
        parts = sorted(shapely.get_parts(cell), key=lambda p: -p.area)
        cells[i] = parts[0]
        for crumb in parts[1:]:
            shared = shapely.length(shapely.intersection(cells, crumb))
            shared[i] = 0.0
            touching = np.flatnonzero(shared > 0)
            if len(touching):
                j = int(touching[np.argmax(shared[touching])])
                merged = shapely.set_precision(shapely.union(cells[j], crumb), PRECISION_M)
                if merged.geom_type == "Polygon":
                    cells[j] = merged
    return cells


def adjacency(cells: np.ndarray) -> list[set[int]]:
    """Neighbours of each cell (sharing a boundary of positive length)."""
    tree = shapely.STRtree(cells)
    left, right = tree.query(cells, predicate="intersects")
    neigh: list[set[int]] = [set() for _ in cells]
    for a, b in zip(left, right, strict=False):
        if a < b and shapely.length(shapely.intersection(cells[a].boundary, cells[b].boundary)) > 0.5:
            neigh[a].add(int(b))
            neigh[b].add(int(a))
    return neigh


def group_contiguous(rng: np.random.Generator, centroids: np.ndarray, neigh: list[set[int]],
                     k: int) -> np.ndarray:
    """Partition cells into *k* contiguous groups of similar size (label per cell).

    The smallest group that can still grow takes its unlabelled neighbour
    nearest its centre, one cell at a time.  Each group's frontier (its
    unlabelled neighbours) and centre are kept as it grows, so a step costs
    the group's frontier, not a scan of every cell (5,000 grids: 7 s before).
    """
    n = len(centroids)
    k = max(1, min(k, n))
    # Farthest-point seeds spread the groups over the region.
    seeds = [int(rng.integers(n))]
    d = np.linalg.norm(centroids - centroids[seeds[0]], axis=1)
    while len(seeds) < k:
        seeds.append(int(np.argmax(d)))
        d = np.minimum(d, np.linalg.norm(centroids - centroids[seeds[-1]], axis=1))
    label = np.full(n, -1)
    for g, s in enumerate(seeds):
        label[s] = g
    sizes = np.ones(k)
    sums = centroids[seeds].astype(float).copy()
    frontier = [{j for j in neigh[s] if label[j] < 0} for s in seeds]
    frontier_left = n - k
    while frontier_left:
        progressed = False
        for g in np.argsort(sizes):
            cand = frontier[g] = {j for j in frontier[g] if label[j] < 0}
            if not cand:
                continue
            centre = sums[g] / sizes[g]
            j = min(cand, key=lambda j: np.linalg.norm(centroids[j] - centre))
            label[j] = g
            sizes[g] += 1
            sums[g] += centroids[j]
            cand.discard(j)
            cand.update(m for m in neigh[j] if label[m] < 0)
            frontier_left -= 1
            progressed = True
            break
        if not progressed:  # isolated cells: attach to the nearest labelled cell
            for j in np.flatnonzero(label < 0).tolist():
                done = np.flatnonzero(label >= 0)
                label[j] = label[done[np.argmin(np.linalg.norm(centroids[done] - centroids[j], axis=1))]]
            break
    return label


def building_footprints(rng: np.random.Generator, cells: np.ndarray, counts: np.ndarray,
                        spacing: float = 22.0) -> tuple[np.ndarray, np.ndarray]:
    """Up to ``counts[i]`` non-overlapping rectangles inside each of *cells*, on a
    jittered lattice; returns the rectangles and the cell of each (in cell order).

    All cells at once: the lattice points of every cell are tested against the
    cells' inner rings in one call and picked by random keys, so a district's
    5,000 grids and 400,000 buildings take seconds, not minutes.
    """
    cells = np.asarray(cells, dtype=object)
    inner = shapely.buffer(cells, -8.0)
    ok = ~shapely.is_empty(inner)
    bounds = np.where(ok[:, None], shapely.bounds(inner), 0.0)
    nx = np.where(ok, np.maximum(0, np.ceil((bounds[:, 2] - bounds[:, 0] - spacing / 2)
                                            / spacing)), 0).astype(np.int64)
    ny = np.where(ok, np.maximum(0, np.ceil((bounds[:, 3] - bounds[:, 1] - spacing / 2)
                                            / spacing)), 0).astype(np.int64)
    per = nx * ny
    cell = np.repeat(np.arange(len(cells)), per)
    k = np.arange(len(cell)) - np.repeat(np.cumsum(per) - per, per)
    px = bounds[cell, 0] + spacing / 2 + (k % nx[cell]) * spacing
    py = bounds[cell, 1] + spacing / 2 + (k // nx[cell]) * spacing
    shapely.prepare(inner)
    inside = shapely.contains_xy(inner[cell], px, py)
    cell, px, py = cell[inside], px[inside], py[inside]
    # a random choice of counts[i] points in each cell: order by cell, then a random key
    order = np.lexsort((rng.random(len(cell)), cell))
    cell, px, py = cell[order], px[order], py[order]
    rank = np.arange(len(cell)) - np.searchsorted(cell, cell, side="left")
    keep = rank < np.asarray(counts)[cell]
    cell, px, py = cell[keep], px[keep], py[keep]
    m = len(cell)
    px = px + rng.uniform(-2.0, 2.0, m)
    py = py + rng.uniform(-2.0, 2.0, m)
    w = rng.uniform(10, 16, m) / 2
    h = rng.uniform(7, 12, m) / 2
    ang = rng.choice([0.0, math.pi / 2], m) + rng.normal(0, 0.08, m)
    cos, sin = np.cos(ang)[:, None], np.sin(ang)[:, None]
    corners = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1)], dtype=float)
    dx = corners[None, :, 0] * w[:, None]
    dy = corners[None, :, 1] * h[:, None]
    rings = np.stack([px[:, None] + dx * cos - dy * sin, py[:, None] + dx * sin + dy * cos],
                     axis=2)
    # Snapped to the precision grid as numbers: set_precision on 400,000
    # rectangles took 10 s, and a rectangle metres wide stays valid anyway.
    rings = np.round(rings / PRECISION_M) * PRECISION_M
    polys = shapely.polygons(rings) if m else np.empty(0, dtype=object)
    return polys, cell
