"""The demo street gives the dashboard something to show (issue 17): 回访 on its
resident and 12345 cases, red and blue grids, a 满意率."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from gridapp.domain.timeutil import LOCAL_TZ, FixedClock, use_clock
from gridapp.services.assessment.dashboard import dashboard_data
from gridapp.services.assessment.periods import parse_period
from gridapp.services.session import system_session
from gridapp.storage import open_store


@pytest.fixture(scope="module")
def demo(demo_file):
    store = open_store(demo_file, readonly=True)
    yield store
    store.close()


def _as_of(store) -> date:
    return date.fromisoformat(store.setting("demo.spec")["as_of"])


def test_resident_and_hotline_cases_are_called_back(demo):
    verdicts = dict(demo.query("SELECT verdict, count(*) FROM case_callback GROUP BY verdict"))
    total = sum(verdicts.values())
    assert total > 300
    assert set(verdicts) == {"satisfied", "basic", "dissatisfied"}
    assert 0.03 < verdicts["dissatisfied"] / total < 0.25
    wrong = demo.scalar("SELECT count(*) FROM case_callback c JOIN report r ON r.id = c.report_id"
                        " WHERE r.source NOT IN ('resident', 'hotline')")
    assert wrong == 0
    # the workflow's gate holds: no resident or 12345 case closed without a callback
    # after its last verification
    missing = demo.scalar(
        """SELECT count(*) FROM report r WHERE r.status = 'closed'
           AND r.source IN ('resident', 'hotline')
           AND NOT EXISTS (SELECT 1 FROM case_callback c WHERE c.report_id = r.id
               AND c.called_at >= (SELECT max(at) FROM case_event e
                                   WHERE e.report_id = r.id AND e.action = 'verify')
               AND c.called_at <= r.closed_at)""")
    assert missing == 0


def test_a_dissatisfied_callback_sends_the_case_back_once(demo):
    rows = demo.query(
        """SELECT c.report_id, c.called_at,
                  (SELECT count(*) FROM case_event e WHERE e.report_id = c.report_id
                   AND e.action = 'send_back' AND e.at = c.called_at
                   AND e.from_status = 'verified')
           FROM case_callback c WHERE c.reopened = 1""")
    assert len(rows) >= 5
    assert all(r[2] == 1 for r in rows)
    per_case = demo.query("SELECT count(*) FROM case_callback WHERE reopened = 1"
                          " GROUP BY report_id HAVING count(*) > 1")
    assert per_case == []
    # reasons are given for every 不满意
    assert demo.scalar("SELECT count(*) FROM case_callback WHERE verdict = 'dissatisfied'"
                       " AND (reason IS NULL OR reason = '')") == 0


def test_the_demo_dashboard_shows_red_and_blue_grids_and_a_satisfaction_rate(demo):
    as_of = _as_of(demo)
    # "now" for the demo is its as-of morning; its history ends the day before, so
    # the month shown is that day's (the current month, unless the as-of is the 1st)
    last = as_of - timedelta(days=1)
    now = datetime.combine(as_of, time(9, 0), LOCAL_TZ)
    with use_clock(FixedClock(now)):
        data = dashboard_data(system_session(demo), parse_period(f"{last:%Y-%m}"), "grid")
    levels = list(data.worst.values())
    assert levels.count("red") >= 1
    assert levels.count("blue") >= 1
    sat = data.table.total["satisfaction_rate"]
    assert sat == sat and 0.5 < sat < 1.0  # a figure, not NaN, and not everybody happy
    assert data.table.total["callbacks"] > 0
    assert data.table.total["response_rate"] == data.table.total["response_rate"]


def test_the_demo_keeps_each_case_s_response_and_dispatcher_on_the_report(demo):
    """Schema 24's kept times are filled by the demo generator too (not only by the
    workflow), so its figures do not fall back to reading events case by case."""
    missing = demo.scalar(
        "SELECT count(*) FROM report r WHERE r.responded_at IS NULL AND EXISTS ("
        " SELECT 1 FROM case_event e WHERE e.report_id = r.id AND e.action IN ('register', 'reject'))")
    assert missing == 0
    first = demo.query(
        "SELECT r.responded_at, (SELECT min(e.at) FROM case_event e WHERE e.report_id = r.id"
        " AND e.action IN ('register', 'reject')) FROM report r WHERE r.responded_at IS NOT NULL"
        " ORDER BY r.id LIMIT 50")
    assert len(first) == 50 and all(a == b for a, b in first)
    dispatched = demo.scalar("SELECT count(*) FROM report WHERE dispatched_by IS NOT NULL")
    assert dispatched > 100
