"""Attribute table and identify panel show names and codes, not other records' ids."""

from __future__ import annotations

import sqlite3


def test_ids_of_other_records_are_shown_as_their_names_and_codes(window, demo_copy):
    with sqlite3.connect(demo_copy) as db:  # read independently of GridApp
        community = dict(db.execute("SELECT id, name FROM community"))
        grid_code = dict(db.execute("SELECT id, code FROM grid"))
    window.layer_panel.set_current_layer("grid")
    model = window.table.model
    col = list(model.frame.columns).index("community_id")
    for r in range(min(model.rowCount(), 20)):
        cid = int(model.frame["community_id"].iloc[model.frame_row(r)])
        assert model.index(r, col).data() == community[cid]

    window.layer_panel.set_current_layer("report")
    col = list(model.frame.columns).index("grid_id")
    row = next(r for r in range(model.rowCount())
               if model.frame["grid_id"].iloc[model.frame_row(r)] is not None)
    gid = int(model.frame["grid_id"].iloc[model.frame_row(row)])
    assert model.index(row, col).data() == grid_code[gid]

    grid_rows = window.canvas.workspace.data["grid"].layer.attributes
    window.identify.show_hits([("grid", 0)], window.canvas.workspace)
    shown = window.identify.fields(0)
    assert shown["community_id"] == community[int(grid_rows["community_id"].iloc[0])]
