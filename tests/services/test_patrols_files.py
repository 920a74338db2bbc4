"""KML, KMZ and XLSX track import (issue 18), against coverage worked out by hand.

The files are tests/data/patrol_square.{kml,kmz,xlsx}, written by
tests/data/make_patrol_tracks.py from the walks of make_patrol_gpx.py (their
docstrings give the provenance and the hand computation).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.services.patrols.coverage import grid_coverage
from gridapp.services.patrols.track_import import import_tracks
from tests.services.test_patrols_coverage import TO_DEG, office, square  # noqa: F401

DATA = Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
import make_patrol_gpx as gpx  # noqa: E402
import make_patrol_tracks as tracks  # noqa: E402

KML, KMZ, XLSX = (DATA / f"patrol_square.{s}" for s in ("kml", "kmz", "xlsx"))
CLOCK = "2026-11-20T06:00:00Z"


def test_the_committed_files_are_what_the_script_writes():
    assert KML.read_text(encoding="utf-8") == tracks.kml_text()
    with zipfile.ZipFile(KMZ) as z:
        assert z.namelist() == ["doc.kml"]
        assert z.read("doc.kml").decode("utf-8") == tracks.kml_text()
    sheet = openpyxl.load_workbook(XLSX).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tracks.HEADERS
    assert rows[1:] == tracks.xlsx_rows()


@pytest.mark.parametrize("path", [KML, KMZ], ids=["kml", "kmz"])
def test_kml_tracks_cover_the_square_as_worked_out_by_hand(square, path):  # noqa: F811
    store, (grid, _east) = square
    with use_clock(FixedClock(CLOCK)):
        result = import_tracks(office(store), path, manager="G001")
        assert result.new == 2 and result.flagged == 0  # one gx:Track per Placemark
        rows = {r.grid_id: r for r in grid_coverage(office(store), "2026-11-20")}
        again = import_tracks(office(store), path, manager="G001")
    assert again.new == 0 and again.ids == result.ids
    mine = rows[grid]
    assert mine.coverage == pytest.approx((12000 + 12000 - 3600) / 40000, abs=0.001)
    assert mine.walked_m == pytest.approx(400, abs=0.5)
    assert mine.minutes_inside == pytest.approx(2 * 20 * 8 / 60, abs=0.05)
    assert mine.tracks == 2 and mine.places_visited == ("社区活动中心",)
    started = sorted(r[0] for r in store.query("SELECT started_at FROM patrol_track"))
    assert started[0].startswith("2026-11-20T00:00:00") and \
        started[1].startswith("2026-11-20T00:10:00")


def test_an_xlsx_in_gcj02_with_beijing_times_covers_the_strip_worked_out_by_hand(
        square):  # noqa: F811
    store, (grid, _east) = square
    with use_clock(FixedClock(CLOCK)):
        result = import_tracks(office(store), XLSX, manager="G001", crs="gcj02")
        rows = {r.grid_id: r for r in grid_coverage(office(store), "2026-11-20")}
    assert result.new == 1 and result.flagged == 0
    assert result.notes  # the times had no offset: read as Beijing time, and said so
    row = store.get("patrol_track", result.ids[0])
    x0, y0 = gpx.ORIGIN
    assert row["geom"].coords[0] == pytest.approx(TO_DEG.transform(x0 - 50, y0 + 100),
                                                  abs=1e-6)  # GCJ-02 converted back
    assert row["started_at"].startswith("2026-11-20T00:00:00")  # 08:00 Beijing
    mine = rows[grid]
    assert mine.coverage == pytest.approx(200 * 60 / 40000, abs=0.001)
    assert mine.walked_m == pytest.approx(200, abs=0.5)
    assert mine.minutes_inside == pytest.approx(20 * 8 / 60, abs=0.05)


def test_the_same_xlsx_read_as_wgs84_lands_hundreds_of_metres_off(square):  # noqa: F811
    store, (grid, _east) = square
    with use_clock(FixedClock(CLOCK)):
        result = import_tracks(office(store), XLSX, manager="G001")
    row = store.get("patrol_track", result.ids[0])
    x0, y0 = gpx.ORIGIN
    lon, lat = TO_DEG.transform(x0 - 50, y0 + 100)
    first = row["geom"].coords[0]
    assert abs(first[0] - lon) + abs(first[1] - lat) > 0.002  # GCJ-02's offset, not noise
