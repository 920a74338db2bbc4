"""The map block of a page: coloured grids, boundaries, landmarks, labels,
scale bar and north arrow, drawn with :func:`gridapp.render.renderer.render_map`."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from gridapp.printing.data import UNASSIGNED, PrintData
from gridapp.printing.draw import Units, colour, draw_halo_text, draw_plate
from gridapp.printing.report import PrintReport
from gridapp.render.decorations import draw_north_arrow, draw_scale_bar
from gridapp.render.labels import LabelPlacer
from gridapp.render.layers import LayerStack, VectorLayer
from gridapp.render.renderer import RenderOptions, render_map
from gridapp.render.style import CategorizedStyle, SingleStyle, Symbol
from gridapp.render.viewport import Viewport

_NICE = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5, 8.0, 10.0)
SCREEN_MM = 25.4 / 96.0  # Symbol widths are in 96-dpi pixels (scaled by pixel_scale)


def nice_scale(denominator: float) -> float:
    """The next round scale denominator at or above *denominator* (1:2 500, 1:5 000 …)."""
    if denominator <= 0 or not math.isfinite(denominator):
        return denominator
    exp = 10.0 ** math.floor(math.log10(denominator))
    for m in _NICE:
        if m * exp >= denominator * (1 - 1e-9):
            return m * exp
    return 10 * exp


def viewport_for(extent, rect: QRectF, dpi: float, margin: float,  # type: ignore[no-untyped-def]
                 scale: float | None = None) -> Viewport:
    """A viewport of *rect*'s pixel size showing *extent* at a round scale (or *scale*)."""
    vp = Viewport.fit(extent, max(int(rect.width()), 1), max(int(rect.height()), 1),
                      margin=margin, dpi=dpi)
    return vp.with_scale(scale if scale else nice_scale(vp.scale_denominator))


@dataclass
class MapLayers:
    """Layers built once per print job and shared by every page."""

    grids: VectorLayer
    context: VectorLayer | None
    communities: VectorLayer
    landmarks: VectorLayer | None


def symbol_mm(fill: str | None, stroke: str | None, width_mm: float, units: Units,
              size_mm: float = 0.0) -> Symbol:
    k = units.scale / SCREEN_MM
    return Symbol(fill=fill, stroke=stroke, stroke_width=width_mm * k, size=size_mm * k)


def build_layers(data: PrintData, block: dict, units: Units) -> MapLayers:
    """The poster's layers: grids by their colour, community outlines, landmarks."""
    g_stroke = block.get("grid_stroke", "#5a5a5a")
    g_w = float(block.get("grid_stroke_mm", 0.25))
    colours = sorted(set(data.grids["colour"]))
    style = CategorizedStyle("colour", {c: symbol_mm(c, g_stroke, g_w, units) for c in colours})
    grids = VectorLayer("grid", data.grids[["code", "colour", "geometry"]], style,
                        crs=data.crs)
    context = None
    if data.context is not None and len(data.context):
        context = VectorLayer("context", data.context[["code", "geometry"]], SingleStyle(
            symbol_mm(block.get("neighbour_fill", "#e4e4e4"),
                      block.get("neighbour_stroke", "#9a9a9a"), g_w, units)),
            crs=data.crs)
    comm = VectorLayer("community", data.communities[["name", "geometry"]], SingleStyle(
        symbol_mm(None, block.get("community_stroke", "#a61b1b"),
                  float(block.get("community_stroke_mm", 0.8)), units)), crs=data.crs)
    marks = None
    if block.get("show_landmarks", True) and len(data.landmarks):
        marks = VectorLayer("landmark", data.landmarks[["name", "geometry"]], SingleStyle(
            symbol_mm(block.get("landmark_colour", "#1a5fb4"), "#ffffff", 0.2, units,
                      float(block.get("landmark_size_mm", 1.6)))), crs=data.crs)
    return MapLayers(grids, context, comm, marks)


def _corner(rect: QRectF, w: float, h: float, where: str, pad: float) -> QPointF:
    """Top-left of a w×h box in a corner of *rect*."""
    x = rect.right() - pad - w if "right" in where else rect.left() + pad
    y = rect.bottom() - pad - h if "bottom" in where else rect.top() + pad
    return QPointF(x, y)


def draw_map_block(painter: QPainter, rect: QRectF, data: PrintData, layers: MapLayers,
                   template, units: Units, report: PrintReport, *,  # type: ignore[no-untyped-def]
                   focus: int | None = None, extent=None, scale: float | None = None
                   ) -> Viewport:
    """Draw the map frame in *rect* (page pixels); *focus* is a grid row for atlas pages."""
    block = template.block("map")
    margin = float(block.get("margin", 0.04))
    if extent is None:
        if focus is not None:
            extent = tuple(data.grids.geometry.iloc[focus].bounds)
        else:
            extent = tuple(data.communities.total_bounds) if data.scope == "community" \
                else tuple(data.grids.total_bounds)
    vp = viewport_for(extent, rect, units.dpi, margin, scale)
    stack = LayerStack()
    grids = layers.grids
    if layers.context is not None:
        stack.add(layers.context)  # neighbours in grey (atlas) or around the community
    if focus is not None and layers.context is not None:
        one = VectorLayer("focus", data.grids.iloc[[focus]][["code", "colour", "geometry"]],
                          SingleStyle(symbol_mm(data.grids["colour"].iloc[focus],
                                                block.get("focus_stroke", "#a61b1b"),
                                                float(block.get("focus_stroke_mm", 1.0)),
                                                units)), crs=data.crs)
        stack.add(one)
    else:
        stack.add(grids)
    stack.add(layers.communities)
    if layers.landmarks is not None:
        stack.add(layers.landmarks)
    painter.save()
    painter.translate(rect.topLeft())
    painter.fillRect(QRectF(0, 0, vp.width, vp.height), QColor("#fbfbf8"))
    render_map(painter, vp, stack, RenderOptions.for_print(units.dpi, labels=False))
    painter.setClipRect(QRectF(0, 0, vp.width, vp.height))
    placer = LabelPlacer(vp.width, vp.height, padding=units.mm(0.6))
    # Keep decorations and landmark symbols clear of labels.
    deco = _decorations(painter, vp, template, units, placer, draw=False)
    _reserve_landmarks(vp, data, block, units, placer)
    _grid_labels(painter, vp, data, block, units, placer, report, focus)
    _landmark_labels(painter, vp, data, block, units, placer)
    _decorations(painter, vp, template, units, placer, draw=True, boxes=deco)
    painter.restore()
    painter.save()
    pen = QPen(colour(template.page.get("ink", "#1f1f1f")), units.mm(block.get("frame_width_mm", 0.35)))
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    painter.restore()
    return vp


def label_shrink(vp: Viewport, data: PrintData, block: dict, units: Units,
                 rows: list[int]) -> float:
    """Label size factor (0.55–1): smaller labels when typical grids are small on paper."""
    if len(rows) < 3:
        return 1.0
    b = data.grids.geometry.iloc[rows].bounds
    typical = float(((b["maxx"] - b["minx"]) / vp.resolution).median())
    name_w = float(data.grids["name"].iloc[rows].str.len().median()) * units.mm(
        block.get("label_size_mm", 2.6))
    return max(0.55, min(1.0, typical / max(name_w * 1.15, 1e-6)))


def _grid_labels(painter: QPainter, vp: Viewport, data: PrintData, block: dict, units: Units,
                 placer: LabelPlacer, report: PrintReport, focus: int | None) -> None:
    g = data.grids
    rows = [focus] if focus is not None else list(range(len(g)))
    others = data.context if focus is not None else None
    k = label_shrink(vp, data, block, units, rows)
    name_f = units.font(units.mm(block.get("label_size_mm", 2.6)) * k, bold=True)
    code_f = units.font(units.mm(block.get("code_size_mm", 1.9)) * k)
    mark_f = units.font(units.mm(block.get("code_size_mm", 1.9)) * max(k, 0.8), bold=True)
    fm_n, fm_c, fm_m = QFontMetricsF(name_f), QFontMetricsF(code_f), QFontMetricsF(mark_f)
    halo = units.mm(0.35)
    ink, grey = QColor(25, 25, 25), QColor(110, 110, 110)
    red = colour(block.get("unassigned_colour", "#d00000"))
    cols = data.columns()
    order = sorted(rows, key=lambda i: -cols["area"][i])
    for i in order:
        x, y = vp.map_to_device(cols["px"][i], cols["py"][i])
        name, code = cols["name"][i], cols["code"][i]
        unassigned = cols["manager"][i] == UNASSIGNED
        lines = [(name, name_f, fm_n, ink), (code, code_f, fm_c, ink)]
        manager = cols["manager"][i]
        if unassigned:
            lines.append((UNASSIGNED, mark_f, fm_m, red))
        elif focus is None:
            lines.append((f"网格员 {manager}", code_f, fm_c, ink))
        short = name[len(data.place):] if (data.scope == "community" and
                                           name.startswith(data.place)) else name
        short_line = (short, name_f, fm_n, ink)
        if unassigned:
            options = [lines, [lines[0], lines[2]], [short_line, lines[2]], [lines[2]]]
        else:
            options = [lines[:k] for k in range(len(lines), 0, -1)]
            options += [[short_line, lines[1]], [short_line]]
        placed = None
        for option in options:
            w = max(fm.horizontalAdvance(t) for t, _, fm, _ in option) + 2 * halo
            h = sum(fm.height() for _, _, fm, _ in option)
            placed = placer.try_place(x, y, w, h)
            if placed is not None:
                lines = option
                break
        if placed is None:
            report.add("info", "网格 {c} 太小，图上放不下标注（见网格员名单）",
                       "Grid {c} is too small for its label on the map (see the list)", c=code)
            continue
        x0, ty = placed[0], placed[1]
        w = placed[2] - placed[0]
        draw_plate(painter, QRectF(x0, ty, w, placed[3] - placed[1]), halo, 185)
        for text, font, fm, c in lines:
            tw = fm.horizontalAdvance(text)
            pos = QPointF(x0 + (w - tw) / 2, ty + fm.ascent())
            if text == UNASSIGNED:
                box = QRectF(pos.x() - halo, ty, tw + 2 * halo, fm.height())
                painter.save()
                painter.setPen(QPen(red, units.mm(0.3)))
                painter.setBrush(QColor(255, 255, 255, 235))
                painter.drawRect(box)
                painter.restore()
                painter.setFont(font)
                painter.setPen(red)
                painter.drawText(pos, text)
            else:
                painter.setFont(font)
                painter.setPen(c)
                painter.drawText(pos, text)
            ty += fm.height()
    if others is None or not len(others):
        return
    ctx = data.context_columns()
    small = units.font(units.mm(block.get("code_size_mm", 2.0)))
    fm = QFontMetricsF(small)
    xmin, ymin, xmax, ymax = vp.extent
    focus_code = cols["code"][focus] if focus is not None else None
    for k in range(len(ctx["code"])):
        if ctx["code"][k] == focus_code or not (xmin <= ctx["px"][k] <= xmax
                                                and ymin <= ctx["py"][k] <= ymax):
            continue
        x, y = vp.map_to_device(ctx["px"][k], ctx["py"][k])
        text = ctx["name"][k] or ctx["code"][k]
        w, h = fm.horizontalAdvance(text) + 2 * halo, fm.height()
        r = placer.try_place(x, y, w, h)
        if r is not None:
            draw_halo_text(painter, QPointF(r[0] + halo, r[1] + fm.ascent()), text, small,
                           grey, halo)


def _reserve_landmarks(vp: Viewport, data: PrintData, block: dict, units: Units,
                       placer: LabelPlacer) -> None:
    if not block.get("show_landmarks", True) or not len(data.landmarks):
        return
    r = units.mm(block.get("landmark_size_mm", 1.6)) / 2
    xs, ys = vp.map_to_device(np.asarray(data.landmarks.geometry.x),
                              np.asarray(data.landmarks.geometry.y))
    for x, y in zip(np.atleast_1d(xs).tolist(), np.atleast_1d(ys).tolist(), strict=True):
        if 0 <= x <= vp.width and 0 <= y <= vp.height:
            placer.occupy((x - r, y - r, x + r, y + r))


def _landmark_labels(painter: QPainter, vp: Viewport, data: PrintData, block: dict,
                     units: Units, placer: LabelPlacer) -> None:
    if not block.get("show_landmarks", True) or not len(data.landmarks):
        return
    font = units.font(units.mm(block.get("landmark_label_size_mm", 1.9)))
    fm = QFontMetricsF(font)
    ink = colour(block.get("landmark_colour", "#1a5fb4"))
    r = units.mm(block.get("landmark_size_mm", 1.6)) / 2
    halo = units.mm(0.3)
    xs, ys = vp.map_to_device(np.asarray(data.landmarks.geometry.x),
                              np.asarray(data.landmarks.geometry.y))
    for k, name in enumerate(data.landmarks["name"].astype(str)):
        x, y = float(xs[k]), float(ys[k])
        if not (0 <= x <= vp.width and 0 <= y <= vp.height):
            continue
        w, h = fm.horizontalAdvance(name) + 2 * halo, fm.height()
        g = r * 1.2 + placer.padding  # clear of the marker's reserved (padded) box
        for dx, dy in ((g, -h / 2), (-g - w, -h / 2), (-w / 2, g), (-w / 2, -g - h),
                       (g, g * 0.5), (g, -h - g * 0.5), (-g - w, g * 0.5),
                       (-g - w, -h - g * 0.5)):
            box = (x + dx, y + dy, x + dx + w, y + dy + h)
            if placer.is_free(box):
                placer.occupy(box)
                draw_halo_text(painter, QPointF(box[0] + halo, box[1] + fm.ascent()), name,
                               font, ink, halo)
                break


def _decorations(painter: QPainter, vp: Viewport, template, units: Units,  # type: ignore[no-untyped-def]
                 placer: LabelPlacer, *, draw: bool, boxes: dict | None = None) -> dict:
    """Scale bar and north arrow in map-frame corners; reserve their boxes first."""
    out: dict = {}
    pad = units.mm(3)
    frame = QRectF(0, 0, vp.width, vp.height)
    sb = template.block("scale_bar")
    if sb.get("show", True):
        max_w = units.mm(sb.get("max_width_mm", 35))
        font = units.font(units.mm(2.2))
        fm = QFontMetricsF(font)
        h = units.mm(1.4) + fm.height() * 2 + units.mm(2.5)
        pos = _corner(frame, max_w + units.mm(4), h, sb.get("position", "bottom-left"), pad)
        box = QRectF(pos.x(), pos.y(), max_w + units.mm(4), h)
        out["scale_bar"] = box
        if not draw:
            placer.occupy((box.left(), box.top(), box.right(), box.bottom()))
        else:
            painter.save()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 215))
            painter.drawRoundedRect(box, units.mm(0.8), units.mm(0.8))
            painter.restore()
            draw_scale_bar(painter, vp, box.left() + units.mm(2),
                           box.top() + fm.height() + units.mm(1) + units.mm(1.4) + units.mm(0.8),
                           max_width_px=max_w, height_px=units.mm(1.4), font=font)
            painter.setFont(font)
            painter.setPen(QColor(30, 30, 30))
            painter.drawText(QPointF(box.left() + units.mm(2), box.bottom() - units.mm(1)
                                     - fm.descent()),
                             f"比例尺 1:{vp.scale_denominator:,.0f}")
    na = template.block("north_arrow")
    if na.get("show", True):
        size = units.mm(na.get("size_mm", 12))
        w, h = size * 0.8, size * 1.45
        pos = _corner(frame, w, h, na.get("position", "top-right"), pad)
        box = QRectF(pos.x(), pos.y(), w, h)
        out["north_arrow"] = box
        if not draw:
            placer.occupy((box.left(), box.top(), box.right(), box.bottom()))
        else:
            painter.save()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 200))
            painter.drawRoundedRect(box, units.mm(0.8), units.mm(0.8))
            painter.restore()
            draw_north_arrow(painter, box.center().x(), box.center().y() + size * 0.2,
                             size, font=units.font(size * 0.35, bold=True))
    return out
