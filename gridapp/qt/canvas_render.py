"""The map canvas renders on a worker thread (issue 21), as QGIS's parallel renderer does.

A district's frame costs 0.25-0.5 s on two busy cores (grids, the report
density, communities, labels), far more than the 100 ms the window may be
frozen.  So the canvas snapshots what a frame needs on the GUI thread (the
viewport, shallow copies of the layers to draw, the render options and the
background), a :class:`~gridapp.qt.worker.WorkerThread` paints it into a
``QImage`` with the same :mod:`gridapp.render` code (painting on a QImage is
allowed off the GUI thread; QPixmap and widgets are not), and the GUI thread
takes the finished image into the canvas's cache and blits it.

One render runs at a time.  A newer request bumps :attr:`CanvasRenderer.generation`:
the running render sees it between layers and gives up
(:class:`~gridapp.render.options.RenderCancelled`), a queued one that was
overtaken never starts, and a result of an older generation is dropped.

The layer copies share their arrays with the originals (a restyle replaces
those arrays, it does not write into them); the Qt shapes a worker builds for
a layer are handed back to the original on the GUI thread, so they are built
once per layer as before.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtGui import QPainter

from gridapp.qt.worker import WorkerThread
from gridapp.render.layers import LayerStack, VectorLayer
from gridapp.render.map_cache import CachedMap, MapImageCache
from gridapp.render.options import RenderCancelled
from gridapp.render.renderer import qcolour
from gridapp.render.viewport import Viewport


def render_key(viewport: Viewport, layers: LayerStack, cache: MapImageCache) -> tuple[Any, ...]:
    """What a frame depends on: equal keys give equal images.

    The layer objects themselves are part of it (a replaced layer may come
    with the old one's revision), and so are the options and the background.
    """
    options = tuple((k, v) for k, v in vars(cache.options).items() if k != "cancel")
    return (
        viewport,
        layers.revision,
        tuple(id(layer) for layer in layers),
        options,
        id(getattr(cache, "background", None)),
    )


@dataclass
class RenderRequest:
    """A frame to render, snapshotted on the GUI thread."""

    viewport: Viewport
    originals: list[VectorLayer]
    copies: list[VectorLayer]
    cache: MapImageCache  # a fresh cache of the canvas's kind, with its options
    key: tuple[Any, ...]
    generation: int = 0
    result: CachedMap | None = field(default=None, repr=False)

    @classmethod
    def snapshot(cls, viewport: Viewport, layers: LayerStack,
                 cache: MapImageCache) -> RenderRequest:
        originals = list(layers)
        fresh = type(cache)(dataclasses.replace(cache.options))
        if hasattr(cache, "background"):
            fresh.background = cache.background  # type: ignore[attr-defined]
        return cls(viewport, originals, [copy.copy(layer) for layer in originals], fresh,
                   render_key(viewport, layers, cache))

    def run(self, cancelled: Any) -> CachedMap:
        """Paint the frame (worker thread); raises RenderCancelled when overtaken."""
        self.cache.options.cancel = cancelled
        self.cache.render(self.viewport, LayerStack(self.copies))
        assert self.cache.cached is not None
        return self.cache.cached

    def hand_back_shapes(self) -> None:
        """Give the originals the Qt shapes built for their copies (GUI thread)."""
        for original, done in zip(self.originals, self.copies, strict=True):
            if (original.shapes is None and done.shapes is not None
                    and original.geometry is done.geometry):
                original.shapes = done.shapes


class CanvasRenderer(QObject):
    """Renders a canvas's frames on a worker, newest request first.

    ``rendered(request, cached)`` arrives on the GUI thread for the newest
    request only; ``failed(exception)`` when that render raised.
    """

    rendered = Signal(object, object)  # RenderRequest, CachedMap
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvasRenderer")
        self.generation = 0
        self.worker: WorkerThread | None = None
        self.running: RenderRequest | None = None
        self.queued: RenderRequest | None = None
        self.started = 0  # renders started, for tests and the status bar

    @property
    def busy(self) -> bool:
        return self.running is not None or self.queued is not None

    def wanted(self, key: tuple[Any, ...]) -> bool:
        """Whether a render of *key* is running or waiting already."""
        latest = self.queued or self.running
        return latest is not None and latest.generation == self.generation \
            and latest.key == key

    def request(self, viewport: Viewport, layers: LayerStack, cache: MapImageCache) -> bool:
        """Render *viewport* of *layers* like *cache* would; False if already asked."""
        key = render_key(viewport, layers, cache)
        if self.wanted(key):
            return False
        req = RenderRequest.snapshot(viewport, layers, cache)
        self.generation += 1
        req.generation = self.generation
        if self.running is None:
            self._start(req)
        else:
            self.queued = req  # the running one stops at its next layer
        return True

    def cancel(self) -> None:
        """Drop every render asked so far (results that come back are ignored)."""
        self.generation += 1
        self.queued = None

    def _start(self, req: RenderRequest) -> None:
        generation = req.generation

        def stale() -> bool:
            return generation != self.generation

        def work(progress: Any, cancel: Any) -> CachedMap:
            return req.run(lambda: cancel.cancelled or stale())

        worker = WorkerThread(work, self)
        worker.setObjectName("canvasRenderWorker")
        worker.finished.connect(lambda w=worker, r=req: self._on_finished(w, r))
        self.worker, self.running = worker, req
        self.started += 1
        worker.start()

    def _on_finished(self, worker: WorkerThread, req: RenderRequest) -> None:
        if self.worker is worker:
            self.worker, self.running = None, None
        worker.deleteLater()
        if req.generation == self.generation:
            if worker.error is None:
                req.result = worker.result
                req.hand_back_shapes()
                self.rendered.emit(req, worker.result)
            elif not isinstance(worker.error, RenderCancelled):
                self.failed.emit(worker.error)
        nxt, self.queued = self.queued, None
        if nxt is not None and nxt.generation == self.generation and self.running is None:
            self._start(nxt)

    def shutdown(self) -> None:
        """Stop rendering and wait for the worker (the canvas closes)."""
        self.cancel()
        if self.worker is not None:
            self.worker.stop()  # deleted when its finished signal arrives


def paint_preview(painter: QPainter, cached: CachedMap | None, viewport: Viewport,
                  background: str | None) -> None:
    """The last frame moved and scaled to *viewport* while the new one renders."""
    painter.fillRect(QRectF(0, 0, viewport.width, viewport.height),
                     qcolour(background or "#ffffff"))
    if cached is None:
        return
    old = cached.viewport
    s = old.resolution / viewport.resolution
    ox, oy = viewport.map_to_device(old.extent[0], old.extent[3])
    painter.drawImage(QRectF(ox, oy, old.width * s, old.height * s), cached.image)
