"""The leader's start view figures (issue 17), on the hand-computed street of
tests/services/test_assessment.py, with the clock on 2026-12-10.

December to date: due 1 (case 6, deadline 12-03), not closed → 结案率 and 按期结案率
0/1 = 0.0%, red; no callback in December → 满意率 —; overdue now: cases 3, 4 and 6
(past their deadlines, still open) → 3, yellow (above 1, not above 3).  Flags are
judged on November (the last complete month): grid A and its community 测试社区 red
on 结案率 and 按期结案率 two months running (October 0/1, November 2/3 and 1/3).
"""

from __future__ import annotations

import pytest

from gridapp.domain.enums import Role
from gridapp.errors import PermissionDenied
from gridapp.services.assessment.leader import leader_summary
from gridapp.services.session import Session, User
from tests.services.test_assessment import GRID_A, street  # noqa: F401


def test_leader_summary_by_hand(street):  # noqa: F811
    session, _ = street
    s = leader_summary(session)
    assert s.month.label == "2026-12" and s.flag_period.label == "2026-11"
    figures = {f.code: f for f in s.figures}
    assert list(figures) == ["close_rate", "on_time_rate", "satisfaction_rate", "overdue_now"]
    assert (figures["close_rate"].text, figures["close_rate"].level) == ("0.0%", "red")
    assert (figures["on_time_rate"].text, figures["on_time_rate"].level) == ("0.0%", "red")
    assert figures["satisfaction_rate"].text == "—"
    assert figures["satisfaction_rate"].level is None
    assert (figures["overdue_now"].text, figures["overdue_now"].level) == ("3", "yellow")
    assert [(f.by, f.label, f.indicator, f.level) for f in s.flags] == [
        ("grid", f"{GRID_A} 网格A", "close_rate", "red"),
        ("grid", f"{GRID_A} 网格A", "on_time_rate", "red"),
        ("community", "测试社区", "close_rate", "red"),
        ("community", "测试社区", "on_time_rate", "red")]
    assert s.counts == {"red": 4, "yellow": 0}


def test_leader_summary_needs_assessment_read(street):  # noqa: F811
    session, _ = street
    manager = Session(session.store, User(None, "wgy", "网格员", Role.MANAGER))
    with pytest.raises(PermissionDenied):
        leader_summary(manager)
