"""Office hours elapsed between two moments, for many cases at once.

Handling times and response times are counted in office hours on the
workspace's working calendar (:class:`gridapp.domain.workdays.WorkCalendar`:
official holidays, adjusted working days, the years the office loaded, and
the office periods of a working day).  Counting case by case would walk the
calendar a million times; instead each moment is turned into "office hours
since the first day" with one table per day, and a duration is a difference.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.domain.workdays import WorkCalendar


def _seconds(t) -> float:
    return t.hour * 3600 + t.minute * 60 + t.second


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
    n = (last - first).days + 1
    periods = [(_seconds(a), _seconds(b)) for a, b in calendar.office_hours]
    per_day = sum(b - a for a, b in periods) / 3600.0
    work = np.array([calendar.is_workday(first + timedelta(days=i)) for i in range(n)])
    before = np.concatenate([[0.0], np.cumsum(work * per_day)[:-1]])

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
        inside = np.zeros(len(wall))
        for a, b in periods:
            inside += np.clip(secs - a, 0, b - a)
        res[ok] = before[day_idx] + work[day_idx] * inside / 3600.0
        return res

    out = worked(e) - worked(s)
    return np.where(out < 0, 0.0, out)


def to_local(values: pd.Series) -> pd.Series:
    """ISO text (UTC) to aware datetimes; missing stays NaT."""
    out = pd.to_datetime(values, utc=True, format="ISO8601", errors="coerce")
    return out.dt.as_unit("ns")  # one resolution, so columns fill from each other
