"""GridApp's one clock: settable, Beijing's date, and nothing else reads the wall clock."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gridapp.domain import timeutil
from gridapp.domain.timeutil import (
    FixedClock,
    SystemClock,
    get_clock,
    now_utc,
    set_clock,
    today_local,
    use_clock,
)

ROOT = Path(__file__).resolve().parents[2]


def test_fixed_clock_sets_now_and_beijing_today():
    # 2026-12-31 16:30 UTC is 2027-01-01 00:30 in Beijing (UTC+8, no DST).
    with use_clock(FixedClock(datetime(2026, 12, 31, 16, 30, tzinfo=UTC))) as clock:
        assert now_utc() == datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
        assert today_local() == date(2027, 1, 1)
        assert timeutil.now_iso() == "2026-12-31T16:30:00.000Z"
        clock.advance(timedelta(minutes=-31))
        assert today_local() == date(2026, 12, 31)
    assert isinstance(get_clock(), SystemClock) or os.environ.get(timeutil.NOW_ENV)


def test_text_times_need_a_zone():
    assert FixedClock("2028-02-29T08:00+08:00").now() == datetime(2028, 2, 29, 0, 0, tzinfo=UTC)
    assert FixedClock("2027-06-15 12:00:00Z").now().hour == 12
    with pytest.raises(ValueError, match="zone"):
        FixedClock("2027-06-15T12:00:00")
    with pytest.raises(ValueError, match="ISO-8601"):
        FixedClock("yesterday")


def test_use_clock_restores_the_previous_clock_after_an_error():
    before = get_clock()
    with pytest.raises(RuntimeError), use_clock(FixedClock("2027-01-01T00:00Z")):
        raise RuntimeError
    assert get_clock() is before


def test_set_clock_none_is_the_system_clock():
    old = set_clock(None)
    try:
        assert isinstance(get_clock(), SystemClock)
        # the system clock is aware and in UTC
        assert now_utc().utcoffset() == timedelta(0)
    finally:
        set_clock(old)


def test_gridapp_now_sets_the_clock_of_a_whole_process():
    env = {**os.environ, timeutil.NOW_ENV: "2027-01-01T00:30+08:00"}
    out = subprocess.run(
        [sys.executable, "-c",
         "from gridapp.domain.timeutil import today_local, now_iso;"
         "print(today_local(), now_iso())"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert out == ["2027-01-01", "2026-12-31T16:30:00.000Z"]


def test_local_day_bounds_do_not_follow_the_computers_zone():
    beijing = timezone(timedelta(hours=8))
    with use_clock(FixedClock(datetime(2027, 6, 15, 23, 59, tzinfo=beijing))):
        assert today_local() == date(2027, 6, 15)


WALL_CLOCK_CALLS = {
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
    ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime"),
    ("QDate", "currentDate"), ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"), ("QDateTime", "currentSecsSinceEpoch"),
    ("QDateTime", "currentMSecsSinceEpoch"), ("QTime", "currentTime"),
}


def _wall_clock_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else (
                owner.attr if isinstance(owner, ast.Attribute) else None)
            if (name, node.func.attr) in WALL_CLOCK_CALLS:
                # time.gmtime(x) / localtime(x) with an argument convert, they do not read
                if node.func.attr in ("gmtime", "localtime") and node.args:
                    continue
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}.{node.func.attr}()")
        # SQL's own clock; a column DEFAULT the GeoPackage standard prescribes
        # (gpkg_contents.last_change) is allowed, GridApp's writes bind the time.
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and ("'now'" in node.value or "CURRENT_TIMESTAMP" in node.value.upper())
                and "DEFAULT (" not in node.value.upper()):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} SQL now")
    return found


def test_nothing_but_timeutil_reads_the_wall_clock():
    files = [p for p in (ROOT / "gridapp").rglob("*.py")
             if p != ROOT / "gridapp" / "domain" / "timeutil.py"]
    found = [hit for p in files for hit in _wall_clock_reads(p)]
    assert found == []


def test_the_scanner_sees_a_wall_clock_read(tmp_path):
    sample = ROOT / "gridapp" / "_sample_clock_read.py"
    sample.write_text("import datetime\nx = datetime.datetime.now()\n"
                      "from PySide6.QtCore import QDate\ny = QDate.currentDate()\n")
    try:
        assert len(_wall_clock_reads(sample)) == 2
    finally:
        sample.unlink()
