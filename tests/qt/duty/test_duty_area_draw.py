"""绘制职责区域 (issue 21): a duty area outlined on the map is saved through the duty
service, audited, shown over the map, undone and redone; a bad outline is refused
with a message and nothing saved; roles that may not edit the duty list do not get
the tool."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt
from shapely import wkb
from shapely.geometry import Point

from gridapp.domain.crs import to_metric
from gridapp.qt.features.duty import TOOL_ACTION, DutyFeature
from gridapp.qt.tools.base import MapEvent
from gridapp.qt.tools.polygon_tool import DrawPolygonTool

OFFICE = ("wgb", "Office-demo-2026")
MANAGER = ("wgy01", "Manager-demo-2026")


def _feature(window) -> DutyFeature:
    return next(f for f in window.features if isinstance(f, DutyFeature))


def _gpkg_geom(blob: bytes):
    data = bytes(blob)
    header = 8 + {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(data[3] >> 1) & 7]
    return wkb.loads(data[header:])


def _grid_centre(path):
    with sqlite3.connect(path) as conn:
        blob = conn.execute("SELECT geom FROM grid WHERE valid_to IS NULL ORDER BY id "
                            "LIMIT 1").fetchone()[0]
    c = _gpkg_geom(blob).representative_point()
    return c.x, c.y


def _areas(path, name):
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, kind, geom FROM duty_area WHERE name = ?",
                            (name,)).fetchall()
        audit = [(r[0], json.loads(r[1])) for r in conn.execute(
            "SELECT action, changes FROM audit_log WHERE table_name = 'duty_area' "
            "ORDER BY id").fetchall()]
    return [(r[0], r[1], _gpkg_geom(r[2])) for r in rows], audit


def _square(feature, x, y, size=150.0):
    corners = [(x - size, y - size), (x + size, y - size), (x + size, y + size),
               (x - size, y + size)]
    for k, (cx, cy) in enumerate(corners):
        feature.tool.press(MapEvent(cx, cy, 100 + 40 * k, 100 + 10 * k, "left"))
    feature.tool.press(MapEvent(*corners[0], 100, 100, "left"))  # back on the first corner


def test_a_duty_area_drawn_on_the_map_is_saved_audited_shown_and_undone(
        make_window, demo_copy, qtbot, monkeypatch):
    lon, lat = _grid_centre(demo_copy)
    window = make_window(demo_copy, login=OFFICE)
    feature = _feature(window)
    action = window.actions[TOOL_ACTION]
    assert action.isVisible() and action.isEnabled()
    assert action.text() == "绘制职责区域(&A)"
    action.trigger()
    assert window.canvas.tool is feature.tool
    assert "绘制职责区域" in window.status.tool.text()

    epsg = window.canvas.workspace.epsg
    xs, ys = to_metric([lon], [lat], epsg)
    monkeypatch.setattr(feature, "edit_new_area", lambda: ("market", "测试市场"))
    _square(feature, float(xs[0]), float(ys[0]))
    assert not feature.tool.busy

    rows, audit = _areas(demo_copy, "测试市场")
    assert len(rows) == 1
    area_id, kind, geom = rows[0]
    assert kind == "market"
    assert geom.contains(Point(lon, lat))  # stored in lon/lat, around the point drawn
    assert 250 * 250 < _metric_area(geom, epsg) < 350 * 350  # the 300 m square, reprojected
    assert audit[-1][0] == "insert" and audit[-1][1]["name"] == "测试市场"
    assert "已保存职责区域" in window.status.currentMessage()
    qtbot.waitUntil(lambda: any("测试市场" in label for _g, label in feature.overlay.areas),
                    timeout=10_000)

    feature.undo_action.trigger()
    assert _areas(demo_copy, "测试市场")[0] == []
    assert _areas(demo_copy, "测试市场")[1][-1][0] == "delete"
    feature.undo_stack.redo()
    assert [r[1] for r in _areas(demo_copy, "测试市场")[0]] == ["market"]
    qtbot.waitUntil(lambda: feature.reader is None, timeout=10_000)


def _metric_area(geom, epsg):
    import numpy as np
    from shapely.geometry import Polygon

    lon, lat = np.asarray(geom.exterior.coords).T
    x, y = to_metric(lon, lat, epsg)
    return Polygon(np.column_stack([x, y])).area


def test_a_crossed_outline_is_refused_with_a_message_and_nothing_saved(
        make_window, demo_copy, monkeypatch):
    lon, lat = _grid_centre(demo_copy)
    window = make_window(demo_copy, login=OFFICE)
    feature = _feature(window)
    window.set_tool(feature.tool.name)
    xs, ys = to_metric([lon], [lat], window.canvas.workspace.epsg)
    x, y = float(xs[0]), float(ys[0])
    monkeypatch.setattr(feature, "edit_new_area", lambda: ("market", "蝴蝶结"))
    for k, (cx, cy) in enumerate([(x, y), (x + 100, y + 100), (x + 100, y), (x, y + 100)]):
        feature.tool.press(MapEvent(cx, cy, 10 + 50 * k, 10, "left"))
    feature.tool.press(MapEvent(x, y, 0, 0, "right"))
    assert _areas(demo_copy, "蝴蝶结")[0] == []
    assert "自相交" in window.status.currentMessage()
    assert feature.undo_stack.count() == 0


def test_backspace_drops_a_corner_and_enter_finishes(make_window, demo_copy, qtbot):
    window = make_window(demo_copy, login=OFFICE)
    feature = _feature(window)
    window.set_tool(feature.tool.name)
    got = []
    feature.tool.on_finished = got.append
    canvas = window.canvas
    canvas.zoom_to_extent((-50.0, -50.0, 80.0, 80.0))  # corners 10 m apart: many pixels
    for k in range(4):
        x, y = 10.0 * k, 5.0 * (k % 2)
        feature.tool.press(MapEvent(x, y, *canvas.viewport.map_to_device(x, y), "left"))
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Backspace)
    assert len(feature.tool.points) == 3
    qtbot.keyClick(window.canvas, Qt.Key.Key_Return)
    assert got == [[(0.0, 0.0), (10.0, 5.0), (20.0, 0.0)]]


def test_a_grid_manager_gets_no_duty_area_tool(make_window, demo_copy):
    window = make_window(demo_copy, login=MANAGER)
    action = window.actions[TOOL_ACTION]
    assert not (action.isVisible() and action.isEnabled())


class _Host:
    def __init__(self):
        self.changes = 0

    def tool_changed(self):
        self.changes += 1


def test_the_tool_alone_two_corners_and_a_right_click_draw_nothing():
    got = []
    tool = DrawPolygonTool(_Host(), "t", got.append)
    tool.press(MapEvent(0, 0, 0, 0, "left"))
    tool.press(MapEvent(10, 0, 50, 0, "left"))
    assert tool.preview == [(0, 0), (10, 0)]
    tool.move(MapEvent(10, 10, 50, 50))
    assert tool.preview[-1] == (10, 10)
    tool.press(MapEvent(10, 0, 50, 0, "right"))
    assert got == [] and not tool.busy
    for k, p in enumerate([(0, 0), (10, 0), (10, 10)]):
        tool.press(MapEvent(*p, 40.0 * k, 0, "left"))
    tool.press(MapEvent(0.5, 0.5, 3, 3, "left"))  # within 10 px of the first corner
    assert got == [[(0, 0), (10, 0), (10, 10)]]
