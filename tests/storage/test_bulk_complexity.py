"""Bulk writes cost batches, not rows (issue 22): the statements GridApp hands
SQLite, the triggers SQLite fires and the audit entries written do not grow
with the number of rows.  Time is never measured here, only counts."""

from __future__ import annotations

import sqlite3

import numpy as np
import shapely

from gridapp.storage import bulk, connection


class CountingConnection(sqlite3.Connection):
    """Counts calls into SQLite (an executemany is one call)."""

    calls = 0

    def execute(self, *args, **kwargs):  # noqa: D102
        CountingConnection.calls += 1
        return super().execute(*args, **kwargs)

    def executemany(self, *args, **kwargs):  # noqa: D102
        CountingConnection.calls += 1
        return super().executemany(*args, **kwargs)


def _workspace(monkeypatch, tmp_path, name):
    from gridapp.services.workspace import StreetSpec, create_workspace

    real_connect = sqlite3.connect
    monkeypatch.setattr(connection.sqlite3, "connect",
                        lambda *a, **k: real_connect(*a, factory=CountingConnection, **k))
    try:
        store = create_workspace(tmp_path / f"{name}.gpkg",
                                 StreetSpec("520102", "520102003", "测试街道"))
    finally:
        monkeypatch.setattr(connection.sqlite3, "connect", real_connect)
    store.table_schema("report")
    store.feature_tables()
    return store


def _count(store, write):
    """(calls, SQLite trigger programs run, audit entries added) of *write*(tx)."""
    fired = []
    audit_before = store.scalar("SELECT count(*) FROM audit_log")
    with store.transaction("loader") as tx:
        tx.conn.set_trace_callback(lambda s: fired.append(s) if s.startswith("--") else None)
        CountingConnection.calls = 0
        try:
            write(tx)
        finally:
            calls = CountingConnection.calls
            tx.conn.set_trace_callback(None)
    return calls, len(fired), store.scalar("SELECT count(*) FROM audit_log") - audit_before


def _insert_reports(store, n):
    rng = np.random.default_rng(n)
    cols = ["case_no", "category_id", "description", "status", "reported_at"]
    values = [[f"{i:012d}" for i in range(n)], rng.integers(2, 20, n).tolist(),
              ["摊贩占道"] * n, ["reported"] * n, ["2026-03-01T09:00:00.000Z"] * n]
    geoms = shapely.points(rng.uniform(106.5, 106.9, n), rng.uniform(26.4, 26.7, n))
    return _count(store, lambda tx: bulk.insert_features(
        tx, "report", cols, None, geoms, column_values=values, summary="t"))


def test_insert_features_runs_as_many_batches_for_10000_rows_as_for_1000(monkeypatch,
                                                                          tmp_path):
    small_store = _workspace(monkeypatch, tmp_path, "small")
    large_store = _workspace(monkeypatch, tmp_path, "large")
    try:
        small = _insert_reports(small_store, 1_000)
        large = _insert_reports(large_store, 10_000)
        indexes = large_store.scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'report'"
            " AND sql IS NOT NULL")
        assert large_store.scalar("SELECT count(*) FROM report") == 10_000
        assert large_store.scalar("SELECT rtreecheck('rtree_report_geom')") == "ok"
    finally:
        small_store.close()
        large_store.close()
    # From 10,000 rows the secondary indexes are dropped and built once each:
    # two calls per index more (and the question which), whatever the rows.
    assert 0 <= large[0] - small[0] <= 2 * indexes + 2
    assert large[0] < 100
    # No per-row trigger (R-tree, full text) runs inside SQLite either.
    assert small[1] == large[1] == 0
    # One audit entry for the whole batch.
    assert small[2] == large[2] == 1


def test_insert_rows_runs_as_many_batches_for_10000_rows_as_for_1000(monkeypatch,
                                                                      tmp_path):
    counts = []
    for name, n in (("small", 1_000), ("large", 10_000)):
        store = _workspace(monkeypatch, tmp_path, name)
        try:
            _insert_reports(store, n)
            ids = [r[0] for r in store.query("SELECT id FROM report ORDER BY id")]
            rows = [(i, "report", None, "reported", "loader", None,
                     "2026-03-01T09:00:00.000Z", None) for i in ids]
            counts.append(_count(store, lambda tx, rows=rows: bulk.insert_rows(
                tx, "case_event", ["report_id", "action", "from_status", "to_status", "actor",
                                   "user_id", "at", "note"], rows, summary="t")))
            assert store.scalar("SELECT count(*) FROM case_event") == n
        finally:
            store.close()
    (small, fired_s, audit_s), (large, fired_l, audit_l) = counts
    assert abs(large - small) <= 20  # indexes of case_event rebuilt once from 10,000 rows
    assert large < 40
    assert fired_s == fired_l == 0 and audit_s == audit_l == 1


def test_outside_edit_triggers_are_back_after_a_bulk_load_and_still_record(monkeypatch,
                                                                            tmp_path):
    """Bulk loads drop the outside-edit insert triggers for the load (SQLite enters
    them per row); they are created again in the same transaction, unchanged."""
    store = _workspace(monkeypatch, tmp_path, "outside")
    try:
        def triggers():
            return dict(store.query(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                " AND name LIKE 'outside_edit_%_insert'"))

        before = triggers()
        assert {"outside_edit_report_insert", "outside_edit_case_event_insert"} <= set(before)
        _insert_reports(store, 2_000)
        ids = [r[0] for r in store.query("SELECT id FROM report ORDER BY id")]
        _count(store, lambda tx: bulk.insert_rows(
            tx, "case_event", ["report_id", "action", "to_status", "at"],
            [(i, "report", "reported", "2026-03-01T09:00:00.000Z") for i in ids]))
        assert triggers() == before
        assert store.scalar("SELECT count(*) FROM outside_edit") == 0  # GridApp's own
        path = store.path
    finally:
        store.close()
    # Another program (plain sqlite3, no GridApp functions) adds an event: recorded.
    outside = sqlite3.connect(path, isolation_level=None)
    try:
        outside.execute("INSERT INTO case_event (report_id, action, to_status, at)"
                        " VALUES (?, 'remark', 'reported', '2026-03-02T09:00:00.000Z')",
                        (ids[0],))
        rows = outside.execute("SELECT table_name, action FROM outside_edit").fetchall()
    finally:
        outside.close()
    assert rows == [("case_event", "insert")]
