"""Pure geometry operations behind the grid editor's map tools (issue 4).

Polygons here are in one projected CRS (metres) and form a coverage: shared
edges have identical vertices.  Operations on a coverage (``*_in_coverage``,
``move_vertex_topologically``, ``insert_vertex``, ``remove_vertex``) change
every polygon that shares the edited vertex or edge, so the coverage stays
edge-matched, and they refuse (with :class:`~gridapp.errors.GeometryError`)
an edit that would leave an invalid polygon or break the coverage around the
edit.  Nothing is modified in place: each returns a new list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import split

from gridapp.errors import GeometryError

XY = tuple[float, float]


class SnapResult(NamedTuple):
    """Where a pointer snapped: the point, ``vertex``/``edge``/None, distance."""

    xy: XY
    kind: str | None
    distance: float


def _rings(poly: Polygon) -> list[np.ndarray]:
    return [np.asarray(poly.exterior.coords)] + [np.asarray(r.coords) for r in poly.interiors]


def _polygon(rings: list[np.ndarray]) -> Polygon:
    return Polygon(rings[0], rings[1:])


def _require_polygon(poly: object, what: str = "") -> Polygon:
    if not isinstance(poly, Polygon) or poly.is_empty:
        raise GeometryError("{what}不是单个面", "{what} is not a single polygon", what=what or "几何")
    if not poly.is_valid:
        reason = shapely.is_valid_reason(poly)
        raise GeometryError("面无效：{reason}", "Invalid polygon: {reason}", reason=reason)
    return poly


def _check_around(polys: list[Polygon], changed: Sequence[int]) -> None:
    """Refuse if a changed polygon is invalid or the coverage around it broke."""
    for i in changed:
        poly = polys[i]
        if not isinstance(poly, Polygon) or poly.is_empty or not poly.is_valid:
            reason = shapely.is_valid_reason(poly) if isinstance(poly, Polygon) else "type"
            raise GeometryError(
                "编辑后第 {i} 个面无效（{reason}），已撤销",
                "The edit would make polygon {i} invalid ({reason}); refused",
                i=i, reason=reason,
            )
    arr = np.array(polys, dtype=object)
    tree = shapely.STRtree(arr)
    near = np.unique(np.concatenate([tree.query(arr[list(changed)], predicate="intersects")[1],
                                     np.asarray(changed, dtype=np.intp)]))
    if not shapely.coverage_is_valid(arr[near]):
        raise GeometryError(
            "编辑会造成重叠或边界不吻合，已撤销",
            "The edit would create an overlap or mismatched edges; refused",
        )


# ------------------------------------------------------------- split / merge
def split_polygon(poly: Polygon, line: LineString) -> list[Polygon]:
    """Cut *poly* with *line* into two or more polygons.

    Refuses a line that does not cross the polygon completely (enter and
    leave it); the pieces together are exactly the polygon.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> [p.area for p in split_polygon(box(0, 0, 2, 1), LineString([(1, -1), (1, 2)]))]
    [1.0, 1.0]
    """
    poly = _require_polygon(poly)
    if not isinstance(line, LineString) or line.is_empty:
        raise GeometryError("分割线不是线", "The split line is not a line")
    pieces = [p for p in shapely.get_parts(split(poly, line)) if isinstance(p, Polygon)]
    if len(pieces) < 2:
        raise GeometryError(
            "分割线必须完整穿过网格（从边界外进入并从另一侧穿出）",
            "The split line must cross the grid completely (enter and leave it)",
        )
    bad = [p for p in pieces if not p.is_valid or p.area <= 0]
    if bad:
        raise GeometryError("分割结果无效", "Splitting would give invalid pieces")
    return pieces


def merge_polygons(polys: Sequence[Polygon]) -> Polygon:
    """Merge adjacent polygons (sharing at least one edge) into one.

    Refuses polygons that are not connected by shared edges (apart, or
    touching only at a corner).
    """
    if len(polys) < 2:
        raise GeometryError("至少需要两个网格才能合并", "Merging needs at least two grids")
    arr = np.array([_require_polygon(p) for p in polys], dtype=object)
    try:
        merged = shapely.coverage_union_all(arr)  # exact when edges match
    except shapely.errors.GEOSException:
        merged = shapely.union_all(arr)
    if not isinstance(merged, Polygon) or abs(merged.area - shapely.area(arr).sum()) > 1e-9 * max(
        merged.area, 1.0
    ):
        merged = shapely.union_all(arr)
    if not isinstance(merged, Polygon):
        raise GeometryError(
            "只能合并相邻（共用一条边）的网格",
            "Only adjacent grids (sharing an edge) can be merged",
        )
    return merged


def split_in_coverage(coverage: Sequence[Polygon], index: int, line: LineString) -> list[Polygon]:
    """Split polygon *index*; the first piece takes its place, others are appended.

    Where the line crosses an edge shared with a neighbour, the new vertex is
    inserted into the neighbour as well, so edges keep matching.
    """
    polys = list(coverage)
    pieces = split_polygon(polys[index], line)
    old = {tuple(c) for c in shapely.get_coordinates(polys[index])}
    new = np.array([c for c in shapely.get_coordinates(pieces) if tuple(c) not in old])
    polys[index] = pieces[0]
    polys += pieces[1:]
    changed = [index] + list(range(len(coverage), len(polys)))
    if len(new):
        tree = shapely.STRtree(np.array(coverage, dtype=object))
        for pt in np.unique(new, axis=0):
            eps = 1e-9 * max(1.0, float(np.abs(pt).max()))
            for j in tree.query(Point(pt), predicate="dwithin", distance=eps):
                if j != index:
                    polys[j] = _insert_at(polys[j], pt)
                    changed.append(int(j))
    _check_around(polys, changed)
    return polys


def merge_in_coverage(coverage: Sequence[Polygon], indices: Sequence[int]) -> list[Polygon]:
    """Merge polygons *indices*: the merged one takes the first's place, others go."""
    polys = list(coverage)
    merged = merge_polygons([polys[i] for i in indices])
    first = min(indices)
    out = [merged if i == first else p for i, p in enumerate(polys) if i == first or i not in indices]
    _check_around(out, [out.index(merged)])
    return out


# ------------------------------------------------------------------- vertices
def _nearest_vertex(coverage: Sequence[Polygon], xy: XY, tolerance: float) -> np.ndarray:
    coords = shapely.get_coordinates(np.array(coverage, dtype=object))
    d = np.hypot(coords[:, 0] - xy[0], coords[:, 1] - xy[1])
    k = int(np.argmin(d)) if len(d) else -1
    if k < 0 or d[k] > tolerance:
        raise GeometryError(
            "在 {tol} 范围内没有节点", "No vertex within {tol} of the pointer", tol=tolerance
        )
    return coords[k]


def move_vertex_topologically(
    coverage: Sequence[Polygon], old_xy: XY, new_xy: XY, tolerance: float
) -> list[Polygon]:
    """Move the vertex nearest *old_xy* (within *tolerance*) to *new_xy* in every polygon."""
    v = _nearest_vertex(coverage, old_xy, tolerance)
    polys, changed = list(coverage), []
    for i, poly in enumerate(polys):
        rings = _rings(poly)
        hit = False
        for r in rings:
            same = (r[:, 0] == v[0]) & (r[:, 1] == v[1])
            if same.any():
                r[same] = new_xy
                hit = True
        if hit:
            polys[i] = _polygon(rings)
            changed.append(i)
    _check_around(polys, changed)
    return polys


def _insert_at(poly: Polygon, pt: np.ndarray) -> Polygon:
    """Insert *pt* into the segment of *poly* nearest to it."""
    rings = _rings(poly)
    best = (np.inf, 0, 0)
    for ri, r in enumerate(rings):
        a, b = r[:-1], r[1:]
        ab = b - a
        t = np.clip(((pt - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-300), 0, 1)
        d = np.hypot(*(a + ab * t[:, None] - pt).T)
        k = int(np.argmin(d))
        if d[k] < best[0]:
            best = (d[k], ri, k)
    _, ri, k = best
    rings[ri] = np.insert(rings[ri], k + 1, pt, axis=0)
    return _polygon(rings)


def insert_vertex(coverage: Sequence[Polygon], xy: XY, tolerance: float) -> list[Polygon]:
    """Insert a vertex on the edge nearest *xy* in every polygon sharing that edge."""
    arr = np.array(coverage, dtype=object)
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for poly in arr[shapely.STRtree(arr).query(Point(xy), predicate="dwithin", distance=tolerance)]:
        for r in _rings(poly):
            a, b = r[:-1], r[1:]
            ab = b - a
            t = np.clip(((np.asarray(xy) - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-300), 0, 1)
            d = np.hypot(*(a + ab * t[:, None] - xy).T)
            k = int(np.argmin(d))
            if best is None or d[k] < best[0]:
                best = (float(d[k]), a[k], b[k])
    if best is None or best[0] > tolerance:
        raise GeometryError("在 {tol} 范围内没有边", "No edge within {tol} of the pointer", tol=tolerance)
    _, a, b = best
    ab = b - a
    t = float(np.dot(np.asarray(xy) - a, ab) / np.dot(ab, ab))
    if not 0.0 < t < 1.0:
        raise GeometryError("这里已经有节点", "There is already a vertex here")
    p = a + ab * t
    polys, changed = list(coverage), []
    for i, poly in enumerate(polys):
        rings = _rings(poly)
        hit = False
        for ri, r in enumerate(rings):
            s, e = r[:-1], r[1:]
            fwd = np.flatnonzero((s == a).all(1) & (e == b).all(1))
            rev = np.flatnonzero((s == b).all(1) & (e == a).all(1))
            for k in sorted(np.concatenate([fwd, rev]), reverse=True):
                rings[ri] = np.insert(rings[ri], k + 1, p, axis=0)
                hit = True
        if hit:
            polys[i] = _polygon(rings)
            changed.append(i)
    _check_around(polys, changed)
    return polys


def remove_vertex(coverage: Sequence[Polygon], xy: XY, tolerance: float) -> list[Polygon]:
    """Remove the vertex nearest *xy* from every polygon that has it."""
    v = _nearest_vertex(coverage, xy, tolerance)
    polys, changed = list(coverage), []
    for i, poly in enumerate(polys):
        rings = _rings(poly)
        hit = False
        for ri, r in enumerate(rings):
            same = (r[:, 0] == v[0]) & (r[:, 1] == v[1])
            if not same.any():
                continue
            open_ring = r[:-1][~same[:-1]]
            if len(open_ring) < 3:
                raise GeometryError("面至少需要三个节点", "A polygon needs at least three vertices")
            rings[ri] = np.vstack([open_ring, open_ring[:1]])
            hit = True
        if hit:
            polys[i] = _polygon(rings)
            changed.append(i)
    _check_around(polys, changed)
    return polys


# ------------------------------------------------------------------- snapping
def snap_point(xy: XY, candidates: Sequence[object], tolerance: float) -> SnapResult:
    """Snap *xy* to the nearest vertex of *candidates*, else the nearest edge.

    Vertices win over edges when both are within *tolerance*; beyond it the
    point is returned unchanged with kind None.
    """
    arr = np.array(list(candidates), dtype=object)
    if len(arr) == 0:
        return SnapResult((float(xy[0]), float(xy[1])), None, 0.0)
    coords = shapely.get_coordinates(arr)
    if len(coords):
        d = np.hypot(coords[:, 0] - xy[0], coords[:, 1] - xy[1])
        k = int(np.argmin(d))
        if d[k] <= tolerance:
            return SnapResult((float(coords[k, 0]), float(coords[k, 1])), "vertex", float(d[k]))
    lines = shapely.boundary(arr[shapely.get_dimensions(arr) == 2])
    lines = np.concatenate([lines, arr[shapely.get_dimensions(arr) == 1]])
    if len(lines):
        pt = Point(xy)
        d = shapely.distance(lines, pt)
        k = int(np.argmin(d))
        if d[k] <= tolerance:
            on = shapely.line_interpolate_point(lines[k], shapely.line_locate_point(lines[k], pt))
            return SnapResult((float(on.x), float(on.y)), "edge", float(d[k]))
    return SnapResult((float(xy[0]), float(xy[1])), None, 0.0)
