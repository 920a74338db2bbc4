"""Clustering reads reports in windows of filing time (issue 22: memory), same points."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from gridapp.domain.timeutil import now_utc, to_iso
from gridapp.services.joint import clustering
from gridapp.services.joint.clustering import load_report_points
from gridapp.services.session import system_session
from gridapp.storage.queries import tasks as task_rows


def spy_windows(monkeypatch) -> list[int]:
    sizes: list[int] = []
    original = task_rows.report_points

    def spy(*args, **kw):  # type: ignore[no-untyped-def]
        rows = original(*args, **kw)
        sizes.append(len(rows))
        return rows

    monkeypatch.setattr(task_rows, "report_points", spy)
    return sizes


def test_windows_give_the_points_of_one_query(demo_workspace, monkeypatch):
    store = demo_workspace
    with store.transaction() as tx:  # one report filed in the future, one before 1900
        tx.execute("UPDATE report SET reported_at = ? WHERE id = 7",
                   [to_iso(now_utc().replace(year=now_utc().year + 3))])
        tx.execute("UPDATE report SET reported_at = '1899-05-01T00:00:00.000Z' WHERE id = 8")
    whole = task_rows.report_points(store, None, None, [])
    monkeypatch.setattr(clustering, "_WINDOW_ROWS", 200)
    sizes = spy_windows(monkeypatch)
    pts = load_report_points(system_session(store))
    assert len(sizes) > 5 and sum(sizes) == len(whole)
    assert max(sizes) < len(whole) / 3, sizes
    assert pts.ids.tolist() == [r[0] for r in whole]  # ids 7 and 8 included, in id order
    jd = np.array([r[2] for r in whole]) - 2440587.5
    np.testing.assert_array_equal(pts.t, jd)
    assert pts.category.tolist() == [r[4] or "" for r in whole]
    assert pts.grid_id.tolist() == [-1 if r[5] is None else r[5] for r in whole]


def test_windows_within_a_period(demo_workspace, monkeypatch):
    store = demo_workspace
    all_t = np.array([r[2] for r in task_rows.report_points(store, None, None, [])])
    mid = datetime.fromtimestamp((np.median(all_t) - 2440587.5) * 86400, UTC)
    start = mid.replace(day=1)
    part = task_rows.report_points(store, to_iso(start), to_iso(mid), [])
    assert 0 < len(part) < len(all_t)
    monkeypatch.setattr(clustering, "_WINDOW_ROWS", 50)
    pts = load_report_points(system_session(store), start, mid)
    assert pts.ids.tolist() == [r[0] for r in part]
