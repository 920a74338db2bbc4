"""The case workflow through the service: every action by allowed and refused roles,
scope, nothing partial on refusal, deadlines, routing overrides, escalation."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from gridapp.domain.enums import CaseStatus, Role
from gridapp.domain.timeutil import LOCAL_TZ, from_iso
from gridapp.domain.workdays import WorkCalendar
from gridapp.domain.workflow import ACTIONS, CaseAction
from gridapp.errors import PermissionDenied, ValidationError, WorkflowError
from gridapp.services.cases.reports import ReportDraft, file_report
from gridapp.services.cases.routing import propose_handler
from gridapp.services.cases.workflow import (
    advance_case,
    advance_cases,
    available_actions,
    case_due_state,
    case_timeline,
    overdue_to_escalate,
)
from tests.services.test_reports import make_street

S = CaseStatus
ROLE_USER = {
    Role.ADMIN: "admin1",
    Role.OFFICE: "office",
    Role.DISPATCHER: "dispatcher",
    Role.LIAISON: "liaison",
    Role.MANAGER: "manager",
    Role.LEADER: "leader",
}

# How to bring a new case to each state: (action, user, handler).
_PATH = {
    S.REPORTED: [],
    S.REGISTERED: [("register", "dispatcher")],
    S.REJECTED: [("reject", "dispatcher")],
    S.DISPATCHED: [("register", "dispatcher"), ("dispatch", "dispatcher")],
    S.IN_PROGRESS: [
        ("register", "dispatcher"),
        ("dispatch", "dispatcher"),
        ("start", "liaison"),
    ],
    S.HANDLER_DONE: [
        ("register", "dispatcher"),
        ("dispatch", "dispatcher"),
        ("start", "liaison"),
        ("finish", "liaison"),
    ],
    S.VERIFIED: [
        ("register", "dispatcher"),
        ("dispatch", "dispatcher"),
        ("start", "liaison"),
        ("finish", "liaison"),
        ("verify", "manager"),
    ],
    S.SENT_BACK: [
        ("register", "dispatcher"),
        ("dispatch", "dispatcher"),
        ("start", "liaison"),
        ("finish", "liaison"),
        ("send_back", "manager"),
    ],
}


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


def new_case(
    street, status=S.REPORTED, category="0401", urgency="normal", grid=0
) -> int:
    lon, lat = street.inside(grid)
    rid = file_report(
        street.session("dispatcher"),
        ReportDraft(
            category=category, lon=lon, lat=lat, urgency=urgency, description="测试"
        ),
    ).report_id
    for action, who in _PATH[status]:
        advance_case(
            street.session(who),
            rid,
            action,
            "原因说明",
            handler="CG" if "dispatch" in action else None,
        )
    assert street.store.get("report", rid)["status"] == status.value
    return rid


def _snapshot(store, rid):
    return (
        dict(store.get("report", rid)) | {"geom": None},
        store.scalar("SELECT count(*) FROM case_event"),
        store.scalar("SELECT count(*) FROM audit_log"),
    )


@pytest.mark.parametrize("action", list(CaseAction), ids=lambda a: a.value)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_action_by_every_role(street, action, role):
    act = ACTIONS[action]
    start = sorted(act.from_states, key=list(S).index)[0]
    rid = new_case(street, start)
    before = _snapshot(street.store, rid)
    session = street.session(ROLE_USER[role])
    handler = "CG" if act.needs_handler else None
    if role in act.roles:
        res = advance_case(session, rid, action, "原因说明", handler=handler)
        row = street.store.get("report", rid)
        assert row["status"] == act.target(start).value == res.to_status.value
        last = street.store.query(
            "SELECT action, from_status, to_status, actor, note "
            "FROM case_event WHERE report_id = ? ORDER BY id DESC LIMIT 1",
            (rid,),
        )[0]
        assert tuple(last) == (
            action.value,
            start.value,
            res.to_status.value,
            ROLE_USER[role],
            "原因说明",
        )
        if act.marks:
            assert row[
                f"{act.marks}_at" if act.marks != "extended" else "extension_count"
            ]
    else:
        with pytest.raises(PermissionDenied):
            advance_case(session, rid, action, "原因说明", handler=handler)
        assert _snapshot(street.store, rid) == before


def test_whole_workflow_with_timestamps_and_timeline(street):
    rid = new_case(street, S.VERIFIED)
    advance_case(street.session("dispatcher"), rid, "close")
    row = street.store.get("report", rid)
    for col in (
        "registered_at",
        "dispatched_at",
        "deadline",
        "finished_at",
        "verified_at",
        "closed_at",
    ):
        assert row[col], col
    steps = [e["action"] for e in case_timeline(street.session("dispatcher"), rid)]
    assert steps == [
        "report",
        "register",
        "dispatch",
        "start",
        "finish",
        "verify",
        "close",
    ]
    assert case_due_state(row["deadline"], row["status"]) is None  # closed


def test_refused_from_wrong_state_writes_nothing(street):
    rid = new_case(street, S.REPORTED)
    before = _snapshot(street.store, rid)
    with pytest.raises(WorkflowError, match="不能执行"):
        advance_case(street.session("dispatcher"), rid, "close")
    with pytest.raises(ValidationError, match="原因"):
        advance_case(street.session("dispatcher"), rid, "reject", "  ")
    assert _snapshot(street.store, rid) == before


def test_scope_liaison_of_other_department_and_manager_of_other_grid(street):
    rid = new_case(street, S.DISPATCHED)  # sent to CG, in grid 0
    before = _snapshot(street.store, rid)
    with pytest.raises(PermissionDenied, match="部门"):
        advance_case(street.session("liaison_jd"), rid, "start")
    assert _snapshot(street.store, rid) == before
    advance_case(street.session("liaison"), rid, "start")
    advance_case(street.session("liaison"), rid, "finish")
    with pytest.raises(PermissionDenied, match="网格"):
        advance_case(street.session("manager2"), rid, "verify")
    assert [
        a.id.value for a in available_actions(street.session("manager2"), rid)
    ] == []
    assert [a.id.value for a in available_actions(street.session("manager"), rid)] == [
        "verify",
        "send_back",
    ]
    advance_case(street.session("manager"), rid, "verify")


def test_dispatch_takes_duty_list_proposal_and_override_needs_reason(street):
    rid = new_case(street, S.REGISTERED)
    proposal = propose_handler(street.session("dispatcher"), street.categories["0401"])
    assert proposal.department_id == street.departments["CG"]
    before = _snapshot(street.store, rid)
    with pytest.raises(ValidationError, match="原因"):
        advance_case(street.session("dispatcher"), rid, "dispatch", handler="SCJG")
    assert _snapshot(street.store, rid) == before
    res = advance_case(
        street.session("dispatcher"),
        rid,
        "dispatch",
        "市场监管负责该路段",
        handler="SCJG",
    )
    assert res.routing.overridden
    row = street.store.get("report", rid)
    assert row["department_id"] == street.departments["SCJG"]
    # confirming (no handler) takes the proposal
    rid2 = new_case(street, S.REGISTERED)
    res2 = advance_case(street.session("dispatcher"), rid2, "dispatch")
    assert not res2.routing.overridden
    assert street.store.get("report", rid2)["department_id"] == street.departments["CG"]
    assert street.store.get("report", rid2)["handling"] == "department"


def test_joint_category_records_assisting_departments(street):
    rid = new_case(street, S.REGISTERED, category="0304")  # 违法建设: CG + ZJ + ZRZY
    res = advance_case(street.session("dispatcher"), rid, "dispatch")
    assert res.routing.handling.value == "joint"
    row = street.store.get("report", rid)
    assert set(json.loads(row["assist_department_ids"])) == {
        street.departments["ZJ"],
        street.departments["ZRZY"],
    }


def test_deadline_stored_from_category_limit_at_dispatch(street):
    at = datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ)  # a Tuesday
    rid = new_case(street, S.REGISTERED, category="0102")  # 1 working day
    res = advance_case(
        street.session("dispatcher"), rid, "dispatch", handler="JD", note="x", now=at
    )
    expected = WorkCalendar().deadline(at, 1, "workday")
    assert (
        from_iso(street.store.get("report", rid)["deadline"])
        == expected
        == res.deadline
    )
    assert from_iso(street.store.get("report", rid)["dispatched_at"]) == at


def test_deadline_over_spring_festival(street):
    # Dispatched on the last working day before the 2026 Spring Festival holiday:
    # two working days later falls after the holiday, counting the adjusted Saturday.
    cal = WorkCalendar()
    at = datetime(2026, 2, 13, 10, 0, tzinfo=LOCAL_TZ)
    rid = new_case(street, S.REGISTERED, category="0301")  # 施工扰民: 2 working days
    advance_case(street.session("dispatcher"), rid, "dispatch", now=at, calendar=cal)
    dl = from_iso(street.store.get("report", rid)["deadline"])
    assert dl == cal.deadline(at, 2, "workday")
    assert dl.astimezone(LOCAL_TZ).date() > datetime(2026, 2, 14).date()
    assert dl - at > timedelta(days=3)


def test_urgent_case_runs_on_urgent_hours(street):
    at = datetime(2026, 3, 14, 22, 0, tzinfo=LOCAL_TZ)  # Saturday night
    rid = new_case(street, S.REGISTERED, category="0102", urgency="urgent")
    advance_case(
        street.session("dispatcher"), rid, "dispatch", handler="JD", note="x", now=at
    )
    assert from_iso(street.store.get("report", rid)["deadline"]) == at + timedelta(
        hours=4
    )


def test_extend_keeps_original_deadline(street):
    rid = new_case(street, S.DISPATCHED)
    old = from_iso(street.store.get("report", rid)["deadline"])
    with pytest.raises(ValidationError):
        advance_case(
            street.session("dispatcher"),
            rid,
            "extend",
            "等待配合",
            new_deadline=old - timedelta(hours=1),
        )
    advance_case(
        street.session("dispatcher"),
        rid,
        "extend",
        "等待配合",
        new_deadline=old + timedelta(days=3),
    )
    row = street.store.get("report", rid)
    assert from_iso(row["original_deadline"]) == old
    assert from_iso(row["deadline"]) == old + timedelta(days=3)
    assert row["extension_count"] == 1 and row["status"] == "dispatched"


def test_overdue_and_escalation_produce_supervision_notice(street):
    rid = new_case(street, S.DISPATCHED)
    row = street.store.get("report", rid)
    later = from_iso(row["deadline"]) + timedelta(hours=30)
    assert case_due_state(row["deadline"], row["status"], later) == "overdue"
    assert (
        case_due_state(
            row["deadline"],
            row["status"],
            from_iso(row["deadline"]) - timedelta(hours=2),
        )
        == "due_soon"
    )
    assert overdue_to_escalate(street.session("dispatcher"), later) == [rid]
    res = advance_case(
        street.session("dispatcher"), rid, "escalate", "逾期未处置", now=later
    )
    n = res.notice
    assert n.case_no == row["case_no"] and n.reason == "逾期未处置"
    assert n.overdue_hours == pytest.approx(30, abs=0.1)
    assert n.handler == "区城市管理局" and n.addressee.startswith("区人民政府")
    assert [t.action for t in n.timeline][-1] == "escalate"
    d = n.as_dict()
    assert d["title"].endswith("督办单") and isinstance(d["deadline"], str)
    assert overdue_to_escalate(street.session("dispatcher"), later) == []


def test_batch_advance_collects_refusals_or_writes_nothing(street):
    ok = [new_case(street) for _ in range(3)]
    bad = new_case(street, S.REGISTERED)
    out = advance_cases(street.session("dispatcher"), [*ok, bad], "register")
    assert [r.report_id for r in out.done] == ok
    assert [rid for rid, _ in out.refused] == [bad]
    more = [new_case(street) for _ in range(2)]
    events = street.store.scalar("SELECT count(*) FROM case_event")
    with pytest.raises(WorkflowError):
        advance_cases(
            street.session("dispatcher"), [*more, bad], "register", all_or_nothing=True
        )
    assert street.store.scalar("SELECT count(*) FROM case_event") == events
    assert {street.store.get("report", r)["status"] for r in more} == {"reported"}


def test_leader_has_no_actions(street):
    rid = new_case(street)
    assert available_actions(street.session("leader"), rid) == []
    assert [
        a.id.value for a in available_actions(street.session("dispatcher"), rid)
    ] == ["register", "reject"]
