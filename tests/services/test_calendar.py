"""Loading a year's holiday schedule, recounting deadlines, flagging unsure ones.

The 2027 schedule: the State Council's notice for 2027 could not be checked
from here, so the tests use a schedule built by hand that follows the
pattern of every recent notice for a New Year's Day falling on a Friday
(“1月1日放假，与周末连休”): Friday 2027-01-01 off, joined with the weekend
of 01-02 and 01-03 (2027-01-01 is a Friday: ``date(2027, 1, 1).weekday()``
is 4, asserted below).

Expectation worked out by hand with the default office hours (09:00–12:00,
13:30–17:30): a case of 占道经营 (category 0401, 2 office hours) dispatched
on Thursday 2026-12-31 at 16:00 Beijing time uses 1.5 h until 17:30; the
remaining 0.5 h starts at the next working day's 09:00:

* with the schedule: Friday 01-01 is off, 01-02/03 are the weekend, so
  Monday 2027-01-04 09:30;
* without it (Monday–Friday fallback): Friday 2027-01-01 09:30, which is
  元旦 — the defect; such a deadline must be flagged.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import openpyxl
import pytest

from gridapp.domain.enums import CaseStatus
from gridapp.domain.timeutil import LOCAL_TZ, from_iso
from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.cases import holidays
from gridapp.services.cases.query import CaseFilter, CaseQuery
from gridapp.services.cases.workflow import advance_case
from gridapp.services.integrity import check_workspace
from tests.services.test_cases import new_case
from tests.services.test_reports import make_street

DISPATCH = datetime(2026, 12, 31, 16, 0, tzinfo=LOCAL_TZ)
WITH_SCHEDULE = datetime(2027, 1, 4, 9, 30, tzinfo=LOCAL_TZ)
FALLBACK = datetime(2027, 1, 1, 9, 30, tzinfo=LOCAL_TZ)
NEW_YEAR_2027_CSV = "日期,类型,名称\n2027-01-01,休,元旦\n2027-01-02,休,元旦\n2027-01-03,休,元旦\n"


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


def dispatched_case(street, *, at=DISPATCH, category="0401") -> int:
    rid = new_case(street, CaseStatus.REGISTERED, category=category)
    advance_case(street.session("dispatcher"), rid, "dispatch", handler="CG",
                 note="x", now=at)
    return rid


def deadline(street, rid) -> datetime:
    return from_iso(street.store.get("report", rid)["deadline"])


def schedule_file(tmp_path, text=NEW_YEAR_2027_CSV, name="2027.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def audit_count(store) -> int:
    return store.scalar("SELECT count(*) FROM audit_log")


def test_new_year_2027_with_schedule_lands_on_monday_morning(street, tmp_path):
    assert date(2027, 1, 1).weekday() == 4  # Friday
    assert WITH_SCHEDULE.weekday() == 0  # Monday
    holidays.load_schedule(street.session("office"), schedule_file(tmp_path))
    rid = dispatched_case(street)
    assert deadline(street, rid) == WITH_SCHEDULE
    assert holidays.unsure_open_deadlines(street.store) == []


def test_without_schedule_deadline_is_flagged_in_list_and_check(street):
    rid = dispatched_case(street)
    assert deadline(street, rid) == FALLBACK  # 元旦: why it must be flagged
    flagged = holidays.unsure_open_deadlines(street.store)
    assert [(f.report_id, f.years) for f in flagged] == [(rid, (2027,))]
    assert "2027" in flagged[0].message
    # the case list
    rows = {r.id: r for r in CaseQuery(street.session("dispatcher")).page(0, 50)}
    assert rows[rid].unsure_years == (2027,)
    # check: a warning naming the case, not an error
    problems = [p for p in check_workspace(street.store) if p.check == "calendar"]
    assert [(p.row_id, p.severity) for p in problems] == [(rid, "warning")]
    assert "2027" in problems[0].zh and "2027" in problems[0].en


def test_unflagged_inside_a_known_year_and_for_urgent_hours(street):
    inside = dispatched_case(street, at=datetime(2026, 12, 1, 10, 0, tzinfo=LOCAL_TZ))
    # 0502 供水管道破裂 runs on urgent hours, round the clock: no calendar involved
    urgent = dispatched_case(street, category="0502")
    assert deadline(street, urgent).astimezone(LOCAL_TZ) == datetime(
        2026, 12, 31, 20, 0, tzinfo=LOCAL_TZ)
    rows = {r.id: r for r in CaseQuery(street.session("dispatcher")).page(0, 50)}
    assert rows[inside].unsure_years == () and rows[urgent].unsure_years == ()
    assert holidays.unsure_open_deadlines(street.store) == []


def test_loading_recounts_open_deadlines_with_one_audit_entry(street, tmp_path):
    open_case = dispatched_case(street)
    extended = dispatched_case(street)
    set_by_hand = datetime(2027, 1, 8, 17, 0, tzinfo=LOCAL_TZ)
    advance_case(street.session("dispatcher"), extended, "extend", note="延期",
                 new_deadline=set_by_hand, now=DISPATCH)
    closed = new_case(street, CaseStatus.REJECTED)
    before = audit_count(street.store)
    closed_row = street.store.get("report", closed)

    result = holidays.load_schedule(street.session("office"), schedule_file(tmp_path))

    assert result.years == [2027] and (result.holidays, result.workdays) == (3, 0)
    assert (result.open_cases, result.changed, result.kept_extended) == (2, 1, 1)
    assert deadline(street, open_case) == WITH_SCHEDULE
    assert deadline(street, extended) == set_by_hand  # an extension is kept
    assert street.store.get("report", closed) == closed_row
    assert audit_count(street.store) == before + 1
    entry = street.store.query(
        "SELECT actor, action, changes FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    changes = json.loads(entry["changes"])
    assert (entry["actor"], entry["action"]) == ("office", "calendar_load")
    assert changes["years"] == [2027] and changes["deadlines_changed"] == 1
    assert changes["changed_cases"] == [street.store.get("report", open_case)["case_no"]]
    assert holidays.unsure_open_deadlines(street.store) == []  # no longer flagged


def test_year_overview_official_unknown_loaded(street, tmp_path):
    official = holidays.year_overview(street.session("dispatcher"), 2026)
    assert official.status == "official"
    days = {d: w for d, w, _ in official.days}
    # 国办发明电〔2025〕7号: 1月1日至3日放假，1月4日（周日）上班
    assert days[date(2026, 1, 1)] is False and days[date(2026, 1, 4)] is True
    unknown = holidays.year_overview(street.session("dispatcher"), 2027)
    assert unknown.status == "unknown" and unknown.days == []
    holidays.load_schedule(street.session("admin1"), schedule_file(tmp_path))
    loaded = holidays.year_overview(street.session("dispatcher"), 2027)
    assert loaded.status == "loaded" and loaded.file == "2027.csv"
    assert loaded.loaded_by == "admin1"
    assert [(d, w, n) for d, w, n in loaded.days] == [
        (date(2027, 1, k), False, "元旦") for k in (1, 2, 3)]


def test_xlsx_with_english_words_and_date_cells(street, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["date", "kind", "name"])
    sheet.append([datetime(2027, 1, 1), "holiday", "New Year"])
    sheet.append(["2027-02-20", "workday", "Spring Festival"])
    book.save(tmp_path / "2027.xlsx")
    res = holidays.load_schedule(street.session("office"), tmp_path / "2027.xlsx",
                                 year=2027)
    assert (res.holidays, res.workdays) == (1, 1)
    days = {d: w for d, w, _ in holidays.year_overview(street.session("dispatcher"), 2027).days}
    assert days == {date(2027, 1, 1): False, date(2027, 2, 20): True}


def test_gb18030_csv_from_excel(street, tmp_path):
    path = schedule_file(tmp_path, encoding="gb18030")
    assert holidays.load_schedule(street.session("office"), path).holidays == 3


@pytest.mark.parametrize(
    ("text", "year", "words"),
    [
        ("日期,类型\n2027-02-30,休\n", None, ("第2行", "2027-02-30")),
        ("日期,类型\n2027-01-01,休\n2027-01-01,班\n", None, ("第3行", "第2行")),
        ("日期,类型\n", None, ("没有日期",)),
        ("日期,类型\n2027-01-01,休\n", 2028, ("2028",)),
        ("日期,类型\n2027-01-01,请假\n", None, ("请假",)),
    ],
    ids=["bad-date", "duplicate", "no-entries", "wrong-year", "bad-kind"],
)
def test_bad_files_are_refused_and_change_nothing(street, tmp_path, text, year, words):
    rid = dispatched_case(street)
    before = (audit_count(street.store), street.store.get("report", rid)["deadline"])
    with pytest.raises(ValidationError) as err:
        holidays.load_schedule(street.session("office"), schedule_file(tmp_path, text),
                               year=year)
    for w in words:
        assert w in str(err.value)
    assert (audit_count(street.store),
            street.store.get("report", rid)["deadline"]) == before
    assert holidays.year_overview(street.session("dispatcher"), 2027).status == "unknown"


def test_unsupported_or_missing_file(street, tmp_path):
    (tmp_path / "2027.pdf").write_bytes(b"%PDF")
    with pytest.raises(ValidationError, match="CSV 或 XLSX"):
        holidays.load_schedule(street.session("office"), tmp_path / "2027.pdf")
    with pytest.raises(ValidationError, match="无法读取"):
        holidays.load_schedule(street.session("office"), tmp_path / "none.csv")


@pytest.mark.parametrize("user", ["dispatcher", "liaison", "manager", "leader"])
def test_only_admin_and_office_may_load(street, tmp_path, user):
    before = audit_count(street.store)
    with pytest.raises(PermissionDenied):
        holidays.load_schedule(street.session(user), schedule_file(tmp_path))
    assert audit_count(street.store) == before
    assert holidays.year_overview(street.session("dispatcher"), 2027).status == "unknown"


def test_loading_again_replaces_the_year(street, tmp_path):
    holidays.load_schedule(street.session("office"), schedule_file(tmp_path))
    holidays.load_schedule(street.session("office"),
                           schedule_file(tmp_path, "2027-02-20,班\n", name="b.csv"))
    days = holidays.year_overview(street.session("dispatcher"), 2027).days
    assert [(d, w) for d, w, _ in days] == [(date(2027, 2, 20), True)]
    rid = dispatched_case(street)
    assert deadline(street, rid) == FALLBACK  # 01-01 no longer listed: a working day
    assert holidays.unsure_open_deadlines(street.store) == []  # but the year is loaded


def test_case_filter_still_works_with_flags(street):
    rid = dispatched_case(street)
    rows = CaseQuery(street.session("dispatcher"),
                     CaseFilter(open_only=True)).page(0, 10)
    assert [r.id for r in rows] == [rid] and rows[0].unsure_years == (2027,)


def test_calendar_service_and_command_load_no_qt():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import gridapp.services.cases.holidays, gridapp.services.cases.calendar\n"
        "import gridapp.cli.cmd_calendar, gridapp.storage.calendar_days\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_messages_in_english(street, tmp_path):
    from gridapp import i18n

    rid = dispatched_case(street)
    i18n.set_language("en")
    try:
        [flag] = holidays.unsure_open_deadlines(street.store)
        assert flag.report_id == rid
        assert flag.message.startswith("Deadline unverified: no holiday schedule for 2027")
        res = holidays.load_schedule(street.session("office"), schedule_file(tmp_path))
        assert res.message.startswith("Loaded the holiday schedule for 2027: 3 days off")
        with pytest.raises(ValidationError) as err:
            holidays.load_schedule(street.session("office"),
                                   schedule_file(tmp_path, "date,kind\n"))
        assert "contains no dates; nothing was changed" in str(err.value)
    finally:
        i18n.set_language("zh")
