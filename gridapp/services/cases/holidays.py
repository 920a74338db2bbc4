"""Loading a year's holiday schedule, showing it, and flagging unsure deadlines.

``chinesecalendar`` knows the official schedule up to the year it was
released; the State Council publishes the next year's around November.  The
office loads that year from a CSV or XLSX file of dates with 休 / 班
(:func:`load_schedule`, ``calendar load``, the “Import holiday schedule”
dialog); the year is kept in the workspace, open cases' deadlines are counted
again from their dispatch time, and one audit entry records the counts.

A deadline counted over a year that has no schedule (Monday–Friday fallback)
may be wrong, e.g. 2026-12-31 16:00 + 2 office hours lands on 元旦 2027-01-01.
:func:`unsure_deadline_years` names those years for one case so the case
list, the case detail, the CLI and ``check`` can flag it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from gridapp import i18n
from gridapp.domain.enums import OPEN_CASE_STATUSES, CaseStatus, TimeUnit, Urgency
from gridapp.domain.timeutil import from_iso, now_utc, to_iso
from gridapp.domain.workdays import WorkCalendar, parse_schedule_rows
from gridapp.errors import ValidationError
from gridapp.services.cases.calendar import schedule_days, workspace_calendar
from gridapp.services.cases.workflow import compute_deadline, time_limit
from gridapp.services.session import Session
from gridapp.storage import GeoPackageStore
from gridapp.storage import calendar_days as queries

YearStatus = Literal["official", "loaded", "unknown"]
_OPEN = tuple(sorted(s.value for s in OPEN_CASE_STATUSES))
AUDIT_ACTION = "calendar_load"


# -- reading a schedule file ---------------------------------------------------


def read_schedule_file(
    path: str | Path, *, year: int | None = None
) -> dict[date, tuple[bool, str]]:
    """Parse a CSV or XLSX schedule (first sheet) into date → (working, name).

    CSV may be UTF-8 (with or without BOM) or GB18030 as Excel saves it on a
    Chinese Windows.  See :func:`gridapp.domain.workdays.parse_schedule_rows`
    for the columns and the checks.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return parse_schedule_rows(_xlsx_rows(path), year=year)
        if suffix in (".csv", ".txt", ""):
            raw = path.read_bytes()
        else:
            raise ValidationError(
                "不支持的节假日文件类型“{suffix}”：请使用 CSV 或 XLSX",
                "Unsupported holiday file type '{suffix}': use CSV or XLSX",
                suffix=path.suffix,
            )
    except OSError as exc:
        raise ValidationError(
            "无法读取节假日文件“{path}”：{reason}",
            "Cannot read the holiday file '{path}': {reason}",
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise ValidationError(
            "节假日文件“{path}”的编码无法识别（请存为 UTF-8）",
            "The holiday file '{path}' has an unknown encoding (save it as UTF-8)",
            path=str(path),
        )
    return parse_schedule_rows(csv.reader(io.StringIO(text)), year=year)


def _xlsx_rows(path: Path) -> list[tuple[Any, ...]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        if isinstance(exc, OSError):
            raise
        raise ValidationError(
            "无法读取 Excel 文件“{path}”：{reason}",
            "Cannot read the Excel file '{path}': {reason}",
            path=str(path),
            reason=str(exc),
        ) from None
    try:
        return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


# -- loading -------------------------------------------------------------------


@dataclass
class LoadResult:
    """What :func:`load_schedule` did."""

    years: list[int]
    holidays: int
    workdays: int
    open_cases: int = 0
    changed: int = 0
    kept_extended: int = 0
    changed_case_nos: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return i18n.pick(
            "已导入 {years} 年节假日安排：放假 {h} 天，调休上班 {w} 天；"
            "重新计算 {n} 件未结案件的处置时限，{c} 件有变化"
            "（{e} 件已延期，保留原时限）",
            "Loaded the holiday schedule for {years}: {h} days off, {w} adjusted "
            "working days; recounted the deadlines of {n} open cases, {c} changed "
            "({e} extended cases keep theirs)",
            years=("、" if i18n.language() == "zh" else ", ").join(map(str, self.years)),
            h=self.holidays,
            w=self.workdays,
            n=self.open_cases,
            c=self.changed,
            e=self.kept_extended,
        )


def load_schedule(
    session: Session,
    source: str | Path | Mapping[date, tuple[bool, str]],
    *,
    year: int | None = None,
    now: datetime | None = None,
) -> LoadResult:
    """Load a year's holidays and adjusted working days into the workspace.

    Parameters
    ----------
    source : path or mapping
        A CSV/XLSX file (:func:`read_schedule_file`) or parsed days.
    year : int, optional
        The year meant; the file must have entries in it and no others.

    The year replaces what was known about it (chinesecalendar's or a
    previous load).  Open, dispatched cases get their deadline counted again
    from their dispatch time with their category's time limit; extended cases
    keep theirs (the extension may have been set by hand).  One audit entry
    records the years, the counts and the changed cases.  Nothing is changed
    when the file is refused.

    Raises
    ------
    PermissionDenied
        Only administrators and office staff may load a schedule.
    ValidationError
        A bad date, kind or duplicate (naming the line), no entries, or an
        entry outside *year*.
    """
    session.require("calendar.load")
    if isinstance(source, Mapping):
        days = dict(source)
        if year is not None:
            days = parse_schedule_rows(
                [(d, "workday" if w else "holiday", n) for d, (w, n) in days.items()],
                year=year,
            )
        elif not days:
            parse_schedule_rows([])  # raises the "no dates" message
        file_name = ""
    else:
        days = read_schedule_file(source, year=year)
        file_name = Path(source).name
    store = session.store
    now = now or now_utc()
    calendar = _calendar_with(store, days)
    years = sorted({d.year for d in days})
    result = LoadResult(
        years,
        holidays=sum(1 for w, _ in days.values() if not w),
        workdays=sum(1 for w, _ in days.values() if w),
    )
    with session.transaction() as tx:
        for y in years:
            queries.save_year(
                tx,
                y,
                {
                    "days": [
                        [d.isoformat(), "workday" if w else "holiday", n]
                        for d, (w, n) in sorted(days.items())
                        if d.year == y
                    ],
                    "file": file_name,
                    "loaded_at": to_iso(now),
                    "loaded_by": session.user.username,
                },
            )
        changes: list[tuple[int, str]] = []
        for row in queries.open_case_deadlines(tx, _OPEN):
            result.open_cases += 1
            if int(row["extension_count"] or 0) > 0:
                result.kept_extended += 1
                continue
            start = from_iso(row["dispatched_at"])
            assert start is not None
            new = to_iso(
                compute_deadline(
                    store, row["category_id"], row["urgency"], start, calendar
                )
            )
            if new != row["deadline"]:
                changes.append((int(row["id"]), new))  # type: ignore[arg-type]
                result.changed_case_nos.append(row["case_no"])
        result.changed = queries.set_deadlines(tx, changes)
        tx.audit(
            AUDIT_ACTION,
            "setting",
            None,
            {
                "years": years,
                "file": file_name,
                "holidays": result.holidays,
                "workdays": result.workdays,
                "open_cases": result.open_cases,
                "deadlines_changed": result.changed,
                "kept_extended": result.kept_extended,
                # bounded: the audit entry stays small on a big workspace
                "changed_cases": result.changed_case_nos[:50],
            },
        )
    return result


def _calendar_with(
    store: GeoPackageStore, days: Mapping[date, tuple[bool, str]]
) -> WorkCalendar:
    """The workspace calendar as it will be once *days* are loaded."""
    current = workspace_calendar(store)
    cal = WorkCalendar(office_hours=current.office_hours)
    for schedule in queries.loaded_years(store).values():
        stored = schedule_days(schedule)
        if stored:
            cal.load_days(stored)
    cal.load_days(days)
    return cal


# -- showing -------------------------------------------------------------------


@dataclass(frozen=True)
class YearOverview:
    """A year's schedule as ``calendar show`` and the dialog list it."""

    year: int
    status: YearStatus
    days: list[tuple[date, bool, str]]
    file: str = ""
    loaded_at: datetime | None = None
    loaded_by: str = ""

    @property
    def status_text(self) -> str:
        return {
            "official": i18n.pick(
                "官方安排（随程序提供的 chinesecalendar）",
                "official (bundled chinesecalendar)",
            ),
            "loaded": i18n.pick("已导入", "loaded"),
            "unknown": i18n.pick(
                "未知：按周一至周五计算，请导入当年放假安排",
                "unknown: counted as Monday to Friday; load the year's schedule",
            ),
        }[self.status]


def year_overview(session: Session, year: int) -> YearOverview:
    """The holidays and adjusted working days of *year* and where they come from."""
    session.require("workspace.read")
    store = session.store
    cal = workspace_calendar(store)
    source = cal.year_source(year)
    status: YearStatus = {
        "office": "loaded",
        "chinesecalendar": "official",
        "fallback": "unknown",
    }[source]  # type: ignore[assignment]
    info = queries.loaded_years(store).get(year, {}) if status == "loaded" else {}
    return YearOverview(
        year,
        status,
        cal.year_days(year),
        file=info.get("file", ""),
        loaded_at=from_iso(info.get("loaded_at")),
        loaded_by=info.get("loaded_by", ""),
    )


# -- flagging deadlines --------------------------------------------------------


class _UnitCache:
    """Each (category, urgency) pair's time-limit unit, looked up once."""

    def __init__(self, store: GeoPackageStore) -> None:
        self.store = store
        self.units: dict[tuple[int | None, str], TimeUnit] = {}

    def __call__(self, category_id: int | None, urgency: str) -> TimeUnit:
        key = (category_id, urgency)
        if key not in self.units:
            self.units[key] = time_limit(self.store, category_id, urgency)[1]
        return self.units[key]


def unsure_deadline_years(
    session: Session, row: Mapping[str, Any]
) -> list[int]:
    """Years without a schedule that an open case's deadline was counted over.

    *row* has ``status``, ``dispatched_at``, ``deadline``, ``category_id`` and
    ``urgency`` (the case detail's row).  Empty for closed cases, cases
    without a deadline, and urgent hours.
    """
    session.require("workspace.read")
    return _unsure_years(session.store, row)


def _unsure_years(
    store: GeoPackageStore,
    row: Mapping[str, Any],
    *,
    calendar: WorkCalendar | None = None,
    units: _UnitCache | None = None,
) -> list[int]:
    """Years without a schedule that an open case's deadline was counted over.

    *row* has ``status``, ``dispatched_at``, ``deadline``, ``category_id`` and
    ``urgency``.  Empty for closed cases, cases without a deadline, and urgent
    hours (round the clock, no calendar involved).
    """
    if row.get("deadline") is None or row.get("dispatched_at") is None:
        return []
    if CaseStatus(row["status"]) not in OPEN_CASE_STATUSES:  # type: ignore[call-arg]
        return []
    urgency = row.get("urgency") or Urgency.NORMAL.value
    unit = (units or _UnitCache(store))(row.get("category_id"), urgency)
    if unit is TimeUnit.URGENT_HOUR:
        return []
    cal = calendar or workspace_calendar(store)
    start, end = _as_dt(row["dispatched_at"]), _as_dt(row["deadline"])
    return cal.unknown_years(start, max(start, end))


def _as_dt(value: str | datetime) -> datetime:
    dt = from_iso(value) if isinstance(value, str) else value
    assert dt is not None
    return dt


def unsure_deadline_note(years: list[int]) -> str:
    """A short warning for a flagged deadline ('' when *years* is empty)."""
    if not years:
        return ""
    sep = "、" if i18n.language() == "zh" else ", "
    return i18n.pick(
        "时限未经核实：{years} 年的节假日安排未导入，按周一至周五计算"
        "（用“calendar load”或“导入节假日安排”导入后会重新计算）",
        "Deadline unverified: no holiday schedule for {years}, counted as Monday "
        "to Friday (load it with 'calendar load' or Import holiday schedule)",
        years=sep.join(map(str, years)),
    )


@dataclass(frozen=True)
class UnsureDeadline:
    report_id: int
    case_no: str
    deadline: datetime
    years: tuple[int, ...]

    @property
    def message(self) -> str:
        return unsure_deadline_note(list(self.years))


def unsure_open_deadlines(store: GeoPackageStore) -> list[UnsureDeadline]:
    """Every open case whose deadline was counted over a year without a schedule."""
    cal = workspace_calendar(store)
    units = _UnitCache(store)
    out = []
    for row in queries.open_case_deadlines(store, _OPEN):
        row_dict = dict(row)
        years = _unsure_years(store, row_dict, calendar=cal, units=units)
        if years:
            out.append(
                UnsureDeadline(
                    int(row_dict["id"]),
                    row_dict["case_no"],
                    _as_dt(row_dict["deadline"]),
                    tuple(years),
                )
            )
    return out


def unsure_for_cases(session: Session, ids: list[int]) -> dict[int, list[int]]:
    """Case id → years without a schedule, for the cases of *ids* that are flagged."""
    session.require("workspace.read")
    store = session.store
    flag = DeadlineFlagger(store)
    out = {}
    for row in queries.case_deadline_rows(store, ids):
        years = flag(row)
        if years:
            out[int(row["id"])] = years
    return out


class DeadlineFlagger:
    """Flags rows of a case list with one calendar and one unit cache.

    >>> flag = DeadlineFlagger(store)          # doctest: +SKIP
    >>> flag(row)                              # doctest: +SKIP
    [2027]
    """

    def __init__(self, store: GeoPackageStore) -> None:
        self.store = store
        self.calendar = workspace_calendar(store)
        self.units = _UnitCache(store)

    def __call__(self, row: Any) -> list[int]:
        """*row*: a mapping or an ``sqlite3.Row`` (see :func:`unsure_deadline_years`)."""
        if row["deadline"] is None or row["dispatched_at"] is None:
            return []  # the common case, decided without building a dict
        return _unsure_years(
            self.store, dict(row), calendar=self.calendar, units=self.units
        )
