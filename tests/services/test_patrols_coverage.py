"""Track import and grid coverage (issue 18), against coverage worked out by hand.

The GPX is tests/data/patrol_square.gpx, written by tests/data/make_patrol_gpx.py
(its docstring gives the provenance and the hand computation).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
from pyproj import Transformer
from shapely.geometry import Point, Polygon

from gridapp.domain import coords
from gridapp.domain.enums import Role
from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.errors import ImportFileError, NotFoundError, PermissionDenied
from gridapp.services.patrols.coverage import grid_coverage
from gridapp.services.patrols.track_import import import_tracks
from gridapp.services.session import Session, User

DATA = Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
import make_patrol_gpx as gpx  # noqa: E402

GPX = DATA / "patrol_square.gpx"
TO_DEG = Transformer.from_crs(4545, 4490, always_xy=True)


def _poly(corners):
    return Polygon([TO_DEG.transform(x, y) for x, y in corners])


@pytest.fixture
def square(empty_workspace):
    """The 200 m square grid of make_patrol_gpx, its eastern neighbour, two places."""
    store = empty_workspace
    grid = gpx.square()
    east = [(x + gpx.SIDE, y) for x, y in grid]
    x0, y0 = gpx.ORIGIN
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        with store.transaction("test") as tx:
            tx.set_setting("crs.metric_epsg", 4545)
            whole = _poly([(x0 - 500, y0 - 500), (x0 + 900, y0 - 500),
                           (x0 + 900, y0 + 700), (x0 - 500, y0 + 700)])
            tx.insert("street", {"geom": whole, "name": "测试街道"})
            cid = tx.insert("community", {"geom": whole, "name": "测试社区",
                                          "code": "520102003001"})
            ids = [tx.insert("grid", {"geom": _poly(c), "code": f"520102003001{k:03d}",
                                      "name": f"第{k}网格", "community_id": cid,
                                      "valid_from": "2026-01-01T00:00:00.000Z"})
                   for k, c in ((1, grid), (2, east))]
            tx.insert("place", {"geom": Point(TO_DEG.transform(x0 + 100, y0 + 100)),
                                "name": "社区活动中心"})
            tx.insert("place", {"geom": Point(TO_DEG.transform(x0 + 180, y0 + 20)),
                                "name": "便利店"})
            tx.insert("manager", {"name": "张三", "staff_no": "G001"})
        yield store, ids


def office(store) -> Session:
    return Session(store, User(1, "office", "office", Role.OFFICE))


def test_the_committed_gpx_is_what_the_script_writes():
    assert GPX.read_text(encoding="utf-8") == gpx.gpx_text()


def test_coverage_of_a_square_grid_matches_the_hand_computation(square):
    store, (grid, east) = square
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        result = import_tracks(office(store), GPX, manager="G001")
        assert result.new == 2 and result.flagged == 0  # two <trkseg>, extensions ignored
        rows = {r.grid_id: r for r in grid_coverage(office(store), "2026-11-20")}
    mine = rows[grid]
    assert mine.coverage == pytest.approx((12000 + 12000 - 3600) / 40000, abs=0.001)
    assert mine.walked_m == pytest.approx(400, abs=0.5)
    assert mine.minutes_inside == pytest.approx(2 * 20 * 8 / 60, abs=0.05)
    assert mine.tracks == 2
    assert mine.places_visited == ("社区活动中心",)  # the shop is 80 m from both walks
    # The east walk runs 50 m into the neighbour: a 50 × 60 m strip and a half disc.
    assert rows[east].coverage == pytest.approx((50 * 60 + math.pi * 30**2 / 2) / 40000,
                                                abs=0.001)
    assert rows[east].walked_m == pytest.approx(50, abs=0.5)
    # Another day has nothing.
    assert all(r.coverage == 0 for r in grid_coverage(office(store), "2026-11-21"))


def test_importing_the_same_file_again_writes_nothing(square):
    store, _ = square
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        first = import_tracks(office(store), GPX, manager="G001")
        again = import_tracks(office(store), GPX, manager="G001")
    assert again.ids == first.ids and again.new == 0
    assert len(store.query("SELECT id FROM patrol_track")) == 2


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _gpx_points(points, version="1.1"):
    ns = "http://www.topografix.com/GPX/1/" + version.replace(".", "/")[-1]
    body = "".join(f'<trkpt lat="{lat}" lon="{lon}">{f"<time>{t}</time>" if t else ""}'
                   "</trkpt>" for lon, lat, t in points)
    return (f'<?xml version="1.0"?><gpx version="{version}" xmlns="{ns}"><trk><trkseg>'
            f"{body}</trkseg></trk></gpx>")


def _walk_deg(n=5):
    x0, y0 = gpx.ORIGIN
    return [(*TO_DEG.transform(x0 + 10 * k, y0 + 100), f"2026-11-20T00:0{k}:00Z")
            for k in range(n)]


def test_gpx_1_0_imports(square, tmp_path):
    store, (grid, _) = square
    path = _write(tmp_path, "old.gpx", _gpx_points(_walk_deg(), "1.0"))
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        ids = import_tracks(office(store), path, manager="g001").ids
    assert store.get("patrol_track", ids[0])["grid_id"] == grid


@pytest.mark.parametrize(("name", "text", "needle"), [
    ("notime.gpx", _gpx_points([(p[0], p[1], None) for p in _walk_deg()]), "没有时间"),
    ("reversed.gpx", _gpx_points(_walk_deg()[::-1]), "时间倒流"),
    ("dup.gpx", _gpx_points([_walk_deg()[0]] * 3), "两个不同位置"),
    ("far.gpx", _gpx_points([(p[0] + 2, p[1], p[2]) for p in _walk_deg()]), "街道范围之外"),
    ("line.kml", '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><LineString>'
                 "<coordinates>106.7,26.57 106.71,26.58</coordinates></LineString>"
                 "</Placemark></kml>", "LineString"),
    ("bad.gpx", "<gpx><trk>", "无法解析"),
])
def test_bad_track_files_are_refused_whole_with_a_message(square, tmp_path, name, text,
                                                           needle):
    store, _ = square
    good = _gpx_points(_walk_deg())
    # A good track first in the same file for GPX: nothing of it may be written either.
    if name.endswith(".gpx") and "<trkseg>" in text:
        text = text.replace("<trk>", "<trk>" + good[good.index("<trkseg>"):good.index(
            "</trk>")], 1)
    path = _write(tmp_path, name, text)
    with use_clock(FixedClock("2026-11-20T06:00:00Z")), pytest.raises(ImportFileError) as err:
        import_tracks(office(store), path, manager="G001")
    assert needle in str(err.value) or any(needle in p for p in err.value.params.get(
        "problems", []))
    assert store.query("SELECT count(*) FROM patrol_track")[0][0] == 0


def test_csv_in_gcj02_with_local_times_is_converted(square, tmp_path):
    store, (grid, _) = square
    pts = _walk_deg()
    lon, lat = coords.wgs84_to_gcj02([p[0] for p in pts], [p[1] for p in pts])
    lines = ["经度,纬度,时间,精度"] + [f"{x:.8f},{y:.8f},2026-11-20 08:0{k}:00,5"
                                      for k, (x, y) in enumerate(zip(lon, lat, strict=True))]
    path = _write(tmp_path, "amap.csv", "\n".join(lines) + "\n")
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        result = import_tracks(office(store), path, manager="G001", crs="gcj02")
    row = store.get("patrol_track", result.ids[0])
    assert row["geom"].coords[0] == pytest.approx(pts[0][:2], abs=1e-6)
    assert row["started_at"].startswith("2026-11-20T00:00:00")  # 08:00 Beijing
    assert row["grid_id"] == grid and result.notes


def test_import_needs_the_right_role_and_a_known_manager(square):
    store, _ = square
    with pytest.raises(PermissionDenied):
        import_tracks(Session(store, User(2, "m", "m", Role.MANAGER, manager_id=1)), GPX,
                      manager="G001")
    with pytest.raises(NotFoundError):
        import_tracks(office(store), GPX, manager="NOPE")

