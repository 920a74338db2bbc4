"""Assessment periods: day, week, month, quarter, year or any range of days.

A period is a half-open range of local (Beijing) days ``[start, end)``.  Text
forms, as the command line and the period picker take them::

    2026-11-03          a day          2026-W45     an ISO week
    2026-11             a month        2026-Q4      a quarter
    2026                a year         2026-11-01..2026-11-15   a range (both days in)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from gridapp.domain.timeutil import LOCAL_TZ, to_iso, today_local
from gridapp.errors import ValidationError

KINDS = ("day", "week", "month", "quarter", "year", "range")


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day
    end: date  # the day after the last

    @property
    def label(self) -> str:
        s = self.start
        if self.kind == "day":
            return s.isoformat()
        if self.kind == "week":
            y, w, _ = s.isocalendar()
            return f"{y}-W{w:02d}"
        if self.kind == "month":
            return f"{s:%Y-%m}"
        if self.kind == "quarter":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(s.year)
        return f"{s.isoformat()}..{(self.end - timedelta(days=1)).isoformat()}"

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.start, time(0), LOCAL_TZ)

    @property
    def end_utc(self) -> datetime:
        return datetime.combine(self.end, time(0), LOCAL_TZ)

    def iso_bounds(self) -> tuple[str, str]:
        return to_iso(self.start_utc) or "", to_iso(self.end_utc) or ""

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        s = self.start
        if self.kind == "month":
            first = (s - timedelta(days=1)).replace(day=1)
            return Period("month", first, s)
        if self.kind == "quarter":
            m = s.month - 3
            y = s.year - (m <= 0)
            return Period("quarter", date(y, (m - 1) % 12 + 1, 1), s)
        if self.kind == "year":
            return Period("year", date(s.year - 1, 1, 1), s)
        span = self.end - self.start
        return Period(self.kind, s - span, s)

    def __str__(self) -> str:
        return self.label


def _month_end(y: int, m: int) -> date:
    return date(y + (m == 12), m % 12 + 1, 1)


def _bad(text: str) -> ValidationError:
    return ValidationError(
        "无法识别的考核周期“{text}”：请用 2026-11、2026-Q4、2026-W45、2026、"
        "2026-11-03 或 2026-11-01..2026-11-15",
        "Unrecognised period '{text}': use 2026-11, 2026-Q4, 2026-W45, 2026, "
        "2026-11-03 or 2026-11-01..2026-11-15", text=text)


def parse_period(text: str) -> Period:
    """The period *text* names; :class:`ValidationError` when it names none."""
    t = (text or "").strip()
    try:
        if ".." in t:
            a, b = (date.fromisoformat(x.strip()) for x in t.split("..", 1))
            if b < a:
                raise ValidationError(
                    "周期的结束日 {end} 早于开始日 {start}",
                    "The period ends ({end}) before it starts ({start})",
                    start=a.isoformat(), end=b.isoformat())
            return Period("range", a, b + timedelta(days=1))
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return Period("day", d, d + timedelta(days=1))
        if m := re.fullmatch(r"(\d{4})-W(\d{1,2})", t, re.I):
            d = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return Period("week", d, d + timedelta(days=7))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
            y, mo = int(m[1]), int(m[2])
            return Period("month", date(y, mo, 1), _month_end(y, mo))
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", t, re.I):
            y, q = int(m[1]), int(m[2])
            return Period("quarter", date(y, 3 * q - 2, 1), _month_end(y, 3 * q))
        if re.fullmatch(r"\d{4}", t):
            return Period("year", date(int(t), 1, 1), date(int(t) + 1, 1, 1))
    except ValueError:
        raise _bad(text) from None
    raise _bad(text)


def current(kind: str = "month", today: date | None = None) -> Period:
    """The running period of *kind* that holds *today* (Beijing's date by default)."""
    d = today or today_local()
    if kind == "day":
        return Period("day", d, d + timedelta(days=1))
    if kind == "week":
        s = d - timedelta(days=d.weekday())
        return Period("week", s, s + timedelta(days=7))
    if kind == "quarter":
        q = (d.month - 1) // 3 + 1
        return Period("quarter", date(d.year, 3 * q - 2, 1), _month_end(d.year, 3 * q))
    if kind == "year":
        return Period("year", date(d.year, 1, 1), date(d.year + 1, 1, 1))
    return Period("month", d.replace(day=1), _month_end(d.year, d.month))


def last_periods(period: Period, n: int) -> list[Period]:
    """*period* and the n-1 before it, oldest first."""
    out = [period]
    for _ in range(n - 1):
        out.append(out[-1].previous())
    return out[::-1]
