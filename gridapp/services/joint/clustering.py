"""Clusters of reports close in space and time (DESIGN §3, issue 7).

Reports of a period and of chosen categories are projected to the
workspace's CGCS2000 Gauss-Krüger zone and clustered with scikit-learn's
DBSCAN.

Why a scaled time axis, not "space first, then split by time gaps"
-------------------------------------------------------------------
Each report becomes a point ``(x, y, t · eps / window)`` in metres, so a time
difference of ``window`` days weighs as much as ``eps`` metres and the one
Euclidean ball of DBSCAN asks "close in space *and* in time" at once (as
ST-DBSCAN does).  Clustering in space alone first does not work on a real
street: over a few months the background reports of a busy neighbourhood
are themselves within 50 m of each other everywhere, so space-only DBSCAN
chains whole blocks together before any time split can help, and the time
split then has to undo that with gaps that never occur.  The scaled axis
keeps one k-d tree query per point, which is what makes a million reports
cost little more than DBSCAN alone.  The price: the neighbourhood is a
ball, so two reports 50 m apart count only if filed at about the same time,
and two at the same place only within ``window`` days; both are what a
dispatcher means by "the same problem again".

Noise versus hot spots
----------------------
A fixed ``min_samples`` finds "clusters" in any dense enough random
scatter.  By default (``min_samples=None``) it is chosen per run from the
data: the background rate λ (reports per m² per day over the area that has
reports at all, in cells of ``4·eps``) gives the expected number of
neighbours μ = λ · (4/3)π·eps²·window under pure chance, and ``min_samples``
is the smallest k with a Poisson tail P(N ≥ k) below ``1 / n`` — a core point
is then unlikely anywhere in a uniform scatter of the same density, while a
planted hot spot has many times μ.  A floor (``min_samples_floor``, default 5)
keeps tiny data sets honest.  Passing ``min_samples`` fixes it.

Parameters per category: ``per_category={"0304": ClusterParams(eps_m=80,
window_days=90)}`` (a two-digit class code applies to its sub-categories).
Categories with the same parameters are clustered together, so a cluster
may mix related categories (stalls, noise and litter of one evening market).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import shapely

from gridapp.domain.crs import to_metric, to_storage
from gridapp.domain.timeutil import now_utc, to_iso
from gridapp.errors import ValidationError
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.session import Session
from gridapp.storage.queries import tasks as task_rows

EPS_RANGE = (5.0, 2000.0)
WINDOW_RANGE = (0.5, 3650.0)
MIN_SAMPLES_RANGE = (3, 100_000)
HULL_BUFFER_M = 5.0
_JD_EPOCH = 2440587.5  # julian day of 1970-01-01


@dataclass(frozen=True)
class ClusterParams:
    """Space and time parameters of one clustering group.

    Attributes
    ----------
    eps_m : float
        Neighbourhood radius in metres (default 50).
    window_days : float
        The time difference that counts as much as ``eps_m`` (default 30).
    min_samples : int or None
        DBSCAN's core-point count including the point itself; None chooses
        it from the background density (see module docstring).
    min_samples_floor : int
        Lower bound for the automatic choice.
    """

    eps_m: float = 50.0
    window_days: float = 30.0
    min_samples: int | None = None
    min_samples_floor: int = 5

    def check(self) -> ClusterParams:
        def bad(zh: str, en: str, **p: Any) -> ValidationError:
            return ValidationError(zh, en, **p)

        if not (isinstance(self.eps_m, int | float) and math.isfinite(self.eps_m)
                and EPS_RANGE[0] <= self.eps_m <= EPS_RANGE[1]):
            raise bad("空间距离必须在 {lo:g}–{hi:g} 米之间（现为 {value}）",
                      "The distance must be between {lo:g} and {hi:g} m (got {value})",
                      lo=EPS_RANGE[0], hi=EPS_RANGE[1], value=self.eps_m)
        if not (isinstance(self.window_days, int | float) and math.isfinite(self.window_days)
                and WINDOW_RANGE[0] <= self.window_days <= WINDOW_RANGE[1]):
            raise bad("时间窗必须在 {lo:g}–{hi:g} 天之间（现为 {value}）",
                      "The time window must be between {lo:g} and {hi:g} days (got {value})",
                      lo=WINDOW_RANGE[0], hi=WINDOW_RANGE[1], value=self.window_days)
        for name, v in (("min_samples", self.min_samples),
                        ("min_samples_floor", self.min_samples_floor)):
            if v is None and name == "min_samples":
                continue
            if not isinstance(v, int) or not MIN_SAMPLES_RANGE[0] <= v <= MIN_SAMPLES_RANGE[1]:
                raise bad("最少事件数必须是 {lo}–{hi} 之间的整数（现为 {value}）",
                          "The minimum number of reports must be a whole number between "
                          "{lo} and {hi} (got {value})", lo=MIN_SAMPLES_RANGE[0],
                          hi=MIN_SAMPLES_RANGE[1], value=v, parameter=name)
        return self


@dataclass
class Cluster:
    """One cluster of reports; geometry in EPSG:4490.

    ``categories`` maps category codes to counts; ``recurrence`` counts member
    reports filed after an earlier member case (at the same place: the
    cluster) had been closed.
    """

    key: int
    report_ids: list[int]
    hull: Any  # shapely Polygon, EPSG:4490, buffered by HULL_BUFFER_M
    centroid: tuple[float, float]  # lon, lat
    categories: dict[str, int]
    grid_ids: list[int]
    department_ids: list[int]
    recurrence: int
    first_at: datetime
    last_at: datetime
    params: ClusterParams
    area_m2: float = 0.0

    @property
    def size(self) -> int:
        return len(self.report_ids)


@dataclass
class ClusterResult:
    clusters: list[Cluster]
    n_reports: int
    n_without_position: int
    min_samples_used: dict[str, int] = field(default_factory=dict)
    epsg: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class ReportPoints:
    """Reports as arrays (what is clustered); ``t`` in days since 1970 (UTC)."""

    ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    closed_t: np.ndarray  # NaN when not closed
    category: np.ndarray  # codes (object)
    grid_id: np.ndarray  # -1 when none
    department_id: np.ndarray  # -1 when none
    epsg: int
    n_without_position: int = 0


# -- loading ----------------------------------------------------------------
# Reports are read in windows of filing time of about this many rows: a
# million rows read at once as Python tuples took the process to 768 MB before
# any clustering (issue 22's goal for the whole detection is 0.8 GB).
_WINDOW_ROWS = 100_000
_FIRST_WINDOW = timedelta(days=7)
_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)


def _windows(store: Any, start: datetime | None, end: datetime | None, codes: list[str],
             cancel: CancelToken) -> Iterator[list[Any]]:
    """Rows of ``[start, end)`` in windows that partition it, newest first.

    From the clock's now (kept inside the period) back to *start* (or 1900),
    each window sized from the last one's rows, then what lies beyond both
    ends (reports filed in the future, or before 1900)."""
    top = now_utc()
    if end is not None:
        top = min(top, end)
    if start is not None:
        top = max(top, start)
    if end is None or top < end:
        yield task_rows.report_points(store, to_iso(top), to_iso(end), codes)
    floor = start if start is not None else _EARLIEST
    size, hi = _FIRST_WINDOW, top
    while hi > floor:
        cancel.check()
        lo = max(hi - size, floor)
        rows = task_rows.report_points(store, to_iso(lo), to_iso(hi), codes)
        n = len(rows)
        yield rows
        del rows  # before the next window is read
        size = size * (4.0 if not n else min(4.0, max(0.25, _WINDOW_ROWS / n)))
        hi = lo
    if start is None:
        yield task_rows.report_points(store, None, to_iso(_EARLIEST), codes)


def _columns(rows: list[Any], interned: dict[str, str]) -> tuple[np.ndarray, ...]:
    """One window's rows as arrays (ids, lon, lat, t, closed, category, grid, department)."""
    n = len(rows)
    cols: list[Any] = list(zip(*rows, strict=True)) if n else [()] * 7
    lon, lat = task_rows.decode_points(list(cols[1]))
    ids = np.array(cols[0], dtype=np.int64)
    # NumPy reads None as NaN in a float array.
    t = np.array(cols[2], dtype=float) - _JD_EPOCH
    closed = np.array(cols[3], dtype=float) - _JD_EPOCH
    # One string object per code, not per row: the codes outlive the rows.
    cat = np.empty(n, dtype=object)
    cat[:] = [interned.setdefault(c or "", c or "") for c in cols[4]]
    grid, dept = (np.nan_to_num(np.array(c, dtype=float), nan=-1).astype(np.int64)
                  for c in (cols[5], cols[6]))
    return ids, lon, lat, t, closed, cat, grid, dept


def load_report_points(session: Session, start: datetime | None = None,
                       end: datetime | None = None, categories: Sequence[str] | None = None,
                       *, cancel: CancelToken = NEVER_CANCELLED) -> ReportPoints:
    """Reports filed in ``[start, end)`` of *categories* (codes, a class code takes its
    sub-categories), projected to the workspace's metric CRS.

    Needs ``cluster.find`` (:class:`~gridapp.errors.PermissionDenied` otherwise).
    """
    session.require("cluster.find")
    store = session.store
    codes: list[str] = []
    if start is not None and end is not None and end <= start:
        raise ValidationError("时段的结束时间必须晚于开始时间", "The period must end after it starts",
                              start=to_iso(start), end=to_iso(end))
    if categories:
        codes = [str(c).strip() for c in categories if str(c).strip()]
        known = task_rows.category_codes(store)
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValidationError("未知的事件分类：{codes}", "Unknown categories: {codes}",
                                  codes="、".join(unknown))
    interned: dict[str, str] = {}
    parts = [_columns(rows, interned) for rows in _windows(store, start, end, codes, cancel)]
    ids, lon, lat, t, closed, cat, grid, dept = (np.concatenate(c) for c in zip(*parts, strict=True))
    del parts
    order = np.argsort(ids, kind="stable")  # the order of one query by id
    ids, lon, lat, t, closed, cat, grid, dept = (a[order] for a in (ids, lon, lat, t, closed, cat,
                                                                    grid, dept))
    ok = np.isfinite(lon) & np.isfinite(lat) & np.isfinite(t)
    epsg = store.metric_epsg
    x, y = to_metric(lon[ok], lat[ok], epsg) if ok.any() else (np.empty(0), np.empty(0))
    return ReportPoints(ids[ok], np.asarray(x), np.asarray(y), t[ok], closed[ok], cat[ok],
                        grid[ok], dept[ok], epsg, int((~ok).sum()))


# -- the numeric core ---------------------------------------------------------
def auto_min_samples(x: np.ndarray, y: np.ndarray, t: np.ndarray, params: ClusterParams) -> int:
    """``min_samples`` for which a core point is unlikely in a uniform scatter.

    Background rate over occupied cells of ``4·eps`` and the data's time
    span; the Poisson tail is taken at ``1/n`` (see module docstring).
    """
    from scipy.stats import poisson

    n = len(x)
    if n == 0:
        return params.min_samples_floor
    cell = 4 * params.eps_m
    kx = np.floor((x - x.min()) / cell).astype(np.int64)
    ky = np.floor((y - y.min()) / cell).astype(np.int64)
    keys = len(np.unique(kx * (int(ky.max()) + 1) + ky))
    area = keys * cell * cell
    span = max(float(t.max() - t.min()), params.window_days)
    lam = n / (area * span)
    mu = lam * (4.0 / 3.0) * math.pi * params.eps_m ** 2 * params.window_days
    # P(N >= k-1 neighbours) < 1/n, counting the point itself in k.
    k = int(poisson.isf(1.0 / max(n, 2), mu)) + 2
    return int(min(max(k, params.min_samples_floor), MIN_SAMPLES_RANGE[1]))


def scaled_coordinates(x: np.ndarray, y: np.ndarray, t: np.ndarray,
                       params: ClusterParams) -> np.ndarray:
    """``(x, y, t·eps/window)`` relative to the first point, float64 (n, 3)."""
    if len(x) == 0:
        return np.empty((0, 3))
    scale = params.eps_m / params.window_days
    return np.column_stack([x - x.min(), y - y.min(), (t - t.min()) * scale])


def dbscan_labels(x: np.ndarray, y: np.ndarray, t: np.ndarray,
                  params: ClusterParams) -> tuple[np.ndarray, int]:
    """DBSCAN labels (-1 = noise) and the ``min_samples`` used."""
    k = params.min_samples or auto_min_samples(x, y, t, params)
    if len(x) < k:
        return np.full(len(x), -1, dtype=np.int64), k
    pts = scaled_coordinates(x, y, t, params)
    return dbscan(pts, params.eps_m, k), k


# Upper bound on the core-point pairs held at once while joining core points
# (each pair costs 24 bytes in scipy's record array).
_PAIRS_PER_CHUNK = 4_000_000
_LEAF = 64  # k-d tree leaf size: 16 (scipy's default) counted 3-5x slower here
_BALL_PER_CELL = 22  # (4/3)π eps³ / (eps/√3)³ ≈ 21.8


def dbscan(X: np.ndarray, eps: float, min_samples: int) -> np.ndarray:
    """DBSCAN labels of the rows of *X* (-1 = noise), numbered as scikit-learn does.

    The same clusters as ``sklearn.cluster.DBSCAN(eps, min_samples)``
    (neighbourhoods ``distance <= eps``, the point itself counted): a point
    with at least *min_samples* neighbours is a core point, core points within
    *eps* of each other share a cluster, clusters are numbered in the order of
    their lowest-index point.  A border point (not core, within *eps* of a core
    point) joins the cluster of its nearest core point; scikit-learn gives it
    to whichever cluster reached it first, so the two differ only for border
    points within reach of two clusters.

    Why not scikit-learn's: its ``radius_neighbors`` keeps every point's
    neighbour list at once (1.4 GB for a million reports).  Here a k-d tree
    only *counts* neighbours, and the core points are joined chunk by chunk
    (at most ``_PAIRS_PER_CHUNK`` pairs held), their components kept as a
    forest between chunks.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    n = len(X)
    labels = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return labels
    tree = cKDTree(X, leafsize=_LEAF, balanced_tree=False, compact_nodes=False)
    # Cells of side eps/sqrt(3) have a diameter below eps: a point in a cell
    # holding min_samples points is a core point without a count (most points
    # of a hot spot, where counting costs most).
    cell = np.floor(X / (eps / math.sqrt(3.0) * (1 - 1e-9))).astype(np.int64)
    cell -= cell.min(axis=0)
    span = cell.max(axis=0) + 1
    _, where, size = np.unique((cell[:, 0] * span[1] + cell[:, 1]) * span[2] + cell[:, 2],
                               return_inverse=True, return_counts=True)
    del cell
    counts = size[where.ravel()]
    sparse = np.flatnonzero(counts < min_samples)
    # Pairs a point can give, to size the chunks below: its count, or for a
    # point counted by its cell the cell's count times ball / cell volume.
    pairs_bound = counts * _BALL_PER_CELL
    counts[sparse] = pairs_bound[sparse] = tree.query_ball_point(X[sparse], eps,
                                                                 return_length=True)
    del tree, where, sparse
    core = np.flatnonzero(counts >= min_samples)
    m = len(core)
    if m == 0:
        return labels
    xc = X[core]
    ctree = cKDTree(xc, leafsize=_LEAF, balanced_tree=False, compact_nodes=False)
    # Chunks of core points in x order (spatially compact), sized by their
    # neighbour counts, which bound the pairs each chunk can give.
    order = np.argsort(xc[:, 0], kind="stable")
    bound = np.cumsum(pairs_bound[core][order])
    del pairs_bound
    cuts = np.searchsorted(bound, np.arange(_PAIRS_PER_CHUNK, bound[-1], _PAIRS_PER_CHUNK))
    root = np.arange(m)  # a forest: each core point's component representative
    nodes = np.arange(m)
    held: list[tuple[np.ndarray, np.ndarray]] = []
    n_held = 0

    def join() -> np.ndarray:
        i = np.concatenate([nodes, *(a for a, _ in held)])
        j = np.concatenate([root, *(b for _, b in held)])
        held.clear()
        graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(m, m))
        _, comp = connected_components(graph, directed=False)
        first = np.full(comp.max() + 1, m, dtype=np.int64)
        np.minimum.at(first, comp, nodes)
        return first[comp]

    for chunk in np.split(order, np.unique(cuts)):
        if len(chunk) == 0:
            continue
        pairs = cKDTree(xc[chunk], leafsize=_LEAF).sparse_distance_matrix(
            ctree, eps, output_type="ndarray")
        i, j = chunk[pairs["i"]], pairs["j"]
        del pairs
        keep = i < j
        held.append((i[keep].astype(np.int32), j[keep].astype(np.int32)))
        n_held += len(held[-1][0])
        del i, j, keep
        # The components are worked out when a chunk's worth of pairs is held
        # (each pass walks all core points).
        if n_held >= _PAIRS_PER_CHUNK:
            root, n_held = join(), 0
    if held:
        root = join()
    # Components numbered by their lowest core point; core order is index order.
    _, lab = np.unique(root, return_inverse=True)
    labels[core] = lab
    rest = np.flatnonzero(counts < min_samples)
    if len(rest):
        d, nearest = ctree.query(X[rest], k=1, distance_upper_bound=np.nextafter(eps, np.inf))
        hit = np.isfinite(d)
        labels[rest[hit]] = lab[nearest[hit]]
    return labels


# -- the service ---------------------------------------------------------------
def class_code(code: str) -> str:
    """The class of a category code: ``"0401"`` → ``"04"``, ``"B0101"`` → ``"B01"``."""
    return code[:3] if code.startswith("B") else code[:2]


def _params_for(code: str, default: ClusterParams,
                per_category: Mapping[str, ClusterParams]) -> ClusterParams:
    return per_category.get(code) or per_category.get(class_code(code)) or default


def _duty_departments(store: Any) -> dict[str, list[int]]:
    """Category code → departments on the duty list (own lines, else the parent's)."""
    out: dict[str, list[int]] = {}
    for code, dep in task_rows.duty_departments(store):
        out.setdefault(code, [])
        if dep not in out[code]:
            out[code].append(dep)
    for code, dep in task_rows.category_departments(store):
        if code not in out:
            parent = out.get(code[:2])
            out[code] = list(parent) if parent else ([dep] if dep is not None else [])
    return out


def _recurrence(t: np.ndarray, closed: np.ndarray) -> int:
    """Members filed after an earlier-filed member case had been closed."""
    order = np.argsort(t, kind="stable")
    tt, cc = t[order], closed[order]
    cc = np.where(np.isfinite(cc), cc, np.inf)
    earlier_min_closed = np.minimum.accumulate(np.concatenate([[np.inf], cc[:-1]]))
    return int((tt > earlier_min_closed).sum())


def _hull(x: np.ndarray, y: np.ndarray) -> Any:
    pts = shapely.multipoints(np.column_stack([x, y]))
    hull = shapely.concave_hull(pts, ratio=0.5) if len(x) >= 4 else shapely.convex_hull(pts)
    poly = shapely.buffer(hull, HULL_BUFFER_M, quad_segs=4)
    if poly.geom_type != "Polygon":  # concave hull pieces: keep one polygon
        poly = shapely.buffer(shapely.convex_hull(pts), HULL_BUFFER_M, quad_segs=4)
    return poly


def _to_storage_polygon(poly: Any, epsg: int) -> Any:
    return shapely.transform(poly, lambda c: np.column_stack(to_storage(c[:, 0], c[:, 1], epsg)))


def _jd_dt(days: float) -> datetime:
    from datetime import UTC

    return datetime.fromtimestamp(float(days) * 86400.0, UTC)


def check_input(pts: ReportPoints, min_needed: int) -> None:
    """Refuse input that cannot give meaningful clusters, with a clear message."""
    if len(pts.ids) == 0:
        if pts.n_without_position:
            raise ValidationError(
                "所选事件都没有位置（{n} 件），无法聚类", "None of the selected reports has a "
                "position ({n} reports); nothing to cluster", n=pts.n_without_position)
        raise ValidationError("所选时段和分类中没有事件", "No reports in the chosen period and "
                              "categories")
    if len(pts.ids) < min_needed:
        raise ValidationError(
            "事件太少（{n} 件，至少需要 {k} 件）才能聚类", "Too few reports to cluster ({n}; at "
            "least {k} are needed)", n=len(pts.ids), k=min_needed)
    if np.ptp(pts.x) < 1e-3 and np.ptp(pts.y) < 1e-3:
        raise ValidationError(
            "所有事件都在同一位置，无法按空间聚类（请检查坐标是否被统一填成了默认值）",
            "All reports are at the same position; they cannot be clustered in space "
            "(check whether their coordinates were filled with a default)", n=len(pts.ids))


def cluster_points(pts: ReportPoints, params: ClusterParams = ClusterParams(), *,
                   per_category: Mapping[str, ClusterParams] | None = None,
                   duty: Mapping[str, list[int]] | None = None,
                   progress: Progress = no_progress,
                   cancel: CancelToken = NEVER_CANCELLED) -> ClusterResult:
    """Cluster already loaded points (the in-memory half of :func:`find_clusters`)."""
    params.check()
    per_category = {k: p.check() for k, p in (per_category or {}).items()}
    check_input(pts, max(3, params.min_samples or 3))
    duty = duty or {}
    groups: dict[ClusterParams, list[str]] = {}
    if per_category:
        import pandas as pd

        for code in pd.unique(pts.category):
            groups.setdefault(_params_for(str(code), params, per_category), []).append(str(code))
    else:  # one group: no need to look at the codes
        groups[params] = ["*"]
    result = ClusterResult([], len(pts.ids), pts.n_without_position, epsg=pts.epsg)
    total = len(groups) + 1
    key = 0
    for gi, (gp, gcodes) in enumerate(groups.items()):
        cancel.check()
        progress(gi, total, "聚类分析")
        sel = np.flatnonzero(np.isin(pts.category, gcodes)) if len(groups) > 1 \
            else np.arange(len(pts.ids))
        if len(sel) == 0:
            continue
        labels, k = dbscan_labels(pts.x[sel], pts.y[sel], pts.t[sel], gp)
        result.min_samples_used["、".join(gcodes) if len(groups) > 1 else "*"] = k
        cancel.check()
        member = labels >= 0
        if not member.any():
            continue
        idx, lab = sel[member], labels[member]
        order = np.argsort(lab, kind="stable")
        idx, lab = idx[order], lab[order]
        bounds = np.flatnonzero(np.diff(lab)) + 1
        for part in np.split(idx, bounds):
            c = _describe(pts, part, gp, duty, key)
            if c is not None:
                result.clusters.append(c)
                key += 1
            if key % 200 == 0:
                cancel.check()
    progress(total, total, "")
    return result


def _describe(pts: ReportPoints, part: np.ndarray, gp: ClusterParams,
              duty: Mapping[str, list[int]], key: int) -> Cluster | None:
    x, y = pts.x[part], pts.y[part]
    if len(part) < 2 or (np.ptp(x) < 1e-3 and np.ptp(y) < 1e-3 and len(part) < 3):
        return None  # degenerate: never propose a task over one spot and one report
    poly_m = _hull(x, y)
    if poly_m.is_empty or poly_m.area <= 0:
        return None
    cats, counts = np.unique(pts.category[part], return_counts=True)
    categories = {str(c): int(n) for c, n in sorted(zip(cats, counts, strict=True), key=lambda p: -p[1])}
    # Departments of the categories that make the cluster (not of a stray report).
    main = [c for c, n in categories.items() if n >= max(2, 0.1 * len(part))] or \
        list(categories)[:1]
    depts: list[int] = []
    for c in main:
        for d in duty.get(c, []):
            if d not in depts:
                depts.append(d)
    handled, n_handled = np.unique(pts.department_id[part], return_counts=True)
    for d, nd in zip(handled, n_handled, strict=True):
        if d >= 0 and int(d) not in depts and nd >= max(2, 0.1 * len(part)):
            depts.append(int(d))
    grids = sorted(int(g) for g in np.unique(pts.grid_id[part]) if g >= 0)
    cx, cy = float(x.mean()), float(y.mean())
    lon, lat = to_storage(np.array([cx]), np.array([cy]), pts.epsg)
    t = pts.t[part]
    return Cluster(
        key=key, report_ids=[int(i) for i in np.sort(pts.ids[part])],
        hull=_to_storage_polygon(poly_m, pts.epsg), centroid=(float(lon[0]), float(lat[0])),
        categories=categories, grid_ids=grids, department_ids=depts,
        recurrence=_recurrence(t, pts.closed_t[part]), first_at=_jd_dt(t.min()),
        last_at=_jd_dt(t.max()), params=gp, area_m2=float(poly_m.area))


def default_params(session: Session) -> ClusterParams:
    """The workspace's clustering parameters (setting ``cluster.params``, else the defaults)."""
    session.require("cluster.find")
    return ClusterParams(**(session.store.setting("cluster.params") or {}))


def find_clusters(session: Session, start: datetime | None = None,
                  end: datetime | None = None, categories: Sequence[str] | None = None,
                  params: ClusterParams | None = None, *,
                  per_category: Mapping[str, ClusterParams] | None = None,
                  progress: Progress = no_progress,
                  cancel: CancelToken = NEVER_CANCELLED) -> ClusterResult:
    """Find clusters among the reports of a period and categories.

    Parameters
    ----------
    start, end : datetime, optional
        Period ``[start, end)`` by filing time (aware datetimes).
    categories : sequence of str, optional
        Category codes (``"0401"``) or class codes (``"04"``); all when None.
    params : ClusterParams, optional
        Default 50 m / 30 days / automatic ``min_samples``; the workspace
        setting ``cluster.params`` (``{"eps_m": .., "window_days": ..}``)
        overrides the default when *params* is None.
    per_category : mapping, optional
        Parameters by category or class code; default from the setting
        ``cluster.per_category``.

    Raises
    ------
    ValidationError
        Parameters out of range, too few reports, all reports at one place,
        no report with a position.
    Cancelled
        The cancel token was set.

    Examples
    --------
    >>> res = find_clusters(session, start, end, ["04"])     # doctest: +SKIP
    >>> [(c.size, c.categories) for c in res.clusters]       # doctest: +SKIP
    """
    session.require("cluster.find")
    store = session.store
    if params is None:
        params = ClusterParams(**(store.setting("cluster.params") or {}))
    params.check()
    if per_category is None:
        per_category = {k: replace(params, **v) for k, v in
                        (store.setting("cluster.per_category") or {}).items()}
    progress(0, 4, "读取事件")
    pts = load_report_points(session, start, end, categories, cancel=cancel)
    cancel.check()
    duty = _duty_departments(store)

    def sub(done: int, total: int, message: str = "") -> None:
        progress(1 + int(3 * done / max(total, 1)), 4, message)

    result = cluster_points(pts, params, per_category=per_category, duty=duty, progress=sub,
                            cancel=cancel)
    if pts.n_without_position:
        result.warnings.append(f"{pts.n_without_position} 件事件没有位置，未参与聚类")
    progress(4, 4, "")
    return result


# -- parameters per category, edited in the window (issue 21) -------------------
PER_CATEGORY_KEY = "cluster.per_category"


def category_params(session: Session) -> dict[str, ClusterParams]:
    """Parameters set for a category or class code (setting ``cluster.per_category``)."""
    session.require("workspace.read")
    base = ClusterParams(**(session.store.setting("cluster.params") or {}))
    return {code: replace(base, **v)
            for code, v in (session.store.setting(PER_CATEGORY_KEY) or {}).items()}


def set_category_params(session: Session, code: str,
                        params: ClusterParams | None) -> ClusterParams | None:
    """Set (or with None remove) the clustering parameters of one category or class
    code, checked and audited; returns what was set before (None: the default)."""
    session.require("category.edit")
    code = str(code).strip()
    if code not in task_rows.category_codes(session.store):
        raise ValidationError("未知的事件分类：{codes}", "Unknown categories: {codes}", codes=code)
    before = category_params(session).get(code)
    current = dict(session.store.setting(PER_CATEGORY_KEY) or {})
    if params is None:
        current.pop(code, None)
    else:
        params.check()
        current[code] = {"eps_m": params.eps_m, "window_days": params.window_days,
                         "min_samples": params.min_samples}
    with session.transaction() as tx:
        tx.set_setting(PER_CATEGORY_KEY, current)
    return before
