"""report_bulk.insert_first_events: one event per report, the table's indexes as before."""

from __future__ import annotations

import numpy as np
import pytest

from gridapp.storage import bulk
from gridapp.storage.queries import report_bulk


def _indexes(store):
    return sorted(tuple(r) for r in store.query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'case_event'"))


@pytest.mark.parametrize("n", [50, 12_000])  # below and above the rebuild threshold
def test_first_events_are_written_and_indexes_are_back(empty_workspace, n):
    rng = np.random.default_rng(n)
    category = empty_workspace.scalar("SELECT min(id) FROM category")
    before = _indexes(empty_workspace)
    assert before  # the schema indexes case_event
    with empty_workspace.transaction("t") as tx:
        first, count = bulk.insert_points(
            tx, "report", ["case_no", "category_id", "status", "reported_at"],
            rng.uniform(106.7, 106.72, n), rng.uniform(26.56, 26.58, n),
            column_values=[[f"20260301{i:05d}" for i in range(n)], [category] * n,
                           ["reported"] * n, ["2026-03-01T09:00:00.000Z"] * n])
        written = report_bulk.insert_first_events(
            tx, first, first + count - 1, "reported", "loader", None,
            "2026-03-01T09:00:00.000Z", "t")
    assert written == n
    assert _indexes(empty_workspace) == before
    assert empty_workspace.scalar("PRAGMA integrity_check") == "ok"
    rows = empty_workspace.query(
        "SELECT report_id, action, to_status, actor FROM case_event ORDER BY id")
    assert [tuple(r) for r in rows] == [(first + i, "report", "reported", "loader")
                                        for i in range(n)]
    # Through the rebuilt index on report_id:
    assert empty_workspace.scalar(
        "SELECT count(*) FROM case_event INDEXED BY case_event_report WHERE report_id = ?",
        (first + n - 1,)) == 1
