"""The demo street is realistic and internally consistent."""

from __future__ import annotations

from datetime import UTC

import numpy as np
import pytest
import shapely

from gridapp.domain.codes import GridCode, validate_community_code
from gridapp.domain.crs import to_metric
from gridapp.services.demo.street import DEMO_USERS, demo_hotspots
from gridapp.storage import open_store


@pytest.fixture(scope="module")
def demo(demo_file):
    store = open_store(demo_file, readonly=True)
    yield store
    store.close()


def test_sizes_match_the_brief(demo):
    count = lambda t: demo.scalar(f"SELECT count(*) FROM {t}")  # noqa: E731
    assert count("community") == 8
    assert count("grid") == 60
    assert 3500 <= count("building") <= 4500
    assert count("manager") == 40
    assert count("report") == 3000
    hh = np.array([r[0] for r in demo.query("SELECT households FROM grid WHERE kind='basic'")])
    assert 300 <= hh.mean() <= 500


def test_location_is_guiyang(demo):
    street = demo.read_layer("street").geometry.iloc[0]
    c = street.centroid
    assert 106.6 < c.x < 106.8 and 26.5 < c.y < 26.65
    assert demo.metric_epsg == 4524


def test_grids_tile_their_communities_exactly(demo):
    grids = demo.read_layer("grid")
    comms = demo.read_layer("community").set_index("id")
    epsg = demo.metric_epsg
    g_m = grids.to_crs(epsg)
    c_m = comms.to_crs(epsg)
    assert shapely.coverage_is_valid(g_m.geometry.values)
    assert shapely.coverage_is_valid(c_m.geometry.values)
    for cid, group in g_m.groupby("community_id"):
        union = shapely.union_all(group.geometry.values)
        # same area to a square centimetre per grid: no gap, no overlap
        assert union.symmetric_difference(c_m.loc[cid].geometry).area < 1e-2 * len(group)
    street = demo.read_layer("street").to_crs(epsg).geometry.iloc[0]
    assert abs(shapely.union_all(c_m.geometry.values).area - street.area) < 1.0


def test_community_boundaries_are_irregular(demo):
    comms = demo.read_layer("community").to_crs(demo.metric_epsg)
    # unions of Voronoi cells: many more vertices than a simple polygon
    assert min(shapely.get_num_coordinates(comms.geometry.values)) > 15


def test_codes_are_valid_and_numbered_north_to_south(demo):
    comms = demo.read_layer("community")
    for code in comms["code"]:
        validate_community_code(code)
    grids = demo.read_layer("grid").merge(comms[["id", "code"]].rename(
        columns={"id": "community_id", "code": "ccode"}), on="community_id")
    for _, g in grids.iterrows():
        gc = GridCode.parse(g["code"])
        assert gc.community_code == g["ccode"]
    # within each community the first grid lies in the northernmost row
    grids = grids.to_crs(demo.metric_epsg)
    for _, group in grids.groupby("community_id"):
        y = group.geometry.centroid.y
        first = group.loc[group["code"].idxmin()]
        assert first.geometry.centroid.y >= y.max() - 150  # rows are 150 m bands


def test_every_grid_has_a_primary_manager(demo):
    missing = demo.scalar(
        "SELECT count(*) FROM grid g WHERE NOT EXISTS (SELECT 1 FROM grid_assignment a"
        " WHERE a.grid_id = g.id AND a.role = 'primary' AND a.valid_to IS NULL)")
    assert missing == 0
    per_manager = [r[0] for r in demo.query(
        "SELECT count(*) FROM grid_assignment WHERE role='primary' GROUP BY manager_id")]
    assert len(per_manager) == 40 and max(per_manager) <= 4


def test_reports_lie_in_the_grid_they_name(demo):
    reports = demo.read_layer("report")
    grids = demo.read_layer("grid").set_index("id")
    polys = grids.loc[reports["grid_id"]].geometry.values
    inside = shapely.covers(polys, reports.geometry.values)
    assert inside.all()


def test_case_states_and_events_agree(demo):
    statuses = dict(demo.query("SELECT status, count(*) FROM report GROUP BY status"))
    assert statuses["closed"] > 1500
    assert statuses.get("rejected", 0) > 0
    last = demo.query(
        "SELECT r.status, e.to_status FROM report r JOIN case_event e ON e.report_id = r.id"
        " WHERE e.id = (SELECT max(id) FROM case_event WHERE report_id = r.id)")
    assert all(a == b for a, b in last)
    no_events = demo.scalar("SELECT count(*) FROM report r WHERE status != 'reported' AND NOT"
                            " EXISTS (SELECT 1 FROM case_event e WHERE e.report_id = r.id)")
    assert no_events == 0
    # "Now" for the demo is the start of its as-of day (Beijing), stored in the file.
    cutoff = _as_of_cutoff(demo)
    overdue = demo.scalar(
        "SELECT count(*) FROM report WHERE deadline < ? AND status NOT IN ('closed', 'rejected')",
        (cutoff,))
    assert overdue > 0


def _as_of_cutoff(store) -> str:
    from datetime import date, datetime, timedelta, timezone

    as_of = date.fromisoformat(store.setting("demo.spec")["as_of"])
    midnight = datetime.combine(as_of, datetime.min.time(), timezone(timedelta(hours=8)))
    return midnight.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_nothing_happens_on_or_after_the_as_of_day(demo):
    cutoff = _as_of_cutoff(demo)
    assert demo.scalar("SELECT count(*) FROM case_event WHERE at >= ?", (cutoff,)) == 0
    for col in ("reported_at", "registered_at", "dispatched_at", "closed_at"):
        assert demo.scalar(f"SELECT count(*) FROM report WHERE {col} >= ?", (cutoff,)) == 0, col
    # ...and the last day before it is not empty: the street is current as of that date.
    from datetime import datetime, timedelta

    day_before = (datetime.fromisoformat(cutoff.replace("Z", "+00:00")) - timedelta(days=1))
    assert demo.scalar("SELECT count(*) FROM report WHERE reported_at >= ?",
                       (day_before.strftime("%Y-%m-%dT%H:%M:%S.000Z"),)) > 0


def test_hotspots_are_recorded_and_dense(demo):
    spots = demo_hotspots(demo)
    assert len(spots) == 8
    reports = demo.read_layer("report")
    cats = dict(demo.query("SELECT id, code FROM category"))
    codes = reports["category_id"].map(cats)
    x, y = to_metric(reports.geometry.x.values, reports.geometry.y.values, demo.metric_epsg)
    for spot in spots:
        sx, sy = to_metric(spot.lon, spot.lat, demo.metric_epsg)
        near = np.hypot(x - sx, y - sy) <= spot.radius_m + 5
        planted = near & codes.isin(spot.categories).values
        # nearly all planted reports are found where the record says
        assert planted.sum() >= 0.9 * spot.count, spot
    centres = np.array([to_metric(s.lon, s.lat, demo.metric_epsg) for s in spots])
    d = np.hypot(*(centres[:, None, :] - centres[None, :, :]).transpose(2, 0, 1))
    assert d[np.triu_indices(len(spots), 1)].min() >= 400


def test_demo_users_cover_every_role(demo):
    roles = {r[0] for r in demo.query(
        "SELECT r.name FROM app_user u JOIN app_role r ON r.id = u.role_id")}
    assert roles == {r.value for _, _, r, _ in DEMO_USERS}


def test_same_seed_gives_the_same_street(demo, tmp_path):
    from gridapp.services.demo.street import DemoSpec, write_demo

    other = tmp_path / "again.gpkg"
    spec = dict(demo.setting("demo.spec"))
    from datetime import date

    write_demo(other, DemoSpec(as_of=date.fromisoformat(spec["as_of"]), hash_rounds=2**10))
    with open_store(other, readonly=True) as again:
        a = demo.read_layer("grid").sort_values("code")
        b = again.read_layer("grid").sort_values("code")
        assert list(a["code"]) == list(b["code"])
        assert shapely.equals_exact(a.geometry.values, b.geometry.values, 0).all()
        ra = demo.read_layer("report", columns=["case_no", "category_id"]).sort_values("case_no")
        rb = again.read_layer("report", columns=["case_no", "category_id"]).sort_values("case_no")
        assert list(ra["category_id"]) == list(rb["category_id"])


def _events_and_cases(path):
    with open_store(path, readonly=True) as store:
        cases = store.query("SELECT case_no, status, reported_at, deadline, closed_at FROM report"
                            " ORDER BY case_no")
        events = store.query("SELECT report_id, action, to_status, at FROM case_event ORDER BY id")
        return [tuple(r) for r in cases], [tuple(r) for r in events]


def test_same_as_of_gives_the_same_cases_at_any_hour_and_day(tmp_path):
    """Generated at 00:10, at 23:50 and a year later: the same as-of date, the same cases."""
    from datetime import date

    from gridapp.domain.timeutil import FixedClock, use_clock
    from gridapp.services.demo.street import DemoSpec, write_demo

    spec = DemoSpec(grids=12, reports=240, as_of=date(2026, 12, 31), hash_rounds=2**8)
    runs = []
    for i, at in enumerate(("2026-12-31T00:10:00+08:00", "2026-12-31T23:50:00+08:00",
                            "2028-02-29T08:00:00+08:00")):
        with use_clock(FixedClock(at)):
            write_demo(tmp_path / f"d{i}.gpkg", spec)
        runs.append(_events_and_cases(tmp_path / f"d{i}.gpkg"))
    assert len(runs[0][0]) == 240 and len(runs[0][1]) > 240
    assert runs[0] == runs[1] == runs[2]
    # every case happened before 2026-12-31 00:00 Beijing (2026-12-30 16:00 UTC)
    assert max(r[2] for r in runs[0][0]) < "2026-12-30T16:00:00"
    assert max(e[3] for e in runs[0][1]) < "2026-12-30T16:00:00"


def test_default_as_of_is_today_by_the_clock_in_beijing(tmp_path):
    """At 00:30 Beijing on 1 January it is already the new year (UTC still says 31 December)."""
    from gridapp.domain.timeutil import FixedClock, use_clock
    from gridapp.services.demo.street import DemoSpec, write_demo

    with use_clock(FixedClock("2026-12-31T16:30:00Z")):
        write_demo(tmp_path / "d.gpkg", DemoSpec(grids=8, reports=60, hash_rounds=2**8))
    with open_store(tmp_path / "d.gpkg", readonly=True) as store:
        assert store.setting("demo.spec")["as_of"] == "2027-01-01"


def test_phone_numbers_do_not_depend_on_the_process_hash_seed():
    """The same seed gives the same numbers in every process (they were shuffled from
    a set of str, whose order follows PYTHONHASHSEED)."""
    import os
    import subprocess
    import sys

    code = ("import numpy as np; from gridapp.services.demo import people; "
            "print(people.mobile_numbers(np.random.default_rng(5), 50))")
    out = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=dict(os.environ, PYTHONHASHSEED=seed)).stdout
           for seed in ("1", "2", "3")]
    assert out[0] == out[1] == out[2] and out[0].count("'1") == 50
