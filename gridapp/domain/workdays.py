"""Deadlines on China's official working calendar (DESIGN §2, §5).

Where a day's status comes from, in order of precedence:

1. a year the office loaded (:meth:`WorkCalendar.load_days`, from a CSV or
   XLSX file through ``calendar load`` and kept in the workspace, see
   :mod:`gridapp.services.cases.holidays`; or :meth:`WorkCalendar.load_csv`);
2. the ``chinesecalendar`` package, for the years it knows (2004 to the year
   of its release; beyond that it raises ``NotImplementedError``);
3. Monday to Friday, with a :class:`CalendarWarning` appended to
   :attr:`WorkCalendar.warnings` once per year so the GUI can tell the user
   that the year's holidays are missing.  Nothing here ever fails for an
   unknown year; :meth:`WorkCalendar.unknown_years` tells which years a
   deadline was counted over without a schedule, so it can be flagged.

CSV format (UTF-8, a BOM from Excel is fine)::

    date,kind,name            (or 日期,类型,名称)
    2027-01-01,holiday,元旦
    2027-02-20,workday,春节调休上班

* ``date``: ``YYYY-MM-DD`` (``YYYY/MM/DD`` also accepted);
* ``kind``: ``holiday`` (also 休, 假, 放假) for a day off that would otherwise
  be a weekday, ``workday`` (also 班, 上班, 补班) for an adjusted working day
  on a weekend;
* ``name``: optional, e.g. 春节.

The header row, blank lines and lines starting with ``#`` are optional; a
date listed twice is refused (:func:`parse_schedule_rows`).
Only exceptions are listed: every other day of a year that appears in the file
follows Monday to Friday.  A year in the file replaces what ``chinesecalendar``
says about that year.

Time limits (DESIGN §5) are counted from dispatch in Asia/Shanghai local time:
working days (:meth:`WorkCalendar.add_working_days`), office hours
(:meth:`WorkCalendar.add_office_hours`) and urgent hours, which run round the
clock.  Datetimes going in must be timezone-aware; the ones coming out are in
UTC, the storage zone.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from gridapp import i18n
from gridapp.domain.enums import TimeUnit
from gridapp.errors import ValidationError

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(9, 0), time(12, 0)),
    (time(13, 30), time(17, 30)),
)
DEFAULT_DUE_SOON = timedelta(hours=24)

DueState = Literal["ok", "due_soon", "overdue"]
YearSource = Literal["office", "chinesecalendar", "fallback"]

_HOLIDAY_WORDS = {"holiday", "off", "休", "假", "放假", "休息", "节假日"}
_WORKDAY_WORDS = {"workday", "work", "班", "上班", "补班", "调休上班"}
# Header words naming the columns of a schedule file (lower case).
_DATE_HEADERS = {"date", "day", "日期"}
_KIND_HEADERS = {"kind", "type", "status", "类型", "类别", "状态", "休/班", "休班"}
_NAME_HEADERS = {"name", "holiday", "note", "名称", "节日", "节假日", "说明", "备注"}
# A bound on day-by-day walks, so a calendar with no working days cannot hang.
_MAX_SCAN_DAYS = 366 * 20


@dataclass(frozen=True)
class CalendarWarning:
    """A year whose holidays are unknown, counted as Monday to Friday."""

    year: int

    @property
    def zh(self) -> str:
        return f"{self.year}年的节假日安排未知，暂按周一至周五工作日计算；请导入当年放假安排"

    @property
    def en(self) -> str:
        return (
            f"Holidays for {self.year} are unknown; counting Monday to Friday as "
            "working days. Load that year's holiday schedule."
        )

    @property
    def message(self) -> str:
        return i18n.pick(self.zh, self.en)


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            "{what}必须带时区：{value}",
            "{what} must be timezone-aware: {value}",
            what=what,
            value=value.isoformat(),
        )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ)


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _cell_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _parse_day(value: object, lineno: int) -> date:
    """A date from a CSV cell or an Excel cell (which may already be a date)."""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date()
    elif isinstance(value, date):
        return value
    text = _cell_text(value)
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        pass
    try:  # 2027-1-1 and 2027/1/1 as people type them
        y, m, d = (int(x) for x in text.replace("/", "-").replace(".", "-").split("-"))
        return date(y, m, d)
    except ValueError:
        raise ValidationError(
            "节假日文件第{line}行：日期“{value}”无效，应为 YYYY-MM-DD",
            "Holiday file line {line}: date '{value}' is not a valid YYYY-MM-DD",
            line=lineno,
            value=text,
        ) from None


def _header_columns(cells: Sequence[str]) -> tuple[int, int, int | None] | None:
    """(date, kind, name) column positions if *cells* is a header row."""
    low = [c.lower() for c in cells]
    if not any(c in _DATE_HEADERS for c in low):
        return None
    date_col = next(i for i, c in enumerate(low) if c in _DATE_HEADERS)
    kind_col = next((i for i, c in enumerate(low) if c in _KIND_HEADERS), None)
    name_col = next(
        (i for i, c in enumerate(low) if c in _NAME_HEADERS and i != kind_col), None
    )
    if kind_col is None:
        kind_col = 1 if date_col == 0 else 0
    return date_col, kind_col, name_col


def parse_schedule_rows(
    rows: Iterable[Sequence[object]], *, year: int | None = None
) -> dict[date, tuple[bool, str]]:
    """Read a holiday schedule from rows of cells (CSV lines or sheet rows).

    Columns are date, kind, name; a header row (``date,kind,name`` or
    ``日期,类型,名称``) may name them in another order.  Kind is ``holiday``
    (休, 假, 放假) or ``workday`` (班, 上班, 补班).  Blank rows and rows
    starting with ``#`` are skipped.

    Parameters
    ----------
    year : int, optional
        The year being loaded: every date must be in it, and it must have at
        least one entry.

    Returns
    -------
    dict
        date → (is a working day, name).

    Raises
    ------
    ValidationError
        A bad date, an unknown kind, a date listed twice (naming both lines),
        a date outside *year*, or no dates at all.

    Examples
    --------
    >>> days = parse_schedule_rows([["日期", "类型"], ["2027-01-01", "休"]])
    >>> days[date(2027, 1, 1)]
    (False, '')
    """
    columns: tuple[int, int, int | None] = (0, 1, 2)
    days: dict[date, tuple[bool, str]] = {}
    seen_on: dict[date, int] = {}
    first = True
    for lineno, row in enumerate(rows, start=1):
        cells = [_cell_text(c) for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first:
            first = False
            header = _header_columns(cells)
            if header is not None:
                columns = header
                continue
        date_col, kind_col, name_col = columns
        raw = row[date_col] if date_col < len(row) else None
        day = _parse_day(raw, lineno)
        kind = cells[kind_col] if kind_col < len(cells) else ""
        if kind.lower() in _HOLIDAY_WORDS:
            working = False
        elif kind.lower() in _WORKDAY_WORDS:
            working = True
        else:
            raise ValidationError(
                "节假日文件第{line}行：类型“{kind}”应为 休（holiday）或 班（workday）",
                "Holiday file line {line}: kind '{kind}' must be holiday (休) "
                "or workday (班)",
                line=lineno,
                kind=kind,
            )
        if day in seen_on:
            raise ValidationError(
                "节假日文件第{line}行：日期 {day} 与第{first}行重复",
                "Holiday file line {line}: date {day} is already listed on line "
                "{first}",
                line=lineno,
                day=day.isoformat(),
                first=seen_on[day],
            )
        if year is not None and day.year != year:
            raise ValidationError(
                "节假日文件第{line}行：日期 {day} 不在 {year} 年",
                "Holiday file line {line}: date {day} is not in {year}",
                line=lineno,
                day=day.isoformat(),
                year=year,
            )
        seen_on[day] = lineno
        name = cells[name_col] if name_col is not None and name_col < len(cells) else ""
        days[day] = (working, name)
    if not days:
        if year is not None:
            raise ValidationError(
                "节假日文件中没有 {year} 年的日期，未做任何更改",
                "The holiday file has no dates in {year}; nothing was changed",
                year=year,
            )
        raise ValidationError(
            "节假日文件中没有日期，未做任何更改",
            "The holiday file contains no dates; nothing was changed",
        )
    return days


@functools.lru_cache(maxsize=16384)
def _chinesecalendar_is_workday(day: date) -> bool | None:
    """chinesecalendar's answer for *day*, None for a year it does not cover.

    Cached: the library checks every date against the min and max of its whole
    holiday table, which made a deadline (a few dozen days looked at) cost
    about 0.3 ms; generating a district's million cases spent minutes there.
    """
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@dataclass
class WorkCalendar:
    """China's working days, office hours and deadline arithmetic.

    Parameters
    ----------
    office_hours : sequence of (time, time)
        Office periods of a working day in local time, in order and not
        overlapping; the workspace setting.  Default 09:00–12:00 and
        13:30–17:30.
    use_chinesecalendar : bool
        Consult the ``chinesecalendar`` package for the years it knows.

    Examples
    --------
    >>> cal = WorkCalendar()
    >>> cal.is_workday(date(2026, 2, 14))   # Saturday, adjusted working day
    True
    """

    office_hours: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS
    use_chinesecalendar: bool = True
    warnings: list[CalendarWarning] = field(default_factory=list)
    _office_days: dict[date, tuple[bool, str]] = field(default_factory=dict, repr=False)
    _office_years: set[int] = field(default_factory=set, repr=False)
    _unknown_years: set[int] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        periods = tuple((start, end) for start, end in self.office_hours)
        previous_end = time(0, 0)
        for start, end in periods:
            if not previous_end <= start < end:
                raise ValidationError(
                    "办公时段必须按时间顺序排列且不重叠：{periods}",
                    "Office periods must be in order and must not overlap: {periods}",
                    periods=", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in periods),
                )
            previous_end = end
        if not periods:
            raise ValidationError(
                "至少需要一个办公时段", "At least one office period is needed"
            )
        self.office_hours = periods

    # -- loading -------------------------------------------------------------

    def load_csv(self, source: str | Path) -> list[int]:
        """Load an office holiday schedule; return the years it covers.

        Parameters
        ----------
        source : str or pathlib.Path
            A path to a CSV file, or the CSV text itself (the module docstring
            describes the format).

        Raises
        ------
        ValidationError
            Naming the line of the first row that cannot be read; nothing is
            loaded then.
        """
        text = self._read_source(source)
        days = parse_schedule_rows(csv.reader(io.StringIO(text)))
        return self.load_days(days)

    def load_days(self, days: Mapping[date, tuple[bool, str]]) -> list[int]:
        """Install a parsed schedule (see :func:`parse_schedule_rows`).

        Every year that has a day in *days* is replaced as a whole; returns
        those years.
        """
        years = sorted({d.year for d in days})
        if not years:
            raise ValidationError(
                "节假日文件中没有日期", "The holiday file contains no dates"
            )
        for year in years:
            for d in [d for d in self._office_days if d.year == year]:
                del self._office_days[d]
        self._office_days.update(days)
        self._office_years.update(years)
        self.warnings = [w for w in self.warnings if w.year not in self._office_years]
        self._unknown_years.difference_update(years)
        return years

    @staticmethod
    def _read_source(source: str | Path) -> str:
        if isinstance(source, Path):
            return source.read_text(encoding="utf-8-sig")
        if "\n" not in source and "," not in source:
            try:
                return Path(source).read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise ValidationError(
                    "无法读取节假日文件“{path}”：{reason}",
                    "Cannot read the holiday file '{path}': {reason}",
                    path=source,
                    reason=exc.strerror or str(exc),
                ) from None
        return source.lstrip("\ufeff")

    # -- days ----------------------------------------------------------------

    def year_source(self, year: int) -> YearSource:
        """Where the working days of *year* come from (no warning recorded)."""
        if year in self._office_years:
            return "office"
        if self.use_chinesecalendar and year not in self._unknown_years:
            if self._chinesecalendar_workday(date(year, 6, 1)) is not None:
                return "chinesecalendar"
        return "fallback"

    def unknown_years(self, start: datetime, end: datetime) -> list[int]:
        """Years between *start* and *end* (local dates) counted as Monday–Friday.

        A deadline counted over such a year may be wrong: that year's holidays
        and adjusted working days are unknown.  *end* itself is excluded, so
        a deadline at 24:00 on 31 December does not name the next year.
        """
        _require_aware(start, "开始时间 / start")
        _require_aware(end, "结束时间 / end")
        first = start.astimezone(LOCAL_TZ).date().year
        last = (end - timedelta(microseconds=1)).astimezone(LOCAL_TZ).date().year
        return [y for y in range(first, max(first, last) + 1)
                if self.year_source(y) == "fallback"]

    def year_days(self, year: int) -> list[tuple[date, bool, str]]:
        """The exceptions of *year*: weekdays off and weekend working days.

        Each entry is (day, is a working day, name); names come from the
        office file, or are chinesecalendar's Chinese holiday names.  A
        fallback year has none.
        """
        source = self.year_source(year)
        if source == "office":
            return sorted(
                (d, working, name)
                for d, (working, name) in self._office_days.items()
                if d.year == year
            )
        if source == "fallback":
            return []
        import chinese_calendar

        names = {h.value: getattr(h, "chinese", h.value) for h in chinese_calendar.Holiday}
        out = []
        day = date(year, 1, 1)
        while day.year == year:
            working = bool(chinese_calendar.is_workday(day))
            if working != (day.weekday() < 5):
                _, holiday = chinese_calendar.get_holiday_detail(day)
                out.append((day, working, names.get(holiday, holiday or "")))
            day += timedelta(days=1)
        return out

    def _chinesecalendar_workday(self, day: date) -> bool | None:
        known = _chinesecalendar_is_workday(day)
        if known is None:
            self._unknown_years.add(day.year)
        return known

    def is_workday(self, day: date | datetime) -> bool:
        """Whether *day* is a working day (a datetime counts in local time)."""
        if isinstance(day, datetime):
            _require_aware(day, "时间 / time")
            day = day.astimezone(LOCAL_TZ).date()
        if day.year in self._office_years:
            entry = self._office_days.get(day)
            return entry[0] if entry is not None else day.weekday() < 5
        if self.use_chinesecalendar and day.year not in self._unknown_years:
            known = self._chinesecalendar_workday(day)
            if known is not None:
                return known
        if all(w.year != day.year for w in self.warnings):
            self.warnings.append(CalendarWarning(day.year))
        return day.weekday() < 5

    def holiday_name(self, day: date) -> str:
        """The name the office file gives *day*, or '' (chinesecalendar's names
        are not used, to keep them in one language)."""
        entry = self._office_days.get(day)
        return entry[1] if entry else ""

    def next_workday(self, day: date, *, include: bool = False) -> date:
        """The first working day after *day* (or on it, if ``include``)."""
        current = day if include else day + timedelta(days=1)
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_workday(current):
                return current
            current += timedelta(days=1)
        raise ValidationError(  # pragma: no cover - needs a year with no workdays
            "{day}之后二十年内没有工作日",
            "No working day within 20 years after {day}",
            day=day,
        )

    # -- deadlines -----------------------------------------------------------

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The moment *n* working days after *start*.

        Only working days count.  A clock started during a working day runs to
        the same local time on the *n*-th following working day; a clock
        started on a day off (or exactly at midnight) starts at the beginning
        of the next working day and ends at the end (24:00) of the *n*-th one.

        Examples
        --------
        >>> from datetime import datetime
        >>> cal = WorkCalendar()
        >>> start = datetime(2026, 2, 13, 10, 0, tzinfo=LOCAL_TZ)  # Friday
        >>> cal.add_working_days(start, 2).astimezone(LOCAL_TZ).date()
        datetime.date(2026, 2, 24)
        """
        _require_aware(start, "开始时间 / start")
        if isinstance(n, bool) or int(n) != n or n < 0:
            raise ValidationError(
                "工作日数必须是非负整数：{n}",
                "Working days must be a whole number >= 0: {n}",
                n=n,
            )
        n = int(n)
        if n == 0:
            return _utc(start)
        local = start.astimezone(LOCAL_TZ)
        day = local.date()
        if self.is_workday(day) and local.time() != time(0, 0):
            for _ in range(n):
                day = self.next_workday(day)
            return _utc(datetime.combine(day, local.time(), tzinfo=LOCAL_TZ))
        day = self.next_workday(day, include=True)
        for _ in range(n - 1):
            day = self.next_workday(day)
        return _utc(_midnight(day + timedelta(days=1)))

    def add_office_hours(self, start: datetime, hours: float) -> datetime:
        """The moment *hours* of office time after *start*.

        Office time is the office periods of working days; time outside them
        does not count.  A limit that runs out exactly at the end of a period
        ends there.
        """
        _require_aware(start, "开始时间 / start")
        if hours < 0:
            raise ValidationError(
                "工作时不能为负：{h}", "Office hours cannot be negative: {h}", h=hours
            )
        remaining = timedelta(hours=hours)
        if remaining == timedelta(0):
            return _utc(start)
        local = start.astimezone(LOCAL_TZ)
        day = local.date()
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_workday(day):
                for begin, end in self.office_hours:
                    p_begin = datetime.combine(day, begin, tzinfo=LOCAL_TZ)
                    p_end = datetime.combine(day, end, tzinfo=LOCAL_TZ)
                    if p_end <= local:
                        continue
                    p_begin = max(p_begin, local)
                    available = p_end - p_begin
                    if remaining <= available:
                        return _utc(p_begin + remaining)
                    remaining -= available
            day += timedelta(days=1)
        raise ValidationError(  # pragma: no cover - needs a year with no workdays
            "二十年内没有足够的工作时", "Not enough office hours within 20 years"
        )

    def deadline(self, start: datetime, limit: float, unit: TimeUnit | str) -> datetime:
        """Deadline of a time limit counted from *start* (the dispatch time).

        Parameters
        ----------
        start : datetime
            Timezone-aware dispatch time.
        limit : float
            The category's time limit; whole days for ``WORKDAY``.
        unit : TimeUnit
            ``WORKDAY`` (工作日), ``WORKHOUR`` (工作时) or ``URGENT_HOUR``
            (紧急工作时, round the clock).
        """
        unit = TimeUnit(unit)  # type: ignore[call-arg]  # value lookup
        if unit is TimeUnit.WORKDAY:
            return self.add_working_days(start, limit)  # type: ignore[arg-type]
        if unit is TimeUnit.WORKHOUR:
            return self.add_office_hours(start, limit)
        _require_aware(start, "开始时间 / start")
        if limit < 0:
            raise ValidationError(
                "时限不能为负：{h}", "Time limit cannot be negative: {h}", h=limit
            )
        return _utc(start) + timedelta(hours=limit)


def is_overdue(deadline: datetime, now: datetime) -> bool:
    """Whether *now* is past *deadline* (the deadline instant itself is on time)."""
    _require_aware(deadline, "期限 / deadline")
    _require_aware(now, "当前时间 / now")
    return now > deadline


def due_state(
    deadline: datetime, now: datetime, due_soon: timedelta = DEFAULT_DUE_SOON
) -> DueState:
    """``'overdue'`` past the deadline, ``'due_soon'`` within *due_soon* of it,
    else ``'ok'``."""
    if is_overdue(deadline, now):
        return "overdue"
    return "due_soon" if deadline - now <= due_soon else "ok"


_default: WorkCalendar | None = None


def default_calendar() -> WorkCalendar:
    """The process-wide calendar used by the module-level helpers."""
    global _default
    if _default is None:
        _default = WorkCalendar()
    return _default


def is_workday(day: date | datetime, calendar: WorkCalendar | None = None) -> bool:
    """:meth:`WorkCalendar.is_workday` on *calendar* or the default one."""
    return (calendar or default_calendar()).is_workday(day)


def add_working_days(
    start: datetime, n: int, calendar: WorkCalendar | None = None
) -> datetime:
    """:meth:`WorkCalendar.add_working_days` on *calendar* or the default one."""
    return (calendar or default_calendar()).add_working_days(start, n)


def add_office_hours(
    start: datetime, hours: float, calendar: WorkCalendar | None = None
) -> datetime:
    """:meth:`WorkCalendar.add_office_hours` on *calendar* or the default one."""
    return (calendar or default_calendar()).add_office_hours(start, hours)


def deadline(
    start: datetime,
    limit: float,
    unit: TimeUnit | str,
    calendar: WorkCalendar | None = None,
) -> datetime:
    """:meth:`WorkCalendar.deadline` on *calendar* or the default one."""
    return (calendar or default_calendar()).deadline(start, limit, unit)
