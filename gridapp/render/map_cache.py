"""A rendered map kept as an image, so pan frames are a blit, not a redraw.

A canvas widget keeps one :class:`MapImageCache`.  While the user drags, it
calls :meth:`MapImageCache.draw_frame` with the moving viewport: the cached
image is drawn at the offset (a few milliseconds at 1920×1080) and the
uncovered strip is filled with the background.  When the drag ends (or on
zoom, resize or a layer change) :meth:`MapImageCache.render` draws afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

from gridapp.render.layers import LayerStack
from gridapp.render.renderer import RenderOptions, RenderStats, qcolour, render_map
from gridapp.render.viewport import Viewport


@dataclass
class CachedMap:
    """An image and what it was rendered from."""

    image: QImage
    viewport: Viewport
    revision: tuple[Any, ...]
    stats: RenderStats


class MapImageCache:
    """The last full render of a layer stack, reused for pan frames.

    Parameters
    ----------
    options : RenderOptions, optional
        Options for full renders; its background also fills exposed strips.
    """

    def __init__(self, options: RenderOptions | None = None) -> None:
        self.options = options or RenderOptions()
        self.cached: CachedMap | None = None

    def is_current(self, viewport: Viewport, layers: LayerStack) -> bool:
        """Whether the cache shows exactly *viewport* with the current layers."""
        c = self.cached
        return c is not None and c.viewport == viewport and c.revision == layers.revision

    def render(self, viewport: Viewport, layers: LayerStack) -> QImage:
        """A full render of *viewport* (reused when nothing changed)."""
        if self.cached is not None and self.is_current(viewport, layers):
            return self.cached.image
        image = QImage(viewport.width, viewport.height, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        try:
            stats = render_map(painter, viewport, layers, self.options)
        finally:
            painter.end()
        self.cached = CachedMap(image, viewport, layers.revision, stats)
        return image

    def can_blit(self, viewport: Viewport, layers: LayerStack) -> bool:
        """Whether *viewport* can be shown by shifting the cached image."""
        c = self.cached
        return (c is not None and c.revision == layers.revision
                and (c.viewport.width, c.viewport.height) == (viewport.width, viewport.height)
                and viewport.offset_of(c.viewport) is not None)

    def draw_frame(self, painter: QPainter, viewport: Viewport, layers: LayerStack) -> bool:
        """Draw *viewport* on *painter*: a shifted blit if possible, else a render.

        Returns True when the frame was a blit (the caller should schedule a
        full render once the interaction settles).
        """
        if self.can_blit(viewport, layers):
            assert self.cached is not None
            dx, dy = viewport.offset_of(self.cached.viewport)  # type: ignore[misc]
            if self.options.background is not None and (dx or dy):
                painter.fillRect(QRectF(0, 0, viewport.width, viewport.height),
                                 qcolour(self.options.background))
            painter.drawImage(QPointF(round(dx), round(dy)), self.cached.image)
            return not self.is_current(viewport, layers)
        painter.drawImage(QPointF(0, 0), self.render(viewport, layers))
        return False

    def invalidate(self) -> None:
        """Forget the cached image (e.g. after a layer's data changed in place)."""
        self.cached = None
