"""Recording patrol tracks (issue 18): the phone page's record_track and its checks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from gridapp.domain import coords
from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.patrols.tracks import record_track
from tests.services.test_reports import X0, Y0, make_street

T0 = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)  # 08:00 in Beijing


@pytest.fixture
def street(empty_workspace):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        yield make_street(empty_workspace)


def walk(n: int = 10, *, step_deg: float = 0.0002, seconds: int = 30,
         start=(X0 + 0.001, Y0 + 0.001)) -> list[tuple[float, float, str, float | None]]:
    """An eastward walk: *n* points *step_deg* apart (about 20 m), *seconds* apart."""
    return [(start[0] + k * step_deg, start[1], (T0 + timedelta(seconds=k * seconds))
             .astimezone(UTC).isoformat(), 5.0) for k in range(n)]


def test_manager_records_own_track_with_times_grid_and_length(street):
    session = street.session("manager")
    track_id = record_track(session, walk())
    row = street.store.get("patrol_track", track_id)
    assert row["manager_id"] == session.user.manager_id
    assert row["grid_id"] == street.grids[0]
    assert row["started_at"].startswith("2026-11-20T00:00:00")
    assert row["ended_at"].startswith("2026-11-20T00:04:30")
    assert len(json.loads(row["point_times"])) == 10
    assert len(row["geom"].coords) == 10
    # 9 steps of 0.0002° of longitude at 26.57°N: 9 × 19.9 m by hand (cos 26.57° = 0.8944).
    assert row["length_m"] == pytest.approx(9 * 0.0002 * 111320 * 0.8944, rel=0.01)
    assert row["flags"] is None


def test_repeated_idempotency_key_returns_first_id_and_writes_nothing(street):
    session = street.session("manager")
    first = record_track(session, walk(), idempotency_key="phone-1-abc")
    count = len(street.store.query("SELECT id FROM patrol_track"))
    audit = len(street.store.query("SELECT id FROM audit_log"))
    again = record_track(session, walk(5), idempotency_key="phone-1-abc")
    assert again == first
    assert len(street.store.query("SELECT id FROM patrol_track")) == count
    assert len(street.store.query("SELECT id FROM audit_log")) == audit
    with pytest.raises(ValidationError):  # someone else's key is not theirs to reuse
        record_track(street.session("manager2"), walk(), idempotency_key="phone-1-abc")


def test_gcj02_points_are_converted_back_to_cgcs2000(street):
    pts = walk()
    glon, glat = coords.wgs84_to_gcj02([p[0] for p in pts], [p[1] for p in pts])
    sent = [(float(x), float(y), p[2], p[3]) for x, y, p in zip(glon, glat, pts, strict=True)]
    row = street.store.get("patrol_track", record_track(street.session("manager"), sent,
                                                         crs="gcj02"))
    first = row["geom"].coords[0]
    assert first[0] == pytest.approx(pts[0][0], abs=1e-6)
    assert first[1] == pytest.approx(pts[0][1], abs=1e-6)
    assert row["source_crs"] == "gcj02"


def test_impossible_speed_is_flagged_and_left_out_of_the_line(street):
    pts = walk(6)
    lon, lat, at, acc = pts[3]
    pts[3] = (lon + 0.01, lat, at, acc)  # 1 km in 30 s: 33 m/s
    row = street.store.get("patrol_track", record_track(street.session("manager"), pts))
    flags = json.loads(row["flags"])
    assert [(f["point"], f["reason"]) for f in flags] == [(4, "speed")]
    assert len(row["geom"].coords) == 5


@pytest.mark.parametrize(("change", "needle"), [
    (lambda p: [(x, y, None, a) for x, y, _t, a in p], "没有时间"),
    (lambda p: p[:3] + [p[1]] + p[4:], "时间倒流"),
    (lambda p: [(x, y, t.replace("+00:00", ""), a) for x, y, t, a in p], "时区"),
    (lambda p: [(x + 1.0, y, t, a) for x, y, t, a in p], "街道范围之外"),
    (lambda p: p[:1], "两个不同位置"),
])
def test_bad_tracks_are_refused_with_a_message_and_nothing_written(street, change, needle):
    before = len(street.store.query("SELECT id FROM patrol_track"))
    with pytest.raises(ValidationError) as err:
        record_track(street.session("manager"), change(walk()))
    assert needle in str(err.value)
    assert len(street.store.query("SELECT id FROM patrol_track")) == before


def test_exact_repeats_are_dropped(street):
    pts = walk(5)
    pts.insert(2, pts[1])
    row = street.store.get("patrol_track", record_track(street.session("manager"), pts))
    assert len(row["geom"].coords) == 5


def test_roles_without_a_manager_record_cannot_record(street):
    with pytest.raises(PermissionDenied):
        record_track(street.session("leader"), walk())
    with pytest.raises(PermissionDenied):  # admin may, but is no grid manager
        record_track(street.session("admin1"), walk())


def test_a_first_point_far_off_is_the_one_flagged(street):
    pts = walk(6)
    lon, lat, at, acc = pts[0]
    pts[0] = (lon - 0.01, lat, at, acc)  # the GPS had not settled
    row = street.store.get("patrol_track", record_track(street.session("manager"), pts))
    assert [f["point"] for f in json.loads(row["flags"])] == [1]
    assert len(row["geom"].coords) == 5
