"""绘制楼栋: outline a building on the map (issue 18).

The duty-area sketch (:class:`~gridapp.qt.tools.polygon_tool.DrawPolygonTool`)
under its own name: left clicks add corners (map metres), a click on the first
corner or a right click finishes (three corners or more; fewer: cancelled), Esc
cancels, Backspace drops the last corner.  The finished outline goes to
*on_finished* (metric coordinates); the base-data feature asks for the
building's attributes and saves it through
:func:`gridapp.services.basedata.building_edit.add_building`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gridapp.qt.tools.base import ToolHost
from gridapp.qt.tools.polygon_tool import DrawPolygonTool


class DrawBuildingTool(DrawPolygonTool):
    """Click the corners of a building; finish on the first corner or with a right click."""

    def __init__(self, host: ToolHost,
                 on_finished: Callable[[list[tuple[float, float]]], Any]) -> None:
        super().__init__(host, "building_draw", on_finished)

    def title(self) -> str:
        """绘制楼栋: the tool's name in the status bar (it has no action of its own)."""
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("BaseData", "Draw building")
