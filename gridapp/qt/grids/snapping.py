"""Snapping to vertices and edges of the visible layers, with a tolerance in pixels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gridapp.services.grids.geometry_edits import SnapResult

SNAP_TOLERANCE_PX = 10.0


class Snapper:
    """Snaps map points to what is drawn on *canvas* (visible, in-scale layers).

    The tolerance is in device pixels, so it means the same on screen at any
    scale.  ``enabled`` switches snapping off (the pointer is used as is).
    """

    def __init__(self, canvas: Any, tolerance_px: float = SNAP_TOLERANCE_PX) -> None:
        self.canvas = canvas
        self.tolerance_px = tolerance_px
        self.enabled = True

    def tolerance(self) -> float:
        """The tolerance in map metres at the current scale."""
        vp = self.canvas.viewport
        return self.tolerance_px * (vp.resolution if vp is not None else 1.0)

    def candidates(self, x: float, y: float, tol: float) -> list[Any]:
        import shapely

        ws = self.canvas.workspace
        if ws is None:
            return []
        box = (x - tol, y - tol, x + tol, y + tol)
        out: list[Any] = []
        for layer in ws.stack:
            if not layer.visible or not self.canvas.in_scale(layer.name):
                continue
            data = ws.data.get(layer.name)
            if data is None:
                continue
            rows = self.canvas._rows_in(layer.name, box)  # noqa: SLF001 - the canvas's index query
            if len(rows):
                geoms = data.geoms[rows]
                out.extend(geoms[~shapely.is_empty(geoms)].tolist())
        return out

    def snap(
        self,
        x: float,
        y: float,
        *,
        extra: list[Any] | None = None,
        exclude: tuple[float, float] | None = None,
    ) -> SnapResult:
        """(x, y) snapped to the nearest vertex, else edge, within the tolerance.

        *extra* adds geometries (e.g. the line being drawn, a drag preview);
        *exclude* is a vertex not to snap to (the one being dragged).
        """
        from gridapp.services.grids.geometry_edits import SnapResult, snap_point

        if not self.enabled:
            return SnapResult((x, y), None, 0.0)
        tol = self.tolerance()
        cands = self.candidates(x, y, tol) + list(extra or [])
        if exclude is not None and cands:
            cands = [part for g in cands for part in _without_vertex(g, exclude)]
        return snap_point((x, y), cands, tol)


def _without_vertex(geom: Any, xy: tuple[float, float]) -> list[Any]:
    """*geom*'s vertices except *xy* as points plus its edges that avoid *xy*."""
    import shapely

    coords = shapely.get_coordinates(geom)
    if not len(coords) or not ((coords[:, 0] == xy[0]) & (coords[:, 1] == xy[1])).any():
        return [geom]
    lines = (
        shapely.get_parts(shapely.boundary(geom))
        if shapely.get_dimensions(geom) == 2
        else shapely.get_parts(geom)
    )
    segs = []
    for line in lines:
        c = shapely.get_coordinates(line)
        for a, b in zip(c[:-1], c[1:], strict=True):
            if tuple(a) != xy and tuple(b) != xy:
                segs.append(shapely.LineString([a, b]))
    keep = coords[~((coords[:, 0] == xy[0]) & (coords[:, 1] == xy[1]))]
    return segs + [shapely.Point(c) for c in keep]
