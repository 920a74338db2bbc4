"""绘制楼栋 (issue 18): a building outlined on the map is saved, linked to its grid,
audited, and undone/redone from the dock's undo stack."""

from __future__ import annotations

import json

from shapely import wkb

from gridapp.domain.crs import to_metric
from gridapp.qt.tools.base import MapEvent
from gridapp.services.basedata.building_edit import BuildingDraft
from gridapp.storage import open_store

from .conftest import PASSWORDS, basedata_feature


def _grid_centre(path):
    store = open_store(path, readonly=True)
    try:
        gid, blob = store.query("SELECT id, geom FROM grid WHERE valid_to IS NULL"
                                " ORDER BY id LIMIT 1")[0]
    finally:
        store.close()
    data = bytes(blob)
    header = 8 + {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(data[3] >> 1) & 7]  # GeoPackage header
    centre = wkb.loads(data[header:]).representative_point()
    return gid, centre.x, centre.y


def _buildings(path, name):
    store = open_store(path, readonly=True)
    try:
        rows = store.query("SELECT id, households, grid_id FROM building WHERE name = ?",
                           (name,))
        audit = [json.loads(r[0]) for r in store.query(
            "SELECT changes FROM audit_log WHERE table_name = 'building'"
            " AND action = 'insert' ORDER BY id")]
    finally:
        store.close()
    return [tuple(r) for r in rows], audit


def _click(canvas, x, y, button="left"):  # type: ignore[no-untyped-def]
    """A click on map point (x, y) where the canvas shows it now."""
    px, py = canvas.viewport.map_to_device(x, y)
    return MapEvent(x, y, px, py, button)


def test_a_building_drawn_on_the_map_is_saved_linked_and_undone(make_window, demo_copy,
                                                                qtbot, monkeypatch):
    gid, lon, lat = _grid_centre(demo_copy)
    window = make_window(demo_copy, login=("wgb", PASSWORDS["wgb"]))
    feature = basedata_feature(window)
    assert feature.panel.draw_building_button.text() == "绘制楼栋"
    feature.panel.draw_building_button.click()
    assert window.canvas.tool is feature.tool
    epsg = window.canvas.workspace.epsg
    xs, ys = to_metric([lon], [lat], epsg)
    x, y = float(xs[0]), float(ys[0])
    monkeypatch.setattr(feature, "edit_new_building",
                        lambda: BuildingDraft("测试画楼", "住宅", "36", "6", "测试路1号"))
    window.canvas.zoom_to_extent((x - 40, y - 40, x + 40, y + 40))  # 20 m: many pixels
    corners = [(x, y), (x + 20, y), (x + 20, y + 15), (x, y + 15)]
    for cx, cy in corners:
        feature.tool.press(_click(window.canvas, cx, cy))
    assert feature.tool.busy
    feature.tool.press(_click(window.canvas, x, y))  # back on the first corner
    assert not feature.tool.busy
    rows, audit = _buildings(demo_copy, "测试画楼")
    assert len(rows) == 1 and rows[0][1:] == (36, gid)
    assert audit[-1]["name"] == "测试画楼"
    feature.undo_stack.undo()
    assert _buildings(demo_copy, "测试画楼")[0] == []
    feature.undo_stack.redo()
    assert [r[1:] for r in _buildings(demo_copy, "测试画楼")[0]] == [(36, gid)]


def test_two_clicks_and_a_right_click_draw_nothing(make_window, demo_copy, qtbot):
    window = make_window(demo_copy, login=("wgb", PASSWORDS["wgb"]))
    feature = basedata_feature(window)
    called = []
    feature.tool.on_finished = called.append
    feature.tool.press(MapEvent(0, 0, 0, 0, "left"))
    feature.tool.press(MapEvent(10, 0, 50, 0, "left"))
    feature.tool.press(MapEvent(10, 0, 50, 0, "right"))
    assert called == [] and not feature.tool.busy


def test_the_leader_has_no_drawing_button(make_window, demo_copy, qtbot):
    window = make_window(demo_copy, login=("lingdao", PASSWORDS["lingdao"]))
    panel = basedata_feature(window).panel
    assert panel.draw_building_button.isHidden() and panel.edit_buildings_button.isHidden()
