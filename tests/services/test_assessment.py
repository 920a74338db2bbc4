"""Indicators computed by hand on a small street whose every case outcome is chosen.

November 2026 (Beijing), Monday to Friday working days, office hours 09:00–12:00
and 13:30–17:30 (7 h a day).  The expected figures below are worked out in the
comments from the case list, not taken from the code.

Grid A (…001), department D1 unless said:
  1  patrol   filed 11-02 09:00, registered+dispatched 10:00, deadline 11-05 10:00,
              finished 11-03 10:00, closed 11-04 09:00       → on time; 7 office h
  2  resident filed 11-09 09:00, registered+dispatched 11-10 09:00 (response 7 h),
              deadline 11-12 09:00, finished 11-13 09:00, closed 11-16 10:00 (late),
              callback 11-16 09:30 基本满意, solved            → 21 office h
  3  hotline  urgent, filed 11-18 14:00, registered+dispatched 14:30, deadline 18:30,
              sent back 11-19 10:00, still in progress        → overdue at month end
  7  resident (D2) dispatched 10-26 09:00, finished 10-30 17:30, closed 11-03 09:00,
              callback 11-03 10:00 不满意, not solved           → 35 office h, not due
Grid B (…002), department D2:
  4  patrol   filed 10-28, dispatched 10-28 10:00, deadline 11-03 10:00, 挂账 11-02,
              still dispatched                                 → due, deferred, overdue
  5  hotline  filed 11-20 09:00, 不予立案 09:30                  → responded
  6  patrol   filed 11-25 10:00, registered+dispatched 11:00, deadline 12-03
"""

from __future__ import annotations

import math
from datetime import datetime

import pytest
from shapely.geometry import Point

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import LOCAL_TZ, FixedClock, to_iso, use_clock
from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.assessment import indicators as kpi
from gridapp.services.session import Session, User

GRID_A, GRID_B = "520102003001001", "520102003001002"
NOW = "2026-12-10T12:00:00+08:00"


def t(text: str) -> str:
    """Beijing 'MM-DD HH:MM' of 2026 as stored UTC text."""
    return to_iso(datetime.strptime("2026-" + text, "%Y-%m-%d %H:%M").replace(
        tzinfo=LOCAL_TZ))


def build_street(store) -> dict[str, int]:
    """The street of the module docstring; returns ids by name."""
    ids: dict[str, int] = {}
    with store.transaction("test") as tx:
        ids["D1"] = tx.insert("department", {"code": "T-D1", "name": "测试城管科"})
        ids["D2"] = tx.insert("department", {"code": "T-D2", "name": "测试市监所"})
        ids["C1"] = tx.insert("category", {"code": "T99", "name": "测试类别"})
        ids["comm"] = tx.insert("community", {"name": "测试社区", "code": "520102003001"})
        for name, code in (("A", GRID_A), ("B", GRID_B)):
            ids[name] = tx.insert("grid", {"code": code, "name": f"网格{name}",
                                           "community_id": ids["comm"],
                                           "valid_from": t("01-01 00:00")})
        ids["M1"] = tx.insert("manager", {"name": "张网格", "staff_no": "T001"})

        def case(no: int, grid: str, dept: str, source: str, reported: str,
                 status: str, **extra: str | None) -> int:
            row = {"case_no": f"T2026{no:04d}", "source": source, "grid_id": ids[grid],
                   "community_id": ids["comm"], "department_id": ids[dept],
                   "category_id": ids["C1"], "reporter_manager_id": ids["M1"],
                   "reported_at": t(reported), "status": status,
                   "geom": Point(106.71, 26.58)}
            row.update({k: (t(v) if v else None) for k, v in extra.items()
                        if k != "urgency"})
            if "urgency" in extra:
                row["urgency"] = extra["urgency"]
            rid = tx.insert("report", row)
            ids[f"case{no}"] = rid
            return rid

        def event(rid: int, action: str, at: str, actor: str = "disp1") -> None:
            tx.insert("case_event", {"report_id": rid, "action": action,
                                     "to_status": "x", "at": t(at), "actor": actor})

        c = case(1, "A", "D1", "patrol", "11-02 09:00", "closed",
                 registered_at="11-02 10:00", dispatched_at="11-02 10:00",
                 deadline="11-05 10:00", finished_at="11-03 10:00",
                 closed_at="11-04 09:00")
        event(c, "register", "11-02 10:00")
        event(c, "dispatch", "11-02 10:00")
        c = case(2, "A", "D1", "resident", "11-09 09:00", "closed",
                 registered_at="11-10 09:00", dispatched_at="11-10 09:00",
                 deadline="11-12 09:00", finished_at="11-13 09:00",
                 closed_at="11-16 10:00")
        event(c, "register", "11-10 09:00")
        event(c, "dispatch", "11-10 09:00")
        tx.insert("case_callback", {"report_id": c, "called_by": "office1",
                                    "called_at": t("11-16 09:30"), "verdict": "basic",
                                    "resolved": 1})
        c = case(3, "A", "D1", "hotline", "11-18 14:00", "in_progress",
                 urgency="urgent", registered_at="11-18 14:30",
                 dispatched_at="11-18 14:30", deadline="11-18 18:30")
        event(c, "register", "11-18 14:30")
        event(c, "dispatch", "11-18 14:30", actor="disp2")
        event(c, "send_back", "11-19 10:00")
        c = case(7, "A", "D2", "resident", "10-26 08:00", "closed",
                 registered_at="10-26 09:00", dispatched_at="10-26 09:00",
                 deadline="10-30 09:00", finished_at="10-30 17:30",
                 closed_at="11-03 09:00")
        event(c, "register", "10-26 09:00")
        tx.insert("case_callback", {"report_id": c, "called_by": "office1",
                                    "called_at": t("11-03 10:00"),
                                    "verdict": "dissatisfied", "resolved": 0,
                                    "reason": "仍有积水"})
        c = case(4, "B", "D2", "patrol", "10-28 09:00", "dispatched",
                 registered_at="10-28 10:00", dispatched_at="10-28 10:00",
                 deadline="11-03 10:00", shelved_at="11-02 10:00")
        event(c, "register", "10-28 10:00")
        c = case(5, "B", "D2", "hotline", "11-20 09:00", "rejected")
        event(c, "reject", "11-20 09:30")
        c = case(6, "B", "D2", "patrol", "11-25 10:00", "dispatched",
                 registered_at="11-25 11:00", dispatched_at="11-25 11:00",
                 deadline="12-03 11:00")
        event(c, "register", "11-25 11:00")
        # a joint task: D1 checks in on time, D2 late; evaluated D1 effective only
        task = tx.insert("joint_task", {"task_no": "T-JT-1", "title": "联合整治",
                                        "state": "evaluated", "created_at": t("11-05 09:00"),
                                        "evaluated_at": t("11-10 09:00")})
        for dep, status, eff in (("D1", "on_time", 1), ("D2", "late", 0)):
            tx.insert("task_department", {"task_id": task, "department_id": ids[dep],
                                          "summoned_at": t("11-05 09:00"),
                                          "checkin_status": status, "effective": eff})
    return ids


@pytest.fixture
def street(empty_workspace):
    ids = build_street(empty_workspace)
    with use_clock(FixedClock(NOW)):
        yield Session(empty_workspace, User(1, "leader1", "领导", Role.LEADER)), ids


def test_grid_indicators_by_hand(street):
    session, ids = street
    table = kpi.compute(session, "2026-11", by="grid")
    a = table.frame.set_index("unit").loc[GRID_A]
    # filed 1,2,3; registered 1,2,3; due 1,2,3; closed 1,2; on time 1 (2 was late)
    assert (a["filed"], a["registered"], a["due"], a["deferred"]) == (3, 3, 3, 0)
    assert (a["closed"], a["closed_on_time"]) == (2, 1)
    assert a["close_rate"] == pytest.approx(2 / 3)
    assert a["on_time_rate"] == pytest.approx(1 / 3)
    # urgent: case 3 due, not closed
    assert a["urgent_on_time_rate"] == 0
    assert a["rework"] == 1 and a["overdue_now"] == 1
    # closed in November with dispatch: 1 (7 h), 2 (21 h), 7 (35 h)
    assert a["handling_mean"] == pytest.approx(21.0)
    assert a["handling_p90"] == pytest.approx(21 + 0.8 * 14)
    # responded in 4 office hours: 1 (1 h), 3 (0.5 h); 2 took 7 h
    assert a["response_rate"] == pytest.approx(2 / 3)
    # callbacks: 2 基本满意 solved, 7 不满意 not solved
    assert a["satisfaction_rate"] == pytest.approx(1 / 2)
    assert a["resolve_rate"] == pytest.approx(1 / 2)
    assert a["label"] == f"{GRID_A} 网格A"


def test_grid_b_rates_without_denominator_are_empty(street):
    session, _ = street
    b = kpi.compute(session, "2026-11", by="grid").frame.set_index("unit").loc[GRID_B]
    # due: 4 (deadline 11-03), deferred (挂账): 4 → 结案率 has nothing to divide
    assert (b["due"], b["deferred"], b["closed"]) == (1, 1, 0)
    assert math.isnan(b["close_rate"])
    assert b["overdue_now"] == 1  # case 4, still dispatched
    assert b["filed"] == 2 and b["response_rate"] == 1.0  # 5 (0.5 h) and 6 (1 h)
    assert math.isnan(b["satisfaction_rate"])


def test_street_totals_and_departments(street):
    session, ids = street
    table = kpi.compute(session, "2026-11", by="department")
    # due 1,2,3,4; deferred 4; closed 1,2 → 2 / (4 - 1)
    assert table.total["close_rate"] == pytest.approx(2 / 3)
    assert table.total["filed"] == 5
    d = table.frame.set_index("unit")
    assert d.loc[ids["D1"], "checkin_rate"] == 1.0
    assert d.loc[ids["D2"], "checkin_rate"] == 0.0
    assert d.loc[ids["D1"], "task_effective_rate"] == 1.0
    assert d.loc[ids["D2"], "task_effective_rate"] == 0.0
    assert d.loc[ids["D2"], "label"] == "测试市监所"


def test_dispatcher_and_category_units(street):
    session, ids = street
    disp = kpi.compute(session, "2026-11", by="dispatcher").frame.set_index("unit")
    assert disp.loc["disp1", "due"] == 2 and disp.loc["disp2", "due"] == 1
    cat = kpi.compute(session, "2026-11", by="category").frame
    assert cat["filed"].tolist() == [5]


def test_drill_down_lists_the_cases_behind_a_figure(street):
    session, ids = street
    rows = kpi.cases_behind(session, "2026-11", "grid", GRID_A, "close_rate")
    assert [r["case_no"] for r in rows] == ["T20260001", "T20260002", "T20260003"]
    assert [r["closed"] for r in rows] == [True, True, False]
    rows = kpi.cases_behind(session, "2026-11", "grid", None, "overdue_now")
    assert {r["case_no"] for r in rows} == {"T20260003", "T20260004"}


def test_empty_period_gives_zeros_and_says_so(street):
    session, _ = street
    table = kpi.compute(session, "2025-01", by="grid")
    assert table.empty and "没有案件数据" in table.note
    assert table.total["filed"] == 0 and math.isnan(table.total["close_rate"])
    assert table.frame.empty


def test_other_periods_and_bad_input(street):
    session, _ = street
    week = kpi.compute(session, "2026-W46", by="grid")  # 11-09 .. 11-15: case 2 only
    assert week.total["filed"] == 1
    rng = kpi.compute(session, "2026-11-18..2026-11-20", by="grid")
    assert rng.total["filed"] == 2  # 3 and 5
    with pytest.raises(ValidationError):
        kpi.compute(session, "November", by="grid")
    with pytest.raises(ValidationError):
        kpi.compute(session, "2026-11", by="planet")


def test_liaison_may_not_read_assessment(street):
    session, _ = street
    liaison = Session(session.store, User(2, "l1", "联络员", Role.LIAISON))
    with pytest.raises(PermissionDenied):
        kpi.compute(liaison, "2026-11")
