"""Map tools as small state machines over map-coordinate events.

The canvas translates Qt mouse events into :class:`MapEvent` (map metres and
device pixels) and hands them to the active tool.  A tool never touches Qt
widgets: it asks its :class:`ToolHost` (the canvas, or a fake in tests) to
pan, zoom, identify or select, and exposes a *rubber band* rectangle for the
host to draw.  Later tools (draw, split, reshape) subclass :class:`MapTool`
the same way, so the canvas does not change when tools are added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

Rect = tuple[float, float, float, float]

# Pixels the mouse may move before a press becomes a drag.
DRAG_THRESHOLD_PX = 4.0


@dataclass(frozen=True)
class MapEvent:
    """A pointer event: map position (metres), device position, modifiers."""

    x: float
    y: float
    px: float
    py: float
    button: str = "left"  # left, right, middle, none
    shift: bool = False
    ctrl: bool = False


class ToolHost(Protocol):
    """What a tool may ask of the map it works on."""

    def pan_by_pixels(self, dx: float, dy: float, *, final: bool) -> None: ...
    def zoom_to_extent(self, extent: Rect) -> None: ...
    def identify_at(self, x: float, y: float) -> None: ...
    def select_at(self, x: float, y: float, *, add: bool) -> None: ...
    def select_in(self, extent: Rect, *, add: bool) -> None: ...
    def tool_changed(self) -> None: ...


class MapTool:
    """Base tool: ignores everything.  States are plain attributes."""

    name = "none"
    cursor = "arrow"  # arrow, open_hand, closed_hand, cross, pointing

    def __init__(self, host: ToolHost) -> None:
        self.host = host

    def press(self, ev: MapEvent) -> None:
        """Pointer pressed."""

    def move(self, ev: MapEvent) -> None:
        """Pointer moved (pressed or not)."""

    def release(self, ev: MapEvent) -> None:
        """Pointer released."""

    def cancel(self) -> None:
        """Escape or tool switch: drop any gesture in progress."""

    @property
    def rubber_band(self) -> Rect | None:
        """Device rectangle to draw while dragging, or None."""
        return None

    @property
    def busy(self) -> bool:
        """Whether a gesture is in progress."""
        return False


class _DragTool(MapTool):
    """Press, optional drag, release: the shared states of the tools below."""

    def __init__(self, host: ToolHost) -> None:
        super().__init__(host)
        self.start: MapEvent | None = None
        self.last: MapEvent | None = None
        self.dragging = False

    @property
    def busy(self) -> bool:
        return self.start is not None

    def press(self, ev: MapEvent) -> None:
        if ev.button != "left":
            return
        self.start = self.last = ev
        self.dragging = False

    def move(self, ev: MapEvent) -> None:
        if self.start is None:
            return
        if not self.dragging and (
            abs(ev.px - self.start.px) + abs(ev.py - self.start.py) >= DRAG_THRESHOLD_PX
        ):
            self.dragging = True
        if self.dragging:
            self.on_drag(ev)
        self.last = ev

    def release(self, ev: MapEvent) -> None:
        if self.start is None:
            return
        start, dragging = self.start, self.dragging
        self.start = self.last = None
        self.dragging = False
        if dragging:
            self.on_drag_end(start, ev)
        else:
            self.on_click(start)
        self.host.tool_changed()

    def cancel(self) -> None:
        self.start = self.last = None
        self.dragging = False
        self.host.tool_changed()

    @property
    def rubber_band(self) -> Rect | None:
        if not (self.dragging and self.start and self.last):
            return None
        s, e = self.start, self.last
        return (min(s.px, e.px), min(s.py, e.py), max(s.px, e.px), max(s.py, e.py))

    def on_drag(self, ev: MapEvent) -> None:
        self.host.tool_changed()

    def on_drag_end(self, start: MapEvent, end: MapEvent) -> None:
        pass

    def on_click(self, ev: MapEvent) -> None:
        pass


def _map_rect(a: MapEvent, b: MapEvent) -> Rect:
    return (min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y))


class PanTool(_DragTool):
    """Drag to move the map; a click identifies."""

    name = "pan"
    cursor = "open_hand"

    def on_drag(self, ev: MapEvent) -> None:
        assert self.last is not None
        self.host.pan_by_pixels(ev.px - self.last.px, ev.py - self.last.py, final=False)

    def on_drag_end(self, start: MapEvent, end: MapEvent) -> None:
        self.host.pan_by_pixels(0.0, 0.0, final=True)

    def on_click(self, ev: MapEvent) -> None:
        self.host.identify_at(ev.x, ev.y)

    @property
    def rubber_band(self) -> Rect | None:
        return None


class ZoomBoxTool(_DragTool):
    """Drag a box to zoom into it; a click zooms in twice around the point."""

    name = "zoom_box"
    cursor = "cross"

    def on_drag_end(self, start: MapEvent, end: MapEvent) -> None:
        self.host.zoom_to_extent(_map_rect(start, end))

    def on_click(self, ev: MapEvent) -> None:
        self.host.zoom_to_extent((ev.x, ev.y, ev.x, ev.y))


class IdentifyTool(_DragTool):
    """Click a feature to show its fields."""

    name = "identify"
    cursor = "pointing"

    def on_click(self, ev: MapEvent) -> None:
        self.host.identify_at(ev.x, ev.y)


class SelectTool(_DragTool):
    """Click or drag a box to select features; Shift or Ctrl adds."""

    name = "select"
    cursor = "cross"

    def on_drag_end(self, start: MapEvent, end: MapEvent) -> None:
        self.host.select_in(_map_rect(start, end), add=start.shift or start.ctrl)

    def on_click(self, ev: MapEvent) -> None:
        self.host.select_at(ev.x, ev.y, add=ev.shift or ev.ctrl)
