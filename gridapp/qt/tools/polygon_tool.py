"""Outline a polygon on the map: the sketch the grid editor's draw tool works by.

Left clicks add corners (map metres), a click within :data:`CLOSE_PX` of the
first corner or a right click finishes (three corners or more; fewer: the
sketch is dropped), Esc cancels, Backspace drops the last corner.  The
finished corners go to *on_finished*; what they become (a duty area, …) is
the caller's.  A state machine over :class:`~gridapp.qt.tools.base.MapEvent`,
so tests drive it without a window; :attr:`preview` is what an overlay draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from gridapp.qt.tools.base import MapEvent, MapTool, ToolHost

CLOSE_PX = 10.0  # a click this close (pixels) to the first corner closes the outline
MIN_CORNERS = 3


class DrawPolygonTool(MapTool):
    """Click the corners; finish on the first corner or with a right click."""

    cursor = "cross"

    def __init__(self, host: ToolHost, name: str,
                 on_finished: Callable[[list[tuple[float, float]]], Any]) -> None:
        super().__init__(host)
        self.name = name
        self.on_finished = on_finished
        self.points: list[tuple[float, float]] = []
        self.hover: tuple[float, float] | None = None
        self._first_px: tuple[float, float] | None = None

    @property
    def busy(self) -> bool:
        return bool(self.points)

    def press(self, ev: MapEvent) -> None:
        if ev.button == "right":
            if len(self.points) >= MIN_CORNERS:
                self.finish()
            else:
                self.cancel()
            return
        if ev.button != "left":
            return
        if len(self.points) >= MIN_CORNERS and self._on_first_corner(ev):
            self.finish()
            return
        if not self.points:
            self._first_px = (ev.px, ev.py)
        if not self.points or (ev.x, ev.y) != self.points[-1]:
            self.points.append((ev.x, ev.y))
        self.host.tool_changed()

    def _on_first_corner(self, ev: MapEvent) -> bool:
        """Whether *ev* is within :data:`CLOSE_PX` of the first corner as drawn now.

        Measured in metres at the view's present resolution, so a zoom or pan
        between clicks moves the target with the map; a host without a view
        (a test's) compares the pixels the first corner was clicked at.
        """
        viewport = getattr(self.host, "viewport", None)
        if viewport is not None:
            x, y = self.points[0]
            return math.hypot(ev.x - x, ev.y - y) <= CLOSE_PX * viewport.resolution
        return self._first_px is not None and math.hypot(
            ev.px - self._first_px[0], ev.py - self._first_px[1]) <= CLOSE_PX

    def move(self, ev: MapEvent) -> None:
        self.hover = (ev.x, ev.y)
        if self.points:
            self.host.tool_changed()

    def undo_point(self) -> None:
        """Drop the last corner (Backspace)."""
        if self.points:
            self.points.pop()
            if not self.points:
                self._first_px = None
            self.host.tool_changed()

    def cancel(self) -> None:
        self.points, self.hover, self._first_px = [], None, None
        self.host.tool_changed()

    def finish(self) -> None:
        points = list(self.points)
        self.cancel()
        self.on_finished(points)

    @property
    def preview(self) -> list[tuple[float, float]]:
        """The corners so far plus the pointer (map metres): the outline to draw."""
        if not self.points:
            return []
        return self.points + ([self.hover] if self.hover is not None else [])
