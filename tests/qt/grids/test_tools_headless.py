"""The sketch tools as plain state machines: a fake host and editor, no window."""

from __future__ import annotations

from gridapp.qt.grids.draw_tool import DrawGridTool
from gridapp.qt.grids.split_tool import SplitTool
from gridapp.qt.tools import MapEvent
from gridapp.services.grids.geometry_edits import SnapResult


class FakeHost:
    def tool_changed(self) -> None:
        pass


class FakeSnapper:
    tolerance_px = 10.0

    def tolerance(self) -> float:
        return 1.0  # 0.1 m per pixel

    def snap(self, x, y, **kw):  # type: ignore[no-untyped-def]
        # snaps to whole metres within the tolerance
        rx, ry = round(x), round(y)
        if abs(rx - x) + abs(ry - y) <= 0.5:
            return SnapResult((float(rx), float(ry)), "vertex", 0.0)
        return SnapResult((x, y), None, 0.0)


class FakeEditor:
    def __init__(self) -> None:
        self.snapper = FakeSnapper()
        self.calls: list[tuple] = []

    def add_polygon(self, poly):  # type: ignore[no-untyped-def]
        self.calls.append(("add", poly))

    def split_with_line(self, line):  # type: ignore[no-untyped-def]
        self.calls.append(("split", line))


def ev(x: float, y: float, button: str = "left") -> MapEvent:
    return MapEvent(x, y, x * 10, -y * 10, button)


def test_draw_closes_on_first_point_with_snapped_corners() -> None:
    editor = FakeEditor()
    tool = DrawGridTool(FakeHost(), editor)
    for x, y in ((0.2, 0.1), (10.1, 0), (10, 9.8), (0, 10.3)):
        tool.press(ev(x, y))
    assert tool.points == [(0, 0), (10, 0), (10, 10), (0, 10)]
    tool.press(ev(0.3, 0.2))  # on the first corner: finishes
    assert not tool.busy
    ((what, poly),) = editor.calls
    assert what == "add" and poly.area == 100


def test_split_finishes_on_right_click_and_escape_cancels() -> None:
    editor = FakeEditor()
    tool = SplitTool(FakeHost(), editor)
    tool.press(ev(5, -3))
    tool.move(ev(5, 4))
    assert tool.busy and tool.preview
    tool.cancel()
    assert not tool.busy and not tool.preview and editor.calls == []
    tool.press(ev(5, -3))
    tool.press(ev(5, 13))
    tool.undo_point()
    tool.press(ev(5, 14))
    tool.press(ev(5, 14, "right"))
    ((what, line),) = editor.calls
    assert what == "split" and list(line.coords) == [(5, -3), (5, 14)]


def test_right_click_with_too_few_points_cancels() -> None:
    editor = FakeEditor()
    tool = DrawGridTool(FakeHost(), editor)
    tool.press(ev(0, 0))
    tool.press(ev(10, 0))
    tool.press(ev(10, 0, "right"))
    assert not tool.busy and editor.calls == []
