"""The map canvas: a QWidget that paints through :mod:`gridapp.render`.

No QGraphicsItem per feature: a full render goes into a
:class:`~gridapp.render.map_cache.MapImageCache` image, pan frames blit that
image, and only small overlays (selection, identify highlight, rubber band,
scale bar) are drawn per paint.  Mouse events become map-coordinate
:class:`~gridapp.qt.tools.MapEvent` for the active tool.

Full renders run on a worker (:mod:`gridapp.qt.canvas_render`, issue 21):
while one runs, the canvas shows the last image moved and scaled to the new
view.  ``GRIDAPP_RENDER_SYNC=1`` in the environment (read when a canvas is
made; the Qt tests set it) or ``canvas.render_sync = True`` renders inside
``paintEvent`` instead, so a ``grab()`` shows the finished map at once;
:meth:`MapCanvas.wait_rendered` and :meth:`MapCanvas.grab` finish a frame in
either mode.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from gridapp.qt.canvas_navigation import CanvasNavigation
from gridapp.qt.canvas_painting import paint_message, paint_overlays, paint_selection
from gridapp.qt.canvas_picking import CanvasPicking
from gridapp.qt.canvas_render import CanvasRenderer, paint_preview
from gridapp.qt.layer_data import WorkspaceLayers
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
from gridapp.render.layers import LayerStack
from gridapp.render.renderer import RenderOptions
from gridapp.render.viewport import Viewport

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


class MapCanvas(CanvasNavigation, CanvasPicking, QWidget):
    """Draws a :class:`WorkspaceLayers` and handles navigation and tools."""

    viewChanged = Signal(object)  # Viewport
    cursorMoved = Signal(float, float)  # map metres
    selectionChanged = Signal(str)  # layer name
    identified = Signal(list)  # [(layer name, row), ...], top layer first
    historyChanged = Signal()
    rendered = Signal(float)  # ms of the last full render
    toolChanged = Signal(str)  # the name of the map tool now in use

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
        # Scale range per layer: drawn while min < scale <= max (denominators).
        # The window narrows them for layers read by view (issue 22): reports
        # one by one only zoomed in, their per-grid aggregate only zoomed out.
        self.max_scales: dict[str, float] = dict(SCALE_LIMITS)
        self.min_scales: dict[str, float] = {}
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
        self.render_sync = os.environ.get("GRIDAPP_RENDER_SYNC", "") == "1"
        self.renderer = CanvasRenderer(self)
        self.renderer.rendered.connect(self._on_rendered)
        self.renderer.failed.connect(self._on_render_failed)
        self._update_cursor()

    # ------------------------------------------------------------- content
    @property
    def stack(self):  # type: ignore[no-untyped-def]
        return None if self.workspace is None else self.workspace.stack

    def drawn_stack(self) -> LayerStack | None:
        """The layers to draw at the current scale (scale-dependent visibility).

        A layer with a maximum in :attr:`max_scales` (from :data:`SCALE_LIMITS`)
        is left out when the view is smaller-scale than 1:max (e.g. 350,000
        buildings in a district-wide view are sub-pixel noise); one with a
        minimum in :attr:`min_scales` when the view is 1:min or closer.  Same
        layer objects, so the image cache sees the same revisions.
        """
        if self.workspace is None:
            return None
        if self.viewport is None:
            return self.workspace.stack
        return LayerStack(
            [layer for layer in self.workspace.stack if self.in_scale(layer.name)]
        )

    def in_scale(self, name: str) -> bool:
        if self.viewport is None:
            return True
        scale = self.viewport.scale_denominator
        return self.min_scales.get(name, 0.0) < scale <= self.max_scales.get(
            name, float("inf")
        )

    def set_workspace(
        self, workspace: WorkspaceLayers | None, view: Viewport | None = None
    ) -> None:
        """Show *workspace* (None clears), at *view* or its full extent."""
        self.workspace = workspace
        self.max_scales, self.min_scales = dict(SCALE_LIMITS), {}
        self.selection.clear()
        self.highlight = None
        self.history.clear()
        self.cache.invalidate()
        self.renderer.cancel()
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

    # --------------------------------------------------------------- tools
    def set_tool(self, name: str) -> None:
        self.tool.cancel()
        self.tool = self.tools[name]
        self._update_cursor()
        self.toolChanged.emit(name)

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
        self.renderer.cancel()  # this render replaces any running on the worker
        self.cache.render(self.viewport, self.drawn_stack())
        self.last_render_ms = self.cache.cached.stats.ms if self.cache.cached else 0.0
        self.rendered.emit(self.last_render_ms)
        return self.last_render_ms

    def needs_render(self) -> bool:
        """Whether the cache does not show the current view and layers."""
        stack = self.drawn_stack()
        return (self.viewport is not None and stack is not None
                and not self.cache.is_current(self.viewport, stack))

    def wait_rendered(self) -> None:
        """Finish the frame of the current view now (screenshots, tests)."""
        if self.needs_render():
            self.render_now()

    def grab(self, *args: Any) -> Any:
        """The widget as a pixmap, with the current view rendered first."""
        self.wait_rendered()
        return super().grab(*args)

    def request_render(self) -> None:
        """Render the current view on the worker (a no-op when it is shown or asked)."""
        stack = self.drawn_stack()
        if self.viewport is None or stack is None:
            return
        self.renderer.request(self.viewport, stack, self.cache)

    def _on_rendered(self, request: Any, cached: Any) -> None:
        self.cache.cached = cached
        self.last_render_ms = cached.stats.ms
        self.rendered.emit(self.last_render_ms)
        self.update()

    def _on_render_failed(self, exc: BaseException) -> None:
        sys.excepthook(type(exc), exc, exc.__traceback__)

    def _on_settled(self) -> None:
        if self.tool.busy:
            return
        if self.render_sync:
            self.render_now()
        else:
            self.request_render()
        self.update()

    def paintEvent(self, ev: Any) -> None:  # noqa: N802
        painter = QPainter(self)
        try:
            if self.viewport is None or self.stack is None:
                paint_message(self, painter)
                return
            if (
                self.viewport.width != self.width()
                or self.viewport.height != self.height()
            ):
                self.viewport = self.viewport.resized(*self._size())
            stack = self.drawn_stack()
            if self.render_sync:
                self._paint_sync(painter, stack)
            else:
                self._paint_async(painter, stack)
            paint_selection(self, painter)
            paint_overlays(self, painter)
        finally:
            painter.end()

    def _paint_sync(self, painter: QPainter, stack: LayerStack) -> None:
        before = self.cache.cached
        blit = self.cache.draw_frame(painter, self.viewport, stack)
        if blit and not self.tool.busy:
            self._settle.start()
        if self.cache.cached is not before and self.cache.cached is not None:
            self.last_render_ms = self.cache.cached.stats.ms
            self.rendered.emit(self.last_render_ms)

    def _paint_async(self, painter: QPainter, stack: LayerStack) -> None:
        """The cached image (moved while panning); a render on the worker if stale."""
        vp = self.viewport
        assert vp is not None
        if self.cache.can_blit(vp, stack):
            if self.cache.draw_frame(painter, vp, stack) and not self.tool.busy:
                self._settle.start()  # the pan blit: render once the drag rests
            return
        paint_preview(painter, self.cache.cached, vp, self.cache.options.background)
        if not self.tool.busy or self.cache.cached is None:
            self.renderer.request(vp, stack, self.cache)

    def stop_timers(self) -> None:
        self._settle.stop()
        self.renderer.shutdown()
