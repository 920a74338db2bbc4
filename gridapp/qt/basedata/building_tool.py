"""绘制楼栋: outline a building on the map (issue 18).

A small state machine over map events (metres), like the grid tools: left
clicks add corners, a click on the first corner or a right click finishes
(three corners or more; fewer: cancelled), Esc cancels, Backspace drops the
last corner.  The finished outline goes to *on_finished* (metric
coordinates); the base-data feature asks for the building's attributes and
saves it through :func:`gridapp.services.basedata.building_edit.add_building`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from gridapp.qt.tools.base import MapEvent, MapTool

CLOSE_PX = 10.0  # a click this close (pixels) to the first corner closes the outline


class DrawBuildingTool(MapTool):
    """Click the corners of a building; finish on the first corner or with a right click."""

    name = "building_draw"
    cursor = "cross"

    def __init__(self, host: Any, on_finished: Callable[[list[tuple[float, float]]], Any]
                 ) -> None:
        super().__init__(host)
        self.on_finished = on_finished
        self.points: list[tuple[float, float]] = []
        self._first_px: tuple[float, float] | None = None
        self.hover: tuple[float, float] | None = None

    def title(self) -> str:
        """绘制楼栋: the tool's name in the status bar (it has no action of its own)."""
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("BaseData", "Draw building")

    @property
    def busy(self) -> bool:
        return bool(self.points)

    def press(self, ev: MapEvent) -> None:
        if ev.button == "right":
            if len(self.points) >= 3:
                self.finish()
            else:
                self.cancel()
            return
        if ev.button != "left":
            return
        if len(self.points) >= 3 and self._first_px is not None and math.hypot(
                ev.px - self._first_px[0], ev.py - self._first_px[1]) <= CLOSE_PX:
            self.finish()
            return
        if not self.points:
            self._first_px = (ev.px, ev.py)
        if not self.points or (ev.x, ev.y) != self.points[-1]:
            self.points.append((ev.x, ev.y))
        self.host.tool_changed()

    def move(self, ev: MapEvent) -> None:
        self.hover = (ev.x, ev.y)
        if self.points:
            self.host.tool_changed()

    def undo_point(self) -> None:
        if self.points:
            self.points.pop()
            self.host.tool_changed()

    def cancel(self) -> None:
        self.points, self.hover, self._first_px = [], None, None
        self.host.tool_changed()

    def finish(self) -> None:
        points = list(self.points)
        self.cancel()
        self.on_finished(points)
