"""Splitting a grid (issue 21): households and population shared by the buildings
(or by area when there are none), the next code in the community, editable before saving.

Expected figures are worked out here from the stored rows (buildings' points and
households, the grid's figures, the community's codes), not taken from the plan.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Polygon

from gridapp.errors import ValidationError
from gridapp.services.grids import tools as grids_tools
from gridapp.services.session import system_session

_TO_M = Transformer.from_crs("EPSG:4490", "EPSG:4524", always_xy=True)


def _grid_with_buildings(store) -> dict:  # type: ignore[no-untyped-def]
    """The current grid holding the most buildings with households."""
    grids = store.query("SELECT id FROM grid WHERE valid_to IS NULL ORDER BY id")
    best, most = None, -1
    points, hh = _buildings(store)
    for (gid,) in grids:
        g = store.get("grid", int(gid))
        n = int(shapely.contains_xy(g["geom"], points[:, 0], points[:, 1]).sum())
        if n > most:
            best, most = g, n
    assert most >= 4
    return best


def _buildings(store) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    ids = [int(r[0]) for r in store.query("SELECT id FROM building")]
    rows = [store.get("building", i) for i in ids]
    pts = shapely.point_on_surface(np.array([r["geom"] for r in rows], dtype=object))
    xy = np.column_stack([shapely.get_x(pts), shapely.get_y(pts)])
    return xy, np.array([r["households"] or 0 for r in rows], dtype=float)


def _line_through(geom) -> LineString:  # type: ignore[no-untyped-def]
    c = geom.centroid
    return LineString([(c.x, geom.bounds[1] - 0.001), (c.x, geom.bounds[3] + 0.001)])


def _next_code(store, code: str) -> str:  # type: ignore[no-untyped-def]
    used = [r[0] for r in store.query("SELECT code FROM grid WHERE substr(code, 1, 12) = ?",
                                      (code[:12],))]
    return f"{code[:12]}{max(int(c[12:]) for c in used) + 1:03d}"


def test_split_shares_households_and_population_by_buildings(demo_workspace):
    store = demo_workspace
    session = system_session(store)
    grid = _grid_with_buildings(store)
    line = _line_through(grid["geom"])
    xy, hh = _buildings(store)
    inside = shapely.contains_xy(grid["geom"], xy[:, 0], xy[:, 1])
    west = inside & (xy[:, 0] < line.coords[0][0])
    east = inside & ~west
    share_west = hh[west].sum() / (hh[west].sum() + hh[east].sum())

    plan = grids_tools.plan_split(session, int(grid["id"]), line)
    assert plan.basis == "buildings" and len(plan.pieces) == 2
    first, second = plan.pieces
    # the piece keeping the code is whichever holds the original's first vertex side;
    # match pieces to sides by their centroid
    side = {p.code: ("west" if p.geometry.centroid.x < line.coords[0][0] else "east")
            for p in plan.pieces}
    for p in plan.pieces:
        share = share_west if side[p.code] == "west" else 1 - share_west
        assert abs(p.households - grid["households"] * share) <= 1
        assert abs(p.population - grid["population"] * share) <= 1
        assert p.buildings == int((west if side[p.code] == "west" else east).sum())
    assert first.households + second.households == grid["households"]
    assert first.population + second.population == grid["population"]
    assert second.households > 0 and second.population > 0
    assert first.code == grid["code"] and first.name == grid["name"]
    assert second.code == _next_code(store, grid["code"])
    assert second.name == f"网格{second.code[-3:]}"

    res = grids_tools.split_grid(session, int(grid["id"]), line)
    saved = [store.get("grid", i) for i, d in zip(res.opened, res.drafts, strict=True)
             if d.replaces == (int(grid["id"]),)]
    assert [(r["code"], r["households"], r["population"]) for r in saved] == [
        (p.code, p.households, p.population) for p in plan.pieces]


def test_split_by_area_share_when_no_buildings(demo_workspace):
    store = demo_workspace
    session = system_session(store)
    grid = _grid_with_buildings(store)
    with session.transaction() as tx:  # a grid whose buildings have no households
        xy, _hh = _buildings(store)
        for (bid,) in store.query("SELECT id FROM building"):
            b = store.get("building", int(bid))
            pt = b["geom"].representative_point()
            if grid["geom"].contains(pt):
                tx.update("building", int(bid), {"households": 0})
    line = _line_through(grid["geom"])
    plan = grids_tools.plan_split(session, int(grid["id"]), line)
    assert plan.basis == "area"
    metric = [Polygon(np.column_stack(_TO_M.transform(*np.asarray(p.geometry.exterior.xy))))
              for p in plan.pieces]
    total = sum(m.area for m in metric)
    for p, m in zip(plan.pieces, metric, strict=True):
        assert p.area_m2 == pytest.approx(m.area, rel=1e-6)
        assert abs(p.population - grid["population"] * m.area / total) <= 1
        assert abs(p.households - grid["households"] * m.area / total) <= 1
    assert sum(p.population for p in plan.pieces) == grid["population"]


def test_split_saves_what_was_edited(demo_workspace):
    store = demo_workspace
    session = system_session(store)
    grid = _grid_with_buildings(store)
    line = _line_through(grid["geom"])
    plan = grids_tools.plan_split(session, int(grid["id"]), line)
    code = f"{grid['code'][:12]}{int(_next_code(store, grid['code'])[12:]) + 5:03d}"
    edits = [{}, {"code": code, "name": "新建网格", "households": 7, "population": 20}]
    res = grids_tools.split_grid(session, int(grid["id"]), line, pieces=edits)
    new = store.get("grid", res.opened[1])
    assert (new["code"], new["name"], new["households"], new["population"]) == (
        code, "新建网格", 7, 20)
    kept = store.get("grid", res.opened[0])
    assert kept["households"] == plan.pieces[0].households
    with pytest.raises(ValidationError):
        grids_tools.split_grid(session, res.opened[0], _line_through(kept["geom"]),
                               pieces=[{}])  # two pieces, one described
