"""Per-frame overlays of the map canvas: the no-map message, selection, highlight,
rubber band, scale bar and north arrow.

The layers themselves come from the image cache (:mod:`gridapp.render`); these
are drawn on top at every paint, so they must stay cheap.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QTransform

from gridapp.render.decorations import draw_north_arrow, draw_scale_bar
from gridapp.render.renderer import layer_shapes


def paint_message(canvas: Any, painter: QPainter) -> None:
    painter.fillRect(canvas.rect(), QColor("#f4f4f0"))
    if canvas.message:
        painter.setPen(QColor("#444444"))
        font = QFont(canvas.font())
        font.setPixelSize(16)
        painter.setFont(font)
        painter.drawText(
            canvas.rect().adjusted(40, 40, -40, -40),
            int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
            canvas.message,
        )


def paint_selection(canvas: Any, painter: QPainter) -> None:
    assert canvas.workspace is not None and canvas.viewport is not None
    items = dict(canvas.selection)
    colour = QColor("#ffff00")
    for name, rows in items.items():
        paint_features(
            canvas, painter, name, rows, colour, QColor(255, 255, 0, 70), 3.0
        )
    if canvas.highlight is not None:
        name, row = canvas.highlight
        paint_features(
            canvas, painter, name, np.array([row]), QColor("#ff00ff"), None, 2.5
        )


def paint_features(
    canvas: Any,
    painter: QPainter,
    name: str,
    rows: np.ndarray,
    stroke: QColor,
    fill: QColor | None,
    width: float,
) -> None:
    assert canvas.workspace is not None and canvas.viewport is not None
    data = canvas.workspace.data.get(name)
    if data is None or not data.layer.visible or not len(rows):
        return
    vp = canvas.viewport
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
        from gridapp.qt.layer_data import point_xy  # with the first layer (issue 22)

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


def paint_overlays(canvas: Any, painter: QPainter) -> None:
    assert canvas.viewport is not None
    band = canvas.tool.rubber_band
    if band is not None:
        painter.save()
        pen = QPen(QColor("#1f78b4"), 1, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor(31, 120, 180, 40))
        painter.drawRect(QRectF(band[0], band[1], band[2] - band[0], band[3] - band[1]))
        painter.restore()
    draw_scale_bar(painter, canvas.viewport, 16, canvas.height() - 16)
    draw_north_arrow(painter, canvas.width() - 30, 44, 36)
