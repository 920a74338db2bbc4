"""The per-unit sums in numpy (issue 17: a district month by grid in <= 2 s) give the
figures the per-case frame gives, on the demo street, for every unit kind.

The reference is the frame of one row per case (``indicators._case_flags``, what the
lists behind a figure are made of) summed with ``DataFrame.groupby`` and its office
hours counted by pandas (``workhours.office_hours_between``); the fast path reads
the same cases as arrays (hex records on a GeoPackage), counts office hours on
whole seconds and sums with ``np.bincount``.
"""

from __future__ import annotations

from datetime import date, datetime, time

import numpy as np
import pandas as pd
import pytest

from gridapp.domain.enums import OPEN_CASE_STATUSES
from gridapp.domain.timeutil import LOCAL_TZ, FixedClock, to_iso, use_clock
from gridapp.errors import Cancelled
from gridapp.progress import CancelToken
from gridapp.services.assessment import indicators as kpi
from gridapp.services.assessment import unit_sums
from gridapp.services.assessment.periods import parse_period
from gridapp.services.session import system_session
from gridapp.storage import open_store
from gridapp.storage.queries import assessment as queries


@pytest.fixture(scope="module")
def demo(demo_file):
    store = open_store(demo_file, readonly=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def clock(demo):
    as_of = date.fromisoformat(demo.setting("demo.spec")["as_of"])
    with use_clock(FixedClock(datetime.combine(as_of, time(9), LOCAL_TZ))):
        yield as_of


def _periods(as_of: date) -> list[str]:
    month = f"{as_of.year}-{as_of.month - 1:02d}" if as_of.month > 1 \
        else f"{as_of.year - 1}-12"
    return [month, f"{month}-08..{month}-14", f"{as_of.year}"]


def _reference(session, period, kind: str) -> pd.DataFrame:
    facts = kpi._case_flags(session, parse_period(period), (kind,))
    return kpi._measures(facts, kpi._KEY[kind])


def _fast(session, period, kind: str) -> pd.DataFrame:
    facts = kpi._facts(session, parse_period(period), (kind,))
    codes = queries.grid_codes(session.store) if kind == "grid" else None
    return unit_sums.measures(facts, kind, codes)


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    # a case without a dispatcher is None per case and "" in the arrays; neither
    # is a unit the figures show (KpiTable drops "")
    frame = frame[frame["unit"].notna() & (frame["unit"].astype(str) != "")]
    return frame.reset_index(drop=True)


@pytest.mark.parametrize("kind", list(kpi.UNIT_KINDS))
def test_sums_per_unit_equal_the_per_case_frame(demo, clock, kind):
    session = system_session(demo)
    seen = 0
    for period in _periods(clock):
        ref = _comparable(_reference(session, period, kind))
        fast = _comparable(_fast(session, period, kind))
        # something to compare (the demo street has one dispatcher)
        assert len(ref) > (0 if kind == "dispatcher" else 1), (period, kind)
        counts = [c for c in ref.columns if c not in ("handling_mean", "handling_p90")]
        pd.testing.assert_frame_equal(fast[counts], ref[counts], check_exact=True,
                                      obj=f"{kind} {period}")
        for c in ("handling_mean", "handling_p90"):
            np.testing.assert_allclose(fast[c], ref[c], rtol=1e-12, err_msg=c)
        seen += int(ref["filed"].sum())
    assert seen > 1000


def test_totals_and_tables_equal_the_per_case_frame(demo, clock):
    session = system_session(demo)
    period = _periods(clock)[0]
    ref = kpi._measures(kpi._case_flags(session, parse_period(period)), None)
    facts = kpi._facts(session, parse_period(period), tuple(kpi.UNIT_KINDS))
    fast = unit_sums.measures(facts, None)
    counts = [c for c in ref.columns if c not in ("handling_mean", "handling_p90")]
    pd.testing.assert_frame_equal(fast[counts], ref[counts], check_exact=True)
    assert fast["handling_p90"].iloc[0] == pytest.approx(ref["handling_p90"].iloc[0],
                                                         rel=1e-12)
    # the office-hours and callback measures have something in them
    assert 0 < fast["responded"].iloc[0] <= fast["filed"].iloc[0]
    assert 0 < fast["handled"].iloc[0]
    assert 0 < fast["satisfied"].iloc[0] < fast["callbacks"].iloc[0]


class _NoReader:
    """The store's query door only: what a PostGIS store offers (rows as tuples)."""

    def __init__(self, store) -> None:
        self.query = store.query


def _args(demo, period: str):
    p = parse_period(period)
    start, end = p.iso_bounds()
    return (start, end, to_iso(p.end_utc) or end,
            sorted(s.value for s in OPEN_CASE_STATUSES))


@pytest.mark.parametrize("share", [0.0, 1.0], ids=["index-ranges", "table-scan"])
def test_hex_records_equal_rows_as_tuples_whichever_way_found(demo, clock, share,
                                                               monkeypatch):
    args = _args(demo, _periods(clock)[0])
    rows = queries.case_fact_arrays(_NoReader(demo), *args)
    monkeypatch.setattr(queries, "_share_filed", lambda *a: share)
    hexed = queries.case_fact_arrays(demo, *args)
    assert set(hexed) == set(rows)
    n = len(rows["flags"])
    assert n > 500
    for col, values in rows.items():
        if col in ("dispatcher",):
            assert hexed[col].tolist() == values.tolist()
        else:
            np.testing.assert_array_equal(hexed[col], values, err_msg=col)
    assert np.isnan(rows["done_at"]).sum() not in (0, n)  # times only where needed


class _CancelledAfter(CancelToken):
    """Says "cancelled" from its *n*-th question on."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.asked = 0
        self.n = n

    @property
    def cancelled(self) -> bool:
        self.asked += 1
        return self.asked >= self.n or super().cancelled


def test_cancel_interrupts_the_read(demo, clock):
    args = _args(demo, _periods(clock)[2])
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        queries.case_fact_arrays(demo, *args, cancel=token)
    # asked again while SQLite works (its progress handler), not only before
    late = _CancelledAfter(3)
    with pytest.raises(Cancelled):
        queries.case_fact_arrays(demo, *args, cancel=late)
    assert late.asked >= 3
    # and the connection is usable after (the handler removed)
    assert len(queries.case_fact_arrays(demo, *args)["flags"]) > 500


def test_office_hours_on_seconds_equal_pandas_time_zone_work():
    from gridapp.domain.workdays import WorkCalendar
    from gridapp.services.assessment.workhours import (
        office_hours_between,
        office_hours_seconds,
    )

    rng = np.random.default_rng(17)
    start = rng.integers(1_790_000_000, 1_800_000_000, 2_000).astype(float)
    end = start + rng.integers(-3_600, 30 * 86_400, 2_000)
    start[::7] = np.nan
    end[::11] = np.nan

    def aware(v):
        return pd.Series(pd.to_datetime(v, unit="s", utc=True))

    cal = WorkCalendar()
    want = office_hours_between(cal, aware(start), aware(end))
    got = office_hours_seconds(cal, start, end)
    np.testing.assert_array_equal(got, want)
    assert np.isnan(got).sum() > 100 and (got > 0).sum() > 1000


def test_dashboard_stops_reading_once_cancelled(demo, clock, monkeypatch):
    from gridapp.services.assessment.dashboard import dashboard_data

    reads: list[bool] = []
    real = queries.case_fact_arrays

    def counted(*args, **kwargs):
        token = kwargs.get("cancel")
        reads.append(token is not None)
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "case_fact_arrays", counted)
    session = system_session(demo)
    month = _periods(clock)[0]
    dashboard_data(session, month, "grid", cancel=CancelToken(), with_heat=False)
    every = len(reads)
    assert every >= 6 and all(reads)  # the period, the trend, the flags: each cancellable
    reads.clear()
    token = _CancelledAfter(4)  # cancelled during the second read
    with pytest.raises(Cancelled):
        dashboard_data(session, month, "grid", cancel=token, with_heat=False)
    assert 1 <= len(reads) <= 2 < every
