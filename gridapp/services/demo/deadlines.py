"""Many deadlines at once on the office's working calendar (the demo's dispatches).

:meth:`WorkCalendar.deadline` counts one limit by walking days and office
periods; a district's million dispatches would take it minutes.  Here the
same rules are counted with arrays: the calendar is asked once per day of the
span whether the day is a working day, and each limit becomes a search in the
cumulative count of working days (工作日) or of office time (工作时); urgent
hours run round the clock.  Instants are int64 microseconds since the epoch
(UTC), the precision of Python's datetimes, so the results equal the
calendar's to the microsecond (tests/services/test_demo_deadlines.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from gridapp.domain.enums import TimeUnit
from gridapp.domain.workdays import LOCAL_TZ, WorkCalendar

US = 1_000_000
DAY_US = 86_400 * US
HOUR_US = 3_600 * US
_EPOCH = date(1970, 1, 1)


def local_offset_us(first_us: int, last_us: int) -> int:
    """Beijing's offset from UTC over [first, last], in microseconds.

    Asia/Shanghai has kept UTC+8 without summer time since 1991; a span
    where the zone database says otherwise is refused rather than counted
    wrongly.
    """
    offsets = {datetime.fromtimestamp(us / US, LOCAL_TZ).utcoffset()
               for us in (first_us, last_us)}
    if len(offsets) != 1:
        raise ValueError("the local time zone changes its offset within the span")
    return int(offsets.pop() // timedelta(microseconds=1))


def deadlines_us(calendar: WorkCalendar, start_us: np.ndarray, limit: np.ndarray,
                 unit: np.ndarray) -> np.ndarray:
    """``calendar.deadline(start, limit, unit)`` of each row, as UTC microseconds.

    Parameters
    ----------
    calendar : WorkCalendar
        The working calendar (its days off and office hours).
    start_us : ndarray of int64
        Dispatch instants, microseconds since 1970-01-01 UTC.
    limit : ndarray of float
        Each row's time limit (whole days for ``workday``).
    unit : ndarray of str
        Each row's :class:`TimeUnit` value.
    """
    start_us = np.asarray(start_us, dtype=np.int64)
    limit = np.asarray(limit, dtype=np.float64)
    unit = np.asarray(unit)
    out = start_us.copy()
    if len(start_us) == 0:
        return out
    if (limit < 0).any():
        raise ValueError("a time limit is negative")
    off = local_offset_us(int(start_us.min()), int(start_us.max()))
    local = start_us + off
    limit_us = np.rint(limit * HOUR_US).astype(np.int64)
    urgent = unit == TimeUnit.URGENT_HOUR.value
    out[urgent] = start_us[urgent] + limit_us[urgent]
    days = (unit == TimeUnit.WORKDAY.value) & (limit > 0)
    hours = (unit == TimeUnit.WORKHOUR.value) & (limit > 0)
    if not (days.any() or hours.any()):
        return out
    # One working-day flag per local day, from the first start far enough on
    # for the longest limit (an office day holds at least an hour of office time).
    first_day = int(local.min() // DAY_US)
    need = int(max(limit[days].max(initial=0), np.ceil(limit[hours].max(initial=0)))) + 2
    span = int(local.max() // DAY_US) - first_day + 1
    work = _working_days(calendar, first_day, span, need)
    if days.any():
        out[days] = _add_working_days(work, first_day, local[days],
                                      limit[days].astype(np.int64)) - off
    if hours.any():
        out[hours] = _add_office_hours(calendar, work, first_day, local[hours],
                                       limit_us[hours]) - off
    return out


def _working_days(calendar: WorkCalendar, first_day: int, span: int, need: int) -> np.ndarray:
    """Working-day flags from *first_day* (days since 1970) for *span* days and on,
    until *need* working days follow the span."""
    flags: list[bool] = []
    tail = 0
    day = _EPOCH + timedelta(days=first_day)
    while len(flags) < span or tail < need:
        w = calendar.is_workday(day)
        flags.append(w)
        if len(flags) > span:
            tail += w
        day += timedelta(days=1)
    return np.array(flags, dtype=bool)


def _add_working_days(work: np.ndarray, first_day: int, local: np.ndarray,
                      n: np.ndarray) -> np.ndarray:
    """:meth:`WorkCalendar.add_working_days` in local microseconds (n >= 1)."""
    count = np.cumsum(work)  # working days up to and including each day
    d = local // DAY_US - first_day
    tod = local % DAY_US
    running = work[d] & (tod != 0)
    # A clock started in a working day ends at the same time n working days on;
    # otherwise at the end (24:00) of the n-th working day from the next one.
    k = np.searchsorted(count, count[d] - work[d] + n + running, side="left")
    return np.where(running, (first_day + k) * DAY_US + tod, (first_day + k + 1) * DAY_US)


def _add_office_hours(calendar: WorkCalendar, work: np.ndarray, first_day: int,
                      local: np.ndarray, limit_us: np.ndarray) -> np.ndarray:
    """:meth:`WorkCalendar.add_office_hours` in local microseconds (limit > 0)."""
    periods = np.array([((b.hour * 60 + b.minute) * 60 + b.second) * US
                        + b.microsecond for pair in calendar.office_hours for b in pair],
                       dtype=np.int64).reshape(-1, 2)
    day_start = (first_day + np.flatnonzero(work)) * DAY_US
    begin = (day_start[:, None] + periods[None, :, 0]).ravel()
    end = (day_start[:, None] + periods[None, :, 1]).ravel()
    done = np.cumsum(end - begin)  # office time at the end of each period
    before = done - (end - begin)
    j = np.searchsorted(end, local, side="right")  # the first period not over
    target = before[j] + np.maximum(0, local - begin[j]) + limit_us
    # The first period whose end reaches the target: a limit running out exactly
    # at a period's end ends there, not at the next period's start.
    k = np.searchsorted(done, target, side="left")
    return begin[k] + (target - before[k])
