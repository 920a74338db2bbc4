"""Check that grids form a clean coverage of their communities (issue 4).

A street's grids must cover each community exactly: no gaps, no overlaps,
nothing outside the community, every grid a valid single polygon and none a
tiny sliver (DESIGN §3, §5).  :func:`check_coverage` checks a whole street or
district, :func:`check_local` only the grids an edit touched and their
neighbours (the editor's fast path); fixes live in
:mod:`gridapp.services.coverage_fix`.

All measuring happens in metres: geographic input (EPSG:4490) is projected to
the CGCS2000 Gauss-Krüger zone of its longitude; problem geometries are given
back in the grids' own CRS.  ``shapely.coverage_invalid_edges`` (GEOS
CoverageValidator) is the expensive step; it runs on a worker thread (GEOS
releases the GIL) while validity, gaps, containment and slivers are computed
on the calling thread, so a check of a clean district costs little more than
the validator alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from gridapp import i18n
from gridapp.domain.crs import metric_epsg, transformer
from gridapp.errors import CRSError
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress

# fix_coverage, FixResult and FixChange are also importable from here (see
# __getattr__ at the end); they live in coverage_fix.
__all__ = ["KINDS", "CoverageProblem", "CoverageReport", "check_coverage", "check_local"]

KINDS = ("invalid", "not_polygon", "overlap", "invalid_edge", "gap", "outside_community", "sliver")


@dataclass(frozen=True)
class CoverageProblem:
    """One coverage problem: what, which grids, where and why.

    ``kind`` is one of :data:`KINDS`; ``geometry`` shows where (in the grids'
    CRS); ``size`` is an area in m² (gaps, overlaps, outside parts, slivers)
    or a length in m (invalid edges).
    """

    kind: str
    grid_ids: tuple[Hashable, ...]
    geometry: BaseGeometry
    zh: str
    en: str
    size: float = 0.0
    community: Hashable | None = None

    @property
    def message(self) -> str:
        return i18n.pick(self.zh, self.en)


@dataclass
class CoverageReport:
    """Result of a coverage check; ``valid`` when there is no problem."""

    problems: list[CoverageProblem]
    metric_crs: str
    checked: int
    grid_ids: list[Hashable] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def of_kind(self, kind: str) -> list[CoverageProblem]:
        return [p for p in self.problems if p.kind == kind]

    def to_frame(self, crs: object = None) -> gpd.GeoDataFrame:
        """The problems as a layer (kind, grids, messages, size) for the map."""
        rows = {
            "kind": [p.kind for p in self.problems],
            "grids": [",".join(map(str, p.grid_ids)) for p in self.problems],
            "message_zh": [p.zh for p in self.problems],
            "message_en": [p.en for p in self.problems],
            "size": [p.size for p in self.problems],
        }
        return gpd.GeoDataFrame(rows, geometry=[p.geometry for p in self.problems], crs=crs)


# --------------------------------------------------------------------- metres
@dataclass
class Metric:
    """Forward/back projection between a frame's CRS and metres."""

    crs: CRS
    source: CRS
    forward: Callable[[np.ndarray], np.ndarray]
    back: Callable[[np.ndarray], np.ndarray]


def metric_for(frame: gpd.GeoDataFrame) -> Metric:
    """The metric CRS for *frame*: itself if projected, else its GK zone."""
    if frame.crs is None:
        raise CRSError(
            "网格没有坐标系；请先用 set_crs 标注（通常为 EPSG:4490）",
            "The grids have no CRS; label them with set_crs (usually EPSG:4490)",
        )
    source = CRS.from_user_input(frame.crs)
    if source.is_projected:
        return Metric(source, source, lambda g: g, lambda g: g)
    minx, _, maxx, _ = frame.total_bounds
    epsg = metric_epsg((minx + maxx) / 2 if np.isfinite(minx) else 108.0)
    fwd, inv = transformer(source.to_string(), epsg), transformer(epsg, source.to_string())

    def there(g: np.ndarray) -> np.ndarray:
        # Rounded to 0.1 mm: a vertex that lies on a neighbour's or the community's
        # edge in degrees stays exactly on it in metres instead of 1e-9 m off.
        def xy(c: np.ndarray) -> np.ndarray:
            return np.round(np.column_stack(fwd.transform(c[:, 0], c[:, 1])), 4)

        return shapely.transform(g, xy)

    def back(g: np.ndarray) -> np.ndarray:
        return shapely.transform(g, lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1])))

    return Metric(CRS.from_epsg(epsg), source, there, back)


def to_metric(frame: gpd.GeoDataFrame, metric: Metric) -> np.ndarray:
    geoms = np.asarray(frame.geometry.array, dtype=object)
    if frame.crs is not None and CRS.from_user_input(frame.crs) != metric.source:
        return np.asarray(frame.to_crs(metric.crs).geometry.array, dtype=object)
    return metric.forward(geoms)


def _ids(frame: gpd.GeoDataFrame, id_field: str | None) -> list[Hashable]:
    return list(frame[id_field] if id_field else frame.index)


# ----------------------------------------------------------------- the check
@dataclass
class _Found:
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


def _holes(union: BaseGeometry) -> list[BaseGeometry]:
    rings = []
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
) -> list[_Found]:
    """Every coverage problem of metric *geoms* (and their communities).

    *assign_hint* gives each grid's community position (-1: unknown, found
    spatially).
    """
    found: list[_Found] = []
    types = shapely.get_type_id(geoms)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    polygonal = ((types == 3) | (types == 6)) & ~missing
    for i in np.flatnonzero(missing).tolist():
        found.append(_Found("invalid", (ids[i],), shapely.Point(), f"网格 {ids[i]} 几何为空",
                            f"Grid {ids[i]} has empty geometry"))
    for i in np.flatnonzero(~polygonal & ~missing).tolist():
        found.append(_Found("not_polygon", (ids[i],), geoms[i], f"网格 {ids[i]} 不是面",
                            f"Grid {ids[i]} is a {geoms[i].geom_type}, not a polygon"))
    idx = np.flatnonzero(polygonal)
    polys = geoms[idx]
    pid = [ids[i] for i in idx.tolist()]

    # The validator runs here; everything else on a worker thread (GEOS
    # releases the GIL).  This way round, not the reverse: the validator is the
    # long step and a fresh thread's malloc arena slows it down by ~15 %.
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            hint = assign_hint[idx] if assign_hint is not None else None
            box["r"] = _areal_pass(polys, pid, comms, comm_ids, region, area_tolerance,
                                   sliver_area, gap_width, hint)
        except BaseException as exc:  # re-raised on the calling thread
            box["e"] = exc

    worker = threading.Thread(target=work, name="coverage-check")
    worker.start()
    try:
        edges = shapely.coverage_invalid_edges(polys, gap_width=gap_width)
    finally:
        worker.join()
    if "e" in box:
        raise box["e"]
    cancel.check()
    valid, assign, unions, tree, basic, areal = box["r"]
    found += basic
    flagged = ~shapely.is_empty(edges) & valid
    if flagged.any() or not valid.all() or areal is None:  # optimistic unions may be wrong
        dirty = flagged | ~valid
        unions = _community_unions(polys, valid, assign, comms, clean=False, only=dirty, old=unions)
        areal = _gap_and_outside(polys, pid, valid, assign, comms, comm_ids, unions, tree,
                                 region, area_tolerance, sliver_area, gap_width)
    areal += _overlaps(polys, pid, flagged, tree, area_tolerance)
    found += areal
    slivers = [f for f in found if f.kind == "sliver"]  # a sliver explains its own edges
    found += _unexplained_edges(pid, edges, flagged, areal + slivers, gap_width)
    return found


def _areal_pass(polys, pid, comms, comm_ids, region, tol, sliver_area, gap_width, hint):  # type: ignore[no-untyped-def]
    """Validity, parts, slivers, and gaps/outside parts assuming clean edges."""
    found: list[_Found] = []
    valid = shapely.is_valid(polys)
    areas = shapely.area(polys)
    parts = shapely.get_num_geometries(polys)
    for k in np.flatnonzero(parts > 1):
        found.append(_Found("not_polygon", (pid[k],), polys[k],
                            f"网格 {pid[k]} 由 {parts[k]} 块组成，应为单个面",
                            f"Grid {pid[k]} has {parts[k]} parts; a grid must be one polygon"))
    for k in np.flatnonzero(~valid):
        reason = shapely.is_valid_reason(polys[k])
        found.append(_Found("invalid", (pid[k],), polys[k], f"网格 {pid[k]} 几何无效：{reason}",
                            f"Grid {pid[k]} is invalid: {reason}"))
    for k in np.flatnonzero(valid & (areas < sliver_area)):
        found.append(_Found("sliver", (pid[k],), polys[k],
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
    unions = _community_unions(polys, valid, assign, comms, clean=True)
    tree = shapely.STRtree(polys)
    try:
        areal = _gap_and_outside(polys, pid, valid, assign, comms, comm_ids, unions, tree,
                                 region, tol, sliver_area, gap_width)
    except shapely.errors.GEOSException:
        areal = None  # a union of overlapping grids went wrong: redone after the validator
    return valid, assign, unions, tree, found, areal


def _community_unions(polys, valid, assign, comms, *, clean, only=None, old=None):  # type: ignore[no-untyped-def]
    """Union of the valid grids per community (key -1 = all grids, no communities)."""
    unions = dict(old or {})
    if assign is None:
        if only is None or only.any():
            unions[-1] = _union(polys[valid], clean and only is None)
        return unions
    for c in range(len(comms)):
        members = assign == c
        if only is not None and not (only & members).any():
            continue
        unions[c] = _union(polys[members & valid], clean)
    return unions


def _overlaps(polys, pid, flagged, tree, tol):  # type: ignore[no-untyped-def]
    found: list[_Found] = []
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
            found.append(_Found("overlap", (pid[i], pid[j]), geom,
                                f"网格 {pid[i]} 与 {pid[j]} 重叠 {area:.2f} m²",
                                f"Grids {pid[i]} and {pid[j]} overlap by {area:.2f} m²", area))
    return found


def _unexplained_edges(pid, edges, flagged, areal, gap_width):  # type: ignore[no-untyped-def]
    """Invalid edges not already explained by a reported overlap, gap or outside part."""
    found: list[_Found] = []
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
            found.append(_Found("invalid_edge", (pid[k],), where,
                                f"网格 {pid[k]} 有 {length:.2f} m 边界与相邻网格不吻合（节点不一致，"
                                f"或有窄于 {gap_width} m 的缝隙）",
                                f"Grid {pid[k]}: {length:.2f} m of edges do not match the "
                                f"neighbours (unshared vertices, or a gap narrower than "
                                f"{gap_width} m)", length))
    return found


def _gap_and_outside(polys, pid, valid, assign, comms, comm_ids, unions, tree, region,  # type: ignore[no-untyped-def]
                     tol, sliver_area, gap_width):
    found: list[_Found] = []
    pieces: list[tuple[BaseGeometry, Hashable | None]] = []
    if assign is None:
        holes = _holes(unions[-1])
        if region is not None:
            holes = [h for h in shapely.intersection(holes, region) if shapely.area(h) > tol]
        pieces = [(h, None) for h in holes]
    else:
        for c, comm in enumerate(comms):
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
                    found.append(_Found("outside_community", (pid[k],), diff,
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
        found.append(_Found("gap", ids, gap,
                            f"{'社区 ' + str(community) + ' 内' if community is not None else ''}"
                            f"有 {size:.2f} m² 未被网格覆盖{thin}，相邻网格：{_names(ids) or '无'}",
                            f"{size:.2f} m² not covered by any grid"
                            f"{' in community ' + str(community) if community is not None else ''}"
                            f"; neighbouring grids: {', '.join(map(str, ids)) or 'none'}",
                            size, community))
    return found


# ------------------------------------------------------------------ public API
def _report(found: list[_Found], metric: Metric, checked: int, ids: list[Hashable]) -> CoverageReport:
    geoms: Any = (
        metric.back(np.array([f.geom for f in found], dtype=object)) if found else []
    )
    problems = [
        CoverageProblem(f.kind, f.ids, g, f.zh, f.en, float(f.size), f.community)
        for f, g in zip(found, geoms, strict=True)
    ]
    order = {k: i for i, k in enumerate(KINDS)}
    problems.sort(key=lambda p: (order[p.kind], str(p.grid_ids)))
    return CoverageReport(problems, metric.crs.to_string(), checked, ids)


def _communities(communities, metric, community_id_field):  # type: ignore[no-untyped-def]
    if communities is None:
        return None, None
    return to_metric(communities, metric), _ids(communities, community_id_field)


def _hint(grids: gpd.GeoDataFrame, field: str | None,
          comm_ids: Sequence[Hashable] | None) -> np.ndarray | None:
    if field is None or comm_ids is None:
        return None
    pos = {k: i for i, k in enumerate(comm_ids)}
    return np.array([pos.get(v, -1) for v in grids[field]], dtype=np.int64)


def check_coverage(
    grids: gpd.GeoDataFrame,
    communities: gpd.GeoDataFrame | None = None,
    *,
    gap_width: float = 0.5,
    sliver_area: float = 1.0,
    area_tolerance: float = 0.01,
    id_field: str | None = None,
    community_id_field: str | None = None,
    community_field: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> CoverageReport:
    """Check that *grids* are a clean coverage of *communities*.

    Parameters
    ----------
    grids : GeoDataFrame
        Grid polygons in any CRS (usually EPSG:4490).
    communities : GeoDataFrame, optional
        Community boundaries.  Each grid belongs to the community containing
        its inner point.  Without them only the grids' own union is checked
        (holes in it are gaps).
    gap_width : float
        Metres; gaps narrower than this between grids are flagged as invalid
        edges by GEOS even when they do not enclose anything.
    sliver_area : float
        m²; grids smaller than this are slivers.
    area_tolerance : float
        m²; gaps, overlaps and outside parts at most this big are numerical
        noise and not reported.
    id_field, community_id_field : str, optional
        Columns naming grids and communities in problems (default: index).
    community_field : str, optional
        Column of *grids* holding its community's id: a grid belongs to that
        community wherever it lies (and is reported outside it if it strays);
        grids with no or an unknown id are placed by their inner point.

    Returns
    -------
    CoverageReport
        Problems with kind, grid ids, where (in the grids' CRS) and why.
    """
    metric = metric_for(grids)
    geoms = to_metric(grids, metric)
    ids = _ids(grids, id_field)
    comms, comm_ids = _communities(communities, metric, community_id_field)
    hint = _hint(grids, community_field, comm_ids)
    progress(0, 1, i18n.pick("检查网格覆盖", "Checking grid coverage"))
    found = find_problems(geoms, ids, comms, comm_ids, gap_width=gap_width,
                          sliver_area=sliver_area, area_tolerance=area_tolerance,
                          assign_hint=hint, cancel=cancel)
    progress(1, 1, "")
    return _report(found, metric, len(geoms), ids)


def check_local(
    grids: gpd.GeoDataFrame,
    changed_ids: Sequence[Hashable],
    communities: gpd.GeoDataFrame | None = None,
    *,
    region: BaseGeometry | None = None,
    gap_width: float = 0.5,
    sliver_area: float = 1.0,
    area_tolerance: float = 0.01,
    id_field: str | None = None,
    community_id_field: str | None = None,
    community_field: str | None = None,
) -> CoverageReport:
    """Check only the grids an edit touched, their neighbours and the area between.

    *changed_ids* are the grids as they are after the edit; *region* (in the
    grids' CRS) adds area the edit vacated, e.g. the old outline of a deleted
    grid.  Only problems within a margin of ``gap_width`` around the changed
    grids are reported.
    """
    ids = _ids(grids, id_field)
    pos = {k: i for i, k in enumerate(ids)}
    changed = [pos[k] for k in changed_ids if k in pos]
    src = np.asarray(grids.geometry.array, dtype=object)
    zone = list(src[changed]) + ([region] if region is not None else [])
    if not zone:
        return CoverageReport([], "", 0, [])
    metric = metric_for(grids)
    bounds = shapely.total_bounds(np.array(zone, dtype=object))
    # Margin in the grids' own units: a degree is at least ~99 km east-west in China.
    margin = gap_width / 90_000.0 if not metric.source.is_projected else gap_width
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    for _ in range(8):
        window = shapely.box(*(bounds + np.array([-margin, -margin, margin, margin])))
        near = np.sort(grids.sindex.query(window))
        sub = grids.iloc[near]
        geoms = to_metric(sub, metric)
        sub_ids = [ids[i] for i in near]
        area = metric.forward(np.array([window], dtype=object))[0]
        comms = comm_ids = None
        if communities is not None:
            cwin = communities.iloc[np.sort(communities.sindex.query(window))]
            comms, comm_ids = _communities(cwin, metric, community_id_field)
        found = find_problems(geoms, sub_ids, comms, comm_ids, gap_width=gap_width,
                              sliver_area=sliver_area, area_tolerance=area_tolerance,
                              region=area, assign_hint=_hint(sub, community_field, comm_ids))
        # A gap cut by the window may go on beyond it: look wider until none is.
        edge = shapely.boundary(area)
        if not any(f.kind == "gap" and shapely.intersects(f.geom, edge) for f in found):
            break
        margin = margin * 4 + span
    keep = set(changed_ids)
    mine = shapely.buffer(shapely.union_all(to_metric(grids.iloc[changed], metric)), gap_width) \
        if changed else area
    found = [f for f in found if keep.intersection(f.ids) or shapely.intersects(f.geom, mine)]
    return _report(found, metric, len(geoms), sub_ids)


def __getattr__(name: str) -> Any:
    # fix_coverage lives in coverage_fix (which imports this module); offer it
    # here too without a circular import.
    if name in ("fix_coverage", "FixResult", "FixChange"):
        from gridapp.services import coverage_fix

        return getattr(coverage_fix, name)
    raise AttributeError(name)
