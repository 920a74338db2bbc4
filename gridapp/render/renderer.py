"""Draw a layer stack on any QPainter: screen image, PDF, printer.

Only visible features are drawn (STRtree / sorted-x queries); polygons are
Qt shapes built once per layer in local coordinates and drawn through the
painter's transform; many points are aggregated into screen cells drawn as
count-sized dots, stamped with numpy (:mod:`gridapp.render.markers`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QTransform

from gridapp.render.geometry_cache import PointArrays, PolygonArrays
from gridapp.render.labels import LabelPlacer, PlacedLabel
from gridapp.render.layers import LayerStack, VectorLayer
from gridapp.render.markers import MarkerCanvas
from gridapp.render.options import RenderCancelled, RenderOptions
from gridapp.render.qpolygons import feature_shapes
from gridapp.render.style import Symbol, parse_colour
from gridapp.render.text import draw_labels, label_candidates
from gridapp.render.viewport import Viewport


@dataclass
class RenderStats:
    """What one render did, for tests, benchmarks and the status bar."""

    drawn: dict[str, int] = field(default_factory=dict)
    aggregated: dict[str, int] = field(default_factory=dict)
    labels: list[PlacedLabel] = field(default_factory=list)
    ms: float = 0.0


def qcolour(text: str | None) -> QColor:
    """QColor of a style colour (transparent for None)."""
    rgba = parse_colour(text)
    return QColor(0, 0, 0, 0) if rgba is None else QColor(*rgba)


def _pen(sym: Symbol, scale: float = 1.0) -> QPen:
    if sym.stroke is None or sym.stroke_width <= 0:
        return QPen(Qt.PenStyle.NoPen)
    pen = QPen(qcolour(sym.stroke), sym.stroke_width * scale)
    pen.setCosmetic(True)  # width in device pixels whatever the zoom
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _brush(sym: Symbol) -> QBrush:
    return QBrush(Qt.BrushStyle.NoBrush) if sym.fill is None else QBrush(qcolour(sym.fill))


def layer_shapes(layer: VectorLayer) -> list:
    """The layer's Qt shapes, built on first use and kept on the layer."""
    if layer.shapes is None:
        assert isinstance(layer.geometry, PolygonArrays)
        layer.shapes = feature_shapes(layer.geometry)
    return layer.shapes


_LOOKS: dict[int, tuple[list[Symbol], np.ndarray, np.ndarray]] = {}


def symbol_looks(symbols: list[Symbol]) -> tuple[np.ndarray, np.ndarray]:
    """``(look per class, first class of each look)``: symbols drawn alike share a look.

    Looks are numbered in the order of their first class, so drawing by look
    keeps the class order where looks differ.  Kept per symbol list (a style
    change makes a new list).
    """
    hit = _LOOKS.get(id(symbols))
    if hit is not None and hit[0] is symbols:
        return hit[1], hit[2]
    # The legend label is not part of the look (a grid colouring labels every
    # code: 5,000 symbols, five looks).
    index: dict[tuple[object, ...], int] = {}
    looks = np.array([index.setdefault((s.fill, s.stroke, s.stroke_width, s.size), len(index))
                      for s in symbols], dtype=np.int64)
    firsts = np.unique(looks, return_index=True)[1]  # looks are 0..n-1 in that order
    if len(_LOOKS) > 64:
        _LOOKS.clear()
    _LOOKS[id(symbols)] = (symbols, looks, firsts)
    return looks, firsts


def draw_polygons(painter: QPainter, viewport: Viewport, layer: VectorLayer,
                  scale: float = 1.0) -> int:
    """Draw the visible polygons of *layer*, one brush and pen per class."""
    geom = layer.geometry
    assert isinstance(geom, PolygonArrays)
    idx = geom.query(viewport.extent)
    if not len(idx):
        return 0
    shapes = layer_shapes(layer)
    s = 1.0 / viewport.resolution
    xmin, _, _, ymax = viewport.extent
    ox, oy = geom.origin
    painter.save()
    # Combine with the painter's own transform: print layouts translate to a frame.
    painter.setTransform(QTransform(s, 0.0, 0.0, -s, (ox - xmin) * s, (ymax - oy) * s), True)
    # One pen and brush per look, not per class: a grid colouring is 5,000
    # categories in a handful of colours (5,000 pens and colour parses cost
    # ~0.2 s of a district frame).
    looks, firsts = symbol_looks(layer.symbols)
    drawn = looks[layer.classes[idx]]
    for look in np.unique(drawn):
        sym = layer.symbols[int(firsts[look])]
        painter.setPen(_pen(sym, scale))
        painter.setBrush(_brush(sym))
        for k in idx[drawn == look].tolist():
            shape = shapes[k]
            if shape is None:
                continue
            if hasattr(shape, "isClosed"):  # QPolygonF
                painter.drawPolygon(shape)
            else:
                painter.drawPath(shape)
    painter.restore()
    return len(idx)


def aggregate_cells(px: np.ndarray, py: np.ndarray, classes: np.ndarray, nclasses: int,
                    width: int, height: int, cell: int):  # type: ignore[no-untyped-def]
    """Bin device points into *cell*-pixel squares.

    Returns
    -------
    cx, cy : ndarray
        Mean device position of the points in each non-empty cell.
    counts : ndarray
        Number of points per cell.
    dominant : ndarray
        Most frequent class per cell.
    """
    ncols = width // cell + 1
    nrows = height // cell + 1
    col = np.clip((px // cell).astype(np.int64), 0, ncols - 1)
    row = np.clip((py // cell).astype(np.int64), 0, nrows - 1)
    key = row * ncols + col
    ncells = ncols * nrows
    counts = np.bincount(key, minlength=ncells)
    occupied = np.flatnonzero(counts)
    sx = np.bincount(key, weights=px, minlength=ncells)[occupied]
    sy = np.bincount(key, weights=py, minlength=ncells)[occupied]
    per_class = np.bincount(key * nclasses + classes, minlength=ncells * nclasses)
    dominant = per_class.reshape(ncells, nclasses)[occupied].argmax(axis=1)
    n = counts[occupied]
    return sx / n, sy / n, n, dominant


def _draw_markers(painter: QPainter, viewport: Viewport, px, py, sizes, classes,  # type: ignore[no-untyped-def]
                  symbols: list[Symbol], raster: bool, scale: float = 1.0) -> None:
    """Markers of per-point *sizes* (pixels) and classes, smallest first."""
    if not len(px):
        return
    sizes = np.asarray(sizes, dtype=np.int64)
    classes = np.asarray(classes, dtype=np.int64)
    key = sizes * len(symbols) + classes
    order = np.argsort(key, kind="stable")  # stable keeps "bigger count on top" inside a group
    key = key[order]
    starts = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
    stops = np.r_[starts[1:], len(key)]
    groups = [(int(sizes[order[a]]), int(classes[order[a]]), order[a:b])
              for a, b in zip(starts.tolist(), stops.tolist(), strict=True)]
    if raster:
        canvas = MarkerCanvas(viewport.width, viewport.height, margin=int(sizes.max()) + 2)
        for size, c, sel in groups:
            sym = symbols[c]
            canvas.marker(px[sel], py[sel], size, parse_colour(sym.fill),
                          parse_colour(sym.stroke), sym.stroke_width * scale)
        painter.drawImage(QPointF(0, 0), canvas.image())
        return
    for size, c, sel in groups:
        sym = symbols[c]
        painter.setPen(_pen(sym, scale))
        painter.setBrush(_brush(sym))
        r = size / 2.0
        for x, y in zip(px[sel].tolist(), py[sel].tolist(), strict=True):
            painter.drawEllipse(QPointF(x, y), r, r)


def draw_points(painter: QPainter, viewport: Viewport, layer: VectorLayer,
                options: RenderOptions) -> tuple[int, int]:
    """Draw the visible points of *layer*; returns (points, aggregated cells)."""
    geom = layer.geometry
    assert isinstance(geom, PointArrays)
    idx = geom.query(viewport.extent)
    if not len(idx):
        return 0, 0
    px, py = viewport.map_to_device(geom.x[idx], geom.y[idx])
    classes = layer.classes[idx]
    scale = options.pixel_scale
    base = np.array([max(int(round(s.size * scale)), 1) for s in layer.symbols])
    if options.aggregate_points and len(idx) > options.point_lod_threshold:
        cell = max(int(round(options.cell_px * scale)), 1)
        cx, cy, counts, dominant = aggregate_cells(
            px, py, classes, len(layer.symbols), viewport.width, viewport.height, cell)
        # One doubling of the count adds a pixel to the diameter.
        grow = (np.log2(counts) * scale).astype(np.int64)
        sizes = base[dominant] + np.minimum(grow, 2 * cell)
        order = np.argsort(counts, kind="stable")
        _draw_markers(painter, viewport, cx[order], cy[order], sizes[order],
                      dominant[order], layer.symbols, raster=True, scale=scale)
        return len(idx), len(counts)
    raster = len(idx) > options.raster_points_above
    _draw_markers(painter, viewport, px, py, base[classes], classes, layer.symbols, raster,
                  scale)
    return len(idx), 0


def _check(options: RenderOptions) -> None:
    if options.cancel is not None and options.cancel():
        raise RenderCancelled()


def render_map(
    painter: QPainter,
    viewport: Viewport,
    layers: LayerStack,
    options: RenderOptions | None = None,
) -> RenderStats:
    """Draw the visible *layers* as seen through *viewport* on *painter*.

    The painter's device is assumed to be ``viewport.width`` ×
    ``viewport.height`` pixels (for print, make a viewport of the frame's size
    in device pixels and translate the painter to the frame).

    Examples
    --------
    A canvas renders into an image it then blits (see :mod:`.map_cache`)::

        image = QImage(800, 600, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        stats = render_map(painter, Viewport.fit(stack.extent, 800, 600), stack)
        painter.end()
    """
    t0 = time.perf_counter()
    options = options or RenderOptions()
    stats = RenderStats()
    painter.save()
    try:
        _draw(painter, viewport, layers, options, stats)
    finally:
        painter.restore()
    stats.ms = (time.perf_counter() - t0) * 1e3
    return stats


def _draw(painter: QPainter, viewport: Viewport, layers: LayerStack,
          options: RenderOptions, stats: RenderStats) -> None:
    painter.setClipRect(QRectF(0, 0, viewport.width, viewport.height))
    if options.background is not None:
        painter.fillRect(QRectF(0, 0, viewport.width, viewport.height),
                         qcolour(options.background))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, options.antialias)
    visible = layers.visible()
    for layer in visible:
        _check(options)
        painter.setOpacity(max(0.0, min(1.0, layer.opacity)))
        if layer.kind == "polygon":
            stats.drawn[layer.name] = draw_polygons(painter, viewport, layer,
                                                    options.pixel_scale)
        else:
            n, cells = draw_points(painter, viewport, layer, options)
            stats.drawn[layer.name] = n
            if cells:
                stats.aggregated[layer.name] = cells
    painter.setOpacity(1.0)
    if options.labels:
        _check(options)
        placer = LabelPlacer(viewport.width, viewport.height, padding=2.0 * options.pixel_scale)
        cands = [label_candidates(viewport, lay, options) for lay in visible
                 if lay.label_field and lay.kind == "polygon"]
        stats.labels = draw_labels(painter, placer, cands, options)
