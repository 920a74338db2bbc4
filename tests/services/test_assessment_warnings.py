"""红黄蓝 thresholds, levels, consecutive-period flags and the map colouring hook.

On the street of test_assessment: grid A's 结案率 is 2/3 in November and 0/1 in
October (case 7 fell due on 10-30 and closed on 11-03); 按期结案率 1/3 and 0/1;
响应率 2/3 in November, 1/1 in October; grid B had nothing due that it could
close (its only due case was put on the 挂账 list), so its rates are empty.
"""

from __future__ import annotations

import pytest

from gridapp.domain.enums import Role
from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.assessment import indicators as kpi
from gridapp.services.assessment import warnings as warn
from gridapp.services.session import Session, User
from tests.services.test_assessment import GRID_A, GRID_B, street  # noqa: F401


@pytest.fixture
def admin(street):  # noqa: F811
    session, ids = street
    return Session(session.store, User(None, "admin", "管理员", Role.ADMIN)), ids


def test_levels_with_default_thresholds(street):  # noqa: F811
    session, ids = street
    worst = warn.worst_levels(session, "2026-11", "grid")
    # A: 结案率 2/3 < 0.80 → red; B: overdue 1 (not above yellow 1) → blue, rates empty
    assert worst == {GRID_A: "red", GRID_B: "blue"}
    colours = warn.grid_colours(session, "2026-11")
    assert colours == {ids["A"]: warn.LEVELS["red"][2], ids["B"]: warn.LEVELS["blue"][2]}


def test_consecutive_flags(street):  # noqa: F811
    session, _ = street
    flags = warn.consecutive_flags(session, "2026-11", "grid")
    # A is red on 结案率 and 按期结案率 both months; 响应率 was blue in October
    assert [(f.unit, f.indicator, f.level) for f in flags] == [
        (GRID_A, "close_rate", "red"), (GRID_A, "on_time_rate", "red")]
    assert flags[0].values == pytest.approx((0.0, 2 / 3))
    assert "连续2期红色预警" in warn.flag_text(flags[0])


def test_admin_edits_thresholds_and_bad_bounds_are_refused(admin):
    session, _ = admin
    with pytest.raises(ValidationError, match="必须低于"):
        warn.set_threshold(session, "close_rate", red=0.9, yellow=0.8)
    with pytest.raises(ValidationError, match="必须低于"):
        warn.set_threshold(session, "close_rate", red=0.8, yellow=0.8)
    with pytest.raises(ValidationError, match="必须高于"):
        warn.set_threshold(session, "overdue_now", red=1, yellow=3)
    with pytest.raises(ValidationError, match="0 到 1"):
        warn.set_threshold(session, "close_rate", red=70, yellow=85)
    with pytest.raises(ValidationError, match="未知的指标"):
        warn.set_threshold(session, "nonsense", red=0.1, yellow=0.2)
    assert {t.indicator: t.red for t in warn.thresholds(session)}["close_rate"] == 0.8
    warn.set_threshold(session, "close_rate", red=0.5, yellow=0.7, periods=2)
    flags = warn.consecutive_flags(session, "2026-11", "grid")
    # November 2/3 is now yellow, October 0 still red: flagged yellow (the milder)
    assert (GRID_A, "close_rate", "yellow") in [(f.unit, f.indicator, f.level)
                                                for f in flags]


def test_formulas_are_data_and_checked(admin):
    session, _ = admin
    for bad in ("__import__('os').system('x')", "closed ** 2", "closed / nothing", ""):
        with pytest.raises(ValidationError, match="公式"):
            warn.set_formula(session, "close_rate", bad)
    warn.set_formula(session, "close_rate", "closed_on_time / due")
    a = kpi.compute(session, "2026-11", "grid").frame.set_index("unit").loc[GRID_A]
    assert a["close_rate"] == pytest.approx(1 / 3)


def test_only_admin_configures(street):  # noqa: F811
    session, _ = street
    with pytest.raises(PermissionDenied):
        warn.set_threshold(session, "close_rate", red=0.5, yellow=0.7)
    with pytest.raises(PermissionDenied):
        warn.set_formula(session, "close_rate", "closed / due")


def test_map_levels_grids_and_communities(street):  # noqa: F811
    session, ids = street
    levels = warn.map_levels(session, "2026-11")
    # grids as in test_levels_with_default_thresholds; the community holds A and B:
    # 结案率 2 / (4 - 1) = 66.7% < 80% → red
    assert levels == {"grid": {ids["A"]: "red", ids["B"]: "blue"},
                      "community": {ids["comm"]: "red"}}
    # a month without cases judges nobody: nothing to colour
    assert warn.map_levels(session, "2025-01") == {"grid": {}, "community": {}}
