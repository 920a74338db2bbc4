"""Working days and deadlines on China's official calendar.

Expected days come from the State Council General Office notice on the 2026
holidays (国务院办公厅关于2026年部分节假日安排的通知, 国办发明电〔2025〕7号):
Spring Festival 2026-02-15 (Sunday) to 02-23 (Monday) off, nine days, with
Saturday 2026-02-14 and Saturday 2026-02-28 as adjusted working days (上班);
New Year 2026-01-01 to 01-03 off, Sunday 01-04 a working day.  The same days
are checked against ``chinesecalendar`` itself so a wrong package version is
caught too.  Deadlines are worked out by hand from those days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import chinese_calendar
import pytest

from gridapp.domain import workdays
from gridapp.domain.enums import TimeUnit
from gridapp.domain.workdays import LOCAL_TZ, WorkCalendar
from gridapp.errors import ValidationError

SPRING_FESTIVAL_2026 = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]
ADJUSTED_WORKDAYS_2026 = [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28)]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


# --- 2026 from chinesecalendar ------------------------------------------------


def test_spring_festival_2026_matches_notice_and_chinesecalendar(cal):
    assert SPRING_FESTIVAL_2026[0] == date(2026, 2, 15)
    assert SPRING_FESTIVAL_2026[-1] == date(2026, 2, 23)
    for day in SPRING_FESTIVAL_2026:
        assert chinese_calendar.is_holiday(day), day
        assert not cal.is_workday(day), day


def test_adjusted_working_days_2026(cal):
    for day in ADJUSTED_WORKDAYS_2026:
        assert day.weekday() in (5, 6)  # weekends in the notice
        assert chinese_calendar.is_workday(day), day
        assert cal.is_workday(day), day
    # ordinary days around the festival
    assert cal.is_workday(date(2026, 2, 13))  # Friday before
    assert cal.is_workday(date(2026, 2, 24))  # Tuesday after
    assert not cal.is_workday(date(2026, 3, 1))  # ordinary Sunday
    assert not cal.is_workday(date(2026, 1, 1))  # New Year's Day, Thursday
    assert cal.year_source(2026) == "chinesecalendar"
    assert cal.warnings == []


def test_module_helpers_use_default_calendar():
    assert workdays.is_workday(date(2026, 2, 14))
    assert not workdays.is_workday(local(2026, 2, 16, 10, 0))


# --- deadlines across the Spring Festival ------------------------------------------


def test_working_days_deadline_crosses_spring_festival(cal):
    # Friday 02-13 10:00 + 3 working days: Sat 02-14, Tue 02-24, Wed 02-25.
    due = cal.add_working_days(local(2026, 2, 13, 10, 0), 3)
    assert due == local(2026, 2, 25, 10, 0)
    assert due.tzinfo == UTC
    assert due == datetime(2026, 2, 25, 2, 0, tzinfo=UTC)


def test_working_days_from_inside_the_holiday_start_next_working_day(cal):
    # dispatched on 02-18 (holiday): clock starts 02-24 00:00, one day ends 24:00
    due = cal.add_working_days(local(2026, 2, 18, 15, 0), 1)
    assert due == local(2026, 2, 25, 0, 0)


def test_working_days_one_day_from_friday_lands_on_adjusted_saturday(cal):
    assert cal.add_working_days(local(2026, 2, 13, 16, 45), 1) == local(
        2026, 2, 14, 16, 45
    )
    assert cal.add_working_days(local(2026, 2, 27, 9, 0), 1) == local(2026, 2, 28, 9, 0)


def test_office_hours_cross_spring_festival(cal):
    start = local(2026, 2, 13, 16, 0)
    # 1.5 h on Friday, 3 h on Saturday morning, 3.5 h from 13:30
    assert cal.add_office_hours(start, 8) == local(2026, 2, 14, 17, 0)
    # 1.5 + 7 (Saturday) + 7 (Tuesday 02-24) + 0.5 on Wednesday
    assert cal.add_office_hours(start, 16) == local(2026, 2, 25, 9, 30)
    # a limit that runs out at the end of a period ends there
    assert cal.add_office_hours(local(2026, 2, 24, 9, 0), 3) == local(
        2026, 2, 24, 12, 0
    )
    # before office hours the clock waits for 09:00
    assert cal.add_office_hours(local(2026, 2, 24, 7, 0), 1) == local(
        2026, 2, 24, 10, 0
    )


def test_custom_office_hours():
    cal = WorkCalendar(
        office_hours=((time(8, 30), time(12, 0)), (time(14, 0), time(18, 0)))
    )
    assert cal.add_office_hours(local(2026, 3, 2, 11, 0), 2) == local(2026, 3, 2, 15, 0)


def test_bad_office_hours_refused():
    with pytest.raises(ValidationError):
        WorkCalendar(office_hours=((time(13, 0), time(12, 0)),))
    with pytest.raises(ValidationError):
        WorkCalendar(
            office_hours=((time(9, 0), time(12, 0)), (time(11, 0), time(17, 0)))
        )


def test_deadline_by_unit(cal):
    start = local(2026, 2, 13, 16, 0)
    assert cal.deadline(start, 3, TimeUnit.WORKDAY) == local(2026, 2, 25, 16, 0)
    assert cal.deadline(start, 8, TimeUnit.WORKHOUR) == local(2026, 2, 14, 17, 0)
    # urgent hours run round the clock, holidays included
    assert cal.deadline(local(2026, 2, 15, 10, 0), 24, "urgent_hour") == local(
        2026, 2, 16, 10, 0
    )
    assert workdays.deadline(start, 2, TimeUnit.URGENT_HOUR) == local(
        2026, 2, 13, 18, 0
    )


def test_zero_limit_is_start(cal):
    start = local(2026, 2, 15, 10, 0)
    assert cal.add_working_days(start, 0) == start
    assert cal.add_office_hours(start, 0) == start


@pytest.mark.parametrize("n", [-1, 1.5])
def test_bad_working_day_counts_refused(cal, n):
    with pytest.raises(ValidationError):
        cal.add_working_days(local(2026, 2, 13, 10, 0), n)


def test_naive_datetimes_refused(cal):
    with pytest.raises(ValidationError):
        cal.add_working_days(datetime(2026, 2, 13, 10, 0), 1)
    with pytest.raises(ValidationError):
        workdays.is_overdue(datetime(2026, 2, 13), local(2026, 2, 13, 0, 0))


# --- office CSV for 2027 ---------------------------------------------------------------

# A made-up office schedule used as test data (not the official 2027 notice):
CSV_2027 = """\ufeffdate,kind,name
# example office schedule
2027-01-01,holiday,元旦
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,休,春节
2027-02-11,放假,春节
2027-02-12,holiday,春节
2027-02-20,workday,春节调休上班

"""


def test_csv_year_2027(cal):
    assert cal.year_source(2027) == "fallback"
    assert cal.load_csv(CSV_2027) == [2027]
    assert cal.year_source(2027) == "office"
    assert not cal.is_workday(date(2027, 1, 1))  # Friday, listed holiday
    assert not cal.is_workday(date(2027, 2, 10))  # Chinese word for holiday
    assert cal.is_workday(date(2027, 2, 20))  # Saturday, listed workday
    assert cal.is_workday(date(2027, 2, 15))  # Monday, not listed
    assert not cal.is_workday(date(2027, 2, 13))  # Saturday, not listed
    assert cal.holiday_name(date(2027, 2, 20)) == "春节调休上班"
    # Thursday 02-18 + 2 working days: Friday 02-19, Saturday 02-20
    assert cal.add_working_days(local(2027, 2, 18, 10, 0), 2) == local(
        2027, 2, 20, 10, 0
    )
    # Friday 02-05 + 1: the 02-08..12 week is off, so Monday 02-15
    assert cal.add_working_days(local(2027, 2, 5, 10, 0), 1) == local(
        2027, 2, 15, 10, 0
    )
    assert cal.warnings == []


def test_csv_from_file_and_loading_clears_warning(tmp_path, cal):
    cal.is_workday(date(2027, 3, 1))
    assert [w.year for w in cal.warnings] == [2027]
    path = tmp_path / "holidays-2027.csv"
    path.write_text("2027-02-20,班\n2027/02/08,holiday\n", encoding="utf-8-sig")
    assert cal.load_csv(path) == [2027]
    assert cal.load_csv(str(path)) == [2027]
    assert cal.warnings == []
    assert cal.is_workday(date(2027, 2, 20))
    assert not cal.is_workday(date(2027, 2, 8))


def test_csv_year_replaces_chinesecalendar_year(cal):
    cal.load_csv("2026-02-27,holiday,local day off\n")
    assert not cal.is_workday(date(2026, 2, 27))  # Friday made a holiday
    # the whole year now follows the file: an unlisted weekend is a day off
    assert not cal.is_workday(date(2026, 2, 28))


@pytest.mark.parametrize(
    ("text", "line"),
    [("date,kind\n2027-13-01,holiday\n", 2), ("2027-01-01,vacation\n", 1)],
)
def test_bad_csv_rows_name_their_line(cal, text, line):
    with pytest.raises(ValidationError) as info:
        cal.load_csv(text)
    assert info.value.params["line"] == line


def test_missing_csv_file_is_a_validation_error(tmp_path, cal):
    with pytest.raises(ValidationError):
        cal.load_csv(str(tmp_path / "nope.csv"))
    with pytest.raises(ValidationError):
        cal.load_csv("date,kind\n")


# --- fallback beyond every known year --------------------------------------------------------


def test_fallback_2031_monday_to_friday_with_warning(cal):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2031, 1, 1))
    assert cal.is_workday(date(2031, 1, 1))  # a Wednesday; holiday unknown
    assert not cal.is_workday(date(2031, 1, 4))  # Saturday
    assert cal.is_workday(date(2031, 1, 6))
    assert [w.year for w in cal.warnings] == [2031]  # once per year
    assert "2031" in cal.warnings[0].zh and "2031" in cal.warnings[0].en
    assert cal.year_source(2031) == "fallback"
    # Friday 2031-01-03 + 1 working day -> Monday 2031-01-06
    assert cal.add_working_days(local(2031, 1, 3, 10, 0), 1) == local(2031, 1, 6, 10, 0)


def test_deadline_running_into_unknown_year_warns(cal):
    # Thursday 2026-12-31 + 2: Friday 2027-01-01 counts (unknown), then Monday
    assert cal.add_working_days(local(2026, 12, 31, 10, 0), 2) == local(
        2027, 1, 4, 10, 0
    )
    assert [w.year for w in cal.warnings] == [2027]


def test_years_before_chinesecalendar_fall_back(cal):
    assert cal.is_workday(date(2003, 1, 1))  # Wednesday
    assert [w.year for w in cal.warnings] == [2003]


# --- overdue ------------------------------------------------------------------------------


def test_is_overdue_and_due_state():
    due = local(2026, 2, 25, 10, 0)
    assert not workdays.is_overdue(due, due)
    assert workdays.is_overdue(due, due + timedelta(seconds=1))
    assert workdays.due_state(due, due + timedelta(minutes=1)) == "overdue"
    assert workdays.due_state(due, due - timedelta(hours=23)) == "due_soon"
    assert workdays.due_state(due, due - timedelta(hours=25)) == "ok"
    assert (
        workdays.due_state(due, due - timedelta(hours=25), timedelta(hours=48))
        == "due_soon"
    )
    # aware datetimes in different zones compare as instants
    assert (
        workdays.due_state(due, datetime(2026, 2, 25, 2, 0, 1, tzinfo=UTC)) == "overdue"
    )


# --- schedule files and unsure deadlines (issue 14 §4) -------------------------------------
# 2026-12-31 is a Thursday; 2027-01-01 a Friday.  Office hours 09:00-12:00 and 13:30-17:30:
# from 16:00, 1.5 h remain that day, the last 0.5 h runs from 09:00 of the next working day.


def test_two_office_hours_from_new_years_eve_without_and_with_2027():
    assert date(2026, 12, 31).weekday() == 3 and date(2027, 1, 1).weekday() == 4
    start = local(2026, 12, 31, 16, 0)
    cal = WorkCalendar()
    assert cal.add_office_hours(start, 2) == local(2027, 1, 1, 9, 30)  # 元旦 itself
    assert cal.unknown_years(start, local(2027, 1, 1, 9, 30)) == [2027]
    cal.load_days(workdays.parse_schedule_rows(
        [["日期", "类型"], ["2027-01-01", "休"], ["2027-01-02", "休"], ["2027-01-03", "休"]]))
    assert cal.add_office_hours(start, 2) == local(2027, 1, 4, 9, 30)  # Monday
    assert cal.unknown_years(start, local(2027, 1, 4, 9, 30)) == []


def test_unknown_years_ignore_a_deadline_at_midnight_ending_the_year(cal):
    # a deadline at 24:00 on 2026-12-31 was counted in 2026 only
    assert cal.unknown_years(local(2026, 12, 30, 10, 0), local(2027, 1, 1, 0, 0)) == []
    assert cal.unknown_years(local(2026, 12, 30, 10, 0), local(2028, 1, 3, 9, 0)) == [
        2027, 2028]


def test_schedule_headers_in_any_order_and_english_words():
    days = workdays.parse_schedule_rows(
        [["名称", "类型", "日期"], ["春节", "班", "2027/2/20"], ["元旦", "休", "2027-1-1"]])
    assert days == {date(2027, 2, 20): (True, "春节"), date(2027, 1, 1): (False, "元旦")}
    days = workdays.parse_schedule_rows(
        [["date", "kind"], [datetime(2027, 1, 1), "Holiday"], ["2027-02-20", "WORKDAY"]])
    assert days == {date(2027, 1, 1): (False, ""), date(2027, 2, 20): (True, "")}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["日期", "类型"], ["2027-01-01", "休"], ["2027-01-01", "休"]], "与第2行重复"),
        ([["2027-02-29", "休"]], "第1行"),
        ([["日期", "类型"]], "没有日期"),
        ([], "没有日期"),
    ],
)
def test_schedule_refusals(rows, message):
    with pytest.raises(ValidationError) as err:
        workdays.parse_schedule_rows(rows)
    assert message in str(err.value)


def test_schedule_for_a_year_refuses_other_years_and_an_empty_year():
    with pytest.raises(ValidationError, match="不在 2027 年"):
        workdays.parse_schedule_rows([["2026-10-01", "休"]], year=2027)
    with pytest.raises(ValidationError, match="没有 2027 年的日期"):
        workdays.parse_schedule_rows([["日期", "类型"]], year=2027)


def test_year_days_official_loaded_and_unknown(cal):
    official = {d: (w, n) for d, w, n in cal.year_days(2026)}
    # the notice: 1月1日至3日放假 (Sat 01-03 is a weekend anyway), 1月4日（周日）上班
    assert official[date(2026, 1, 1)] == (False, "元旦")
    assert official[date(2026, 1, 4)] == (True, "元旦")
    assert date(2026, 1, 3) not in official  # a Saturday off is no exception
    for day in SPRING_FESTIVAL_2026:
        assert (day in official) == (day.weekday() < 5)
    assert cal.year_days(2027) == []
    cal.load_csv("2027-01-01,休,元旦\n")
    assert cal.year_days(2027) == [(date(2027, 1, 1), False, "元旦")]
