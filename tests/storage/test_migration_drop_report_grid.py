"""Schema 25 (issue 22): ``report(grid_id)`` goes, ``report(grid_id, reported_at)`` serves.

A new workspace has no ``report_grid``; a workspace written before schema 25
loses it on open; the questions that used it (a grid's reports, the per-grid
counts, the foreign-key check of a deleted grid) are answered from
``report_grid_time``.
"""

from __future__ import annotations

from gridapp.storage import open_store


def _report_indexes(store) -> set[str]:
    return {r[1] for r in store.query("PRAGMA index_list('report')")}


def _plan(store, sql: str, params=()) -> str:
    return " | ".join(r[3] for r in store.query(f"EXPLAIN QUERY PLAN {sql}", params))


def test_new_workspace_has_no_grid_only_index(empty_workspace):
    names = _report_indexes(empty_workspace)
    assert "report_grid" not in names
    assert "report_grid_time" in names
    assert "0025_drop_report_grid" in empty_workspace.applied_migrations()


def test_old_workspace_loses_it_and_grid_questions_use_grid_time(empty_workspace):
    store = empty_workspace
    # the workspace as written before schema 25
    with store.transaction("test") as tx:
        tx.execute("CREATE INDEX report_grid ON report(grid_id)")
        tx.execute("DELETE FROM gridapp_migration WHERE name = '0025_drop_report_grid'")
    assert "report_grid" in _report_indexes(store)
    path = store.path
    store.close()
    with open_store(path) as again:
        assert "0025_drop_report_grid" in again.applied_migrations()
        assert "report_grid" not in _report_indexes(again)
        one_grid = _plan(again, "SELECT id FROM report WHERE grid_id = ?", (1,))
        assert "report_grid_time" in one_grid, one_grid
        counts = _plan(again, "SELECT grid_id, COUNT(*) FROM report "
                              "WHERE grid_id IS NOT NULL GROUP BY grid_id")
        assert "COVERING INDEX report_grid_time" in counts, counts
        assert "SCAN report" not in counts.replace("SCAN report USING COVERING", "")
