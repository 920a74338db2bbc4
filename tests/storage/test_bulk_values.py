"""bulk.insert_values: many rows per INSERT statement, in order, all or nothing."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from gridapp.storage import bulk


def test_rows_go_in_in_order_with_a_few_statements(empty_workspace):
    per = bulk.ROWS_PER_STATEMENT
    n = 2 * per + 7  # two full statements and seven rows left over
    names = [f"场所{i}" for i in range(n)]
    kinds = [None if i % 3 else "门店" for i in range(n)]
    ids = list(range(101, 101 + n))
    statements = []
    with empty_workspace.transaction("t") as tx:
        tx.conn.set_trace_callback(statements.append)
        try:
            assert bulk.insert_values(tx.conn, "place", ["id", "name", "kind"],
                                      [ids, names, kinds]) == n
        finally:
            tx.conn.set_trace_callback(None)
    # (the trace repeats a statement for each trigger it runs: distinct texts)
    inserts = {s for s in statements if s.startswith('INSERT INTO "place"')}
    assert len(inserts) == 2 + 7
    got = [tuple(r) for r in empty_workspace.query(
        "SELECT id, name, kind FROM place ORDER BY rowid")]
    assert got == list(zip(ids, names, kinds, strict=True))


def test_nothing_and_no_statement_for_no_rows(empty_workspace):
    with empty_workspace.transaction("t") as tx:
        assert bulk.insert_values(tx.conn, "place", ["name"], [[]]) == 0
    assert empty_workspace.scalar("SELECT count(*) FROM place") == 0


def test_a_refused_row_inside_a_statement_leaves_no_row_of_the_load(empty_workspace):
    """A foreign key broken by one row in the middle of a many-row statement: the
    load fails and the workspace has none of its reports, tree entries or audit."""
    n = bulk.ROWS_PER_STATEMENT + 3
    known = empty_workspace.scalar("SELECT min(id) FROM category")
    categories = [known] * n
    categories[n // 2] = 999_999  # no such category
    audit = empty_workspace.scalar("SELECT count(*) FROM audit_log")
    rng = np.random.default_rng(1)
    with pytest.raises(sqlite3.IntegrityError), empty_workspace.transaction("t") as tx:
        bulk.insert_points(
            tx, "report", ["case_no", "category_id", "status", "reported_at"],
            rng.uniform(106.7, 106.72, n), rng.uniform(26.56, 26.58, n),
            column_values=[[f"2026030100{i:03d}" for i in range(n)], categories,
                           ["reported"] * n, ["2026-03-01T09:00:00.000Z"] * n])
    assert empty_workspace.scalar("SELECT count(*) FROM report") == 0
    assert empty_workspace.scalar('SELECT count(*) FROM "rtree_report_geom"') == 0
    assert empty_workspace.scalar("SELECT count(*) FROM audit_log") == audit
