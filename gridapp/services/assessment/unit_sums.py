"""A period's measures per unit, summed in numpy from the cases' facts.

The figures of a period are sums over the cases it touches (see
:mod:`gridapp.services.assessment.indicators` for the definitions).  A month
of a district touches ~300,000 cases; here they are read as arrays
(:func:`gridapp.storage.queries.assessment.case_fact_arrays`: no Python object
per case on a GeoPackage), reduced to one 0/1 array per measure, and summed per
unit with ``np.bincount`` — what ``DataFrame.groupby(...).sum()`` over a frame
of the cases gave (:func:`indicators._measures`, still used for the lists of
cases behind a figure, and by the tests as the reference the sums must equal).
Handling times: the mean and the 90th percentile per unit as pandas computes
them (linear interpolation between the two nearest values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gridapp.services.assessment import formula as formulas
from gridapp.services.assessment.workhours import office_hours_seconds
from gridapp.storage.queries import assessment as queries

#: unit kind -> the facts' column it is counted by
SOURCE = {"grid": "grid_id", "community": "community_id", "manager": "manager_id",
          "department": "department_id", "category": "category_id",
          "dispatcher": "dispatcher"}


@dataclass
class Facts:
    """The measures of every case a period touches, as arrays of one length.

    ``kinds`` numbers each case's combination of measures (``combos`` row
    ``kinds[i]``: one 0/1 per :data:`formula.CASE_FLAGS`): a few hundred
    combinations at most, so a unit's sums are its count of cases per
    combination (one ``np.bincount``) times ``combos``.
    """

    n: int
    measures: dict[str, np.ndarray]  # formula.CASE_FLAGS -> bool arrays
    handling_hours: np.ndarray  # NaN where the case has no handling time
    units: dict[str, Any] = field(default_factory=dict)  # SOURCE column -> values
    kinds: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    combos: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))


def read(store: Any, start: str, end: str, asof: str, open_statuses: list[str],
         kinds: tuple[str, ...], calendar: Any, response_hours: float,
         cancel: Any = None) -> Facts:
    """The facts of [start, end) with the unit columns *kinds* need."""
    units = [SOURCE[k] for k in kinds if k != "dispatcher"]
    a = queries.case_fact_arrays(store, start, end, asof, open_statuses, units=units,
                                 with_dispatcher="dispatcher" in kinds, cancel=cancel)
    bits = a["flags"]
    m: dict[str, np.ndarray] = {}
    for i, c in enumerate(queries.CASE_SQL_FLAGS):  # decided in SQL, one bit each
        m[c] = (bits >> i) & 1 == 1
    verdict = bits >> queries.VERDICT_SHIFT
    urgent = m.pop("urgent")
    for c in ("due", "deferred", "closed", "closed_on_time"):
        m["urgent_" + c] = m[c] & urgent
    if cancel is not None:
        cancel.check()
    answer = office_hours_seconds(calendar, a["reported_at"], a["responded_at"])
    m["responded"] = m["filed"] & ~np.isnan(a["responded_at"]) & (
        np.nan_to_num(answer, nan=np.inf) <= response_hours)
    hours = office_hours_seconds(calendar, a["dispatched_at"], a["done_at"])
    m["handled"] = ~np.isnan(hours)
    m["callbacks"] = verdict > 0
    m["satisfied"] = verdict == queries.VERDICT_CODES["satisfied"]
    m["basic"] = verdict == queries.VERDICT_CODES["basic"]
    m["dissatisfied"] = verdict == queries.VERDICT_CODES["dissatisfied"]
    m["resolved"] = m["callbacks"] & m["resolved"]
    assert set(m) == set(formulas.CASE_FLAGS)
    packed = np.zeros(len(bits), dtype=np.int64)
    for i, c in enumerate(formulas.CASE_FLAGS):
        packed |= m[c].astype(np.int64) << i
    combos, which = np.unique(packed, return_inverse=True)
    table = ((combos[:, None] >> np.arange(len(formulas.CASE_FLAGS))) & 1).astype(float)
    return Facts(len(bits), m, hours, {k: a[SOURCE[k]] for k in kinds},
                 which.astype(np.int64), table)


def _groups(facts: Facts, kind: str | None, codes: dict[int, str] | None
            ) -> tuple[np.ndarray, np.ndarray]:
    """(group of each case, -1 for none; the units in sorted order)."""
    if kind is None:
        return np.zeros(facts.n, dtype=np.int64), np.array(["*"], dtype=object)
    values = facts.units[kind]
    if kind == "dispatcher":
        g, uniques = pd.factorize(values, sort=True)
        return g.astype(np.int64), np.asarray(uniques, dtype=object)
    ok = ~np.isnan(values)
    g = np.full(facts.n, -1, dtype=np.int64)
    if kind == "grid":  # a code's versions counted together
        ids, inv = np.unique(values[ok].astype(np.int64), return_inverse=True)
        code_of = [(codes or {}).get(int(i)) for i in ids]
        names = sorted({c for c in code_of if c is not None})
        where = {c: k for k, c in enumerate(names)}
        g[ok] = np.array([where.get(c, -1) for c in code_of], dtype=np.int64)[inv]
        return g, np.array(names, dtype=object)
    uniques, inv = np.unique(values[ok], return_inverse=True)
    g[ok] = inv
    # ids as integers where the column has no gap (as a frame of the rows has them)
    return g, uniques.astype(np.int64) if ok.all() else uniques


def measures(facts: Facts, kind: str | None, codes: dict[int, str] | None = None
             ) -> pd.DataFrame:
    """One row per unit of *kind* (None: the whole street, unit ``*``) in unit
    order: ``unit``, every case measure summed, ``handling_mean`` and
    ``handling_p90`` (NaN where nothing was handled).  *codes*: grid id ->
    code, for ``grid``."""
    cols = ["unit", *formulas.CASE_FLAGS, "handling_mean", "handling_p90"]
    if facts.n == 0:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "unit" else float)
                             for c in cols})
    g, uniques = _groups(facts, kind, codes)
    size = len(uniques)
    sel = g >= 0
    gs = g[sel]
    out: dict[str, Any] = {"unit": uniques}
    width = len(facts.combos)
    per_combo = np.bincount(gs * width + facts.kinds[sel], minlength=size * width)
    sums = per_combo.reshape(size, width).astype(float) @ facts.combos
    for i, c in enumerate(formulas.CASE_FLAGS):
        out[c] = sums[:, i]
    h = facts.handling_hours[sel]
    ok = ~np.isnan(h)
    hg, hv = gs[ok], h[ok]
    count = np.bincount(hg, minlength=size)
    total = np.bincount(hg, weights=hv, minlength=size)
    has = count > 0
    mean = np.full(size, np.nan)
    mean[has] = total[has] / count[has]
    # the 90th percentile as pandas' groupby quantile: index q * (n - 1),
    # truncated, plus the fraction of the way to the next value
    order = np.lexsort((hv, hg))
    ordered = hv[order]
    starts = np.concatenate([[0], np.cumsum(count)[:-1]])
    q = 0.9 * (count[has] - 1).astype(float)
    at = starts[has] + q.astype(np.int64)
    frac = np.fmod(q, 1.0)
    low = ordered[at]
    high = ordered[np.minimum(at + 1, len(ordered) - 1)]
    p90 = np.full(size, np.nan)
    p90[has] = np.where(frac == 0, low, low + (high - low) * frac)
    out["handling_mean"] = mean
    out["handling_p90"] = p90
    return pd.DataFrame(out, columns=cols)
