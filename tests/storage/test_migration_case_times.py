"""Schema 24 (issue 17): the times the indicators need, kept on the case.

The migration fills ``responded_at``, ``dispatched_by`` and (for finished cases)
``finished_at`` from the events of a workspace written before it; the figures
read from the kept columns equal the figures read from the events; the case
workflow keeps them for new steps.
"""

from __future__ import annotations

import pandas as pd
import pytest

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.services.assessment import indicators as kpi
from gridapp.services.cases.workflow import advance_case
from gridapp.services.session import Session, User
from gridapp.storage import open_store
from tests.services.test_assessment import NOW, build_street, t


def _kept(store, rid: int) -> tuple:
    row = store.get("report", rid)
    return row["responded_at"], row["dispatched_by"], row["finished_at"]


def _figures(store) -> dict[str, pd.DataFrame]:
    session = Session(store, User(1, "leader1", "领导", Role.LEADER))
    with use_clock(FixedClock(NOW)):
        tables = kpi.compute_all(session, "2026-11")
    return {k: v.frame for k, v in tables.items()}


def test_migration_fills_kept_times_from_events_and_figures_stay(empty_workspace):
    store = empty_workspace
    ids = build_street(store)
    with store.transaction("test") as tx:
        # case 3 re-dispatched by disp3 after disp2's dispatch: disp3 is kept
        tx.insert("case_event", {"report_id": ids["case3"], "action": "redispatch",
                                 "to_status": "x", "at": t("11-18 15:00"),
                                 "actor": "disp3"})
        # case 7 was written without its finish time; its finish event has it
        tx.update("report", ids["case7"], {"finished_at": None})
        tx.insert("case_event", {"report_id": ids["case7"], "action": "finish",
                                 "to_status": "x", "at": t("10-30 17:30")})
        # case 3 is in progress again after a send-back: a finish event earlier,
        # but no finish time is kept for an open case
        tx.insert("case_event", {"report_id": ids["case3"], "action": "finish",
                                 "to_status": "x", "at": t("11-19 09:00")})
    assert _kept(store, ids["case2"]) == (None, None, t("11-13 09:00"))
    before = _figures(store)  # read from the events (nothing kept yet)

    # the workspace as written before schema 24: reopening applies the migration
    with store.transaction("test") as tx:
        tx.execute("DELETE FROM gridapp_migration WHERE name = '0024_case_times'")
    path = store.path
    store.close()
    with open_store(path) as again:
        assert "0024_case_times" in again.applied_migrations()
        # by hand from the fixture's events
        assert _kept(again, ids["case2"]) == (t("11-10 09:00"), "disp1", t("11-13 09:00"))
        assert _kept(again, ids["case5"]) == (t("11-20 09:30"), None, None)
        assert _kept(again, ids["case3"]) == (t("11-18 14:30"), "disp3", None)
        assert _kept(again, ids["case7"]) == (t("10-26 09:00"), None, t("10-30 17:30"))
        indexes = {r[1]: r for r in again.query("PRAGMA index_list('report')")}
        assert "report_grid_time" in indexes
        cols = [r[2] for r in again.query("PRAGMA index_info('report_grid_time')")]
        assert cols == ["grid_id", "reported_at"]
        after = _figures(again)
    for kind, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[kind], obj=kind)
    # and they are the fixture's hand-computed figures (tests/services/test_assessment)
    grid = after["grid"].set_index("unit")
    assert grid.loc["520102003001001", "closed"] == 2  # cases 1, 2 (7 was not due)
    assert grid.loc["520102003001001", "closed_on_time"] == 1  # case 1 (2 was late)
    assert grid.loc["520102003001002", "responded"] == 2  # case 5 (30 min), 6 (1 h)


@pytest.fixture
def cases_street(empty_workspace):
    from tests.services.test_reports import make_street

    return make_street(empty_workspace)


def test_workflow_keeps_response_dispatcher_and_finish(cases_street):
    from tests.services.test_cases import S, new_case

    street = cases_street
    rid = new_case(street, S.HANDLER_DONE)
    responded, by, finished = _kept(street.store, rid)
    events = {e["action"]: e for e in street.store.query(
        "SELECT action, at, actor FROM case_event WHERE report_id = ?", (rid,))}
    assert responded == events["register"]["at"]
    assert by == events["dispatch"]["actor"] == "dispatcher"
    assert finished == events["finish"]["at"]
    advance_case(street.session("manager"), rid, "send_back", "不彻底")
    assert _kept(street.store, rid)[2] is None  # open again: no handler's report
    rejected = new_case(street, S.REJECTED)
    event = street.store.query("SELECT at FROM case_event WHERE report_id = ? AND "
                               "action = 'reject'", (rejected,))[0]
    assert _kept(street.store, rejected) == (event["at"], None, None)
