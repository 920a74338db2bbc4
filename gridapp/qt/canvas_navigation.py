"""Navigation of the map canvas: viewports, zooms, pans and the view history.

A mixin of :class:`~gridapp.qt.map_canvas.MapCanvas`; it works on the canvas's
``viewport``, ``workspace``, ``history`` and ``selection`` and emits its
``viewChanged`` and ``historyChanged`` signals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from gridapp.render.viewport import Viewport


class CanvasNavigation:
    """Where the canvas looks: set, zoom, pan, back and forward."""

    viewport: Viewport | None
    workspace: Any
    history: Any
    selection: dict[str, np.ndarray]
    viewChanged: Any
    historyChanged: Any
    _settle: Any

    def set_viewport(self, viewport: Viewport, *, record: bool = True) -> None:
        self.viewport = viewport
        if record:
            self.history.push(viewport)
            self.historyChanged.emit()
        self.viewChanged.emit(viewport)
        self.update()

    def _size(self) -> tuple[int, int]:
        return max(self.width(), 1), max(self.height(), 1)

    def zoom_to_extent(
        self, extent: tuple[float, float, float, float], margin: float = 0.0
    ) -> None:
        if self.viewport is None and self.workspace is None:
            return
        xmin, ymin, xmax, ymax = extent
        if xmax - xmin <= 0 and ymax - ymin <= 0:
            if self.viewport is None:
                return
            px, py = self.viewport.map_to_device(xmin, ymin)
            self.set_viewport(self.viewport.zoom_at(px, py, 2.0))
            return
        w, h = self._size()
        self.set_viewport(Viewport.fit(extent, w, h, margin=margin))

    def zoom_full(self) -> None:
        if self.workspace is not None:
            self.zoom_to_extent(self.workspace.extent, margin=0.03)

    def zoom_to_layer(self, name: str) -> None:
        if self.workspace is not None and name in self.workspace.data:
            layer = self.workspace.data[name].layer
            if len(layer):
                self.zoom_to_extent(layer.extent, margin=0.05)

    def selection_extent(self) -> tuple[float, float, float, float] | None:
        bounds = (
            [
                shapely.bounds(self.workspace.data[n].geoms[rows])
                for n, rows in self.selection.items()
                if len(rows)
            ]
            if self.workspace
            else []
        )
        if not bounds:
            return None
        b = np.vstack(bounds)
        if not np.isfinite(b).any():
            return None
        return (
            float(np.nanmin(b[:, 0])),
            float(np.nanmin(b[:, 1])),
            float(np.nanmax(b[:, 2])),
            float(np.nanmax(b[:, 3])),
        )

    def zoom_to_selection(self) -> None:
        ext = self.selection_extent()
        if ext is None:
            return
        if (
            ext[2] - ext[0] < 50 and ext[3] - ext[1] < 50
        ):  # a point: show 100 m around it
            cx, cy = (ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2
            ext = (cx - 50, cy - 50, cx + 50, cy + 50)
        self.zoom_to_extent(ext, margin=0.1)

    def zoom_by(self, factor: float) -> None:
        if self.viewport is not None:
            w, h = self._size()
            self.set_viewport(self.viewport.zoom_at(w / 2, h / 2, factor))

    def pan_by_pixels(self, dx: float, dy: float, *, final: bool = True) -> None:
        if self.viewport is None:
            return
        if dx or dy:
            self.set_viewport(self.viewport.pan_pixels(dx, dy), record=final)
        elif final:
            self.history.push(self.viewport)
            self.historyChanged.emit()
        if final:
            self._settle.start(0)

    def back(self) -> None:
        view = self.history.back()
        if view is not None:
            self.set_viewport(view.resized(*self._size()), record=False)
            self.historyChanged.emit()

    def forward(self) -> None:
        view = self.history.forward()
        if view is not None:
            self.set_viewport(view.resized(*self._size()), record=False)
            self.historyChanged.emit()
