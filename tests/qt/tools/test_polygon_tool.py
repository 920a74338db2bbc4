"""The polygon sketch (duty areas, buildings) alone, over a view that moves between
clicks: the first corner closes the outline where it is on screen now."""

from __future__ import annotations

from gridapp.qt.tools.base import MapEvent
from gridapp.qt.tools.polygon_tool import CLOSE_PX, DrawPolygonTool
from gridapp.render.viewport import Viewport


class _Map:
    """A host with a view, as the canvas is: events are made through it."""

    def __init__(self) -> None:
        self.viewport = Viewport(800, 600, 1000.0, 1000.0, 1.0)  # 1 m per pixel
        self.changes = 0

    def tool_changed(self) -> None:
        self.changes += 1

    def at(self, x: float, y: float, button: str = "left") -> MapEvent:
        px, py = self.viewport.map_to_device(x, y)
        return MapEvent(x, y, px, py, button)

    def at_pixel(self, px: float, py: float, button: str = "left") -> MapEvent:
        x, y = self.viewport.device_to_map(px, py)
        return MapEvent(x, y, px, py, button)


def _three_corners(host: _Map, tool: DrawPolygonTool) -> list[tuple[float, float]]:
    corners = [(1000.0, 1000.0), (1100.0, 1000.0), (1100.0, 1080.0)]
    for x, y in corners:
        tool.press(host.at(x, y))
    return corners


def _map_point(host: _Map, px: tuple[float, float]) -> tuple[float, float]:
    x, y = host.viewport.device_to_map(*px)
    return (x, y)


def test_after_a_zoom_the_first_corner_closes_where_it_is_now() -> None:
    host, got = _Map(), []
    tool = DrawPolygonTool(host, "t", got.append)
    corners = _three_corners(host, tool)
    old_px = host.viewport.map_to_device(*corners[0])
    host.viewport = host.viewport.zoom_at(0.0, 0.0, 4.0)  # the wheel, between clicks
    new_px = host.viewport.map_to_device(*corners[0])
    assert abs(new_px[0] - old_px[0]) > 10 * CLOSE_PX  # the corner moved on screen

    tool.press(host.at_pixel(*old_px))  # where it was: another corner, not the end
    assert got == [] and len(tool.points) == 4
    tool.press(host.at_pixel(new_px[0] + 3, new_px[1] - 3))  # on it, as drawn now
    assert got == [corners + [_map_point(host, old_px)]]


def test_after_a_pan_the_first_corner_closes_where_it_is_now() -> None:
    host, got = _Map(), []
    tool = DrawPolygonTool(host, "t", got.append)
    corners = _three_corners(host, tool)
    host.viewport = host.viewport.pan_pixels(200, 0)
    px, py = host.viewport.map_to_device(*corners[0])
    tool.press(host.at_pixel(px - 4, py + 4))
    assert got == [corners]


def test_the_close_distance_is_pixels_on_screen_at_any_zoom() -> None:
    for factor in (0.25, 1.0, 8.0):
        host, got = _Map(), []
        host.viewport = host.viewport.zoom_at(400, 300, factor)
        tool = DrawPolygonTool(host, "t", got.append)
        corners = _three_corners(host, tool)
        px, py = host.viewport.map_to_device(*corners[0])
        tool.press(host.at_pixel(px + CLOSE_PX + 2, py))  # just outside: a corner
        assert got == [] and len(tool.points) == 4, factor
        tool.press(host.at_pixel(px + CLOSE_PX - 2, py))  # just inside: closes
        assert len(got) == 1 and got[0][:3] == corners, factor
