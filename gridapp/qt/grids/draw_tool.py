"""Draw a new grid: click its corners (snapped), finish on the first point or right-click."""

from __future__ import annotations

from gridapp.qt.grids.edit_tool import SketchTool


class DrawGridTool(SketchTool):
    """Outline a new grid; it gets the next code of the community it lies in."""

    name = "grid_draw"
    min_points = 3
    closes = True

    def apply(self, points: list[tuple[float, float]]) -> None:
        from shapely.geometry import Polygon

        self.editor.add_polygon(Polygon(points))
