"""Office hours elapsed between two moments, for many cases at once.

Handling times and response times are counted in office hours on the
workspace's working calendar (:class:`gridapp.domain.workdays.WorkCalendar`:
official holidays, adjusted working days, the years the office loaded, and
the office periods of a working day).  Counting case by case would walk the
calendar a million times; instead each moment is turned into "office hours
since the first day" with one table per day, and a duration is a difference.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd

from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.domain.workdays import WorkCalendar


def _seconds(t) -> float:
    return t.hour * 3600 + t.minute * 60 + t.second


class _DayTable:
    """Office hours per day from *first* for *n* days: a moment given as a day
    index and seconds into its (local) day becomes office hours since *first*."""

    def __init__(self, calendar: WorkCalendar, first: date, n: int) -> None:
        self.periods = [(_seconds(a), _seconds(b)) for a, b in calendar.office_hours]
        per_day = sum(b - a for a, b in self.periods) / 3600.0
        self.work = np.array([calendar.is_workday(first + timedelta(days=i))
                              for i in range(n)])
        self.before = np.concatenate([[0.0], np.cumsum(self.work * per_day)[:-1]])

    def hours(self, day_idx: np.ndarray, secs: np.ndarray) -> np.ndarray:
        inside = np.zeros(len(secs))
        for a, b in self.periods:
            inside += np.clip(secs - a, 0, b - a)
        return self.before[day_idx] + self.work[day_idx] * inside / 3600.0


def office_hours_between(calendar: WorkCalendar, start: pd.Series,
                         end: pd.Series) -> np.ndarray:
    """Office hours from each *start* to each *end* (aware datetimes; NaT → NaN).

    Examples
    --------
    >>> from gridapp.domain.workdays import WorkCalendar
    >>> cal = WorkCalendar()   # 09:00–12:00 and 13:30–17:30
    >>> s = pd.Series(pd.to_datetime(["2026-11-02T08:00:00+08:00"]))
    >>> e = pd.Series(pd.to_datetime(["2026-11-03T10:00:00+08:00"]))
    >>> float(office_hours_between(cal, s, e)[0])   # Mon 7 h + Tue 1 h
    8.0
    """
    s = pd.to_datetime(start, utc=True).dt.tz_convert(LOCAL_TZ)
    e = pd.to_datetime(end, utc=True).dt.tz_convert(LOCAL_TZ)
    both = pd.concat([s, e]).dropna()
    out = np.full(len(s), np.nan)
    if both.empty:
        return out
    first: date = both.min().date()
    last: date = both.max().date()
    table = _DayTable(calendar, first, (last - first).days + 1)

    def worked(t: pd.Series) -> np.ndarray:
        ok = t.notna().to_numpy()
        res = np.full(len(t), np.nan)
        if not ok.any():
            return res
        # local wall time to the second, as numbers: day index and seconds into the day
        wall = t[ok].dt.tz_localize(None).to_numpy().astype("datetime64[s]")
        day = wall.astype("datetime64[D]")
        day_idx = (day - np.datetime64(first, "D")).astype(np.int64)
        secs = (wall - day).astype(np.int64).astype(float)
        res[ok] = table.hours(day_idx, secs)
        return res

    out = worked(e) - worked(s)
    return np.where(out < 0, 0.0, out)


def to_local(values: pd.Series) -> pd.Series:
    """ISO text (UTC) to aware datetimes; missing stays NaT."""
    out = pd.to_datetime(values, utc=True, format="ISO8601", errors="coerce")
    return out.dt.as_unit("ns")  # one resolution, so columns fill from each other


def office_hours_seconds(calendar: WorkCalendar, start: np.ndarray,
                         end: np.ndarray) -> np.ndarray:
    """:func:`office_hours_between` of times given as whole UTC seconds since 1970
    (float arrays, NaN where none): the same day table and the same arithmetic,
    without pandas' per-value time-zone work.  Local time is UTC plus
    :data:`LOCAL_TZ`'s offset, which must be one offset over the days involved
    (Asia/Shanghai's since 1991); otherwise the times go through
    :func:`office_hours_between`.
    """
    start = np.asarray(start, dtype=float)
    end = np.asarray(end, dtype=float)
    out = np.full(len(start), np.nan)
    both = np.concatenate([start[~np.isnan(start)], end[~np.isnan(end)]])
    if not len(both):
        return out
    lo, hi = datetime.fromtimestamp(both.min(), UTC), datetime.fromtimestamp(both.max(), UTC)
    first_utc, last_utc = lo.date() - timedelta(days=1), hi.date() + timedelta(days=1)
    offsets = {LOCAL_TZ.utcoffset(datetime.combine(first_utc + timedelta(days=i),
                                                   time(12)))
               for i in range((last_utc - first_utc).days + 1)}
    if len(offsets) != 1:
        return office_hours_between(calendar, _aware(start), _aware(end))
    shift = next(iter(offsets)).total_seconds()
    ls, le = start + shift, end + shift  # local wall time in seconds
    local = both + shift
    first_day = int(np.floor(local.min() / 86400.0))
    n = int(np.floor(local.max() / 86400.0)) - first_day + 1
    table = _DayTable(calendar, date(1970, 1, 1) + timedelta(days=first_day), n)

    def worked(t: np.ndarray) -> np.ndarray:
        ok = ~np.isnan(t)
        res = np.full(len(t), np.nan)
        wall = t[ok].astype(np.int64)
        day = wall // 86400
        day_idx = day - first_day
        secs = (wall - day * 86400).astype(float)
        res[ok] = table.hours(day_idx, secs)
        return res

    out = worked(le) - worked(ls)
    return np.where(out < 0, 0.0, out)


def _aware(seconds: np.ndarray) -> pd.Series:
    return pd.Series(pd.to_datetime(seconds, unit="s", utc=True))
