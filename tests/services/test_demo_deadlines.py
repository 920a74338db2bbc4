"""The demo's array deadlines equal WorkCalendar.deadline, one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pytest

from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.domain.workdays import WorkCalendar
from gridapp.services.demo.deadlines import US, deadlines_us

UNITS = [("workday", 1), ("workday", 3), ("workday", 5), ("workhour", 2), ("workhour", 4),
         ("workhour", 0.5), ("workhour", 7), ("urgent_hour", 2), ("urgent_hour", 6)]


def _starts(rng: np.random.Generator) -> list[datetime]:
    """Random instants over a year with Spring Festival and National Day in it, and the
    edges the rules treat apart: midnight, the start and end of office periods."""
    first = datetime(2026, 1, 1, tzinfo=LOCAL_TZ)
    out = [first + timedelta(microseconds=int(v))
           for v in rng.integers(0, 365 * 86_400 * US, 600)]
    for day in (date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 24), date(2026, 9, 30),
                date(2026, 10, 8), date(2026, 12, 31)):
        for t in (time(0, 0), time(8, 59), time(9, 0), time(11, 59, 59, 999_999), time(12, 0),
                  time(12, 45), time(13, 30), time(17, 30), time(23, 59)):
            out.append(datetime.combine(day, t, LOCAL_TZ))
    return out


@pytest.mark.parametrize(("unit", "limit"), UNITS)
def test_array_deadlines_equal_the_calendar_s(unit, limit):
    calendar = WorkCalendar()
    starts = _starts(np.random.default_rng(7))
    start_us = np.array([int((s - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1))
                         for s in starts], dtype=np.int64)
    got = deadlines_us(calendar, start_us, np.full(len(starts), float(limit)),
                       np.full(len(starts), unit))
    want = [calendar.deadline(s, limit, unit) for s in starts]
    got_dt = [datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(v)) for v in got]
    bad = [(s, g, w) for s, g, w in zip(starts, got_dt, want, strict=True) if g != w]
    assert bad == []


def test_mixed_units_in_one_call():
    calendar = WorkCalendar()
    starts = _starts(np.random.default_rng(11))
    units = np.array([UNITS[i % len(UNITS)][0] for i in range(len(starts))])
    limits = np.array([float(UNITS[i % len(UNITS)][1]) for i in range(len(starts))])
    start_us = np.array([int(s.timestamp() * US) for s in starts], dtype=np.int64)
    got = deadlines_us(calendar, start_us, limits, units)
    for s, v, lim, u in zip(start_us.tolist(), got.tolist(), limits, units, strict=True):
        at = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=s)
        assert datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=v) == \
            calendar.deadline(at, float(lim), str(u))


def test_iso_texts_equal_to_iso():
    from gridapp.domain.timeutil import to_iso
    from gridapp.services.demo.reports import iso_texts

    rng = np.random.default_rng(3)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    edges = [datetime(y, m, d, tzinfo=UTC) - timedelta(microseconds=k)
             for y, m, d in ((2000, 3, 1), (2024, 3, 1), (2100, 3, 1), (2027, 1, 1),
                             (1970, 1, 1)) for k in (0, 1, 999, 1000)]
    us = np.concatenate([
        rng.integers(0, 200 * 365 * 86_400 * US, 5000),
        [int((e - epoch) // timedelta(microseconds=1)) for e in edges]])
    want = [to_iso(epoch + timedelta(microseconds=int(v))) for v in us]
    assert iso_texts(us) == want
    masked = np.ma.masked_array(us[:4], mask=[False, True, False, True])
    assert iso_texts(masked) == [want[0], None, want[2], None]
