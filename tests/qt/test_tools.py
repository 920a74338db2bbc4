"""Map tools driven without a window: state machines over map events."""

from __future__ import annotations

from gridapp.qt.tools import IdentifyTool, MapEvent, PanTool, SelectTool, ZoomBoxTool
from gridapp.qt.view_history import ViewHistory


class FakeHost:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def pan_by_pixels(self, dx, dy, *, final):  # type: ignore[no-untyped-def]
        self.calls.append(("pan", dx, dy, final))

    def zoom_to_extent(self, extent):  # type: ignore[no-untyped-def]
        self.calls.append(("zoom", extent))

    def identify_at(self, x, y):  # type: ignore[no-untyped-def]
        self.calls.append(("identify", x, y))

    def select_at(self, x, y, *, add):  # type: ignore[no-untyped-def]
        self.calls.append(("select_at", x, y, add))

    def select_in(self, extent, *, add):  # type: ignore[no-untyped-def]
        self.calls.append(("select_in", extent, add))

    def tool_changed(self) -> None:
        pass


def ev(x: float, y: float, **kw) -> MapEvent:  # type: ignore[no-untyped-def]
    # 1 map metre per pixel, y down on the device
    return MapEvent(x, y, x, -y, **kw)


def test_pan_drag_moves_then_commits_once() -> None:
    host = FakeHost()
    tool = PanTool(host)
    tool.press(ev(0, 0))
    tool.move(ev(10, 0))
    tool.move(ev(20, -5))
    assert tool.busy
    tool.release(ev(20, -5))
    assert not tool.busy
    pans = [c for c in host.calls if c[0] == "pan"]
    assert pans[-1] == ("pan", 0.0, 0.0, True)
    assert sum(c[1] for c in pans) == 20 and all(not c[3] for c in pans[:-1])


def test_pan_click_identifies() -> None:
    host = FakeHost()
    tool = PanTool(host)
    tool.press(ev(5, 5))
    tool.move(ev(6, 5))  # below the drag threshold
    tool.release(ev(6, 5))
    assert host.calls == [("identify", 5, 5)]


def test_zoom_box_rubber_band_and_extent() -> None:
    host = FakeHost()
    tool = ZoomBoxTool(host)
    tool.press(ev(100, 100))
    tool.move(ev(150, 60))
    assert tool.rubber_band == (100, -100, 150, -60)
    tool.release(ev(150, 60))
    assert host.calls == [("zoom", (100, 60, 150, 100))]
    assert tool.rubber_band is None


def test_cancel_drops_the_gesture() -> None:
    host = FakeHost()
    tool = ZoomBoxTool(host)
    tool.press(ev(0, 0))
    tool.move(ev(50, 50))
    tool.cancel()
    tool.release(ev(50, 50))
    assert host.calls == []


def test_select_click_and_box_with_shift_adds() -> None:
    host = FakeHost()
    tool = SelectTool(host)
    tool.press(ev(1, 1))
    tool.release(ev(1, 1))
    tool.press(ev(0, 0, shift=True))
    tool.move(ev(30, 30, shift=True))
    tool.release(ev(30, 30, shift=True))
    assert host.calls == [
        ("select_at", 1, 1, False),
        ("select_in", (0, 0, 30, 30), True),
    ]


def test_identify_ignores_right_button() -> None:
    host = FakeHost()
    tool = IdentifyTool(host)
    tool.press(ev(1, 1, button="right"))
    tool.release(ev(1, 1, button="right"))
    assert host.calls == []


def test_view_history_back_forward_and_branch() -> None:
    h = ViewHistory()
    for v in "abc":
        h.push(v)  # type: ignore[arg-type]
    assert h.back() == "b" and h.back() == "a" and h.back() is None
    assert h.forward() == "b"
    h.push("d")  # type: ignore[arg-type]
    assert not h.can_forward and h.back() == "b"
