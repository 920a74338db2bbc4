"""A grid edit through the service commits once and reads no whole layer (issue 22).

Counted, not timed: a split or merge opens one transaction (the grid rows,
the managers' assignments carried over and the buildings re-linked together)
and builds no frame of a whole table.  The re-link is checked against the
stored rows: every building whose point lies in a new piece is linked to that
piece from the edit's instant, and the others keep the link they had.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString

from gridapp.services.grids import tools as grids_tools
from gridapp.services.session import system_session


def _open_links(store) -> dict[int, tuple[int, int | None, str]]:  # type: ignore[no-untyped-def]
    return {int(r[0]): (int(r[1]), r[2], r[3]) for r in store.query(
        "SELECT row_id, id, grid_id, valid_from FROM base_link"
        " WHERE table_name = 'building' AND valid_to IS NULL")}


def _building_points(store) -> tuple[list[int], np.ndarray]:  # type: ignore[no-untyped-def]
    ids = [int(r[0]) for r in store.query("SELECT id FROM building ORDER BY id")]
    geoms = np.array([store.get("building", i)["geom"] for i in ids], dtype=object)
    return ids, shapely.point_on_surface(geoms)


def _busiest_grid(store, points: np.ndarray):  # type: ignore[no-untyped-def]
    best, most = None, -1
    for (gid,) in store.query("SELECT id FROM grid WHERE valid_to IS NULL ORDER BY id"):
        g = store.get("grid", int(gid))
        n = int(shapely.contains(g["geom"], points).sum())
        if n > most:
            best, most = g, n
    assert most >= 2
    return best


def _count_calls(monkeypatch, store) -> dict[str, int]:  # type: ignore[no-untyped-def]
    calls = {"transaction": 0, "read_layer": 0}
    for name in calls:
        real = getattr(store, name)

        def counted(*a, _real=real, _name=name, **k):  # type: ignore[no-untyped-def]
            calls[_name] += 1
            return _real(*a, **k)

        monkeypatch.setattr(store, name, counted)
    return calls


def test_split_and_merge_commit_once_and_relink_the_buildings(demo_workspace, monkeypatch):
    store = demo_workspace
    session = system_session(store)
    ids, points = _building_points(store)
    grid = _busiest_grid(store, points)
    before = _open_links(store)
    assert before, "the demo street links its buildings"
    c = grid["geom"].centroid
    line = LineString([(c.x, grid["geom"].bounds[1] - 0.001),
                       (c.x, grid["geom"].bounds[3] + 0.001)])

    calls = _count_calls(monkeypatch, store)
    res = grids_tools.split_grid(session, grid["id"], line)
    assert calls == {"transaction": 1, "read_layer": 0}

    after = _open_links(store)
    pieces = {o: store.get("grid", o)["geom"] for o in res.opened}
    kept = [o for o, d in zip(res.opened, res.drafts, strict=True) if d.replaces == (grid["id"],)]
    moved = 0  # buildings in the split pieces (neighbours may get new versions too)
    for row_id, pt in zip(ids, points, strict=True):
        home = [o for o, g in pieces.items() if shapely.contains(g, pt)]
        if home:
            assert after[row_id][1] == home[0], row_id
            assert after[row_id][2] == res.at
            assert store.scalar("SELECT grid_id FROM building WHERE id = ?", (row_id,)) == home[0]
            moved += home[0] in kept
        else:
            assert after[row_id] == before[row_id], row_id
    assert moved >= 2

    calls.update(transaction=0, read_layer=0)
    res2 = grids_tools.merge_grids(session, kept)
    assert calls == {"transaction": 1, "read_layer": 0}
    merged = _open_links(store)
    inside = shapely.contains(store.get("grid", res2.opened[0])["geom"], points)
    assert inside.sum() == moved
    for row_id, hit in zip(ids, inside, strict=True):
        if hit:
            assert merged[row_id][1:] == (res2.opened[0], res2.at)
        else:
            assert merged[row_id] == after[row_id]
