"""Picking on the map canvas: features under a point, identify and selection.

A mixin of :class:`~gridapp.qt.map_canvas.MapCanvas`: hits are ``(layer
name, row)`` pairs in the canvas's :class:`~gridapp.qt.layer_data.WorkspaceLayers`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gridapp.render.viewport import Viewport

PICK_TOLERANCE_PX = 5.0


class CanvasPicking:
    """What is under the mouse, what is identified and what is selected."""

    viewport: Viewport | None
    workspace: Any
    selection: dict[str, np.ndarray]
    highlight: tuple[str, int] | None
    active_layer: str | None
    identified: Any
    selectionChanged: Any

    def features_at(
        self, x: float, y: float, layers: list[str] | None = None
    ) -> list[tuple[str, int]]:
        """Visible features under map point (x, y), the most specific first.

        Points come first (in drawing order, top first), then polygons from
        the smallest to the largest, so a click inside a grid names the grid
        (or the building) before its community and street.
        """
        if self.workspace is None or self.viewport is None:
            return []
        tol = PICK_TOLERANCE_PX * self.viewport.resolution
        box = (x - tol, y - tol, x + tol, y + tol)
        import shapely  # on the first click, not with the window (issue 22)

        pt = shapely.Point(x, y)
        hits: list[tuple[str, int]] = []
        areas: list[float] = []
        for layer in reversed(list(self.workspace.stack)):
            if (
                not layer.visible
                or not self.in_scale(layer.name)
                or (layers is not None and layer.name not in layers)
            ):
                continue
            rows = self._rows_in(layer.name, box)
            if not len(rows):
                continue
            geoms = self.workspace.data[layer.name].geoms[rows]
            if layer.kind == "point":
                d = shapely.distance(geoms, pt)
                best = int(np.argmin(d))
                if d[best] <= tol:
                    hits.append((layer.name, int(rows[best])))
                    areas.append(-1.0)
            else:
                inside = rows[shapely.intersects(geoms, pt)]
                near = inside if len(inside) else rows[shapely.dwithin(geoms, pt, tol)]
                hits.extend((layer.name, int(r)) for r in near)
                areas.extend(
                    self.workspace.data[layer.name].layer.geometry.areas[near].tolist()
                )
        order = sorted(
            range(len(hits)), key=lambda i: areas[i]
        )  # stable: points keep order
        return [hits[i] for i in order]

    def _rows_in(
        self, name: str, extent: tuple[float, float, float, float]
    ) -> np.ndarray:
        assert self.workspace is not None
        geom = self.workspace.data[name].layer.geometry
        idx = geom.query(extent)
        if geom.kind == "point":
            return np.sort(geom.order[idx])
        return idx

    def identify_at(self, x: float, y: float) -> None:
        hits = self.features_at(x, y)
        self.highlight = hits[0] if hits else None
        self.identified.emit(hits)
        self.update()

    def set_selection(self, name: str, rows: Any, *, emit: bool = True) -> None:
        rows = np.unique(
            np.asarray(
                list(rows) if not isinstance(rows, np.ndarray) else rows, dtype=np.int64
            )
        )
        if len(rows):
            self.selection[name] = rows
        else:
            self.selection.pop(name, None)
        if emit:
            self.selectionChanged.emit(name)
        self.update()

    def clear_selection(self) -> None:
        for name in list(self.selection):
            self.set_selection(name, [])

    def _target_layer(self) -> str | None:
        if self.workspace is None:
            return None
        if self.active_layer in self.workspace.data:
            return self.active_layer
        return "grid" if "grid" in self.workspace.data else None

    def select_at(self, x: float, y: float, *, add: bool) -> None:
        name = self._target_layer()
        if name is None:
            return
        rows = [r for n, r in self.features_at(x, y, [name]) if n == name][:1]
        self._apply_selection(name, np.asarray(rows, dtype=np.int64), add)

    def select_in(
        self, extent: tuple[float, float, float, float], *, add: bool
    ) -> None:
        name = self._target_layer()
        if name is None or self.workspace is None:
            return
        import shapely

        rows = self._rows_in(name, extent)
        geoms = self.workspace.data[name].geoms[rows]
        rows = rows[shapely.intersects(geoms, shapely.box(*extent))]
        self._apply_selection(name, rows, add)

    def _apply_selection(self, name: str, rows: np.ndarray, add: bool) -> None:
        if add and name in self.selection:
            rows = np.union1d(self.selection[name], rows)
        self.set_selection(name, rows)
