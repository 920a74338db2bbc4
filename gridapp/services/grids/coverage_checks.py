"""Finding coverage problems in metric polygons (internals of coverage checks).

:func:`find_problems` is the engine behind
:func:`gridapp.services.grids.coverage.check_coverage` and ``check_local``: it takes
polygons already in metres and returns what is wrong, with geometries in
metres.  ``shapely.coverage_invalid_edges`` (GEOS CoverageValidator) runs on
the calling thread, only on the polygons whose edges are not all matched by a
neighbour's (:func:`invalid_edges`), while slivers, community membership,
gaps and parts outside communities are computed on a worker thread (GEOS
releases the GIL); if the validator finds bad edges, the unions that assumed
clean edges are redone the slow, robust way.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gridapp.progress import NEVER_CANCELLED, CancelToken


@dataclass
class Finding:
    """One problem in metres, before it is turned into a CoverageProblem."""

    kind: str
    ids: tuple[Hashable, ...]
    geom: BaseGeometry
    zh: str
    en: str
    size: float = 0.0
    community: Hashable | None = None


def _names(ids: Sequence[Hashable]) -> str:
    return "、".join(map(str, ids))


def assign_communities(polys: np.ndarray, comms: np.ndarray) -> np.ndarray:
    """Index of the community each polygon belongs to (its inner point, else nearest)."""
    out = np.full(len(polys), -1, dtype=np.int64)
    if len(polys) == 0 or len(comms) == 0:
        return out
    xy = shapely.get_coordinates(shapely.point_on_surface(polys))
    bounds = shapely.bounds(comms)
    # A bounding-box filter and prepared contains_xy per community is ~4x
    # faster than an STRtree "within" query of points in a few big polygons.
    for c, comm in enumerate(comms):
        b = bounds[c]
        k = np.flatnonzero((out < 0) & (xy[:, 0] >= b[0]) & (xy[:, 0] <= b[2])
                           & (xy[:, 1] >= b[1]) & (xy[:, 1] <= b[3]))
        shapely.prepare(comm)
        out[k[shapely.contains_xy(comm, xy[k, 0], xy[k, 1])]] = c
    lost = np.flatnonzero(out < 0)
    if len(lost):
        i_pt, i_comm = shapely.STRtree(comms).query_nearest(shapely.points(xy[lost]),
                                                             all_matches=False)
        out[lost[i_pt]] = i_comm
    return out


_EMPTY_LINE = shapely.LineString()  # what the validator gives a clean polygon


def _vertex_ids(xy: np.ndarray) -> tuple[np.ndarray, int]:
    """An id per point of *xy* (n × 2), equal exactly when the coordinates are."""
    bits = np.ascontiguousarray(xy).view(np.int64)
    h = bits[:, 0] * np.int64(0x9E3779B97F4A7C15 - 2**64) ^ bits[:, 1]
    order = np.argsort(h)
    hs, xs = h[order], xy[order]
    step = np.ones(len(order), dtype=bool)
    step[1:] = hs[1:] != hs[:-1]
    if ((~step[1:]) & (xs[1:] != xs[:-1]).any(axis=1)).any():  # two points, one hash
        _, inverse = np.unique(np.ascontiguousarray(xy).view(np.complex128).ravel(),
                               return_inverse=True)
        return inverse.astype(np.int64), int(inverse.max()) + 1
    ids = np.empty(len(order), dtype=np.int64)
    ids[order] = np.cumsum(step) - 1
    return ids, int(step.sum())


def _ring_coordinates(geoms: np.ndarray, simple: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The coordinates of every ring of *geoms*, which ring each belongs to and which
    geometry each ring belongs to; a *simple* geometry (a polygon without holes)
    is its own one ring."""
    rings, ring_of = geoms[simple], np.flatnonzero(simple)
    other = np.flatnonzero(~simple)
    if len(other):  # get_parts / get_rings build objects: only where needed
        parts, part_of = shapely.get_parts(geoms[other], return_index=True)
        more, more_of = shapely.get_rings(parts, return_index=True)
        rings = np.concatenate([rings, more])
        ring_of = np.concatenate([ring_of, other[part_of[more_of]]])
    xy, coord_of = shapely.get_coordinates(rings, return_index=True)
    return xy, coord_of, ring_of


@dataclass
class EdgeTable:
    """Every edge of the polygons (and of the communities), by vertex ids.

    ``owner``/``a``/``b``: the polygon of each edge and its two vertex ids;
    ``comm_owner``/``comm_a``/``comm_b`` the same for the communities' edges,
    whose vertices share the ids (equal exactly when the coordinates are).
    ``matched``: the polygons whose every edge is matched (see
    :func:`matched_polygons`).
    """

    owner: np.ndarray
    a: np.ndarray
    b: np.ndarray
    comm_owner: np.ndarray
    comm_a: np.ndarray
    comm_b: np.ndarray
    vertices: int
    matched: np.ndarray


def edge_table(polys: np.ndarray, valid: np.ndarray, comms: np.ndarray | None = None
               ) -> EdgeTable:
    """The :class:`EdgeTable` of *polys* (``valid``: ``shapely.is_valid(polys)``)."""
    n = len(polys)
    simple = valid & (shapely.get_type_id(polys) == 3) & (
        shapely.get_num_interior_rings(polys) == 0)
    xy, coord_of, ring_of = _ring_coordinates(polys, simple)
    if comms is not None and len(comms):
        cxy, ccoord_of, cring_of = _ring_coordinates(comms, np.zeros(len(comms), dtype=bool))
    else:
        cxy, ccoord_of, cring_of = np.zeros((0, 2)), np.zeros(0, np.int64), np.zeros(0, np.int64)
    vid, count = _vertex_ids(np.concatenate([xy, cxy]))
    cseg = np.flatnonzero(ccoord_of[1:] == ccoord_of[:-1])
    cv = vid[len(xy):]
    comm = (cring_of[ccoord_of[cseg]], cv[cseg], cv[cseg + 1])
    if len(xy) < 2:
        return EdgeTable(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64),
                         *comm, count, np.zeros(n, dtype=bool))
    seg = np.flatnonzero(coord_of[1:] == coord_of[:-1])  # edge k: coordinates k, k + 1
    owner = ring_of[coord_of[seg]]
    # Orientation of each simple polygon's shell by the shoelace formula about
    # its first vertex (district coordinates are ~10^7 m: products stay small).
    first = np.flatnonzero(np.r_[True, coord_of[1:] != coord_of[:-1]])
    rel = xy - np.repeat(xy[first], np.diff(np.r_[first, len(xy)]), axis=0)
    x, y = rel[:, 0], rel[:, 1]
    twice_area = np.bincount(owner, x[seg] * y[seg + 1] - x[seg + 1] * y[seg], minlength=n)
    # GEOS orients each edge with the polygon's interior on its right (a shell
    # clockwise) and calls it forward when it then runs towards larger x (then
    # y): of a matched pair, one is forward and one is not.
    p, q = xy[seg], xy[seg + 1]
    rising = (q[:, 0] > p[:, 0]) | ((q[:, 0] == p[:, 0]) & (q[:, 1] > p[:, 1]))
    forward = rising ^ (twice_area >= 0)[owner]
    va, vb = vid[seg], vid[seg + 1]
    key = np.minimum(va, vb) * np.int64(count) + np.maximum(va, vb)
    _, at, times = np.unique(key, return_inverse=True, return_counts=True)
    ours = simple[owner]
    fwd = np.bincount(at, weights=forward & ours)
    odd = np.bincount(at, weights=~ours) > 0
    good = (times[at] == 2) & (fwd[at] == 1) & ~odd[at] & (va != vb)
    bad = np.bincount(owner, weights=~good, minlength=n) > 0
    matched = simple & ~bad & (np.abs(twice_area) > 1e-6)
    return EdgeTable(owner, va, vb, *comm, count, matched)


def matched_polygons(polys: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Polygons whose every edge is matched: shared by exactly one other polygon,
    vertex for vertex, with that polygon's interior on the other side.

    GEOS's coverage validator (``shapely.coverage_invalid_edges``) reports
    nothing for such a polygon: it matches each target's edges with its
    neighbours' first and stops when all are matched; only edges left
    unmatched are tested against the neighbours (gaps narrower than the gap
    width, crossings, overlaps).  Matching is exact on coordinates, as GEOS
    does it, and an edge found three times or more, or in a polygon that is
    invalid, has holes or parts, or repeats a vertex, leaves its polygons
    unmatched (the validator then looks at them).  Counting edges in numpy
    costs a few milliseconds; in a clean district only the polygons on the
    outer boundary stay unmatched.
    """
    return edge_table(polys, valid).matched


def communities_matched(table: EdgeTable, assign: np.ndarray, n_comms: int) -> np.ndarray:
    """Which communities the polygons assigned to them (``-1``: none) cover exactly,
    edge for edge.

    Community *c* qualifies when every edge of its polygons is either shared
    by exactly two of them, or lies on exactly one of them and is an edge of
    the community, and every edge of the community is so matched.  For
    polygons that do not overlap (a coverage the validator passed) the outer
    edges of their union are then the community's own, so the two are the
    same area: no gap, nothing outside.  A community with, say, an extra
    vertex on a straight edge does not qualify and is checked by overlay.
    Counting edges costs a few milliseconds where the unions and overlays of
    a district cost ~25.
    """
    ok = np.zeros(n_comms, dtype=bool)
    label = assign[table.owner] if len(table.owner) else np.zeros(0, np.int64)
    mine = (label >= 0) & (table.a != table.b)
    cmine = table.comm_a != table.comm_b
    if n_comms == 0 or not mine.any():
        return ok
    lab = np.concatenate([label[mine], table.comm_owner[cmine]]).astype(np.int64)
    a = np.concatenate([table.a[mine], table.comm_a[cmine]])
    b = np.concatenate([table.b[mine], table.comm_b[cmine]])
    v = np.int64(table.vertices)
    key = (lab * v + np.minimum(a, b)) * v + np.maximum(a, b)
    _, at = np.unique(key, return_inverse=True)
    is_comm = np.arange(len(key)) >= int(mine.sum())
    g = np.bincount(at, weights=~is_comm)
    k = np.bincount(at, weights=is_comm)
    good = ((g == 2) & (k == 0)) | ((g == 1) & (k == 1))
    ok[np.unique(table.comm_owner[cmine])] = True
    ok[np.unique(lab[~good[at]])] = False
    return ok


def invalid_edges(polys: np.ndarray, valid: np.ndarray, gap_width: float,
                  table: EdgeTable | None = None) -> np.ndarray:
    """``shapely.coverage_invalid_edges(polys, gap_width)``, element for element, with
    GEOS's validator run only where it can find something.

    Polygons whose edges are all matched (:func:`matched_polygons`) get an
    empty line, as the validator gives them; the others are validated
    together with every polygon whose box lies within *gap_width* of theirs
    (the neighbours the validator compares each polygon with), so their
    results are the validator's own.  *valid*: ``shapely.is_valid(polys)``;
    *table*: their :func:`edge_table`, if already made.
    """
    matched = (table if table is not None else edge_table(polys, valid)).matched
    suspect = np.flatnonzero(~matched)
    edges = np.full(len(polys), _EMPTY_LINE, dtype=object)
    if len(suspect) == 0:
        return edges
    if len(suspect) > len(polys) // 2:
        return shapely.coverage_invalid_edges(polys, gap_width=gap_width)
    box = shapely.bounds(polys[suspect]) + np.array([-1, -1, 1, 1]) * gap_width
    _, near = shapely.STRtree(polys).query(shapely.box(*box.T))
    sub = np.union1d(suspect, near)
    found = shapely.coverage_invalid_edges(polys[sub], gap_width=gap_width)
    edges[suspect] = found[np.searchsorted(sub, suspect)]
    return edges


def _union(polys: np.ndarray, clean: bool) -> BaseGeometry:
    if clean:
        try:
            return shapely.coverage_union_all(polys)
        except shapely.errors.GEOSException:
            pass
    return shapely.union_all(polys)


def _gaps(area: BaseGeometry, covered: BaseGeometry, tol: float) -> list[BaseGeometry]:
    parts = shapely.get_parts(shapely.difference(area, covered))
    parts = parts[shapely.get_type_id(parts) == 3]
    return list(parts[shapely.area(parts) > tol])


def holes(union: BaseGeometry) -> list[BaseGeometry]:
    """The holes of a (multi)polygon as polygons: gaps enclosed by grids."""
    rings: list[BaseGeometry] = []
    for poly in shapely.get_parts(union):
        rings += [shapely.Polygon(r) for r in shapely.get_parts(shapely.get_interior_ring(
            np.repeat(poly, shapely.get_num_interior_rings(poly)),
            np.arange(shapely.get_num_interior_rings(poly)),
        ))]
    return rings


def find_problems(
    geoms: np.ndarray,
    ids: Sequence[Hashable],
    comms: np.ndarray | None,
    comm_ids: Sequence[Hashable] | None,
    *,
    gap_width: float,
    sliver_area: float,
    area_tolerance: float,
    region: BaseGeometry | None = None,
    assign_hint: np.ndarray | None = None,
    cancel: CancelToken = NEVER_CANCELLED,
) -> list[Finding]:
    """Every coverage problem of metric *geoms* (and their communities).

    *assign_hint* gives each grid's community position (-1: unknown, found
    spatially).
    """
    found: list[Finding] = []
    types = shapely.get_type_id(geoms)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    polygonal = ((types == 3) | (types == 6)) & ~missing
    for i in np.flatnonzero(missing).tolist():
        found.append(Finding("invalid", (ids[i],), shapely.Point(), f"网格 {ids[i]} 几何为空",
                            f"Grid {ids[i]} has empty geometry"))
    for i in np.flatnonzero(~polygonal & ~missing).tolist():
        found.append(Finding("not_polygon", (ids[i],), geoms[i], f"网格 {ids[i]} 不是面",
                            f"Grid {ids[i]} is a {geoms[i].geom_type}, not a polygon"))
    idx = np.flatnonzero(polygonal)
    polys = geoms[idx]
    pid = [ids[i] for i in idx.tolist()]

    # The invalid edges are found here; everything else on a worker thread (GEOS
    # releases the GIL).  This way round, not the reverse: the validator is the
    # long step and a fresh thread's malloc arena slows it down by ~15 %.
    box: dict[str, Any] = {}
    valid = shapely.is_valid(polys)
    # A whole check also matches each community's edges with its grids'.
    whole = comms is not None and region is None
    table = edge_table(polys, valid, comms if whole else None)

    def work() -> None:
        try:
            hint = assign_hint[idx] if assign_hint is not None else None
            box["r"] = _areal_pass(polys, pid, valid, comms, comm_ids, region, area_tolerance,
                                   sliver_area, gap_width, hint, table if whole else None)
        except BaseException as exc:  # re-raised on the calling thread
            box["e"] = exc

    worker = threading.Thread(target=work, name="coverage-check")
    worker.start()
    try:
        edges = invalid_edges(polys, valid, gap_width, table)
    finally:
        worker.join()
    if "e" in box:
        raise box["e"]
    cancel.check()
    assign, unions, tree, basic, areal, proven = box["r"]
    found += basic
    flagged = ~shapely.is_empty(edges) & valid
    if flagged.any() or not valid.all() or areal is None:  # optimistic unions may be wrong
        dirty = flagged | ~valid
        if proven is not None:  # matched edges prove nothing where a grid is in doubt
            proven = proven.copy()
            proven[np.unique(assign[dirty])] = False
        unions = _community_unions(polys, valid, assign, comms, clean=False, only=dirty,
                                   old=unions, skip=proven)
        areal = _gap_and_outside(polys, pid, valid, assign, comms, comm_ids, unions, tree,
                                 region, area_tolerance, sliver_area, gap_width, skip=proven)
    areal += _overlaps(polys, pid, flagged, tree, area_tolerance)
    found += areal
    slivers = [f for f in found if f.kind == "sliver"]  # a sliver explains its own edges
    found += _unexplained_edges(pid, edges, flagged, areal + slivers, gap_width)
    return found


def _areal_pass(polys, pid, valid, comms, comm_ids, region, tol, sliver_area, gap_width, hint,  # type: ignore[no-untyped-def]
                table):
    """Invalid grids, parts, slivers, and gaps/outside parts assuming clean edges."""
    found: list[Finding] = []
    areas = shapely.area(polys)
    parts = shapely.get_num_geometries(polys)
    for k in np.flatnonzero(parts > 1):
        found.append(Finding("not_polygon", (pid[k],), polys[k],
                            f"网格 {pid[k]} 由 {parts[k]} 块组成，应为单个面",
                            f"Grid {pid[k]} has {parts[k]} parts; a grid must be one polygon"))
    for k in np.flatnonzero(~valid):
        reason = shapely.is_valid_reason(polys[k])
        found.append(Finding("invalid", (pid[k],), polys[k], f"网格 {pid[k]} 几何无效：{reason}",
                            f"Grid {pid[k]} is invalid: {reason}"))
    for k in np.flatnonzero(valid & (areas < sliver_area)):
        found.append(Finding("sliver", (pid[k],), polys[k],
                            f"网格 {pid[k]} 面积仅 {areas[k]:.2f} m²，是细碎多边形",
                            f"Grid {pid[k]} is a sliver of {areas[k]:.2f} m²", areas[k]))
    assign = None
    if comms is not None:
        if hint is None:
            assign = assign_communities(polys, comms)
        else:
            assign = hint.copy()
            lost = assign < 0
            if lost.any():
                assign[lost] = assign_communities(polys[lost], comms)
    # Communities whose grids match their edges exactly need no union or overlay.
    proven = (communities_matched(table, np.where(valid, assign, -1), len(comms))
              if table is not None and assign is not None else None)
    unions = _community_unions(polys, valid, assign, comms, clean=True, skip=proven)
    tree = shapely.STRtree(polys)
    try:
        areal = _gap_and_outside(polys, pid, valid, assign, comms, comm_ids, unions, tree,
                                 region, tol, sliver_area, gap_width, skip=proven)
    except shapely.errors.GEOSException:
        areal = None  # a union of overlapping grids went wrong: redone after the validator
    return assign, unions, tree, found, areal, proven


def _community_unions(polys, valid, assign, comms, *, clean, only=None, old=None,  # type: ignore[no-untyped-def]
                      skip=None):
    """Union of the valid grids per community (key -1 = all grids, no communities).

    *only* (grids): redo just the communities holding one of them, and any
    not done yet; *skip* (communities): leave these out.
    """
    unions = dict(old or {})
    if assign is None:
        if only is None or only.any():
            unions[-1] = _union(polys[valid], clean and only is None)
        return unions
    for c in range(len(comms)):
        if skip is not None and skip[c]:
            continue
        members = assign == c
        if only is not None and not (only & members).any() and c in unions:
            continue
        unions[c] = _union(polys[members & valid], clean)
    return unions


def _overlaps(polys, pid, flagged, tree, tol):  # type: ignore[no-untyped-def]
    found: list[Finding] = []
    ks = np.flatnonzero(flagged)
    if len(ks) == 0:
        return found
    a, b = tree.query(polys[ks], predicate="intersects")
    a = ks[a]
    keep = (a < b) & flagged[b]
    a, b = a[keep], b[keep]
    inner = shapely.relate_pattern(polys[a], polys[b], "T********")
    a, b = a[inner], b[inner]
    for i, j, geom in zip(a, b, shapely.intersection(polys[a], polys[b]), strict=True):
        area = shapely.area(geom)
        if area > tol:
            found.append(Finding("overlap", (pid[i], pid[j]), geom,
                                f"网格 {pid[i]} 与 {pid[j]} 重叠 {area:.2f} m²",
                                f"Grids {pid[i]} and {pid[j]} overlap by {area:.2f} m²", area))
    return found


def _unexplained_edges(pid, edges, flagged, areal, gap_width):  # type: ignore[no-untyped-def]
    """Invalid edges not already explained by a reported overlap, gap or outside part."""
    found: list[Finding] = []
    ks = np.flatnonzero(flagged)
    if len(ks) == 0:
        return found
    known = shapely.STRtree(np.array([f.geom for f in areal], dtype=object)) if areal else None
    for k in ks:
        parts = shapely.get_parts(edges[k])
        if known is not None:
            hit, _ = known.query(parts, predicate="dwithin", distance=1e-3)
            parts = np.delete(parts, np.unique(hit))
        length = float(shapely.length(parts).sum())
        if length > 1e-6:
            where = shapely.multilinestrings(parts) if len(parts) > 1 else parts[0]
            found.append(Finding("invalid_edge", (pid[k],), where,
                                f"网格 {pid[k]} 有 {length:.2f} m 边界与相邻网格不吻合（节点不一致，"
                                f"或有窄于 {gap_width} m 的缝隙）",
                                f"Grid {pid[k]}: {length:.2f} m of edges do not match the "
                                f"neighbours (unshared vertices, or a gap narrower than "
                                f"{gap_width} m)", length))
    return found


def _gap_and_outside(polys, pid, valid, assign, comms, comm_ids, unions, tree, region,  # type: ignore[no-untyped-def]
                     tol, sliver_area, gap_width, skip=None):
    found: list[Finding] = []
    pieces: list[tuple[BaseGeometry, Hashable | None]] = []
    if assign is None:
        found_holes = holes(unions[-1])
        if region is not None:
            found_holes = [h for h in shapely.intersection(found_holes, region)
                           if shapely.area(h) > tol]
        pieces = [(h, None) for h in found_holes]
    else:
        for c, comm in enumerate(comms):
            if skip is not None and skip[c]:
                continue  # its grids match its edges exactly: nothing to find
            if region is None:
                # One overlay per community finds gaps and parts sticking out.
                diff = shapely.get_parts(shapely.symmetric_difference(comm, unions[c]))
                diff = diff[(shapely.get_type_id(diff) == 3) & (shapely.area(diff) > tol)]
                inner = shapely.get_coordinates(shapely.point_on_surface(diff))
                inside = shapely.contains_xy(comm, inner[:, 0], inner[:, 1])
                gaps, beyond = diff[inside], diff[~inside]
            else:
                gaps = _gaps(shapely.intersection(comm, region), unions[c], tol)
                beyond = shapely.get_parts(shapely.difference(unions[c], comm))
                beyond = beyond[shapely.area(beyond) > tol]
            pieces += [(g, comm_ids[c]) for g in gaps]
            # Only the grids under the pieces sticking out are cut one by one.
            if len(beyond) == 0:
                continue
            cand = np.unique(tree.query(beyond, predicate="intersects")[1])
            out = cand[(assign[cand] == c) & valid[cand]]
            for k, diff in zip(out, shapely.difference(polys[out], comm), strict=True):
                size = shapely.area(diff)
                if size > tol:
                    found.append(Finding("outside_community", (pid[k],), diff,
                                        f"网格 {pid[k]} 有 {size:.2f} m² 在社区 {comm_ids[c]} 之外",
                                        f"Grid {pid[k]}: {size:.2f} m² lies outside community "
                                        f"{comm_ids[c]}", size, comm_ids[c]))
    for gap, community in pieces:
        size = shapely.area(gap)
        near = np.sort(tree.query(gap, predicate="dwithin", distance=1e-3))
        # Neighbours share part of the gap's edge; touching a corner is not enough
        # (a corner gives ~2 mm of edge inside the 1 mm band).
        shared = shapely.length(shapely.intersection(
            shapely.boundary(gap), shapely.buffer(shapely.boundary(polys[near]), 1e-3)))
        ids = tuple(pid[k] for k in near[shared > 3e-3])
        thin = "（细缝）" if size < sliver_area else ""
        found.append(Finding("gap", ids, gap,
                            f"{'社区 ' + str(community) + ' 内' if community is not None else ''}"
                            f"有 {size:.2f} m² 未被网格覆盖{thin}，相邻网格：{_names(ids) or '无'}",
                            f"{size:.2f} m² not covered by any grid"
                            f"{' in community ' + str(community) if community is not None else ''}"
                            f"; neighbouring grids: {', '.join(map(str, ids)) or 'none'}",
                            size, community))
    return found
