"""Automatic supervision on the street of test_assessment.

Open dispatched cases there: 3 (deadline 11-18 18:30), 4 (11-03 10:00) and
6 (12-03 11:00), all of them in departments D1 (3) and D2 (4, 6).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.errors import PermissionDenied
from gridapp.services.assessment import supervise as sv
from gridapp.services.session import Session, User
from tests.services.test_assessment import build_street, t


@pytest.fixture
def ws(empty_workspace):
    ids = build_street(empty_workspace)
    disp = Session(empty_workspace, User(None, "disp1", "调度员", Role.DISPATCHER))
    return empty_workspace, ids, disp


def at(text: str) -> datetime:
    return datetime.strptime("2026-" + text, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ)


def test_escalates_once_per_deadline_and_reminds(ws):
    store, ids, disp = ws
    first = sv.run_supervision(disp, now=at("12-03 08:00"))
    # 3 and 4 are overdue; 6 falls due at 11:00, within the 4-hour lead time
    assert sorted(e[0] for e in first.escalated) == sorted([ids["case3"], ids["case4"]])
    assert {e[2] for e in first.escalated} == {1}
    assert first.reminders == 2  # case 6: its department and the dispatcher
    assert [n.case_no for n in first.notices] == [e[1] for e in first.escalated]
    again = sv.run_supervision(disp, now=at("12-03 08:30"))
    assert again.escalated == [] and again.reminders == 0
    later = sv.run_supervision(disp, now=at("12-10 12:00"))
    assert [e[0] for e in later.escalated] == [ids["case6"]]
    # an extension gives case 4 a new deadline: passed again, it goes one level up
    with store.transaction("test") as tx:
        tx.update("report", ids["case4"], {"deadline": t("12-09 09:00")})
    up = sv.run_supervision(disp, now=at("12-10 12:00"))
    assert up.escalated == [(ids["case4"], "T20260004", 2)]
    levels = [(r["report_id"], r["level"]) for r in sv.case_escalations(disp)]
    assert sorted(levels) == sorted([(ids["case3"], 1), (ids["case4"], 1),
                                     (ids["case6"], 1), (ids["case4"], 2)])
    audited = store.query("SELECT COUNT(*) FROM audit_log WHERE table_name = "
                          "'case_escalation'")[0][0]
    assert audited == 4


def test_reminders_by_role_and_department(ws):
    store, ids, disp = ws
    sv.run_supervision(disp, now=at("12-03 08:00"))
    liaison = Session(store, User(None, "l2", "联络员", Role.LIAISON,
                                  department_id=ids["D2"]))
    mine = sv.my_reminders(liaison)
    # D2 holds 4 (escalated) and 6 (due soon); case 3 belongs to D1
    assert sorted(r["report_id"] for r in mine) == sorted([ids["case4"], ids["case6"]])
    assert any("将于" in r["message"] for r in mine)
    assert len(sv.my_reminders(disp)) == 3  # two escalations, one due soon


def test_only_supervising_roles_run_it(ws):
    store, _, _ = ws
    leader = Session(store, User(None, "boss", "领导", Role.LEADER))
    with pytest.raises(PermissionDenied):
        sv.run_supervision(leader, now=at("12-03 08:00"))
