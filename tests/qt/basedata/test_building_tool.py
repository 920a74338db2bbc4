"""绘制楼栋's tool alone, driven by map events without a window: Backspace down to
no corner leaves it as it was before the first click, so the next outline
closes on its own first corner."""

from __future__ import annotations

from gridapp.qt.basedata.building_tool import DrawBuildingTool
from gridapp.qt.tools.base import MapEvent


class _Host:
    def __init__(self) -> None:
        self.changes = 0

    def tool_changed(self) -> None:
        self.changes += 1


def _state(tool: DrawBuildingTool) -> dict[str, object]:
    return {k: v for k, v in vars(tool).items() if k not in ("host", "on_finished")}


def test_undoing_every_corner_leaves_the_tool_as_before_the_first_click() -> None:
    got: list[list[tuple[float, float]]] = []
    fresh = DrawBuildingTool(_Host(), got.append)
    tool = DrawBuildingTool(_Host(), got.append)
    tool.press(MapEvent(0, 0, 200, 300, "left"))
    tool.press(MapEvent(10, 0, 300, 300, "left"))
    tool.undo_point()
    tool.undo_point()
    assert not tool.busy
    tool.hover = None  # the pointer left the map: nothing of the sketch remains
    assert _state(tool) == _state(fresh)


def test_after_undoing_everything_the_outline_closes_on_its_new_first_corner() -> None:
    got: list[list[tuple[float, float]]] = []
    tool = DrawBuildingTool(_Host(), got.append)
    tool.press(MapEvent(0, 0, 200, 300, "left"))
    tool.undo_point()
    corners = [(100.0, 100.0), (120.0, 100.0), (120.0, 115.0)]
    for k, (x, y) in enumerate(corners):
        tool.press(MapEvent(x, y, 20 + 40 * k, 20, "left"))
    tool.press(MapEvent(199, 299, 201, 299, "left"))  # near the undone corner: a corner
    assert got == [] and len(tool.points) == 4
    tool.press(MapEvent(100.5, 100.5, 22, 21, "left"))  # near the new first corner
    assert got == [corners + [(199, 299)]]
    assert not tool.busy
