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
    """Partition cells into *k* contiguous groups of similar size (label per cell)."""
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
    frontier_left = n - k
    while frontier_left:
        progressed = False
        for g in np.argsort(sizes):
            members = np.flatnonzero(label == g)
            cand = {j for m in members for j in neigh[m] if label[j] < 0}
            if not cand:
                continue
            centre = centroids[members].mean(axis=0)
            j = min(cand, key=lambda j: np.linalg.norm(centroids[j] - centre))
            label[j] = g
            sizes[g] += 1
            frontier_left -= 1
            progressed = True
            break
        if not progressed:  # isolated cells: attach to the nearest labelled cell
            for j in np.flatnonzero(label < 0).tolist():
                done = np.flatnonzero(label >= 0)
                label[j] = label[done[np.argmin(np.linalg.norm(centroids[done] - centroids[j], axis=1))]]
            break
    return label


def building_footprints(rng: np.random.Generator, cell: Polygon, count: int,
                        spacing: float = 22.0) -> np.ndarray:
    """Up to *count* non-overlapping rectangles inside *cell* on a jittered lattice."""
    inner = cell.buffer(-8.0)
    if inner.is_empty:
        return np.empty(0, dtype=object)
    minx, miny, maxx, maxy = inner.bounds
    xs = np.arange(minx + spacing / 2, maxx, spacing)
    ys = np.arange(miny + spacing / 2, maxy, spacing)
    gx, gy = np.meshgrid(xs, ys)
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    pts = pts[shapely.contains_xy(inner, pts[:, 0], pts[:, 1])]
    if len(pts) == 0:
        return np.empty(0, dtype=object)
    pick = rng.permutation(len(pts))[:count]
    pts = pts[pick] + rng.uniform(-2.0, 2.0, size=(len(pick), 2))
    w = rng.uniform(10, 16, len(pts)) / 2
    h = rng.uniform(7, 12, len(pts)) / 2
    ang = rng.choice([0.0, math.pi / 2], len(pts)) + rng.normal(0, 0.08, len(pts))
    cos, sin = np.cos(ang), np.sin(ang)
    corners = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1)], dtype=float)
    rings = []
    for i in range(len(pts)):
        dx = corners[:, 0] * w[i]
        dy = corners[:, 1] * h[i]
        x = pts[i, 0] + dx * cos[i] - dy * sin[i]
        y = pts[i, 1] + dx * sin[i] + dy * cos[i]
        rings.append(np.column_stack([x, y]))
    polys = shapely.polygons(np.array(rings))
    return shapely.set_precision(polys, PRECISION_M)
