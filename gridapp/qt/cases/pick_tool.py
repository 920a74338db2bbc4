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
    title : callable, optional
        The tool's name for the status bar, in the UI language (tools without
        an action of their own; see :mod:`gridapp.qt.features.polish`).
    """

    cursor = "cross"

    def __init__(
        self, host: ToolHost, name: str, on_pick: Callable[[float, float], None],
        title: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(host)
        self.name = name
        self.on_pick = on_pick
        self._title = title

    def title(self) -> str:
        return self._title() if self._title is not None else self.name

    def on_click(self, ev: MapEvent) -> None:
        self.on_pick(ev.x, ev.y)
