"""CLI: ``calendar load`` / ``calendar show`` and the flags on ``cases``/``reports``.

The clock is set with :func:`gridapp.domain.timeutil.use_clock`, so the
commands run "at" Thursday 2026-12-31 16:00 Beijing time on any day.  The
2027 schedule is the hand-built one of tests/services/test_calendar.py (元旦
Friday 01-01 off with the weekend); expectations are worked out there:
a 2-office-hour case dispatched then is due Monday 2027-01-04 09:30 with the
schedule and Friday 2027-01-01 09:30 (元旦, flagged) without it.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime

import pytest

from gridapp.cli import main
from gridapp.domain.timeutil import LOCAL_TZ, FixedClock, from_iso, use_clock
from gridapp.services.cases.reports import ReportDraft
from gridapp.services.people.users import add_user
from gridapp.services.session import system_session
from gridapp.storage import open_store
from tests.services.test_calendar import NEW_YEAR_2027_CSV
from tests.services.test_reports import make_street

ADMIN_PW = "Admin-pass-2026"
OFFICE_PW = "Office-pass-2026x"
DISP_PW = "Disp-pass-2026x"
DISPATCH = datetime(2026, 12, 31, 16, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def ws(empty_workspace, tmp_path):
    from gridapp.services.cases.reports import file_report  # noqa: PLC0415

    street = make_street(empty_workspace)
    s = system_session(empty_workspace)
    add_user(s, "off", OFFICE_PW, "office")
    add_user(s, "disp", DISP_PW, "dispatcher")
    lon, lat = street.inside(0)
    rid = file_report(street.session("dispatcher"), ReportDraft(
        category="0401", lon=lon, lat=lat, description="占道经营")).report_id
    case_no = empty_workspace.get("report", rid)["case_no"]
    path = empty_workspace.path
    empty_workspace.close()
    return path, rid, case_no


def run(monkeypatch, capsys, argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    with use_clock(FixedClock(DISPATCH)):
        code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def dispatch(monkeypatch, capsys, path, rid):
    for action in ("register", "dispatch"):
        code, out, err = run(monkeypatch, capsys, [
            "cases", "advance", str(path), "--action", action, "--ids", str(rid),
            "--handler", "CG", "--note", "x", "--as", "disp", "--password-stdin"],
            DISP_PW + "\n")
        assert code == 0, err
    return out, err


def deadline(path, rid):
    with open_store(path, readonly=True) as store:
        return from_iso(store.get("report", rid)["deadline"])


def csv_file(tmp_path, text=NEW_YEAR_2027_CSV):
    path = tmp_path / "2027.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("argv", [["calendar", "--help"], ["calendar", "load", "--help"],
                                  ["calendar", "show", "--help"]])
def test_help(capsys, argv):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 0 and "usage" in capsys.readouterr().out


def test_without_schedule_cli_flags_on_stderr(ws, monkeypatch, capsys):
    path, rid, case_no = ws
    out, err = dispatch(monkeypatch, capsys, path, rid)
    assert deadline(path, rid) == datetime(2027, 1, 1, 9, 30, tzinfo=LOCAL_TZ)
    assert case_no in err and "2027" in err  # cases advance warns
    code, out, err = run(monkeypatch, capsys, [
        "reports", "list", str(path), "--password-stdin"], ADMIN_PW + "\n")
    assert code == 0 and f"! {case_no}:" in err and "2027" in err
    assert "⚠" in out
    code, out, err = run(monkeypatch, capsys, [
        "reports", "list", str(path), "--json", "--password-stdin"], ADMIN_PW + "\n")
    rows = json.loads(out)
    assert rows[0]["deadline_unverified_years"] == [2027] and case_no in err
    code, out, err = run(monkeypatch, capsys, ["check", str(path)])
    assert code == 0  # a warning, not an error
    assert f"report#{rid}" in out and "2027" in out
    code, out, err = run(monkeypatch, capsys, ["calendar", "show", str(path),
                                               "--year", "2027"])
    assert code == 0 and "未知" in out and "周一至周五" in out


def test_load_recounts_and_show_lists(ws, monkeypatch, capsys, tmp_path):
    path, rid, case_no = ws
    dispatch(monkeypatch, capsys, path, rid)
    code, out, err = run(monkeypatch, capsys, [
        "calendar", "load", str(path), str(csv_file(tmp_path)), "--year", "2027",
        "--as", "off", "--password-stdin"], OFFICE_PW + "\n")
    assert code == 0, err
    assert case_no in out and "1 件有变化" in out
    assert deadline(path, rid) == datetime(2027, 1, 4, 9, 30, tzinfo=LOCAL_TZ)
    code, out, err = run(monkeypatch, capsys, [
        "reports", "list", str(path), "--password-stdin"], ADMIN_PW + "\n")
    assert err == "" and "⚠" not in out
    code, out, err = run(monkeypatch, capsys, ["--lang", "en", "calendar", "show",
                                               str(path), "--year", "2027"])
    assert "2027: loaded" in out and "from 2027.csv" in out and "by off" in out
    assert "2027-01-01 Fri  holiday  元旦" in out
    assert "3 days off, 0 adjusted working days" in out
    code, out, err = run(monkeypatch, capsys, ["calendar", "show", str(path),
                                               "--year", "2026", "--json"])
    shown = json.loads(out)
    assert shown["status"] == "official"
    # 国办发明电〔2025〕7号: 2026-01-04 (Sunday) is an adjusted working day
    assert {"date": "2026-01-04", "kind": "workday", "name": "元旦"} in shown["days"]


def test_load_refusals_exit_2_and_change_nothing(ws, monkeypatch, capsys, tmp_path):
    path, rid, _ = ws
    bad = csv_file(tmp_path, "日期,类型\n2027-01-01,休\n2027-01-01,休\n")
    code, out, err = run(monkeypatch, capsys, [
        "calendar", "load", str(path), str(bad), "--password-stdin"], ADMIN_PW + "\n")
    assert code == 2 and "重复" in err and "第3行" in err
    code, out, err = run(monkeypatch, capsys, [
        "calendar", "load", str(path), str(csv_file(tmp_path)), "--as", "disp",
        "--password-stdin"], DISP_PW + "\n")
    assert code == 1 and "calendar.load" in err
    code, out, err = run(monkeypatch, capsys, ["calendar", "show", str(path),
                                               "--year", "2027", "--json"])
    assert json.loads(out)["status"] == "unknown"
