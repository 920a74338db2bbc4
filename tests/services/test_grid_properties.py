"""Property: after any sequence of grid edits the workspace passes the full ``check``.

Hypothesis drives random sequences of draw / split / merge / reshape / delete /
divide / auto-fix through the services on a small workspace (two communities,
one of them in two parts, no buildings) and runs
:func:`~gridapp.services.integrity.check_workspace` after every step.  An edit
the services refuse (a line that does not cut, a vertex move that would fold
a polygon) must leave the workspace unchanged and still clean.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import LineString, MultiPolygon, Point, box

from gridapp.errors import ValidationError
from gridapp.services.grids import geometry_edits as editing
from gridapp.services.grids import tools as grids_tools
from gridapp.services.grids.division import accept_division, propose_division
from gridapp.services.grids.history import current_grids
from gridapp.services.grids.importer import import_communities
from gridapp.services.integrity import check_workspace
from gridapp.services.session import system_session
from gridapp.storage import open_store

OPS = ("draw", "split", "merge", "reshape", "delete", "divide", "fix")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A small street: community 001 (600 × 400 m), 002 in two parts; divided."""
    from gridapp.services.workspace import StreetSpec, create_workspace

    path = tmp_path_factory.mktemp("props") / "small.gpkg"
    store = create_workspace(path, StreetSpec("520102", "520102003", "测试街道"),
                             admin_username="admin", admin_password="Admin-pass-2026")
    x0, y0 = (round(v) for v in Transformer.from_crs(4490, 4524, always_xy=True)
              .transform(106.70, 26.57))
    parts = [[(0, 0, 600, 400)], [(0, 400, 300, 700), (400, 500, 600, 700)]]
    # Vertices every 100 m, so the communities share theirs along common borders.
    geoms = [MultiPolygon([shapely.segmentize(box(x0 + a, y0 + b, x0 + c, y0 + d), 100)
                           for a, b, c, d in p]) for p in parts]
    frame = gpd.GeoDataFrame({"name": ["东社区", "西社区"], "code": ["520102003001",
                                                              "520102003002"]},
                             geometry=geoms, crs=4524).to_crs(4490)
    session = system_session(store)
    for cid, n in zip(import_communities(session, frame), (4, 3), strict=True):
        accept_division(session, propose_division(session, cid, grids=n))
    assert check_workspace(store) == []
    store.close()
    return path


def _pick(session, data, label):
    cur = current_grids(session).sort_values("id").reset_index(drop=True)
    if cur.empty:
        return None, cur
    return cur.iloc[data.draw(st.integers(0, len(cur) - 1), label=label)], cur


def _neighbours(row, cur):
    same = cur[(cur["community_id"] == row["community_id"]) & (cur["id"] != row["id"])]
    return same[[row["geometry"].intersection(g).length > 0 for g in same.geometry]]


def _step(session, data, op):
    row, cur = _pick(session, data, f"{op} grid")
    if op == "divide":
        cid = data.draw(st.sampled_from([1, 2]), label="community")
        n = data.draw(st.integers(2, 4), label="grids")
        accept_division(session, propose_division(session, cid, grids=n), accept_problems=True)
    elif op == "fix":
        grids_tools.fix_grids(session, accept_problems=True)
    elif row is None:
        return
    elif op == "split":
        g = row["geometry"]
        x0, y0, x1, y1 = g.bounds
        f = data.draw(st.floats(0.2, 0.8), label="where")
        tilt = data.draw(st.floats(-0.3, 0.3), label="tilt") * (x1 - x0)
        x = x0 + f * (x1 - x0)
        grids_tools.split_grid(session, int(row["id"]),
                                LineString([(x - tilt, y0 - 1e-3), (x + tilt, y1 + 1e-3)]))
    elif op == "merge":
        nb = _neighbours(row, cur)
        if len(nb):
            other = nb.iloc[data.draw(st.integers(0, len(nb) - 1), label="neighbour")]
            grids_tools.merge_grids(session, [int(row["id"]), int(other["id"])])
    elif op == "reshape":
        nb = _neighbours(row, cur)
        comm = session.store.get("community", int(row["community_id"]))["geom"]
        shared = shapely.get_coordinates(row["geometry"].boundary.intersection(
            shapely.union_all(list(nb.geometry)))) if len(nb) else np.zeros((0, 2))
        inner = [xy for xy in shared if comm.boundary.distance(Point(xy)) > 1e-6]
        if inner:
            x, y = inner[data.draw(st.integers(0, len(inner) - 1), label="vertex")]
            c = row["geometry"].centroid
            t = data.draw(st.floats(0.001, 0.2), label="how far")
            polys = [row["geometry"], *nb.geometry]
            out = editing.move_vertex_topologically(
                polys, (x, y), (x + (c.x - x) * t, y + (c.y - y) * t), tolerance=1e-9)
            ids = [int(row["id"]), *(int(i) for i in nb["id"])]
            grids_tools.reshape_grids(session, {
                i: g for i, g, old in zip(ids, out, polys, strict=True)
                if not g.equals_exact(old, 0.0)})
    elif op == "delete":
        grids_tools.delete_grids(session, [int(row["id"])], accept_problems=True)
    elif op == "draw":
        grids_tools.delete_grids(session, [int(row["id"])], accept_problems=True)
        # An earlier delete may have left a gap beside it: the redraw accepts
        # that, as the delete did (refused, it would leave the delete half done).
        grids_tools.add_grid(session, row["geometry"], name="重画", accept_problems=True)


@settings(max_examples=20, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_check_passes_after_every_step_of_any_edit_sequence(template, data):
    ops = data.draw(st.lists(st.sampled_from(OPS), min_size=1, max_size=5), label="ops")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.gpkg"
        shutil.copy(template, path)
        with open_store(path) as store:
            session = system_session(store)
            for op in ops:
                before = store.scalar("SELECT count(*) FROM audit_log")
                try:
                    _step(session, data, op)
                except ValidationError:
                    # Refused (bad line, folding move, ...): nothing was written.
                    assert store.scalar("SELECT count(*) FROM audit_log") == before
                problems = check_workspace(store)
                assert problems == [], (op, [str(p) for p in problems])
