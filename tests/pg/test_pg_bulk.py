"""Bulk loads into a street on the server (issue 16): a load larger than the table drops
its secondary indexes and foreign keys, copies, and puts them back in the same
transaction (the text index waits for 'reports index', as on a GeoPackage); references
are still checked, and a refused load leaves all as it was."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gridapp.services.cases.search import index_pending_reports, search_reports
from gridapp.services.session import system_session
from gridapp.storage.postgis import bulk, search

N = 10_000  # the smallest load that takes the drop-and-rebuild path


def _frame(category_id: int, n: int = N, tag: str = "B") -> gpd.GeoDataFrame:
    xs = 106.70 + (pd.RangeIndex(n) % 100) * 1e-4
    ys = 26.56 + (pd.RangeIndex(n) // 100) * 1e-4
    return gpd.GeoDataFrame({
        "case_no": [f"{tag}{k:08d}" for k in range(n)],
        "category_id": category_id,
        "description": [f"批量第{k}条" for k in range(n)],
        "reported_at": pd.Timestamp("2026-11-02T01:00:00Z"),
    }, geometry=shapely.points(xs, ys), crs=4490)


def _shape(store) -> tuple[list, list]:
    """The report table's indexes and foreign keys, by name and definition."""
    idx = store.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname ="
                      " current_schema() AND tablename = 'report' ORDER BY indexname")
    fks = store.query("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE"
                      " conrelid = 'report'::regclass AND contype = 'f' ORDER BY conname")
    return [tuple(r) for r in idx], [tuple(r) for r in fks]


def test_a_large_load_keeps_indexes_and_references(empty_workspace):
    store = empty_workspace
    before = _shape(store)
    assert len(before[0]) > 5 and len(before[1]) >= 5
    cat = int(store.scalar("SELECT min(id) FROM category"))
    reports = int(store.scalar("SELECT count(*) FROM report"))

    first, n = bulk.load_frame(store, "report", _frame(cat), actor="test", summary="t")

    assert n == N and store.scalar("SELECT count(*) FROM report") == reports + N
    assert store.scalar("SELECT description FROM report WHERE id = ?", (first + 7,)) == "批量第7条"
    # Everything is back but the text index, left for 'reports index' (found meanwhile).
    assert _shape(store) == ([i for i in before[0] if i[0] != search.TEXT_INDEX], before[1])
    session = system_session(store)
    hits = search_reports(session, "批量第7条", limit=20)
    assert hits.pending == reports + N and [h.id for h in hits.hits] == [first + 7]
    assert index_pending_reports(session) == reports + N
    assert _shape(store) == before

    # A reference to no category: refused (as SQLite's error, as on a GeoPackage), nothing written, indexes and keys intact.
    with pytest.raises(sqlite3.IntegrityError, match="report_category_id_fkey"):
        bulk.load_frame(store, "report", _frame(10**9, 2 * N, "X"), actor="test")
    assert store.scalar("SELECT count(*) FROM report") == reports + N
    assert _shape(store) == before
