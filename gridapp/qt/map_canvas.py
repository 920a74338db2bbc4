"""The map canvas: a QWidget that paints through :mod:`gridapp.render`.

No QGraphicsItem per feature: a full render goes into a
:class:`~gridapp.render.map_cache.MapImageCache` image, pan frames blit that
image, and only small overlays (selection, identify highlight, rubber band,
scale bar) are drawn per paint.  Mouse events become map-coordinate
:class:`~gridapp.qt.tools.MapEvent` for the active tool.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QTransform
from PySide6.QtWidgets import QWidget

from gridapp.qt.layer_data import WorkspaceLayers, point_xy
from gridapp.qt.tiles import BackgroundMapCache
from gridapp.qt.tools import (
    IdentifyTool,
    MapEvent,
    MapTool,
    PanTool,
    SelectTool,
    ZoomBoxTool,
)
from gridapp.qt.view_history import ViewHistory
from gridapp.render.decorations import draw_north_arrow, draw_scale_bar
from gridapp.render.layers import LayerStack
from gridapp.render.renderer import RenderOptions, layer_shapes
from gridapp.render.viewport import Viewport

PICK_TOLERANCE_PX = 5.0
# Largest scale denominator at which a layer is still drawn (QGIS's
# "maximum (exclusive)" scale): buildings only from 1:25,000 closer.
SCALE_LIMITS = {"building": 25_000.0}
SETTLE_MS = 150
_CURSORS = {
    "arrow": Qt.CursorShape.ArrowCursor,
    "open_hand": Qt.CursorShape.OpenHandCursor,
    "closed_hand": Qt.CursorShape.ClosedHandCursor,
    "cross": Qt.CursorShape.CrossCursor,
    "pointing": Qt.CursorShape.PointingHandCursor,
}
_BUTTONS = {
    Qt.MouseButton.LeftButton: "left",
    Qt.MouseButton.RightButton: "right",
    Qt.MouseButton.MiddleButton: "middle",
}


class MapCanvas(QWidget):
    """Draws a :class:`WorkspaceLayers` and handles navigation and tools."""

    viewChanged = Signal(object)  # Viewport
    cursorMoved = Signal(float, float)  # map metres
    selectionChanged = Signal(str)  # layer name
    identified = Signal(list)  # [(layer name, row), ...], top layer first
    historyChanged = Signal()
    rendered = Signal(float)  # ms of the last full render

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapCanvas")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 150)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.workspace: WorkspaceLayers | None = None
        self.viewport: Viewport | None = None
        self.cache = BackgroundMapCache(RenderOptions())
        self.history = ViewHistory()
        self.selection: dict[str, np.ndarray] = {}
        self.highlight: tuple[str, int] | None = None
        self.active_layer: str | None = None
        self.message = ""
        self.last_render_ms = 0.0
        self.tools: dict[str, MapTool] = {
            t.name: t
            for t in (
                PanTool(self),
                ZoomBoxTool(self),
                IdentifyTool(self),
                SelectTool(self),
            )
        }
        self.tool: MapTool = self.tools["pan"]
        self._settle = QTimer(self)
        self._settle.setObjectName("settleTimer")
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settled)
        self._update_cursor()

    # ------------------------------------------------------------- content
    @property
    def stack(self):  # type: ignore[no-untyped-def]
        return None if self.workspace is None else self.workspace.stack

    def drawn_stack(self) -> LayerStack | None:
        """The layers to draw at the current scale (scale-dependent visibility).

        A layer with a ``max_scale`` in :data:`SCALE_LIMITS` is left out when
        the view is smaller-scale than 1:max_scale (e.g. 350,000 buildings in
        a district-wide view are sub-pixel noise).  Same layer objects, so the
        image cache sees the same revisions.
        """
        if self.workspace is None:
            return None
        if self.viewport is None:
            return self.workspace.stack
        scale = self.viewport.scale_denominator
        return LayerStack(
            [
                layer
                for layer in self.workspace.stack
                if scale <= SCALE_LIMITS.get(layer.name, float("inf"))
            ]
        )

    def in_scale(self, name: str) -> bool:
        return self.viewport is None or (
            self.viewport.scale_denominator <= SCALE_LIMITS.get(name, float("inf"))
        )

    def set_workspace(
        self, workspace: WorkspaceLayers | None, view: Viewport | None = None
    ) -> None:
        """Show *workspace* (None clears), at *view* or its full extent."""
        self.workspace = workspace
        self.selection.clear()
        self.highlight = None
        self.history.clear()
        self.cache.invalidate()
        self.viewport = None
        if workspace is not None:
            self.message = ""
            if view is not None:
                self.set_viewport(
                    view.resized(max(self.width(), 1), max(self.height(), 1))
                )
            else:
                self.zoom_full()
        self.historyChanged.emit()
        self.update()

    def set_message(self, text: str) -> None:
        """Text shown when there is no map (loading, failed open)."""
        self.message = text
        self.update()

    def layers_changed(self) -> None:
        """A layer's style, visibility, order or opacity changed: redraw."""
        self.update()

    def set_background(self, source: Any) -> None:
        self.cache.background = source
        self.cache.invalidate()
        self.update()

    # ---------------------------------------------------------- navigation
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

    # ------------------------------------------------------------- picking
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
        rows = self._rows_in(name, extent)
        geoms = self.workspace.data[name].geoms[rows]
        rows = rows[shapely.intersects(geoms, shapely.box(*extent))]
        self._apply_selection(name, rows, add)

    def _apply_selection(self, name: str, rows: np.ndarray, add: bool) -> None:
        if add and name in self.selection:
            rows = np.union1d(self.selection[name], rows)
        self.set_selection(name, rows)

    # --------------------------------------------------------------- tools
    def set_tool(self, name: str) -> None:
        self.tool.cancel()
        self.tool = self.tools[name]
        self._update_cursor()

    def add_tool(self, tool: MapTool) -> None:
        """Register a tool (later issues add editing tools this way)."""
        self.tools[tool.name] = tool

    def tool_changed(self) -> None:
        self.update()

    def _update_cursor(self) -> None:
        self.setCursor(_CURSORS.get(self.tool.cursor, Qt.CursorShape.ArrowCursor))

    def _map_event(self, ev: Any, button: str | None = None) -> MapEvent | None:
        if self.viewport is None:
            return None
        pos = ev.position()
        x, y = self.viewport.device_to_map(pos.x(), pos.y())
        mods = ev.modifiers()
        return MapEvent(
            x,
            y,
            pos.x(),
            pos.y(),
            button or _BUTTONS.get(ev.button(), "none"),
            shift=bool(mods & Qt.KeyboardModifier.ShiftModifier),
            ctrl=bool(mods & Qt.KeyboardModifier.ControlModifier),
        )

    def mousePressEvent(self, ev: Any) -> None:  # noqa: N802
        me = self._map_event(ev)
        if me is not None:
            self.tool.press(me)
            if self.tool.name == "pan" and me.button == "left":
                self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, ev: Any) -> None:  # noqa: N802
        me = self._map_event(ev, "none")
        if me is not None:
            self.cursorMoved.emit(me.x, me.y)
            self.tool.move(me)

    def mouseReleaseEvent(self, ev: Any) -> None:  # noqa: N802
        me = self._map_event(ev)
        if me is not None:
            self.tool.release(me)
            self._update_cursor()

    def wheelEvent(self, ev: Any) -> None:  # noqa: N802
        if self.viewport is None:
            return
        steps = ev.angleDelta().y() / 120.0
        if not steps:
            return
        pos = ev.position()
        self.set_viewport(self.viewport.zoom_at(pos.x(), pos.y(), 1.25**steps))

    def keyPressEvent(self, ev: Any) -> None:  # noqa: N802
        key = ev.key()
        w, h = self._size()
        moves = {
            Qt.Key.Key_Left: (w / 4, 0),
            Qt.Key.Key_Right: (-w / 4, 0),
            Qt.Key.Key_Up: (0, h / 4),
            Qt.Key.Key_Down: (0, -h / 4),
        }
        if key in moves:
            self.pan_by_pixels(*moves[key], final=True)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(2.0)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.5)
        elif key == Qt.Key.Key_Escape:
            self.tool.cancel()
        else:
            super().keyPressEvent(ev)

    # ------------------------------------------------------------ painting
    def resizeEvent(self, ev: Any) -> None:  # noqa: N802
        super().resizeEvent(ev)
        if self.viewport is not None:
            self.viewport = self.viewport.resized(*self._size())
            self.viewChanged.emit(self.viewport)
        elif self.workspace is not None:
            self.zoom_full()

    def render_now(self) -> float:
        """Render the current view into the cache (not a blit); returns ms."""
        if self.viewport is None or self.stack is None:
            return 0.0
        self.cache.render(self.viewport, self.drawn_stack())
        self.last_render_ms = self.cache.cached.stats.ms if self.cache.cached else 0.0
        self.rendered.emit(self.last_render_ms)
        return self.last_render_ms

    def _on_settled(self) -> None:
        if self.tool.busy:
            return
        self.render_now()
        self.update()

    def paintEvent(self, ev: Any) -> None:  # noqa: N802
        painter = QPainter(self)
        try:
            if self.viewport is None or self.stack is None:
                self._paint_message(painter)
                return
            if (
                self.viewport.width != self.width()
                or self.viewport.height != self.height()
            ):
                self.viewport = self.viewport.resized(*self._size())
            before = self.cache.cached
            blit = self.cache.draw_frame(painter, self.viewport, self.drawn_stack())
            if blit and not self.tool.busy:
                self._settle.start()
            if self.cache.cached is not before and self.cache.cached is not None:
                self.last_render_ms = self.cache.cached.stats.ms
                self.rendered.emit(self.last_render_ms)
            self._paint_selection(painter)
            self._paint_overlays(painter)
        finally:
            painter.end()

    def _paint_message(self, painter: QPainter) -> None:
        painter.fillRect(self.rect(), QColor("#f4f4f0"))
        if self.message:
            painter.setPen(QColor("#444444"))
            font = QFont(self.font())
            font.setPixelSize(16)
            painter.setFont(font)
            painter.drawText(
                self.rect().adjusted(40, 40, -40, -40),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.message,
            )

    def _paint_selection(self, painter: QPainter) -> None:
        assert self.workspace is not None and self.viewport is not None
        items = dict(self.selection)
        colour = QColor("#ffff00")
        for name, rows in items.items():
            self._paint_features(
                painter, name, rows, colour, QColor(255, 255, 0, 70), 3.0
            )
        if self.highlight is not None:
            name, row = self.highlight
            self._paint_features(
                painter, name, np.array([row]), QColor("#ff00ff"), None, 2.5
            )

    def _paint_features(
        self,
        painter: QPainter,
        name: str,
        rows: np.ndarray,
        stroke: QColor,
        fill: QColor | None,
        width: float,
    ) -> None:
        assert self.workspace is not None and self.viewport is not None
        data = self.workspace.data.get(name)
        if data is None or not data.layer.visible or not len(rows):
            return
        vp = self.viewport
        layer = data.layer
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(stroke, width)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(
            QBrush(fill) if fill is not None else QBrush(Qt.BrushStyle.NoBrush)
        )
        if layer.kind == "point":
            rows = rows[:20_000]
            geoms = data.geoms[rows]
            px, py = vp.map_to_device(*point_xy(geoms))
            keep = (
                np.isfinite(px)
                & (px > -10)
                & (px < vp.width + 10)
                & (py > -10)
                & (py < vp.height + 10)
            )
            for x, y in zip(px[keep].tolist(), py[keep].tolist(), strict=True):
                painter.drawEllipse(QPointF(x, y), 5.0, 5.0)
        else:
            shapes = layer_shapes(layer)
            geom = layer.geometry
            s = 1.0 / vp.resolution
            xmin, _, _, ymax = vp.extent
            ox, oy = geom.origin
            painter.setTransform(
                QTransform(s, 0.0, 0.0, -s, (ox - xmin) * s, (ymax - oy) * s)
            )
            visible = set(geom.query(vp.extent).tolist())
            for k in rows.tolist():
                shape = shapes[k] if k in visible else None
                if shape is None:
                    continue
                if hasattr(shape, "isClosed"):
                    painter.drawPolygon(shape)
                else:
                    painter.drawPath(shape)
        painter.restore()

    def _paint_overlays(self, painter: QPainter) -> None:
        assert self.viewport is not None
        band = self.tool.rubber_band
        if band is not None:
            painter.save()
            pen = QPen(QColor("#1f78b4"), 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(QColor(31, 120, 180, 40))
            painter.drawRect(
                QRectF(band[0], band[1], band[2] - band[0], band[3] - band[1])
            )
            painter.restore()
        draw_scale_bar(painter, self.viewport, 16, self.height() - 16)
        draw_north_arrow(painter, self.width() - 30, 44, 36)

    def stop_timers(self) -> None:
        self._settle.stop()
