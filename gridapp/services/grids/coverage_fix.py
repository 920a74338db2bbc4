"""Automatic fixes for grid coverage problems (issue 4).

:func:`fix_coverage` repairs what :func:`~gridapp.services.grids.coverage.check_coverage`
reports, in this order, all in metres:

1. invalid polygons are repaired with ``make_valid`` (structure method);
   grids of several parts keep their largest part (the rest becomes a gap
   filled in step 5);
2. parts outside the grid's community are cut off;
3. ``shapely.coverage_clean`` (GEOS CoverageCleaner) snaps near-coincident
   vertices and edges together within ``snap_distance``, gives each overlap
   to the grid with the longest shared border and closes gaps narrower than
   ``gap_width`` the same way;
4. sliver grids (smaller than ``sliver_area``) are merged into the neighbour
   sharing the longest border, and disappear;
5. each remaining gap inside a community goes to the grid of that community
   sharing most of its boundary;
6. a last ``coverage_clean`` pass makes every shared edge match vertex for
   vertex;
7. every fixed grid is checked again in the grids' own CRS (a polygon valid
   in metres can be invalid in degrees); one that is not a valid polygon is
   repaired if that moves at most ``area_tolerance`` and leaves no problem,
   otherwise its community's fix is undone and a ``fix_refused`` change says
   why.

Why the cleaner rather than ``shapely.snap`` or ``set_precision``: ``snap``
works on one pair of geometries at a time, so the result depends on the order
of the pairs and can create new overlaps or invalid rings; ``set_precision``
rounds each coordinate independently, so two vertices 1 mm apart on either
side of a grid line still end up in different cells, and it never inserts the
vertex a neighbour lacks; ``coverage_simplify`` assumes an already valid
coverage and removes detail.  The cleaner nodes all edges together, snaps
with one tolerance, and guarantees a result without overlaps whose shared
edges are identical, which is exactly the coverage contract.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gridapp import i18n
from gridapp.services.grids.coverage import (
    CoverageReport,
    _ids,
    check_coverage,
    metric_for,
    to_metric,
)
from gridapp.services.grids.coverage_checks import assign_communities, holes


@dataclass(frozen=True)
class FixChange:
    """One automatic change to one grid; ``area_change`` in m² (+ grew, − shrank)."""

    grid_id: Hashable
    action: str
    zh: str
    en: str
    area_change: float = 0.0

    @property
    def message(self) -> str:
        return i18n.pick(self.zh, self.en)


@dataclass
class FixResult:
    """Fixed grids (same rows and columns, minus merged slivers), changes, new report."""

    grids: gpd.GeoDataFrame
    changes: list[FixChange]
    report: CoverageReport


def _largest_polygon(geom: BaseGeometry) -> BaseGeometry:
    parts = shapely.get_parts(geom)
    parts = parts[shapely.get_type_id(parts) == 3]
    if len(parts) == 0:
        return shapely.Polygon()
    return parts[int(np.argmax(shapely.area(parts)))]


def _shared_length(a: BaseGeometry, b: BaseGeometry) -> float:
    # Boundaries may differ by float noise: measure a's boundary inside b's
    # boundary widened by 1 mm rather than an exact line intersection.
    return float(shapely.length(shapely.intersection(
        shapely.boundary(a), shapely.buffer(shapely.boundary(b), 1e-3))))


def _best_neighbour(piece: BaseGeometry, polys: np.ndarray, allowed: np.ndarray,
                    tree: shapely.STRtree) -> int | None:
    near = tree.query(piece, predicate="dwithin", distance=1e-3)
    near = near[allowed[near]]
    if len(near) == 0:
        return None
    lengths = [_shared_length(piece, polys[k]) for k in near]
    return int(near[int(np.argmax(lengths))])


def fix_coverage(
    grids: gpd.GeoDataFrame,
    communities: gpd.GeoDataFrame | None = None,
    *,
    gap_width: float = 0.5,
    sliver_area: float = 1.0,
    snap_distance: float = 0.05,
    area_tolerance: float = 0.01,
    id_field: str | None = None,
    community_id_field: str | None = None,
) -> FixResult:
    """Repair gaps, overlaps, outside parts, slivers and invalid grids.

    Parameters are those of :func:`~gridapp.services.grids.coverage.check_coverage`
    plus ``snap_distance`` (metres): vertices and edges closer than this are
    made to coincide.  Non-polygon and empty grids are left alone (they stay
    in the report).  Returns the fixed grids in the input CRS, a list of every
    change, and the report of a fresh check of the result.
    """
    metric = metric_for(grids)
    geoms = to_metric(grids, metric).copy()
    ids = _ids(grids, id_field)
    before = shapely.area(geoms)
    changes: list[FixChange] = []

    def note(k: int | np.integer, action: str, zh: str, en: str, delta: float = 0.0) -> None:
        changes.append(FixChange(ids[k], action, zh, en, float(delta)))

    types = shapely.get_type_id(geoms)
    work = ((types == 3) | (types == 6)) & ~shapely.is_empty(geoms)
    for k in np.flatnonzero(work & ~shapely.is_valid(geoms)):
        geoms[k] = _largest_polygon(shapely.make_valid(geoms[k], method="structure"))
        note(k, "made_valid", f"网格 {ids[k]}：修复了无效几何", f"Grid {ids[k]}: repaired invalid geometry")
    for k in np.flatnonzero(work & (shapely.get_num_geometries(geoms) > 1)):
        geoms[k] = _largest_polygon(geoms[k])
        note(k, "kept_largest_part", f"网格 {ids[k]}：只保留最大的一块",
             f"Grid {ids[k]}: kept only its largest part")

    comms = to_metric(communities, metric) if communities is not None else None
    assign = np.full(len(geoms), -1)
    if comms is not None:
        assign[work] = assign_communities(geoms[work], comms)

    def clip() -> None:
        if comms is None:
            return
        for c, comm in enumerate(comms):
            shapely.prepare(comm)
            members = np.flatnonzero(work & (assign == c))
            for k in members[~shapely.covered_by(geoms[members], comm)]:
                cut = _largest_polygon(shapely.intersection(geoms[k], comm))
                delta = shapely.area(cut) - shapely.area(geoms[k])
                if -delta > area_tolerance:
                    note(k, "clipped_to_community", f"网格 {ids[k]}：裁掉社区外 {-delta:.2f} m²",
                         f"Grid {ids[k]}: cut off {-delta:.2f} m² outside its community", delta)
                geoms[k] = cut

    clip()
    idx = np.flatnonzero(work)
    pre_clean = geoms[idx].copy()
    _clean_per_community(geoms, work, assign, gap_width=gap_width, snap=snap_distance)
    clip()  # snapping near the community border can push a vertex across it
    moved = ~shapely.equals(pre_clean, geoms[idx])  # topologically, not vertex order
    for k, old in zip(idx[moved], pre_clean[moved], strict=True):
        delta = shapely.area(geoms[k]) - shapely.area(old)
        note(k, "cleaned", f"网格 {ids[k]}：吸附共用边、处理重叠和窄缝（面积变化 {delta:+.2f} m²）",
             f"Grid {ids[k]}: snapped shared edges, resolved overlaps and narrow gaps "
             f"(area {delta:+.2f} m²)", delta)

    keep = work.copy()
    tree = shapely.STRtree(geoms)
    for k in np.flatnonzero(work & (shapely.area(geoms) < sliver_area)):
        allowed = keep & (assign == assign[k])
        allowed[k] = False
        to = _best_neighbour(geoms[k], geoms, allowed, tree)
        if to is None:
            continue
        geoms[to] = _largest_polygon(shapely.union(geoms[to], geoms[k]))
        keep[k] = False
        note(k, "merged_sliver", f"细碎网格 {ids[k]} 并入网格 {ids[to]}",
             f"Sliver grid {ids[k]} merged into grid {ids[to]}", -before[k])

    changes += _fill_gaps(geoms, ids, keep, assign, comms, area_tolerance)
    _clean_per_community(geoms, keep, assign, gap_width=0.0, snap=0.0)
    idx = np.flatnonzero(keep)
    if len(idx) and not shapely.coverage_is_valid(geoms[idx]):
        # Edges along community borders: node them together, nothing else.
        geoms[idx] = shapely.coverage_clean(geoms[idx], snapping_distance=0.0)
    original = np.asarray(grids.geometry.array, dtype=object)
    final = original.copy()
    final[keep] = metric.back(geoms[keep])
    repaired, undo = _revalidate(final, original, geoms, ids, keep & work, changes,
                                 area_tolerance)

    def result() -> tuple[gpd.GeoDataFrame, CoverageReport]:
        rows = np.flatnonzero(keep | ~work)
        out = grids.iloc[rows].copy()
        out = out.set_geometry(gpd.GeoSeries(final[rows], index=out.index, crs=grids.crs))
        return out, check_coverage(out, communities, gap_width=gap_width,
                                   sliver_area=sliver_area, area_tolerance=area_tolerance,
                                   id_field=id_field, community_id_field=community_id_field)

    changes = _undo(undo, final, original, keep, work, assign, ids, changes)
    out, report = result()
    # A repair made in degrees can still leave a problem when measured in metres
    # (new vertices on a long edge bend it there): then that fix is undone too.
    again: dict[int, tuple[int, str, str]] = {}
    undone = {int(assign[k]) for k in undo}
    for problem in report.problems:
        for k in repaired:
            if ids[k] in problem.grid_ids and int(assign[k]) not in undone:
                again.setdefault(k, (
                    k, f"再次修正后仍有问题：{problem.zh}",
                    f"repairing it again still leaves a problem: {problem.en}"))
    if again:
        changes = _undo(again, final, original, keep, work, assign, ids, changes)
        out, report = result()
    return FixResult(out, changes, report)


def _revalidate(final: np.ndarray, original: np.ndarray, geoms: np.ndarray,
                ids: list[Hashable], fixed: np.ndarray, changes: list[FixChange],
                tol: float) -> tuple[list[int], dict[int, tuple[int, str, str]]]:
    """Check every fixed grid again in the grids' own CRS and repair it in place.

    A polygon valid in metres can be invalid once projected back: a straight
    edge in degrees is not straight in metres (about 9 mm off over 1 km), so a
    vertex a few centimetres from a long edge can end up across it.  A grid
    that is not one valid polygon is repaired with ``make_valid`` when that
    changes its area by at most *tol* m² (a ``revalidated`` change).  Returns
    the repaired rows and, per row that cannot be repaired, (row, why in
    Chinese, why in English) for :func:`_undo`, keyed by its community.
    """
    changed = fixed & ~shapely.equals_exact(final, original, 0.0)
    ok = (shapely.get_type_id(final) == 3) & shapely.is_valid(final) & ~shapely.is_empty(final)
    repaired: list[int] = []
    undo: dict[int, tuple[int, str, str]] = {}
    for k in np.flatnonzero(changed & ~ok):
        reason = (shapely.is_valid_reason(final[k]) if not shapely.is_valid(final[k])
                  else final[k].geom_type)
        fix = _largest_polygon(shapely.make_valid(final[k], method="structure"))
        moved = np.inf
        if shapely.is_valid(fix) and not shapely.is_empty(fix):
            # Compared in the grids' CRS (shoelace area of the invalid ring), scaled
            # to m²: projecting the repair to metres would bend its new vertices.
            here = float(shapely.area(final[k]))
            scale = float(shapely.area(geoms[k])) / here if here > 0 else np.inf
            moved = abs(float(shapely.area(fix)) - here) * scale
        if moved <= tol:
            final[k] = fix
            repaired.append(int(k))
            changes.append(FixChange(
                ids[k], "revalidated",
                f"网格 {ids[k]}：修复结果在原坐标系中无效（{reason}），已再次修正"
                f"（面积变化 {moved:.4f} m²）",
                f"Grid {ids[k]}: the fix was invalid in the grids' CRS ({reason}); "
                f"repaired again (area change {moved:.4f} m²)", moved))
        else:
            undo.setdefault(int(k), (int(k), f"几何无效：{reason}，且无法再修正",
                                     f"invalid geometry: {reason}, which cannot be repaired"))
    return repaired, undo


def _undo(undo: dict[int, tuple[int, str, str]], final: np.ndarray, original: np.ndarray,
          keep: np.ndarray, work: np.ndarray, assign: np.ndarray, ids: list[Hashable],
          changes: list[FixChange]) -> list[FixChange]:
    """Give the grids of each community in *undo* back their input geometry.

    The fix of a community is one whole (an overlap given to one grid is taken
    from another), so it is undone as a whole: *final* and *keep* are
    restored in place, its changes dropped and a ``fix_refused`` change says
    why.  Returns the changes.
    """
    for k, why_zh, why_en in {int(assign[k]): (k, zh, en)
                              for k, zh, en in undo.values()}.values():
        members = np.flatnonzero(work & (assign == assign[k]))
        final[members] = original[members]
        keep[members] = True
        gone = {ids[i] for i in members}
        changes = [c for c in changes if c.grid_id not in gone]
        changes.append(FixChange(
            ids[k], "fix_refused",
            f"网格 {ids[k]}：自动修复未应用（{why_zh}）；其所在社区的网格未作任何修改，请手动修改",
            f"Grid {ids[k]}: the automatic fix was not applied ({why_en}); the grids of "
            "its community were left unchanged, fix them by hand"))
    return changes


def _clean_per_community(geoms: np.ndarray, mask: np.ndarray, assign: np.ndarray, *,
                         gap_width: float, snap: float) -> None:
    """coverage_clean each community's grids on their own, in place.

    Per community, so that a narrow gap or an overlap is never merged into a
    grid of the neighbouring community.
    """
    for c in np.unique(assign[mask]):
        idx = np.flatnonzero(mask & (assign == c))
        geoms[idx] = shapely.coverage_clean(geoms[idx], gap_width=gap_width,
                                            snapping_distance=snap)


def _fill_gaps(geoms, ids, keep, assign, comms, tol):  # type: ignore[no-untyped-def]
    """Give every gap to the grid that shares the longest border with it."""
    changes: list[FixChange] = []
    tree = shapely.STRtree(geoms)
    groups = range(len(comms)) if comms is not None else [-1]
    for c in groups:
        members = keep & (assign == c) if comms is not None else keep.copy()
        if not members.any():
            continue
        union = shapely.union_all(geoms[members])
        if comms is not None:
            pieces = shapely.get_parts(shapely.difference(comms[c], union))
        else:
            pieces = np.array(holes(union), dtype=object)
        for piece in pieces:
            if shapely.get_type_id(piece) != 3 or shapely.area(piece) <= tol:
                continue
            to = _best_neighbour(piece, geoms, members, tree)
            if to is None:
                continue
            geoms[to] = _largest_polygon(shapely.union(geoms[to], piece))
            size = shapely.area(piece)
            changes.append(FixChange(
                ids[to], "gap_filled", f"网格 {ids[to]}：并入 {size:.2f} m² 的缝隙",
                f"Grid {ids[to]}: took a {size:.2f} m² gap", size))
    return changes
