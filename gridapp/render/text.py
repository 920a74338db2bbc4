"""Label text: candidates from a layer, measured with a CJK font, drawn with a halo."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from gridapp.render.geometry_cache import PolygonArrays
from gridapp.render.labels import LabelPlacer, PlacedLabel, place_labels
from gridapp.render.layers import VectorLayer
from gridapp.render.options import RenderOptions
from gridapp.render.viewport import Viewport

_HALO = ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1))


@dataclass
class LabelCandidates:
    """Labels one layer wants to show, in device pixels."""

    layer: str
    texts: np.ndarray
    anchors: np.ndarray
    sizes: np.ndarray
    priority: np.ndarray
    features: np.ndarray
    layer_priority: int = 0


@lru_cache(maxsize=8)
def label_font(family: str, pixel_size: float) -> QFont:
    """The label font (Chinese glyphs come from the CJK family or fallback)."""
    font = QFont(family)
    font.setPixelSize(max(int(round(pixel_size)), 1))
    return font


@lru_cache(maxsize=200_000)
def text_size(family: str, pixel_size: float, text: str) -> tuple[float, float]:
    """Width and height of *text* in pixels, cached across renders."""
    fm = QFontMetricsF(label_font(family, pixel_size))
    return fm.horizontalAdvance(text), fm.height()


def label_candidates(viewport: Viewport, layer: VectorLayer,
                     options: RenderOptions) -> LabelCandidates:
    """Visible features big enough on screen to carry their label."""
    geom = layer.geometry
    assert isinstance(geom, PolygonArrays)
    texts_all = layer.labels()
    idx = geom.query(viewport.extent)
    if texts_all is None or not len(idx):
        idx = np.empty(0, dtype=np.int64)
    b = geom.bounds[idx]
    wide = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) / viewport.resolution
    keep = wide >= options.min_label_feature_px * options.pixel_scale
    idx, wide = idx[keep], wide[keep]
    texts = texts_all[idx] if texts_all is not None else np.empty(0, dtype=str)
    fam, px = options.label_font_family, options.label_font_px * options.pixel_scale
    sizes = np.array([text_size(fam, px, str(t)) for t in texts.tolist()]).reshape(-1, 2)
    # A label much wider than its feature would describe its neighbours.
    fits = wide >= 0.8 * sizes[:, 0]
    idx, texts, sizes = idx[fits], texts[fits], sizes[fits]
    ax, ay = viewport.map_to_device(geom.anchors[idx, 0], geom.anchors[idx, 1])
    return LabelCandidates(layer.name, texts, np.column_stack([ax, ay]).reshape(-1, 2),
                           sizes, geom.areas[idx], idx, layer.label_priority)


def draw_labels(painter: QPainter, placer: LabelPlacer, candidates: list[LabelCandidates],
                options: RenderOptions) -> list[PlacedLabel]:
    """Place every layer's labels together (largest features first) and draw them."""
    placed: list[PlacedLabel] = []
    if candidates:
        texts = np.concatenate([c.texts.astype(object) for c in candidates])
        order_layer = np.concatenate([[i] * len(c.texts) for i, c in enumerate(candidates)]
                                     ).astype(np.int64)
        feats = np.concatenate([c.features for c in candidates]).astype(np.int64)
        # Higher layer priority first (community names over grid codes), then area.
        area = np.concatenate([c.priority for c in candidates]).astype(float)
        rank = np.concatenate([np.full(len(c.texts), c.layer_priority) for c in candidates])
        combined = np.empty(len(texts))
        combined[np.lexsort((area, rank))] = np.arange(len(texts))
        got = place_labels(
            placer, texts,
            np.concatenate([c.anchors for c in candidates]),
            np.concatenate([c.sizes for c in candidates]),
            combined, np.arange(len(texts)),
        )
        placed = [PlacedLabel(p.text, p.rect, int(feats[p.feature]),
                              candidates[int(order_layer[p.feature])].layer) for p in got]
    if not placed:
        return placed
    font = label_font(options.label_font_family, options.label_font_px * options.pixel_scale)
    k = max(options.pixel_scale, 1.0)
    painter.save()
    painter.setFont(font)
    ascent = QFontMetricsF(font).ascent()
    halo, ink = QColor(255, 255, 255, 230), QColor(20, 20, 20)
    for lab in placed:
        base = QPointF(lab.rect[0], lab.rect[1] + ascent)
        painter.setPen(halo)
        for dx, dy in _HALO:
            painter.drawText(base + QPointF(dx * k, dy * k), lab.text)
        painter.setPen(ink)
        painter.drawText(base, lab.text)
    painter.restore()
    return placed


