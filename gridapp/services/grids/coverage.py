"""Check that grids form a clean coverage of their communities (issue 4).

A street's grids must cover each community exactly: no gaps, no overlaps,
nothing outside the community, every grid a valid single polygon and none a
tiny sliver (DESIGN §3, §5).  :func:`check_coverage` checks a whole street or
district, :func:`check_local` only the grids an edit touched and their
neighbours (the editor's fast path); fixes live in
:mod:`gridapp.services.grids.coverage_fix`.

All measuring happens in metres: geographic input (EPSG:4490) is projected to
the CGCS2000 Gauss-Krüger zone of its longitude; problem geometries are given
back in the grids' own CRS.  ``shapely.coverage_invalid_edges`` (GEOS
CoverageValidator) was the expensive step: the edges are now counted first
(:func:`~gridapp.services.grids.coverage_checks.edge_table`), the validator
runs only on the grids with an edge no neighbour shares (the outer boundary
of a clean district, plus damage) and their neighbours, and a community whose
grids' outer edges are its own edges needs no union or overlay; so a check of
a clean district costs about what the validator alone costs on all of it
(issue 22; the results are the same, tests/services/test_coverage_edges.py).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
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
from gridapp.services.grids.coverage_checks import Finding, find_problems

# The automatic fixes (fix_coverage, FixResult, FixChange) live in
# coverage_fix, which builds on this module; import them from there.
__all__ = ["KINDS", "CoverageProblem", "CoverageReport", "check_coverage", "check_local",
           "check_local_arrays"]

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
            return np.round(_project(fwd, c), 4)

        return shapely.transform(g, xy)

    def back(g: np.ndarray) -> np.ndarray:
        return shapely.transform(g, lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1])))

    return Metric(CRS.from_epsg(epsg), source, there, back)


@lru_cache(maxsize=16)
def _metric_of(source: int, epsg: int) -> Metric:
    """:func:`metric_for` of a geographic EPSG code, built once per zone (the
    editor's local checks: building the CRS objects cost more than the check)."""
    src = CRS.from_epsg(source)
    fwd, inv = transformer(source, epsg), transformer(epsg, source)

    def there(g: np.ndarray) -> np.ndarray:
        return shapely.transform(g, lambda c: np.round(_project(fwd, c), 4))

    def back(g: np.ndarray) -> np.ndarray:
        return shapely.transform(g, lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1])))

    return Metric(CRS.from_epsg(epsg), src, there, back)


def _project(fwd: Any, c: np.ndarray) -> np.ndarray:
    """*c* (n × 2) through *fwd*, on this thread.

    It used to split large arrays over two threads; side by side on the
    district's 34,731 vertices (load ~4) one thread was faster: to_metric
    9.3-9.7 ms wall and CPU against 12-18 ms wall, 12-16 ms CPU with a second
    thread (its start and pyproj's context for it cost more than half the work).
    """
    return np.column_stack(fwd.transform(c[:, 0], c[:, 1]))


def to_metric(frame: gpd.GeoDataFrame, metric: Metric) -> np.ndarray:
    geoms = np.asarray(frame.geometry.array, dtype=object)
    if frame.crs is not None and CRS.from_user_input(frame.crs) != metric.source:
        return np.asarray(frame.to_crs(metric.crs).geometry.array, dtype=object)
    return metric.forward(geoms)


def _ids(frame: gpd.GeoDataFrame, id_field: str | None) -> list[Hashable]:
    return list(frame[id_field] if id_field else frame.index)



# ------------------------------------------------------------------ public API
def _report(found: list[Finding], metric: Metric, checked: int, ids: list[Hashable]) -> CoverageReport:
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


def check_local_arrays(
    geoms: np.ndarray,
    ids: Sequence[Hashable],
    community_of: Sequence[Hashable | None],
    changed_ids: Sequence[Hashable],
    comm_geoms: np.ndarray | None,
    comm_ids: Sequence[Hashable] | None,
    *,
    region: BaseGeometry | None = None,
    gap_width: float = 0.5,
    sliver_area: float = 1.0,
    area_tolerance: float = 0.01,
) -> CoverageReport:
    """:func:`check_local` of grids given as arrays in EPSG:4490 (no frames).

    *geoms*, *ids* and *community_of* (each grid's community id, or None)
    describe the grids around an edit; *comm_geoms* / *comm_ids* the
    communities around it (or None).  The grid editor's path: the same
    windows, the same problems as :func:`check_local` with
    ``community_field`` set, without building frames, spatial indexes of
    frames and CRS objects for a few dozen grids.
    """
    pos = {k: i for i, k in enumerate(ids)}
    changed = [pos[k] for k in changed_ids if k in pos]
    src = np.asarray(geoms, dtype=object)
    zone = list(src[changed]) + ([region] if region is not None else [])
    if not zone:
        return CoverageReport([], "", 0, [])
    minx, _, maxx, _ = shapely.total_bounds(src)
    metric = _metric_of(4490, metric_epsg((minx + maxx) / 2 if np.isfinite(minx) else 108.0))
    tree = shapely.STRtree(src)
    ctree = shapely.STRtree(comm_geoms) if comm_geoms is not None else None
    bounds = shapely.total_bounds(np.array(zone, dtype=object))
    margin = gap_width / 90_000.0  # a degree is at least ~99 km east-west in China
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    for _ in range(8):
        window = shapely.box(*(bounds + np.array([-margin, -margin, margin, margin])))
        near = np.sort(tree.query(window))
        sub = metric.forward(src[near])
        sub_ids = [ids[i] for i in near]
        area = metric.forward(np.array([window], dtype=object))[0]
        comms = cids = hint = None
        if ctree is not None and comm_geoms is not None and comm_ids is not None:
            cnear = np.sort(ctree.query(window))
            comms = metric.forward(np.asarray(comm_geoms, dtype=object)[cnear])
            cids = [comm_ids[i] for i in cnear]
            cpos = {k: i for i, k in enumerate(cids)}
            hint = np.array([cpos.get(community_of[i], -1) for i in near], dtype=np.int64)
        found = find_problems(sub, sub_ids, comms, cids, gap_width=gap_width,
                              sliver_area=sliver_area, area_tolerance=area_tolerance,
                              region=area, assign_hint=hint)
        # A gap cut by the window may go on beyond it: look wider until none is.
        edge = shapely.boundary(area)
        if not any(f.kind == "gap" and shapely.intersects(f.geom, edge) for f in found):
            break
        margin = margin * 4 + span
    keep = set(changed_ids)
    mine = shapely.buffer(shapely.union_all(metric.forward(src[changed])), gap_width) \
        if changed else area
    found = [f for f in found if keep.intersection(f.ids) or shapely.intersects(f.geom, mine)]
    return _report(found, metric, len(sub), sub_ids)

