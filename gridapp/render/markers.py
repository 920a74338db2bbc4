"""Point markers stamped straight into a pixel buffer with numpy.

Drawing tens of thousands of round markers through QPainter costs about
1.4 µs each even without antialiasing (wide-pen ``drawPoints``); writing the
pixels of a disk at every marker position with numpy fancy indexing costs a
fraction of that.  The buffer is then drawn once with ``drawImage``.  Used on
screen when many markers are visible; printing keeps vector markers.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtGui import QImage


def premultiplied_argb(rgba: tuple[int, int, int, int]) -> np.uint32:
    """A colour as one premultiplied ARGB32 pixel value."""
    r, g, b, a = rgba
    r, g, b = (int(round(c * a / 255)) for c in (r, g, b))
    return np.uint32((a << 24) | (r << 16) | (g << 8) | b)


@lru_cache(maxsize=64)
def disk_offsets(diameter: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel offsets (dy, dx) of a filled disk of *diameter* pixels."""
    d = max(int(diameter), 1)
    r = d / 2.0
    lo = -(d // 2)
    grid = np.arange(lo, lo + d)
    dy, dx = np.meshgrid(grid, grid, indexing="ij")
    centre = lo + (d - 1) / 2.0
    inside = (dy - centre) ** 2 + (dx - centre) ** 2 <= r * r + 0.25
    return dy[inside].astype(np.int64), dx[inside].astype(np.int64)


class MarkerCanvas:
    """A transparent ARGB32 buffer the size of a device, with a margin.

    Parameters
    ----------
    width, height : int
        Device size in pixels.
    margin : int
        Largest marker radius; markers near the edge are clipped by it.
    """

    def __init__(self, width: int, height: int, margin: int = 32) -> None:
        self.width, self.height, self.margin = width, height, margin
        self.buffer = np.zeros((height + 2 * margin, width + 2 * margin), dtype=np.uint32)
        self._flat = self.buffer.reshape(-1)
        self.count = 0

    def stamp(self, px: np.ndarray, py: np.ndarray, diameter: int,
              colour: tuple[int, int, int, int]) -> None:
        """Write a disk of *diameter* in *colour* at each device position."""
        if not len(px):
            return
        m, stride = self.margin, self.buffer.shape[1]
        d = min(int(diameter), 2 * m)
        ix = np.floor(np.asarray(px)).astype(np.int64) + m
        iy = np.floor(np.asarray(py)).astype(np.int64) + m
        keep = (ix >= m // 2) & (iy >= m // 2) & (ix < self.width + m + m // 2) \
            & (iy < self.height + m + m // 2)
        base = iy[keep] * stride + ix[keep]
        value = premultiplied_argb(colour)
        dy, dx = disk_offsets(d)
        for off in (dy * stride + dx).tolist():
            self._flat[base + off] = value
        self.count += int(keep.sum())

    def marker(self, px: np.ndarray, py: np.ndarray, diameter: int,
               fill: tuple[int, int, int, int] | None,
               stroke: tuple[int, int, int, int] | None, stroke_width: float = 1.0) -> None:
        """A filled disk with an outline (outline first, fill inside it)."""
        d = max(int(round(diameter)), 1)
        if stroke is not None and stroke_width > 0:
            self.stamp(px, py, d, stroke)
            d -= 2 * max(int(round(stroke_width)), 1)
        if fill is not None and d > 0:
            self.stamp(px, py, d, fill)

    def image(self) -> QImage:
        """The device-sized view of the buffer as a QImage (shares memory).

        Keep this canvas alive while the image is in use.
        """
        m = self.margin
        view = np.ascontiguousarray(self.buffer[m:m + self.height, m:m + self.width])
        self._view = view  # the QImage borrows this memory
        return QImage(view.data, self.width, self.height, self.width * 4,
                      QImage.Format.Format_ARGB32_Premultiplied)
