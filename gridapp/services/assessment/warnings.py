"""红黄蓝 warnings: thresholds per indicator (editable), levels, consecutive flags.

A threshold row holds two bounds.  For an indicator where more is better a
value below ``red`` is red, below ``yellow`` yellow, the rest blue (on
target); where less is better (overdue cases, rework) above ``red`` is red,
above ``yellow`` yellow.  So ``red`` ≤ ``yellow`` for the first kind and
``red`` ≥ ``yellow`` for the second; bounds that invert are refused.  A unit
red or yellow in each of the last ``periods`` periods is flagged: on the map
(grids and communities coloured by their worst level), in the dashboard and
in the leader's start view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gridapp import i18n
from gridapp.errors import ValidationError
from gridapp.services.assessment import formula as formulas
from gridapp.services.assessment.indicators import (
    KpiTable,
    _indicators,
    compute,
)
from gridapp.services.assessment.periods import Period, last_periods, parse_period
from gridapp.services.session import Session
from gridapp.storage.queries import assessment as queries

LEVELS = {"red": ("红", "red", "#d7301f"), "yellow": ("黄", "yellow", "#f2b701"),
          "blue": ("蓝", "blue", "#2b6cb0")}
_RANK = {None: 0, "blue": 1, "yellow": 2, "red": 3}


@dataclass(frozen=True)
class Threshold:
    indicator: str
    red: float
    yellow: float
    periods: int
    higher_is_better: bool


@dataclass(frozen=True)
class Flag:
    """A unit red or yellow for ``periods`` periods in a row on one indicator."""

    by: str
    unit: Any
    label: str
    indicator: str
    indicator_name: str
    level: str
    periods: int
    values: tuple[float, ...]


def level_of(value: float, th: Threshold) -> str | None:
    """``red``, ``yellow`` or ``blue`` for *value*; None when there is no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if th.higher_is_better:
        return "red" if value < th.red else "yellow" if value < th.yellow else "blue"
    return "red" if value > th.red else "yellow" if value > th.yellow else "blue"


def thresholds(session: Session) -> list[Threshold]:
    """The active thresholds (for the dashboard and the settings view)."""
    session.require("assessment.read")
    return _thresholds(session)


def _thresholds(session: Session) -> list[Threshold]:
    better = {i.code: i.higher_is_better for i in _indicators(session)}
    return [Threshold(r["indicator_code"], float(r["red"]), float(r["yellow"]),
                      int(r["periods"]), better[r["indicator_code"]])
            for r in queries.thresholds(session.store)
            if r["active"] and r["indicator_code"] in better]


def set_threshold(session: Session, indicator: str, red: float, yellow: float,
                  periods: int = 2) -> Threshold:
    """Set (or add) the thresholds of one indicator, audited; administrators only.

    Raises
    ------
    ValidationError
        Unknown indicator, bounds that invert or overlap, a rate outside 0–1,
        or fewer than one period.
    """
    session.require("assessment.configure")
    inds = {i.code: i for i in _indicators(session)}
    ind = inds.get(indicator)
    if ind is None:
        raise ValidationError("未知的指标“{code}”", "Unknown indicator '{code}'",
                              code=indicator)
    red, yellow, periods = float(red), float(yellow), int(periods)
    if ind.higher_is_better and red >= yellow:
        raise ValidationError(
            "“{name}”越高越好：红色线（{red}）必须低于黄色线（{yellow}）",
            "'{name}' is better when higher: the red bound ({red}) must be below "
            "the yellow one ({yellow})", name=ind.name, red=red, yellow=yellow)
    if not ind.higher_is_better and red <= yellow:
        raise ValidationError(
            "“{name}”越低越好：红色线（{red}）必须高于黄色线（{yellow}）",
            "'{name}' is better when lower: the red bound ({red}) must be above "
            "the yellow one ({yellow})", name=ind.name, red=red, yellow=yellow)
    if ind.unit == "ratio" and not (0 <= red <= 1 and 0 <= yellow <= 1):
        raise ValidationError(
            "“{name}”是比率，阈值须在 0 到 1 之间（如 0.85 表示 85%）",
            "'{name}' is a rate: bounds must lie between 0 and 1 (0.85 = 85%)",
            name=ind.name)
    if periods < 1:
        raise ValidationError("连续周期数至少为 1", "At least one period is needed",
                              periods=periods)
    with session.transaction() as tx:
        tid = queries.threshold_id(tx, indicator)
        values = {"red": red, "yellow": yellow, "periods": periods, "active": 1}
        if tid is None:
            tx.insert("kpi_threshold", {"indicator_code": indicator, **values})
        else:
            tx.update("kpi_threshold", tid, values)
    return Threshold(indicator, red, yellow, periods, ind.higher_is_better)


def set_formula(session: Session, indicator: str, formula: str) -> None:
    """Change an indicator's formula, audited; administrators only.

    The formula is checked first (:func:`formula.parse`): only + - * /,
    parentheses, numbers and measure names.
    """
    session.require("assessment.configure")
    formulas.parse(formula)
    rows = {r["code"]: r for r in queries.indicators(session.store, active_only=False)}
    if indicator not in rows:
        raise ValidationError("未知的指标“{code}”", "Unknown indicator '{code}'",
                              code=indicator)
    with session.transaction() as tx:
        tx.update("kpi_indicator", rows[indicator]["id"], {"formula": formula.strip()})


def levels(table: KpiTable, ths: list[Threshold]) -> dict[tuple[Any, str], str | None]:
    """(unit, indicator) → level for every unit of *table*."""
    out: dict[tuple[Any, str], str | None] = {}
    for th in ths:
        if th.indicator not in table.frame:
            continue
        for unit, value in zip(table.frame["unit"], table.frame[th.indicator],
                               strict=True):
            out[(unit, th.indicator)] = level_of(value, th)
    return out


def worst_levels(session: Session, period: Period | str,
                 by: str = "grid") -> dict[Any, str | None]:
    """unit → its worst level over all thresholded indicators (map colouring)."""
    session.require("assessment.read")
    table = compute(session, period, by)
    worst: dict[Any, str | None] = {u: None for u in table.frame["unit"]}
    for (unit, _), lv in levels(table, _thresholds(session)).items():
        if _RANK[lv] > _RANK[worst[unit]]:
            worst[unit] = lv
    return worst


def grid_colours(session: Session, period: Period | str) -> dict[int, str]:
    """Current grid id → fill colour of its worst level (the map's colouring hook)."""
    session.require("assessment.read")
    ids = queries.current_grid_codes(session.store)
    return {ids[code]: LEVELS[lv][2] for code, lv in
            worst_levels(session, period, "grid").items() if lv and code in ids}


def map_levels(session: Session, period: Period | str) -> dict[str, dict[int, str]]:
    """The map's colouring by warning level: ``{"grid": {grid id: level},
    "community": {community id: level}}``, each unit's worst level over the
    thresholded indicators of *period*.  Units without a level (no figure to
    judge) are left out; only current grids are keyed (by id, as the map's
    grid layer is).
    """
    session.require("assessment.read")
    period = period if isinstance(period, Period) else parse_period(period)
    ids = queries.current_grid_codes(session.store)
    grids = {ids[str(code)]: lv for code, lv in worst_levels(session, period, "grid").items()
             if lv and str(code) in ids}
    comms = {int(unit): lv for unit, lv in worst_levels(session, period, "community").items()
             if lv and unit is not None and not (isinstance(unit, float) and math.isnan(unit))}
    return {"grid": grids, "community": comms}


def consecutive_flags(session: Session, period: Period | str,
                      by: str = "grid", *, cancel: Any = None,
                      known: dict[str, KpiTable] | None = None) -> list[Flag]:
    """Units red or yellow on an indicator in each of its last ``periods`` periods.

    The level reported is the mildest of those periods (red only when red all
    along).  Flags are ordered red first, then by indicator and unit.
    *known*: tables by *by* already computed, by period label (the dashboard's
    current period), not computed again; *cancel* is checked between periods.
    """
    session.require("assessment.read")
    period = period if isinstance(period, Period) else parse_period(period)
    ths = _thresholds(session)
    if not ths:
        return []
    depth = max(th.periods for th in ths)
    known = known or {}
    tables = [known[p.label] if p.label in known else compute(session, p, by, cancel=cancel)
              for p in last_periods(period, depth)]
    names = {i.code: i.name for i in tables[-1].indicators}
    last = tables[-1].frame.set_index("unit")
    out: list[Flag] = []
    for th in ths:
        window = tables[-th.periods:]
        # plain dicts: a district's 5,000 grids x periods looked up one by one
        series = [dict(zip(t.frame["unit"], t.frame[th.indicator].astype(float),
                           strict=True)) if th.indicator in t.frame
                  else None for t in window]
        if any(s is None for s in series):
            continue
        for unit in last.index:
            vals = [s.get(unit, float("nan")) for s in series]
            lvs = [level_of(v, th) for v in vals]
            if all(lv in ("red", "yellow") for lv in lvs):
                lv = "red" if all(x == "red" for x in lvs) else "yellow"
                out.append(Flag(by, unit, str(last.loc[unit, "label"]), th.indicator,
                                names.get(th.indicator, th.indicator), lv, th.periods,
                                tuple(vals)))
    out.sort(key=lambda f: (-_RANK[f.level], f.indicator, str(f.unit)))
    return out


def flag_text(flag: Flag) -> str:
    zh, en, _ = LEVELS[flag.level]
    return i18n.pick(f"{flag.label}：{flag.indicator_name}连续{flag.periods}期{zh}色预警",
                     f"{flag.label}: {flag.indicator_name} {en} for {flag.periods} periods")
