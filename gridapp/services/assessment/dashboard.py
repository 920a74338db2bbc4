"""What the leaders' dashboard shows, prepared in one call (run off the GUI thread).

The figures of a period by the chosen unit kind, the street's totals of the
periods before it (trend lines), the same period by department and by
category (bars), the units flagged for consecutive red/yellow periods, and
each unit's worst warning level (the ranking's colours), the heat map of
the cases open at the period's end and, when asked, the map's colouring
(grids and communities by their worst level).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridapp.services.assessment import warnings as warn
from gridapp.services.assessment.heatmap import HeatMap, open_case_heat
from gridapp.services.assessment.indicators import (
    KpiTable,
    _as_period,
    compute,
    compute_all,
)
from gridapp.services.assessment.periods import Period, last_periods
from gridapp.services.session import Session

TREND_PERIODS = 6


@dataclass
class DashboardData:
    period: Period
    by: str
    table: KpiTable
    trend: list[tuple[str, dict[str, float]]]
    departments: KpiTable
    categories: KpiTable
    flags: list[warn.Flag]
    levels: dict[tuple[Any, str], str | None] = field(default_factory=dict)
    worst: dict[Any, str | None] = field(default_factory=dict)
    thresholds: list[warn.Threshold] = field(default_factory=list)
    map_levels: dict[str, dict[int, str]] | None = None  # warnings.map_levels
    heat: HeatMap | None = None  # open cases at the period's end


def dashboard_data(session: Session, period: Period | str, by: str = "grid", *,
                   progress: Any = None, cancel: Any = None,
                   with_map: bool = False, with_heat: bool = True) -> DashboardData:
    """Everything the dashboard draws for *period* by *by*.

    *with_map* adds :func:`warnings.map_levels` (the map coloured by warning level);
    *with_heat* the heat map of open cases (:func:`heatmap.open_case_heat`).
    *cancel* (a :class:`gridapp.progress.CancelToken`) is checked while each
    period's cases are read and between the steps: a cancelled run raises
    :class:`gridapp.errors.Cancelled` within milliseconds.
    """
    session.require("assessment.read")
    period = _as_period(period)
    periods = last_periods(period, TREND_PERIODS)
    steps = len(periods) + 4

    def step(i: int, label: str = "") -> None:
        if cancel is not None:
            cancel.check()
        if progress is not None:
            progress(i, steps, label)

    # one read of the period's cases for the three unit kinds shown
    step(0, period.label)
    both = compute_all(session, period, tuple(dict.fromkeys((by, "department", "category"))),
                       cancel=cancel)
    table, deps, cats = both[by], both["department"], both["category"]
    trend = []
    for i, p in enumerate(periods):
        step(i + 1, p.label)
        if p.label == period.label:  # the period shown, computed above (the street's
            trend.append((p.label, table.total))  # total is the same by any unit)
        else:
            trend.append((p.label, compute(session, p, "grid", cancel=cancel).total))
    step(len(periods) + 1)
    flags = warn.consecutive_flags(session, period, by, cancel=cancel,
                                   known={period.label: table})
    ths = warn._thresholds(session)
    levels = warn.levels(table, ths)
    worst: dict[Any, str | None] = {u: None for u in table.frame["unit"]}
    for (unit, _), lv in levels.items():
        if warn._RANK[lv] > warn._RANK[worst[unit]]:
            worst[unit] = lv
    step(len(periods) + 2)
    on_map = warn.map_levels(session, period) if with_map else None
    step(len(periods) + 3)
    heat = open_case_heat(session, period) if with_heat else None
    if progress is not None:
        progress(steps, steps, "")
    return DashboardData(period, by, table, trend, deps, cats, flags, levels, worst, ths,
                         on_map, heat)
