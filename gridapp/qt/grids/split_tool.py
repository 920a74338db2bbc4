"""Split a grid with a line drawn across it (from outside to outside)."""

from __future__ import annotations

from gridapp.qt.grids.edit_tool import SketchTool


class SplitTool(SketchTool):
    """Click the points of a cutting line; right-click finishes and splits."""

    name = "grid_split"
    min_points = 2

    def apply(self, points: list[tuple[float, float]]) -> None:
        from shapely.geometry import LineString

        self.editor.split_with_line(LineString(points))
