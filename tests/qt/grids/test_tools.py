"""Grid editing tools driven by map-coordinate events (no mouse) in the real window."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString

from gridapp.services.grids.history import current_grids
from tests.qt.grids.conftest import make_event, zoom_around


def _vertical_cut(geom, out: float = 25.0) -> LineString:
    c = geom.centroid
    return LineString([(c.x, geom.bounds[1] - out), (c.x, geom.bounds[3] + out)])


def _click(tool, canvas, x, y, button="left"):  # type: ignore[no-untyped-def]
    e = make_event(canvas, x, y, button)
    tool.move(e)
    tool.press(e)
    tool.release(e)


def test_split_with_line_gives_two_versions_and_closes_old(window, editor):
    canvas, store = window.canvas, window.session.store
    k = 10
    gid, geom = int(editor.grids.ids[k]), editor.grids.metric[k]
    zoom_around(canvas, geom)
    window.set_tool("grid_split")
    tool = canvas.tool
    line = _vertical_cut(geom)
    for x, y in line.coords:
        _click(tool, canvas, x, y)
    assert tool.busy and len(tool.points) == 2
    assert tool.preview  # the sketch is drawn
    tool.press(make_event(canvas, *line.coords[-1], button="right"))
    assert not tool.busy
    old = store.get("grid", gid)
    assert old["valid_to"] is not None
    pieces = store.query(
        "SELECT id, code FROM grid WHERE previous_id = ? AND valid_to IS NULL", (gid,)
    )
    assert len(pieces) == 2
    assert old["code"] in {p[1] for p in pieces}
    assert len(editor.grids) == 61
    assert len(window.canvas.workspace.data["grid"].ids) == 61  # the map shows them
    assert editor.report is None  # clean split, nothing in the problems panel
    assert editor.undo_stack.count() == 1


def _neighbours(editor):  # type: ignore[no-untyped-def]
    frame = editor.grids.frame
    for i in range(len(frame)):
        a = editor.grids.metric[i]
        for j in editor.grids.near(a, 0.01):
            if (
                j != i
                and frame["community_id"].iloc[i] == frame["community_id"].iloc[j]
                and a.intersection(editor.grids.metric[j]).length > 10
            ):
                return int(editor.grids.ids[i]), int(editor.grids.ids[j])
    raise AssertionError("no neighbours")


def test_merge_two_selected_neighbours(window, editor):
    a, b = _neighbours(editor)
    area = sum(window.session.store.get("grid", i)["geom"].area for i in (a, b))
    editor.select_ids([a, b])
    window.actions.update_enabled()
    assert window.actions["gridapp.grid.merge"].isEnabled()
    window.actions.trigger("gridapp.grid.merge")
    assert len(editor.grids) == 59
    merged = window.session.store.query(
        "SELECT id FROM grid WHERE previous_id IN (?, ?) AND valid_to IS NULL", (a, b)
    )
    assert len(merged) == 1
    assert abs(window.session.store.get("grid", merged[0][0])["geom"].area - area) < 1e-12
    assert {window.session.store.get("grid", i)["valid_to"] is not None for i in (a, b)} == {
        True
    }


def _shared_inner_vertex(window, editor):  # type: ignore[no-untyped-def]
    """A vertex shared by two or more grids, away from community boundaries."""
    comms = window.session.store.read_layer("community")
    bounds = editor.grids.to_metric_many(
        np.asarray(comms.geometry.boundary.array, dtype=object)
    )
    border = shapely.union_all(bounds)
    uniq = np.unique(shapely.get_coordinates(editor.grids.metric), axis=0)
    for x, y in uniq:
        pt = shapely.Point(x, y)
        owners = list(editor.grids.near(pt, 1e-6))
        if len(owners) >= 2 and border.distance(pt) > 20:
            return (float(x), float(y)), [int(editor.grids.ids[r]) for r in owners]
    raise AssertionError("no shared vertex")


def test_drag_shared_vertex_moves_both_grids_and_coverage_stays_valid(window, editor):
    canvas = window.canvas
    before = editor.check_all()
    (x, y), owners = _shared_inner_vertex(window, editor)
    zoom_around(canvas, shapely.Point(x, y).buffer(40))
    window.set_tool("grid_reshape")
    tool = canvas.tool
    tool.press(make_event(canvas, x, y))
    for step in (0.5, 1.5, 3.0):
        tool.move(make_event(canvas, x + step, y + step))
    assert tool.busy and len(tool.outlines) == len(
        owners
    )  # all previewed, nothing saved
    assert len(editor.grids) == 60 and editor.undo_stack.count() == 0
    tool.release(make_event(canvas, x + 3.0, y + 3.0))
    assert editor.undo_stack.count() == 1
    for gid in owners:
        assert window.session.store.get("grid", gid)["valid_to"] is not None
    moved = [
        r
        for r in range(len(editor.grids))
        if shapely.dwithin(editor.grids.metric[r], shapely.Point(x + 3, y + 3), 1e-3)
    ]
    assert len(moved) == len(owners)
    after = editor.check_all()
    assert len(after.problems) == len(before.problems)


def test_undo_redo_restores_grids(window, editor):
    k = 12
    gid, geom = int(editor.grids.ids[k]), editor.grids.metric[k]
    code = editor.grids.codes[gid]
    stored = window.session.store.get("grid", gid)["geom"]
    editor.split_with_line(_vertical_cut(geom))
    assert len(editor.grids) == 61
    window.actions.trigger("gridapp.grid.undo")
    cur = current_grids(window.session)
    assert len(cur) == 60
    back = cur[cur["code"] == code]
    assert len(back) == 1 and back.geometry.iloc[0].equals_exact(stored, 0.0)
    assert len(editor.grids) == 60
    window.actions.trigger("gridapp.grid.redo")
    cur = current_grids(window.session)
    assert len(cur) == 61 and (cur["code"] == code).sum() == 1
    assert not cur[cur["code"] == code].geometry.iloc[0].equals(stored)
    window.actions.trigger("gridapp.grid.undo")
    assert len(current_grids(window.session)) == 60


def test_escape_cancels_half_drawn_line(window, editor):
    canvas = window.canvas
    geom = editor.grids.metric[3]
    zoom_around(canvas, geom)
    window.set_tool("grid_split")
    tool = canvas.tool
    line = _vertical_cut(geom)
    _click(tool, canvas, *line.coords[0])
    tool.move(make_event(canvas, *line.coords[1]))
    assert tool.busy and tool.preview
    tool.cancel()  # what Esc does
    assert not tool.busy and not tool.preview
    assert len(editor.grids) == 60 and editor.undo_stack.count() == 0


def test_draw_new_grid_fills_a_gap_snapping_to_neighbours(window, editor):
    k = 20
    gid, geom = int(editor.grids.ids[k]), editor.grids.metric[k]
    editor.confirm = lambda report: True
    editor.delete([gid])
    assert editor.report is not None and editor.report.of_kind("gap")
    zoom_around(window.canvas, geom)
    window.set_tool("grid_draw")
    tool = window.canvas.tool
    ring = list(geom.exterior.coords)[:-1]
    for x, y in ring:  # each click lands 0.3 m off the corner and snaps back onto it
        _click(tool, window.canvas, x + 0.3, y - 0.3)
    assert len(tool.points) == len(ring)
    assert all(
        shapely.Point(p).distance(shapely.Point(c)) < 1e-9
        for p, c in zip(tool.points, ring, strict=True)
    )
    _click(tool, window.canvas, ring[0][0] + 0.2, ring[0][1])  # the first corner closes
    assert not tool.busy
    assert len(editor.grids) == 60
    assert editor.report is None  # the gap is filled exactly


def test_vertex_add_and_remove_on_shared_edge(window, editor):
    a, b = _neighbours(editor)
    ga = editor.grids.metric[editor.grids.index_of(a)]
    gb = editor.grids.metric[editor.grids.index_of(b)]
    edge = ga.intersection(gb)
    mid = edge.interpolate(0.5, normalized=True) if edge.length else None
    assert mid is not None
    zoom_around(window.canvas, mid.buffer(40))
    window.set_tool("grid_reshape")
    tool = window.canvas.tool
    n_before = len(shapely.get_coordinates(ga)) + len(shapely.get_coordinates(gb))
    _click(tool, window.canvas, mid.x, mid.y)
    cur = [editor.grids.metric[r] for r in editor.grids.near(mid, 1e-6)]
    assert len(cur) == 2
    assert sum(len(shapely.get_coordinates(g)) for g in cur) == n_before + 2
    tool.press(make_event(window.canvas, mid.x, mid.y, "right"))
    cur = [editor.grids.metric[r] for r in editor.grids.near(mid, 0.5)]
    assert sum(len(shapely.get_coordinates(g)) for g in cur) == n_before
    assert editor.report is None


def test_snapping_to_vertices_and_edges_of_visible_layers(window, editor):
    a, b = _neighbours(editor)
    ga = editor.grids.metric[editor.grids.index_of(a)]
    gb = editor.grids.metric[editor.grids.index_of(b)]
    mid = ga.intersection(gb).interpolate(0.5, normalized=True)
    zoom_around(window.canvas, mid.buffer(50))
    snapper = editor.snapper
    # Grids first, alone: a building's corner may stand within the tolerance of the
    # shared edge (the demo places buildings up to a few metres from it) and a vertex
    # wins over an edge.  Buildings are snapped to below.
    ws = window.canvas.workspace
    buildings = [layer for layer in ws.stack if layer.name == "building"]
    for layer in buildings:
        layer.visible = False
    tol = snapper.tolerance()
    assert 0 < tol < 5  # ten pixels in metres at this scale
    hit = snapper.snap(mid.x + tol / 3, mid.y + tol / 3)
    assert (
        hit.kind in ("edge", "vertex")
        and ga.boundary.distance(shapely.Point(hit.xy)) < 1e-6
    )
    corner = ga.exterior.coords[0]
    hit = snapper.snap(corner[0] + tol / 3, corner[1])
    assert hit.kind == "vertex" and hit.xy == corner
    far = snapper.snap(mid.x + tol * 3, mid.y + tol * 3)
    assert far.kind is None or far.distance <= tol  # only within the tolerance
    # Buildings are a visible layer too: their corners attract the pointer.
    for layer in buildings:
        layer.visible = True
    if "building" in ws.data and window.canvas.in_scale("building"):
        bx, by = ws.data["building"].geoms[0].exterior.coords[0]
        zoom_around(window.canvas, shapely.Point(bx, by).buffer(30))
        hit = snapper.snap(bx + snapper.tolerance() / 4, by)
        assert hit.kind == "vertex"
    snapper.enabled = False
    assert snapper.snap(corner[0] + 0.1, corner[1]).kind is None
