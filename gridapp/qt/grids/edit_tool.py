"""What the grid editing tools share: the editor, snapping and a preview to draw."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gridapp.qt.tools.base import MapEvent, MapTool

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from gridapp.services.grids.geometry_edits import SnapResult

# Preview roles the map overlay knows how to draw.
SKETCH, OUTLINE, INVALID = "sketch", "outline", "invalid"


class EditTool(MapTool):
    """A map tool that edits grids through a :class:`~gridapp.qt.grids.editor.GridEditor`.

    Subclasses keep their state in plain attributes and expose
    :attr:`preview` (metric geometries with a role) and :attr:`snap` (where
    the pointer snapped) for the overlay to draw.
    """

    cursor = "cross"

    def __init__(self, host: Any, editor: Any) -> None:
        super().__init__(host)
        self.editor = editor
        self.snap: SnapResult | None = None

    @property
    def preview(self) -> list[tuple[BaseGeometry, str]]:
        return []

    def snapped(self, ev: MapEvent, **kw: Any) -> tuple[float, float]:
        self.snap = self.editor.snapper.snap(ev.x, ev.y, **kw)
        return self.snap.xy

    def near_px(
        self, a: tuple[float, float], b: tuple[float, float], px: float = 10.0
    ) -> bool:
        """Whether map points *a* and *b* are within *px* screen pixels."""
        from shapely.geometry import Point

        tol = (
            self.editor.snapper.tolerance()
            * px
            / max(self.editor.snapper.tolerance_px, 1e-9)
        )
        return Point(a).distance(Point(b)) <= tol


class SketchTool(EditTool):
    """Click points, right-click (or click the first point) to finish, Esc cancels."""

    min_points = 2
    closes = False  # clicking the first point again finishes

    def __init__(self, host: Any, editor: Any) -> None:
        super().__init__(host, editor)
        self.points: list[tuple[float, float]] = []
        self.hover: tuple[float, float] | None = None

    @property
    def busy(self) -> bool:
        return bool(self.points)

    def press(self, ev: MapEvent) -> None:
        from shapely.geometry import LineString

        if ev.button == "right":
            if len(self.points) >= self.min_points:
                self.finish()
            else:
                self.cancel()
            return
        if ev.button != "left":
            return
        xy = self.snapped(
            ev, extra=[LineString(self.points)] if len(self.points) > 1 else None
        )
        if (
            self.closes
            and len(self.points) >= self.min_points
            and self.near_px(xy, self.points[0])
        ):
            self.finish()
            return
        if not self.points or xy != self.points[-1]:
            self.points.append(xy)
        self.host.tool_changed()

    def move(self, ev: MapEvent) -> None:
        self.hover = self.snapped(ev)
        self.host.tool_changed()

    def undo_point(self) -> None:
        if self.points:
            self.points.pop()
            self.host.tool_changed()

    def cancel(self) -> None:
        self.points = []
        self.hover = None
        self.snap = None
        self.host.tool_changed()

    def finish(self) -> None:
        points = list(self.points)
        self.points = []
        self.hover = None
        self.host.tool_changed()
        self.apply(points)

    def apply(self, points: list[tuple[float, float]]) -> None:
        raise NotImplementedError

    @property
    def preview(self) -> list[tuple[BaseGeometry, str]]:
        from shapely.geometry import LineString, Point

        pts = self.points + (
            [self.hover] if self.hover is not None and self.points else []
        )
        if len(pts) >= 2:
            if self.closes and len(pts) >= 3:
                pts = pts + [pts[0]]
            return [(LineString(pts), SKETCH)]
        if len(pts) == 1:
            return [(Point(pts[0]), SKETCH)]
        return []
