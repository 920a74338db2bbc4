"""回访 (callback) before closing resident and 12345 cases; 不满意 reopens once."""

from __future__ import annotations

from datetime import datetime

import pytest

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import LOCAL_TZ, FixedClock, use_clock
from gridapp.errors import PermissionDenied, ValidationError, WorkflowError
from gridapp.services.assessment import callback as cb
from gridapp.services.assessment import indicators as kpi
from gridapp.services.cases.workflow import advance_case
from gridapp.services.session import Session, User
from tests.services.test_assessment import t


@pytest.fixture
def cases(empty_workspace):
    store = empty_workspace
    with store.transaction("test") as tx:
        dep = tx.insert("department", {"code": "T-D1", "name": "测试城管科"})
        ids = {}
        for name, source in (("hot", "hotline"), ("patrol", "patrol")):
            ids[name] = tx.insert("report", {
                "case_no": f"T-{name}", "source": source, "status": "verified",
                "department_id": dep, "reported_at": t("11-02 09:00"),
                "dispatched_at": t("11-02 10:00"), "deadline": t("11-09 10:00"),
                "verified_at": t("11-03 10:00")})
    office = Session(store, User(None, "office1", "办公室", Role.OFFICE))
    disp = Session(store, User(None, "disp1", "调度员", Role.DISPATCHER))
    with use_clock(FixedClock("2026-11-04T10:00:00+08:00")):
        yield store, ids, office, disp


def _status(store, rid):
    return store.get("report", rid)["status"]


def test_hotline_case_needs_a_callback_before_closing(cases):
    store, ids, office, disp = cases
    with pytest.raises(ValidationError, match="回访"):
        advance_case(disp, ids["hot"], "close")
    assert _status(store, ids["hot"]) == "verified"
    res = cb.record_callback(office, ids["hot"], "satisfied", told="已清理完毕")
    assert not res.reopened and res.verdict is cb.Verdict.SATISFIED
    advance_case(disp, ids["hot"], "close")
    assert _status(store, ids["hot"]) == "closed"


def test_patrol_case_is_not_called_back(cases):
    store, ids, office, disp = cases
    with pytest.raises(ValidationError, match="居民反映和12345"):
        cb.record_callback(office, ids["patrol"], "satisfied")
    advance_case(disp, ids["patrol"], "close")
    assert _status(store, ids["patrol"]) == "closed"


def test_dissatisfied_reopens_once_and_is_audited(cases):
    store, ids, office, disp = cases
    rid = ids["hot"]
    with pytest.raises(ValidationError, match="原因"):
        cb.record_callback(office, rid, "dissatisfied")
    assert cb.case_callbacks(office, rid) == []
    first = cb.record_callback(office, rid, "dissatisfied", reason="垃圾仍未清运",
                               resolved=False)
    assert first.reopened and _status(store, rid) == "sent_back"
    events = [e for e in store.query(
        "SELECT action, note FROM case_event WHERE report_id = ?", (rid,))]
    assert [(e[0], e[1]) for e in events] == [("send_back", "回访不满意：垃圾仍未清运")]
    audited = store.query(
        "SELECT COUNT(*) FROM audit_log WHERE table_name = 'case_callback' AND row_id = ?",
        (first.callback_id,))[0][0]
    assert audited == 1
    # a callback only follows verification
    with pytest.raises(WorkflowError):
        cb.record_callback(office, rid, "satisfied")
    # handled again and verified: a second 不满意 is recorded but does not reopen
    with store.transaction("test") as tx:
        tx.update("report", rid, {"status": "verified", "verified_at": t("11-04 11:00")})
    with pytest.raises(ValidationError):
        advance_case(disp, rid, "close")  # the old callback predates the verification
    later = datetime(2026, 11, 4, 12, 0, tzinfo=LOCAL_TZ)
    second = cb.record_callback(office, rid, "dissatisfied", reason="仍有异味", at=later)
    assert not second.reopened and _status(store, rid) == "verified"
    advance_case(disp, rid, "close")
    assert [c["verdict"] for c in cb.case_callbacks(office, rid)] == [
        "dissatisfied", "dissatisfied"]


def test_bad_verdict_and_roles(cases):
    store, ids, office, disp = cases
    with pytest.raises(ValidationError, match="满意"):
        cb.record_callback(office, ids["hot"], "happy")
    liaison = Session(store, User(None, "l1", "联络员", Role.LIAISON, department_id=1))
    with pytest.raises(PermissionDenied):
        cb.record_callback(liaison, ids["hot"], "satisfied")
    assert cb.callbacks_due(office) == [ids["hot"]]


def test_callbacks_feed_the_satisfaction_rates(cases):
    store, ids, office, disp = cases
    cb.record_callback(office, ids["hot"], "basic", resolved=True)
    with use_clock(FixedClock("2026-12-05T10:00:00+08:00")):
        leader = Session(store, User(None, "boss", "领导", Role.LEADER))
        table = kpi.compute(leader, "2026-11", by="department")
    # one callback, 基本满意 (counts as satisfied) and solved: both rates 1 / 1
    assert table.total["callbacks"] == 1
    assert table.total["satisfaction_rate"] == 1.0
    assert table.total["resolve_rate"] == 1.0
