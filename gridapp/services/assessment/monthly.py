"""What the 月度考核通报 (monthly assessment report) prints, checked for the role.

:func:`monthly_report` reads the figures of one period (a month as a rule,
any period works) and returns them as text, ready to lay out: the street's
key figures, the indicators by grid, community and department with each
thresholded figure's 红黄蓝 level, the units flagged for staying red or
yellow, the street's figures over the last six periods, the categories with
most reports, and the formulas and thresholds they were computed with.  The page
is drawn by :func:`gridapp.printing.monthly_report.write_monthly_report`
(services never draw).  It needs ``assessment.read`` and ``export.data``,
as the Excel export does: the report leaves the program.

Examples
--------
>>> report = monthly_report(session, "2026-11")                     # doctest: +SKIP
>>> write_monthly_report(report, "通报_2026-11.pdf")                 # doctest: +SKIP
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from gridapp.domain.timeutil import now_utc
from gridapp.services.assessment import formula as formulas
from gridapp.services.assessment import warnings as warn
from gridapp.services.assessment.indicators import (
    UNIT_KINDS,
    Indicator,
    KpiTable,
    _as_period,
    compute,
    compute_all,
)
from gridapp.services.assessment.periods import Period, last_periods
from gridapp.services.session import Session
from gridapp.storage.queries import maps as map_rows

KEY_FIGURES = ("filed", "registered", "due", "closed", "close_rate", "on_time_rate",
               "rework", "overdue_now", "response_rate", "satisfaction_rate",
               "resolve_rate", "handling_mean")
TABLE_COLUMNS = ("filed", "due", "closed", "close_rate", "on_time_rate", "rework",
                 "overdue_now", "response_rate", "satisfaction_rate")
DEPARTMENT_EXTRA = ("checkin_rate",)
REPORT_KINDS = ("grid", "community", "department")
TREND_COLUMNS = ("filed", "due", "closed", "close_rate", "on_time_rate",
                 "satisfaction_rate", "overdue_now")
TREND_PERIODS = 6
TREND_CHART = ("close_rate", "on_time_rate", "satisfaction_rate")
DEPARTMENT_CHART = ("close_rate", "on_time_rate")
CATEGORY_COLUMNS = ("filed", "due", "closed", "close_rate", "rework", "overdue_now")
TOP_CATEGORIES = 10
LEVEL_ZH = {lv: zh for lv, (zh, _en, _c) in warn.LEVELS.items()}


def format_value(value: float | None, unit: str) -> str:
    """A figure as printed: rates in percent, hours with one decimal, counts whole."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "ratio":
        return f"{value:.1%}"
    if unit in ("hours", "score"):
        return f"{value:.1f}"
    return f"{value:.0f}"


def readable_formula(text: str) -> str:
    """*text* with measure names in Chinese: ``closed / due`` → ``结案数 / 应结案数``."""
    names = {m: zh for m, (zh, _en) in formulas.MEASURES.items()}
    return re.sub(r"[A-Za-z_][A-Za-z0-9_]*",
                  lambda m: names.get(m.group(0), m.group(0)), text)


@dataclass(frozen=True)
class Column:
    code: str
    name: str
    unit: str
    thresholded: bool


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[str, ...]  # as printed, one per column
    levels: tuple[str | None, ...]  # 红黄蓝 level per column (None: no threshold/value)
    worst: str | None


@dataclass(frozen=True)
class UnitTable:
    by: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: Row
    counts: dict[str, int]  # units per worst level: red, yellow, blue


@dataclass(frozen=True)
class FlagLine:
    kind: str  # 网格 / 社区 / 职能部门
    unit: str
    indicator: str
    level: str
    periods: int
    values: str  # oldest first, as printed


@dataclass(frozen=True)
class FormulaLine:
    name: str
    formula: str
    thresholds: str
    description: str


@dataclass
class MonthlyReport:
    """Everything the monthly report prints, as text (no Qt, no figures to format)."""

    period: Period
    street: str
    office: str
    computed_at: datetime
    note: str
    key_figures: list[tuple[str, str]]
    tables: list[UnitTable]
    flags: list[FlagLine]
    formulas: list[FormulaLine]
    warning_counts: dict[str, int] = field(default_factory=dict)  # grids by worst level
    trend_columns: list[str] = field(default_factory=list)
    trend: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # oldest first
    category_columns: list[str] = field(default_factory=list)
    categories: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # the charts' numbers (rates 0..1, None where nothing to divide): the trend
    # lines over the trend's periods, and bars per department
    trend_chart: list[tuple[str, list[float | None]]] = field(default_factory=list)
    department_labels: list[str] = field(default_factory=list)
    department_chart: list[tuple[str, list[float | None]]] = field(default_factory=list)

    @property
    def title(self) -> str:
        p = self.period
        if p.kind == "month":
            when = f"{p.start.year}年{p.start.month}月"
        else:
            when = p.label
        return f"{self.street}网格化管理{when}考核通报"

    @property
    def span(self) -> str:
        last = self.period.end - timedelta(days=1)
        return f"{self.period.start:%Y-%m-%d} 至 {last:%Y-%m-%d}"


def _threshold_text(th: warn.Threshold, unit: str) -> str:
    def f(v: float) -> str:
        return format_value(v, unit)

    op = "<" if th.higher_is_better else ">"
    return (f"红 {op} {f(th.red)}，黄 {op} {f(th.yellow)}；"
            f"连续 {th.periods} 期红/黄即通报")


def _unit_table(table: KpiTable, ths: dict[str, warn.Threshold]) -> UnitTable:
    inds = {i.code: i for i in table.indicators}
    codes = TABLE_COLUMNS + (DEPARTMENT_EXTRA if table.by == "department" else ())
    cols = tuple(Column(c, inds[c].name_zh, inds[c].unit, c in ths)
                 for c in codes if c in inds)

    def row(label: str, values: dict[str, float]) -> Row:
        levels = tuple(warn.level_of(values.get(c.code, math.nan), ths[c.code])
                       if c.thresholded else None for c in cols)
        worst: str | None = None
        for lv in levels:
            if warn._RANK[lv] > warn._RANK[worst]:
                worst = lv
        return Row(label, tuple(format_value(values.get(c.code), c.unit) for c in cols),
                   levels, worst)

    rows = tuple(row(str(r["label"]), r) for r in table.frame.to_dict("records"))
    counts = {lv: sum(1 for r in rows if r.worst == lv) for lv in warn.LEVELS}
    return UnitTable(table.by, UNIT_KINDS[table.by][0], cols, rows,
                     row("合计（全街道）", table.total), counts)


def monthly_report(session: Session, period: Period | str) -> MonthlyReport:
    """The 月度考核通报 of *period* (``2026-11``; any period text works).

    Needs ``assessment.read`` and ``export.data``.
    """
    session.require("assessment.read")
    session.require("export.data")
    period = _as_period(period)
    ths = {t.indicator: t for t in warn._thresholds(session)}
    every = compute_all(session, period, (*REPORT_KINDS, "category"))  # one read
    kpis = [every[by] for by in REPORT_KINDS]
    inds: dict[str, Indicator] = {i.code: i for i in kpis[0].indicators}
    total = kpis[0].total
    key = [(inds[c].name_zh, format_value(total.get(c), inds[c].unit))
           for c in KEY_FIGURES if c in inds]
    tables = [_unit_table(t, ths) for t in kpis]
    flags: list[FlagLine] = []
    for by in REPORT_KINDS:
        for f in warn.consecutive_flags(session, period, by):
            unit = inds[f.indicator].unit if f.indicator in inds else "count"
            flags.append(FlagLine(UNIT_KINDS[by][0], f.label, f.indicator_name, f.level,
                                  f.periods,
                                  " → ".join(format_value(v, unit) for v in f.values)))
    lines = [FormulaLine(i.name_zh, readable_formula(i.formula),
                         _threshold_text(ths[i.code], i.unit) if i.code in ths else "",
                         i.description) for i in kpis[0].indicators]
    trend_cols = [c for c in TREND_COLUMNS if c in inds]
    trend_tables = [(p, kpis[0] if p == period else compute(session, p, "grid"))
                    for p in last_periods(period, TREND_PERIODS)]
    trend = [(p.label, tuple(format_value(t.total.get(c), inds[c].unit) for c in trend_cols))
             for p, t in trend_tables]
    trend_chart = [(inds[c].name_zh, [_number(t.total.get(c)) for _p, t in trend_tables])
                   for c in TREND_CHART if c in inds]
    deps = kpis[REPORT_KINDS.index("department")].frame
    dep_chart = [(inds[c].name_zh, [_number(v) for v in deps[c]])
                 for c in DEPARTMENT_CHART if c in inds and c in deps]
    cat = every["category"].frame
    cat_cols = [c for c in CATEGORY_COLUMNS if c in inds]
    if len(cat):
        cat = cat.sort_values(["filed", "label"], ascending=[False, True]).head(TOP_CATEGORIES)
    categories = [(str(r["label"]), tuple(format_value(r[c], inds[c].unit) for c in cat_cols))
                  for r in cat.to_dict("records")]
    street, office = map_rows.place_names(session.store)
    return MonthlyReport(period, street or "本街道", office or street or "本街道",
                         now_utc(), kpis[0].note, key, tables, flags, lines,
                         dict(tables[0].counts),
                         [inds[c].name_zh for c in trend_cols], trend,
                         [inds[c].name_zh for c in cat_cols], categories, trend_chart,
                         [str(v) for v in deps["label"]], dep_chart)


def _number(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
