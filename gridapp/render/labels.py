"""Greedy label placement without collisions.

Qt-free: text sizes come in as numbers (the renderer measures them with the
painter's font).  Labels are tried in priority order (bigger features first);
each tries a few candidate boxes around its anchor and takes the first one that
meets no box already placed and stays on the device.  Placed boxes are kept in
a uniform grid of buckets so a test touches only nearby boxes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in device pixels

# Candidate offsets as fractions of (width, height) from the anchor to the
# box's top-left: centred, above, below, right, left.
_CANDIDATES = ((-0.5, -0.5), (-0.5, -1.6), (-0.5, 0.6), (0.15, -0.5), (-1.15, -0.5))


@dataclass(frozen=True)
class PlacedLabel:
    """A label that found room: its text, box and the feature it belongs to."""

    text: str
    rect: Rect
    feature: int
    layer: str = ""


class LabelPlacer:
    """Occupied rectangles on a device, with a collision test.

    Parameters
    ----------
    width, height : float
        Device size; boxes must lie inside it.
    padding : float
        Extra pixels kept free around each placed box.
    cell : float
        Bucket size of the spatial hash.
    """

    def __init__(self, width: float, height: float, *, padding: float = 2.0,
                 cell: float = 64.0) -> None:
        self.width = width
        self.height = height
        self.padding = padding
        self.cell = cell
        self._boxes: list[Rect] = []
        self._buckets: dict[tuple[int, int], list[int]] = defaultdict(list)

    def _cells(self, r: Rect):  # type: ignore[no-untyped-def]
        c = self.cell
        for i in range(int(r[0] // c), int(r[2] // c) + 1):
            for j in range(int(r[1] // c), int(r[3] // c) + 1):
                yield (i, j)

    def is_free(self, r: Rect) -> bool:
        """Whether *r* is on the device and meets no placed box."""
        if r[0] < 0 or r[1] < 0 or r[2] > self.width or r[3] > self.height:
            return False
        seen: set[int] = set()
        for key in self._cells(r):
            for idx in self._buckets.get(key, ()):
                if idx in seen:
                    continue
                seen.add(idx)
                b = self._boxes[idx]
                if r[0] < b[2] and b[0] < r[2] and r[1] < b[3] and b[1] < r[3]:
                    return False
        return True

    def occupy(self, r: Rect) -> None:
        """Mark *r* (grown by the padding) as taken."""
        p = self.padding
        grown = (r[0] - p, r[1] - p, r[2] + p, r[3] + p)
        idx = len(self._boxes)
        self._boxes.append(grown)
        for key in self._cells(grown):
            self._buckets[key].append(idx)

    def try_place(self, x: float, y: float, w: float, h: float) -> Rect | None:
        """Place a *w*×*h* box near anchor (x, y); the box, or None if no room."""
        for fx, fy in _CANDIDATES:
            x0, y0 = x + fx * w, y + fy * h
            r = (x0, y0, x0 + w, y0 + h)
            if self.is_free(r):
                self.occupy(r)
                return r
        return None

    @property
    def boxes(self) -> list[Rect]:
        return list(self._boxes)


def place_labels(
    placer: LabelPlacer,
    texts: np.ndarray,
    anchors_px: np.ndarray,
    sizes: np.ndarray,
    priority: np.ndarray,
    features: np.ndarray,
    layer: str = "",
) -> list[PlacedLabel]:
    """Place labels greedily, highest *priority* first.

    Parameters
    ----------
    texts : array of str
    anchors_px : ndarray, shape (n, 2)
        Anchor points in device pixels.
    sizes : ndarray, shape (n, 2)
        Text box width and height in pixels.
    priority : ndarray
        Larger is placed first (e.g. feature area).
    features : ndarray
        Feature index per label, returned with each placed label.
    """
    placed: list[PlacedLabel] = []
    for i in np.argsort(-np.asarray(priority), kind="stable"):
        text = texts[i]
        if not text:
            continue
        r = placer.try_place(float(anchors_px[i, 0]), float(anchors_px[i, 1]),
                             float(sizes[i, 0]), float(sizes[i, 1]))
        if r is not None:
            placed.append(PlacedLabel(str(text), r, int(features[i]), layer))
    return placed
