"""Indicators per period and unit, from the formulas in the ``kpi_indicator`` table.

Each case a period touches is reduced to flags (:data:`formula.CASE_FLAGS`):
filed in the period, due in it, closed by its end, closed on time, sent back,
overdue at its end, answered within the response limit, called back with
which verdict...  Summing flags per unit gives the measures; each indicator's
formula (data, editable) turns measures into figures.  The same flags give
the list of cases behind every figure (:func:`cases_behind`).

Definitions (period ``[start, end)``, *as of* = the end, or now while it runs):

* 上报数 filed: reported in the period; 立案数: registered in it.
* 应结案数 due: dispatched cases whose deadline falls in the period; 缓办数:
  those put on the 挂账 list; 结案数: those closed before the period ended;
  按期结案数: closed, and the handler reported done (处置反馈) no later than the
  deadline (verification and closing follow it).  Urgent cases counted apart too.
* 返工数: cases sent back in the period (each case once).
* 超期数: dispatched cases open at *as of* and past their deadline.
* handling time: office hours from dispatch to the handler's report (or to
  closing) for cases closed in the period; mean and 90th percentile.
* 按时响应: filed in the period and registered or answered (不予立案) within
  ``assessment.response_hours`` office hours (default 4).
* 回访, 满意, 基本满意, 不满意, 已解决: the last callback in the period.
* joint tasks (departments only): summons in the period and check-ins on time;
  tasks evaluated in the period and judged effective.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gridapp import i18n
from gridapp.domain.enums import OPEN_CASE_STATUSES
from gridapp.domain.timeutil import now_utc, to_iso
from gridapp.errors import ValidationError
from gridapp.services.assessment import formula as formulas
from gridapp.services.assessment import unit_sums
from gridapp.services.assessment.periods import Period, parse_period
from gridapp.services.assessment.workhours import office_hours_between
from gridapp.services.cases.calendar import workspace_calendar
from gridapp.services.session import Session
from gridapp.storage.queries import assessment as queries

UNIT_KINDS: dict[str, tuple[str, str]] = {
    "grid": ("网格", "Grid"),
    "community": ("社区", "Community"),
    "manager": ("网格员", "Grid manager"),
    "dispatcher": ("调度员", "Dispatcher"),
    "department": ("职能部门", "Department"),
    "category": ("事件类别", "Category"),
}
_KEY = {"grid": "grid_code", "community": "community_id", "manager": "manager_id",
        "dispatcher": "dispatcher", "department": "department_id",
        "category": "category_id"}
DEFAULT_RESPONSE_HOURS = 4.0


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    formula: str
    unit: str
    higher_is_better: bool
    description: str = ""

    @property
    def name(self) -> str:
        return i18n.pick(self.name_zh, self.name_en)


@dataclass
class KpiTable:
    """Figures of one period by one unit kind.

    ``frame`` has one row per unit: ``unit`` (the key), ``label``, every measure
    and every indicator (by code; NaN where a rate has nothing to divide).
    ``total`` is the same for the whole street.  ``empty`` says the period
    had no data at all (figures are zeros, rates empty, not an error).
    """

    period: Period
    by: str
    indicators: list[Indicator]
    frame: pd.DataFrame
    total: dict[str, float]
    empty: bool

    @property
    def note(self) -> str:
        if self.empty:
            return i18n.pick("{p}：本期没有案件数据，各项计数为 0，比率无法计算",
                             "{p}: no cases in this period; counts are 0, rates empty"
                             ).format(p=self.period.label)
        return ""

    def value(self, unit: Any, code: str) -> float:
        row = self.frame.loc[self.frame["unit"] == unit]
        return float(row[code].iloc[0]) if len(row) else float("nan")


def load_indicators(session: Session) -> list[Indicator]:
    """The active indicators, in display order (formulas as stored)."""
    session.require("assessment.read")
    return _indicators(session)


def _indicators(session: Session) -> list[Indicator]:
    return [Indicator(r["code"], r["name_zh"], r["name_en"], r["formula"], r["unit"],
                      bool(r["higher_is_better"]), r["description"] or "")
            for r in queries.indicators(session.store)]


def _as_period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else parse_period(period)


def _check_by(by: str) -> None:
    if by not in UNIT_KINDS:
        raise ValidationError(
            "未知的考核对象“{by}”，可选：{kinds}", "Unknown unit kind '{by}'; use {kinds}",
            by=by, kinds=", ".join(UNIT_KINDS))


def _case_flags(session: Session, period: Period,
                kinds: tuple[str, ...] = tuple(UNIT_KINDS)) -> pd.DataFrame:
    """One row per case the period touches, one boolean column per case measure,
    and the unit columns of *kinds* (finding each case's last dispatcher, the
    grids' codes ... only when asked)."""
    start, end = period.iso_bounds()
    now = now_utc()
    asof = to_iso(min(now, period.end_utc)) or end
    opened = sorted(s.value for s in OPEN_CASE_STATUSES)
    units = [_SOURCE[k] for k in kinds if k != "dispatcher"]
    columns, values = queries.case_facts(session.store, start, end, asof, opened,
                                         units=units,
                                         with_dispatcher="dispatcher" in kinds)
    if not values:
        f = pd.DataFrame(columns=[*columns, "grid_code"])
        for m in formulas.CASE_FLAGS:
            f[m] = pd.Series(dtype=bool)
        f["handling_hours"] = pd.Series(dtype=float)
        return f
    f = _frame(columns, values, queries.grid_codes(session.store) if "grid" in kinds
               else None)
    t = {c: _utc(f.pop(c).to_numpy(float)) for c in _TIMES}
    bits = f.pop("flags").to_numpy(np.int64)
    for i, c in enumerate(queries.CASE_SQL_FLAGS):  # decided in SQL, one bit each
        f[c] = (bits >> i) & 1 == 1
    verdict = pd.Series(bits >> queries.VERDICT_SHIFT, index=f.index)
    urgent = f.pop("urgent")
    f["urgent_due"] = f["due"] & urgent
    f["urgent_deferred"] = f["deferred"] & urgent
    f["urgent_closed"] = f["closed"] & urgent
    f["urgent_closed_on_time"] = f["closed_on_time"] & urgent
    cal = workspace_calendar(session.store)
    limit = float(session.store.setting("assessment.response_hours",
                                        DEFAULT_RESPONSE_HOURS))
    # the times come only where a figure needs them: filed cases' report and
    # response, handled cases' dispatch and the handler's report (处置反馈)
    answer = office_hours_between(cal, t["reported_at"], t["responded_at"])
    f["responded"] = f["filed"] & t["responded_at"].notna() & (
        np.nan_to_num(answer, nan=np.inf) <= limit)
    hours = office_hours_between(cal, t["dispatched_at"], t["done_at"])
    f["handled"] = ~np.isnan(hours)
    f["handling_hours"] = hours
    f["callbacks"] = verdict.gt(0)
    f["satisfied"] = verdict.eq(queries.VERDICT_CODES["satisfied"])
    f["basic"] = verdict.eq(queries.VERDICT_CODES["basic"])
    f["dissatisfied"] = verdict.eq(queries.VERDICT_CODES["dissatisfied"])
    f["resolved"] = f["callbacks"] & f["resolved"]
    return f


_SOURCE = {"grid": "grid_id", "community": "community_id", "manager": "manager_id",
           "department": "department_id", "category": "category_id"}
_TIMES = ("reported_at", "responded_at", "dispatched_at", "done_at")
_IDS = ("id", *_SOURCE.values())
_JD_UNIX_EPOCH = 2440587.5


def _frame(columns: list[str], values: list[tuple[Any, ...]],
           codes: dict[int, str] | None) -> pd.DataFrame:
    """The facts' columns as a frame: numbers as float arrays (NULL → NaN), ids as
    int64 where a column has no gaps (as a frame built from the rows would have
    them), ``grid_code`` from ``grid_id`` (given the grids' *codes*)."""
    cols = dict(zip(columns, values, strict=True))
    data: dict[str, Any] = {}
    for c in columns:
        if c == "dispatcher":
            data[c] = pd.Series(cols[c], dtype=object)
            continue
        v = np.array(cols[c], dtype=float)
        if c in (*_IDS, "flags") and not np.isnan(v).any():
            v = v.astype(np.int64)
        data[c] = v
    f = pd.DataFrame(data)
    if codes is not None:
        f["grid_code"] = f["grid_id"].map(codes)
    return f


def _utc(jd: np.ndarray) -> pd.Series:
    """``julianday`` numbers (UTC) → aware datetimes, to the millisecond GridApp
    stores (rounding undoes the float's last bits, so equal texts stay equal and
    a time on a period's bound stays on it); NaN → NaT."""
    ms = np.rint((jd - _JD_UNIX_EPOCH) * 86_400_000.0)
    bad = np.isnan(ms)
    v = np.where(bad, 0, ms).astype(np.int64).view("datetime64[ms]")
    v[bad] = np.datetime64("NaT")
    return pd.Series(pd.DatetimeIndex(v).tz_localize("UTC").as_unit("ns"))


def _task_measures(session: Session, period: Period) -> pd.DataFrame:
    start, end = period.iso_bounds()
    rows = queries.task_facts(session.store, start, end)
    cols = ["checkins", "checkins_on_time", "tasks_evaluated", "tasks_effective"]
    if not rows:
        return pd.DataFrame(columns=["unit", *cols])
    d = pd.DataFrame(rows)
    summoned = (d["summoned_at"].fillna("") >= start) & (d["summoned_at"].fillna("") < end)
    evaluated = (d["evaluated_at"].fillna("") >= start) & (d["evaluated_at"].fillna("") < end)
    d["checkins"] = summoned
    d["checkins_on_time"] = summoned & d["checkin_status"].eq("on_time")
    d["tasks_evaluated"] = evaluated & d["effective"].notna()
    d["tasks_effective"] = evaluated & d["effective"].fillna(0).astype(bool)
    g = d.groupby("department_id")[cols].sum().reset_index()
    return g.rename(columns={"department_id": "unit"})


def _measures(f: pd.DataFrame, key: str | None) -> pd.DataFrame:
    flags = formulas.CASE_FLAGS
    if key is None:
        f = f.assign(unit="*")
        key = "unit"
    f = f[f[key].notna()]
    g = f.groupby(key, sort=True)
    out = g[flags].sum().astype(float)
    hh = g["handling_hours"]
    out["handling_mean"] = hh.mean()
    out["handling_p90"] = hh.quantile(0.9)
    out.index.name = "unit"
    return out.reset_index()


def compute(session: Session, period: Period | str, by: str = "grid", *,
            cancel: Any = None) -> KpiTable:
    """Every active indicator for *period* by unit kind *by*.

    Parameters
    ----------
    period : Period or str
        ``2026-11``, ``2026-Q4``, ``2026-W45``, ``2026``, ``2026-11-03`` or a
        range ``2026-11-01..2026-11-15``.
    by : str
        ``grid``, ``community``, ``manager``, ``dispatcher``, ``department`` or
        ``category``.
    cancel : gridapp.progress.CancelToken, optional
        Checked while the cases are read and between the steps after.
    """
    return compute_all(session, period, (by,), cancel=cancel)[by]


def compute_all(session: Session, period: Period | str,
                kinds: tuple[str, ...] = tuple(UNIT_KINDS), *,
                cancel: Any = None) -> dict[str, KpiTable]:
    """:func:`compute` for several unit kinds at once: the cases are read and
    reduced to measures once, then summed per kind (the dashboard, the monthly
    report and the Excel export ask for several)."""
    session.require("assessment.read")
    for by in kinds:
        _check_by(by)
    period = _as_period(period)
    facts = _facts(session, period, kinds, cancel)
    inds = _indicators(session)
    tasks = _task_measures(session, period)
    total = unit_sums.measures(facts, None)
    codes = queries.grid_codes(session.store) if "grid" in kinds else None
    out = {}
    for by in kinds:
        if cancel is not None:
            cancel.check()
        per_unit = unit_sums.measures(facts, by, codes)
        out[by] = _table(session, period, by, per_unit, inds, tasks, total.copy(),
                         facts.n == 0)
    return out


def _facts(session: Session, period: Period, kinds: tuple[str, ...],
           cancel: Any = None) -> unit_sums.Facts:
    start, end = period.iso_bounds()
    asof = to_iso(min(now_utc(), period.end_utc)) or end
    opened = sorted(s.value for s in OPEN_CASE_STATUSES)
    limit = float(session.store.setting("assessment.response_hours",
                                        DEFAULT_RESPONSE_HOURS))
    return unit_sums.read(session.store, start, end, asof, opened, kinds,
                          workspace_calendar(session.store), limit, cancel)


def _table(session: Session, period: Period, by: str, per_unit: pd.DataFrame,
           inds: list[Indicator], tasks: pd.DataFrame, total: pd.DataFrame,
           empty: bool) -> KpiTable:
    tasks = tasks.copy()
    task_cols = ["checkins", "checkins_on_time", "tasks_evaluated", "tasks_effective"]
    if by == "department" and len(tasks):
        tasks["unit"] = tasks["unit"].astype(per_unit["unit"].dtype
                                             if len(per_unit) else tasks["unit"].dtype)
        per_unit = per_unit.merge(tasks, on="unit", how="outer")
    for c in task_cols:
        if c not in per_unit:
            per_unit[c] = 0.0
        total[c] = float(tasks[c].sum()) if len(tasks) else 0.0
    per_unit[formulas.CASE_FLAGS + task_cols] = per_unit[
        formulas.CASE_FLAGS + task_cols].fillna(0.0)
    if total.empty:
        total = pd.DataFrame([{m: 0.0 for m in formulas.MEASURES} | {"unit": "*"}])
        total[["handling_mean", "handling_p90"]] = np.nan
    labels = queries.unit_labels(session.store, by)
    per_unit["label"] = [_label(by, u, labels) for u in per_unit["unit"]]
    for ind in inds:
        per_unit[ind.code] = formulas.evaluate(ind.formula, per_unit) if len(per_unit) \
            else pd.Series(dtype=float)
        total[ind.code] = formulas.evaluate(ind.formula, total)
    if by == "dispatcher":
        per_unit = per_unit[per_unit["unit"].astype(str) != ""]
    cols = ["unit", "label", *formulas.MEASURES, *[i.code for i in inds]]
    frame = per_unit.reindex(columns=list(dict.fromkeys(cols))).reset_index(drop=True)
    tot = {k: float(v) for k, v in total.iloc[0].items() if k != "unit"}
    return KpiTable(period, by, inds, frame, tot, empty)


def _label(by: str, unit: Any, labels: dict[Any, str]) -> str:
    if by == "dispatcher":
        return str(unit)
    key = unit if by == "grid" else int(unit)
    return labels.get(key, str(unit))


def cases_behind(session: Session, period: Period | str, by: str, unit: Any,
                 indicator: str) -> list[dict[str, Any]]:
    """The cases behind one figure: every case one of the formula's measures counts.

    Each row carries the case's fields and, per measure of the formula, whether
    the case counts in it (so a closing rate's list shows which cases were due
    and which of them closed).  ``unit`` None means the whole street.
    """
    session.require("assessment.read")
    _check_by(by)
    period = _as_period(period)
    inds = {i.code: i for i in _indicators(session)}
    ind = inds.get(indicator)
    if ind is None:
        raise ValidationError("未知的指标“{code}”", "Unknown indicator '{code}'",
                              code=indicator)
    used = [m for m in formulas.names(ind.formula) if m in formulas.CASE_FLAGS]
    if "handling_mean" in ind.formula or "handling_p90" in ind.formula:
        used.append("handled")
    f = _case_flags(session, period, (by,))
    if unit is not None and len(f):
        col = f[_KEY[by]]
        f = f[col.astype(str) == str(unit)]
    if not used or f.empty:
        return []
    hit = f[f[used].any(axis=1)]
    rows = queries.case_rows(session.store, hit["id"].astype(int).tolist())
    flags = hit.set_index("id")[used + ["handling_hours"]]
    for r in rows:
        fl = flags.loc[r["id"]]
        r.update({m: bool(fl[m]) for m in used})
        h = fl["handling_hours"]
        r["handling_hours"] = None if pd.isna(h) else round(float(h), 2)
    return rows
