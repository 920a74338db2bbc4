"""Bulk loads: the packed R-tree is a valid SQLite R-tree and queries agree."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest
import shapely

from gridapp.storage import bulk, rtree_pack


@pytest.mark.parametrize("n", [1, 51, 52, 2601, 20000])
def test_packed_rtree_passes_rtreecheck_and_answers_queries(n):
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE rt USING rtree(id, minx, maxx, miny, maxy)")
    rng = np.random.default_rng(n)
    x, y = rng.uniform(106, 107, n), rng.uniform(26, 27, n)
    w = rng.uniform(0, 0.01, n)
    ids = np.arange(1, n + 1)
    rtree_pack.load_empty(con, "rt", ids, x, x + w, y, y + w)
    assert con.execute("SELECT rtreecheck('rt')").fetchone()[0] == "ok"
    for qx, qy in rng.uniform((106, 26), (107, 27), size=(20, 2)):
        got = {r[0] for r in con.execute(
            "SELECT id FROM rt WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?",
            (qx, qx + 0.05, qy, qy + 0.05))}
        want = set(ids[(x + w >= qx) & (x <= qx + 0.05) & (y + w >= qy) & (y <= qy + 0.05)])
        assert got == want
    # the tree keeps working under SQLite's own inserts and deletes
    con.execute("INSERT INTO rt VALUES (?, 0, 1, 0, 1)", (n + 1,))
    con.execute("DELETE FROM rt WHERE id = 1")
    assert con.execute("SELECT rtreecheck('rt')").fetchone()[0] == "ok"


def test_float32_bounds_contain_the_exact_ones():
    lo, hi = rtree_pack._round_out(np.array([106.123456789]), np.array([106.123456789]))
    assert float(lo[0]) <= 106.123456789 <= float(hi[0])


def test_load_frame_round_trips_with_index_and_audit(empty_workspace):
    rng = np.random.default_rng(3)
    n = 12000
    frame = pd.DataFrame({
        "name": [f"场所{i}" for i in range(n)],
        "kind": rng.choice(["门店", "企业"], n),
    })
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(frame, geometry=shapely.points(rng.uniform(106.7, 106.72, n),
                                                          rng.uniform(26.56, 26.58, n)), crs=4490)
    first, count = bulk.load_frame(empty_workspace, "place", gdf, actor="loader", summary="test")
    assert count == n
    back = empty_workspace.read_layer("place").sort_values("id")
    assert list(back["name"][:3]) == ["场所0", "场所1", "场所2"]
    assert shapely.equals_exact(back.geometry.values, gdf.geometry.values, 1e-12).all()
    assert empty_workspace.scalar("SELECT rtreecheck('rtree_place_geom')") == "ok"
    assert empty_workspace.scalar("SELECT count(*) FROM rtree_place_geom") == n
    entry = empty_workspace.query(
        "SELECT actor, action, changes FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    assert entry["actor"] == "loader" and entry["action"] == "bulk_insert"
    assert f'"rows": {n}' in entry["changes"]
    # a later row-level insert goes through the triggers into the same index
    with empty_workspace.transaction() as tx:
        pid = tx.insert("place", {"name": "新", "geom": shapely.Point(106.75, 26.6)})
    assert empty_workspace.scalar("SELECT minx FROM rtree_place_geom WHERE id = ?",
                                  (pid,)) == pytest.approx(106.75, abs=1e-4)
    assert empty_workspace.scalar("SELECT rtreecheck('rtree_place_geom')") == "ok"
    extent = empty_workspace.query(
        "SELECT min_x, max_x FROM gpkg_contents WHERE table_name = 'place'")[0]
    assert extent[0] == pytest.approx(106.7, abs=1e-3) and extent[1] == pytest.approx(106.75, abs=1e-3)


def test_failed_load_frame_changes_nothing(empty_workspace):
    import geopandas as gpd

    gdf = gpd.GeoDataFrame({"case_no": ["A1", "A2"], "reported_at": ["2026-01-01T00:00:00.000Z"] * 2,
                            "category_id": [3, 99999]},  # 99999: no such category
                           geometry=shapely.points([106.7, 106.71], [26.57, 26.58]), crs=4490)
    before = empty_workspace.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        bulk.load_frame(empty_workspace, "report", gdf, actor="loader")
    assert empty_workspace.scalar("SELECT count(*) FROM report") == 0
    assert empty_workspace.scalar("SELECT count(*) FROM audit_log") == before
    assert empty_workspace.scalar("SELECT count(*) FROM sqlite_master WHERE type='trigger'"
                                  " AND name LIKE 'rtree_report_geom_%'") == 7
    assert [r[1] for r in empty_workspace._writer.execute("PRAGMA database_list")] == ["main"]
