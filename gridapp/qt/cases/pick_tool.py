"""A map tool that hands a clicked position on (file a report, place a photo)."""

from __future__ import annotations

from collections.abc import Callable

from gridapp.qt.tools.base import MapEvent, PanTool, ToolHost


class PositionPickTool(PanTool):
    """Click to pick a position (map metres); drag still pans the map.

    Parameters
    ----------
    host : ToolHost
        The canvas (or a fake in tests).
    name : str
        Tool name for ``canvas.set_tool``.
    on_pick : callable
        ``on_pick(x, y)`` with the clicked map position.
    """

    cursor = "cross"

    def __init__(
        self, host: ToolHost, name: str, on_pick: Callable[[float, float], None]
    ) -> None:
        super().__init__(host)
        self.name = name
        self.on_pick = on_pick

    def on_click(self, ev: MapEvent) -> None:
        self.on_pick(ev.x, ev.y)
