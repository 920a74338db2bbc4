"""Cluster detection: finds the demo street's planted hot spots, not random scatter."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from gridapp.domain.crs import to_metric
from gridapp.errors import Cancelled, ValidationError
from gridapp.progress import CancelToken
from gridapp.services.demo.street import demo_hotspots
from gridapp.services.joint.clustering import (
    ClusterParams,
    ReportPoints,
    auto_min_samples,
    cluster_points,
    find_clusters,
)
from gridapp.services.session import system_session
from gridapp.storage import open_store

EPSG = 4524  # Guiyang's Gauss-Krüger zone


@pytest.fixture(scope="module")
def demo_store(demo_file):
    store = open_store(demo_file, readonly=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def demo_result(demo_store):
    return find_clusters(system_session(demo_store))


def _xy(store, lon, lat):
    x, y = to_metric(np.atleast_1d(lon), np.atleast_1d(lat), store.metric_epsg)
    return np.asarray(x), np.asarray(y)


def test_finds_every_planted_hot_spot(demo_store, demo_result):
    spots = demo_hotspots(demo_store)
    assert spots
    cx, cy = _xy(demo_store, [c.centroid[0] for c in demo_result.clusters],
                 [c.centroid[1] for c in demo_result.clusters])
    rows = demo_store.query("SELECT r.id, r.geom, c.code FROM report r JOIN category c "
                            "ON c.id = r.category_id")
    from gridapp.storage import geometry

    pts = geometry.decode_many([r[1] for r in rows])
    px, py = _xy(demo_store, [p.x for p in pts], [p.y for p in pts])
    rid = np.array([r[0] for r in rows])
    code = np.array([r[2] for r in rows])
    for h in spots:
        hx, hy = _xy(demo_store, h.lon, h.lat)
        d = np.hypot(cx - hx[0], cy - hy[0])
        near = [demo_result.clusters[i] for i in np.flatnonzero(d <= h.radius_m + 50)]
        assert near, f"hot spot {h.kind} not found"
        best = max(near, key=lambda c: c.size)
        # the spot's own reports: its categories, within its radius
        own = set(rid[(np.hypot(px - hx[0], py - hy[0]) <= h.radius_m + 1)
                      & np.isin(code, h.categories)].tolist())
        assert len(own) >= h.count * 0.9
        got = len(own & set(best.report_ids))
        assert got >= 0.75 * h.count, (h.kind, got, h.count)
        assert set(h.categories) <= set(best.categories)
        assert best.hull.geom_type == "Polygon" and best.hull.is_valid
        assert best.hull.buffer(1e-6).contains(
            __import__("shapely").Point(best.centroid)), h.kind
        assert best.grid_ids and best.department_ids
        assert best.first_at <= best.last_at
    # not much else: background noise may form a few small clusters at most
    assert len(demo_result.clusters) <= len(spots) + 5


def _uniform(n: int, seed: int, side: float = 1800.0, days: float = 120.0) -> ReportPoints:
    rng = np.random.default_rng(seed)
    return ReportPoints(
        ids=np.arange(1, n + 1), x=rng.uniform(0, side, n) + 36_500_000,
        y=rng.uniform(0, side, n) + 2_940_000, t=rng.uniform(20_000, 20_000 + days, n),
        closed_t=np.full(n, np.nan), category=np.array(["0101"] * n, dtype=object),
        grid_id=np.full(n, -1), department_id=np.full(n, -1), epsg=EPSG)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_uniform_scatter_gives_no_clusters(seed):
    # 3,000 reports on ~3 km² over 120 days: the demo street's density
    res = cluster_points(_uniform(3000, seed))
    assert res.clusters == []


def test_uniform_scatter_with_a_planted_spot():
    pts = _uniform(3000, 7)
    rng = np.random.default_rng(8)
    k = 60
    pts.x[:k] = 36_500_900 + rng.normal(0, 10, k)
    pts.y[:k] = 2_940_900 + rng.normal(0, 10, k)
    pts.t[:k] = 20_030 + rng.uniform(0, 40, k)
    res = cluster_points(pts)
    assert len(res.clusters) == 1
    assert len(set(res.clusters[0].report_ids) & set(range(1, k + 1))) >= 0.9 * k


def test_auto_min_samples_grows_with_density():
    sparse, dense = _uniform(1000, 1), _uniform(20000, 1)
    p = ClusterParams()
    assert auto_min_samples(sparse.x, sparse.y, sparse.t, p) < \
        auto_min_samples(dense.x, dense.y, dense.t, p)


def test_time_separates_the_same_place():
    # same spot, two bursts 200 days apart: two clusters, not one
    n = 40
    rng = np.random.default_rng(3)
    pts = _uniform(2 * n, 4, side=1.0)
    pts.x[:] = 36_500_000 + rng.normal(0, 8, 2 * n)
    pts.y[:] = 2_940_000 + rng.normal(0, 8, 2 * n)
    pts.t[:n] = 20_000 + rng.uniform(0, 10, n)
    pts.t[n:] = 20_200 + rng.uniform(0, 10, n)
    res = cluster_points(pts, ClusterParams(min_samples=5))
    assert sorted(c.size for c in res.clusters) == [n, n]


@pytest.mark.parametrize("params", [
    ClusterParams(eps_m=0), ClusterParams(eps_m=-5), ClusterParams(eps_m=float("nan")),
    ClusterParams(eps_m=100_000), ClusterParams(window_days=0), ClusterParams(min_samples=1),
    ClusterParams(window_days=10_000)])
def test_parameters_out_of_range(demo_store, params):
    with pytest.raises(ValidationError) as err:
        find_clusters(system_session(demo_store), params=params)
    assert err.value.zh and err.value.en


def test_bad_input_messages():
    with pytest.raises(ValidationError, match="太少"):
        cluster_points(_uniform(2, 1))
    same = _uniform(50, 1)
    same.x[:] = same.x[0]
    same.y[:] = same.y[0]
    with pytest.raises(ValidationError, match="同一位置") as err:
        cluster_points(same)
    assert "same position" in err.value.message_in("en")
    empty = _uniform(0, 1)
    empty.n_without_position = 12
    with pytest.raises(ValidationError, match="没有位置"):
        cluster_points(empty)


def test_period_and_categories(demo_store):
    end = datetime.now(UTC)
    with pytest.raises(ValidationError):
        find_clusters(system_session(demo_store), end, end - timedelta(days=1))
    with pytest.raises(ValidationError, match="未知"):
        find_clusters(system_session(demo_store), categories=["9999"])
    with pytest.raises(ValidationError):  # a period with no reports
        find_clusters(system_session(demo_store), datetime(2001, 1, 1, tzinfo=UTC),
                      datetime(2001, 2, 1, tzinfo=UTC))
    res = find_clusters(system_session(demo_store), categories=["0304"])
    assert res.clusters and all(set(c.categories) == {"0304"} for c in res.clusters)
    assert res.n_reports < 3000


def test_reports_without_position_are_skipped(demo_workspace):
    with demo_workspace.transaction() as tx:
        tx.execute("UPDATE report SET geom = NULL WHERE id <= 5")
    res = find_clusters(system_session(demo_workspace))
    assert res.n_without_position == 5 and res.warnings
    assert not any(set(c.report_ids) & {1, 2, 3, 4, 5} for c in res.clusters)


def test_per_category_parameters(demo_store):
    res = find_clusters(system_session(demo_store),
                        per_category={"03": ClusterParams(eps_m=80, window_days=60)})
    assert any(c.params.eps_m == 80 for c in res.clusters)
    assert len(res.min_samples_used) == 2


def test_progress_and_cancel(demo_store):
    seen = []
    find_clusters(system_session(demo_store), progress=lambda d, t, m="": seen.append((d, t)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        find_clusters(system_session(demo_store), cancel=token)


def test_recurrence_counts_reports_after_a_closed_case():
    from gridapp.services.joint.clustering import _recurrence

    t = np.array([0.0, 5.0, 10.0, 20.0])
    closed = np.array([3.0, np.nan, np.nan, np.nan])
    assert _recurrence(t, closed) == 3
    assert _recurrence(t, np.full(4, np.nan)) == 0
    assert math.isfinite(_recurrence(t[:1], closed[:1]))
