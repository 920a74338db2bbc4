"""Reshape grids: drag a vertex (every grid sharing it follows), add or remove vertices.

- drag a vertex: the preview follows the pointer (snapped), nothing is saved
  until release, which saves one edit;
- click on an edge (no vertex near): add a vertex there, in every grid sharing the edge;
- right-click a vertex: remove it from every grid that has it;
- Esc during a drag puts everything back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from gridapp.errors import GridAppError
from gridapp.qt.grids.edit_tool import INVALID, OUTLINE, EditTool
from gridapp.qt.tools.base import DRAG_THRESHOLD_PX, MapEvent

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

# A dragged vertex is an exact coordinate: find it again with a tiny tolerance.
EXACT = 1e-6


class ReshapeTool(EditTool):
    """Topological vertex editing of the current grids."""

    name = "grid_reshape"
    cursor = "pointing"

    def __init__(self, host: Any, editor: Any) -> None:
        super().__init__(host, editor)
        self.vertex: tuple[float, float] | None = None
        self.target: tuple[float, float] | None = None
        self.start: MapEvent | None = None
        self.dragging = False
        self.outlines: dict[int, BaseGeometry] = {}
        self.valid = True

    @property
    def busy(self) -> bool:
        return self.start is not None

    def vertex_near(self, x: float, y: float) -> tuple[float, float] | None:
        """The grid vertex nearest (x, y) within the snapping tolerance."""
        import shapely
        from shapely.geometry import Point

        if self.editor.grids is None:
            return None
        tol = self.editor.snapper.tolerance()
        _, polys = self.editor.polygons_near(Point(x, y), tol)
        if not polys:
            return None
        coords = shapely.get_coordinates(np.array(polys, dtype=object))
        d = np.hypot(coords[:, 0] - x, coords[:, 1] - y)
        k = int(np.argmin(d))
        return (float(coords[k, 0]), float(coords[k, 1])) if d[k] <= tol else None

    def press(self, ev: MapEvent) -> None:
        if ev.button == "right":
            v = self.vertex_near(ev.x, ev.y)
            if v is not None:
                self.editor.remove_vertex(v, EXACT)
            return
        if ev.button != "left":
            return
        self.start = ev
        self.vertex = self.vertex_near(ev.x, ev.y)
        self.target = self.vertex
        self.dragging = False
        self.outlines, self.valid = {}, True

    def move(self, ev: MapEvent) -> None:
        if self.start is None:
            self.snapped(ev)
            self.host.tool_changed()
            return
        if not self.dragging and (
            abs(ev.px - self.start.px) + abs(ev.py - self.start.py) >= DRAG_THRESHOLD_PX
        ):
            self.dragging = True
        if not self.dragging or self.vertex is None:
            return
        self.target = self.snapped(ev, exclude=self.vertex)
        try:
            self.outlines = self.editor.preview_move(self.vertex, self.target, EXACT)
            self.valid = True
        except GridAppError:
            self.valid = False
        self.host.tool_changed()

    def release(self, ev: MapEvent) -> None:
        if self.start is None:
            return
        start, vertex, target, dragging = (
            self.start,
            self.vertex,
            self.target,
            self.dragging,
        )
        self.cancel()
        if dragging and vertex is not None and target is not None and target != vertex:
            self.editor.move_vertex(vertex, target, EXACT)
        elif not dragging and vertex is None:
            tol = self.editor.snapper.tolerance()
            self.editor.insert_vertex((start.x, start.y), tol)

    def cancel(self) -> None:
        self.start = self.vertex = self.target = None
        self.dragging = False
        self.outlines, self.valid = {}, True
        self.host.tool_changed()

    @property
    def preview(self) -> list[tuple[BaseGeometry, str]]:
        from shapely.geometry import Point

        role = OUTLINE if self.valid else INVALID
        out = [(g, role) for g in self.outlines.values()]
        if self.vertex is not None and self.target is not None and self.dragging:
            out.append((Point(self.target), role))
        return out
