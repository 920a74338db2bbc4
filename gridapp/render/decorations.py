"""Scale bar and north arrow, drawable on any painter (canvas overlay or print)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF

from gridapp.render.viewport import Viewport


def nice_length(max_metres: float) -> float:
    """The largest 1, 2 or 5 × 10^n metres not longer than *max_metres*.

    Examples
    --------
    >>> nice_length(742.0), nice_length(1999.0), nice_length(0.37)
    (500.0, 1000.0, 0.2)
    """
    if not max_metres > 0 or not math.isfinite(max_metres):
        return 0.0
    exp = math.floor(math.log10(max_metres))
    for mult in (5.0, 2.0, 1.0):
        value = mult * 10.0 ** exp
        if value <= max_metres * (1 + 1e-9):
            return float(f"{value:.12g}")
    return float(f"{10.0 ** exp:.12g}")


def length_label(metres: float) -> str:
    """``"500 m"``, ``"2 km"``, ``"1.5 km"``: metres below 1 km, else kilometres."""
    if metres >= 1000:
        return f"{metres / 1000:g} km"
    return f"{metres:g} m"


def scale_bar_spec(resolution: float, max_width_px: float) -> tuple[float, float, str]:
    """Round length (m), its width in pixels and its label, for *resolution* m/px."""
    metres = nice_length(max_width_px * resolution)
    return metres, metres / resolution, length_label(metres)


def draw_scale_bar(
    painter: QPainter,
    viewport: Viewport,
    x: float,
    y: float,
    *,
    max_width_px: float = 150.0,
    height_px: float = 6.0,
    segments: int = 2,
    font: QFont | None = None,
    colour: QColor | None = None,
) -> QRectF:
    """Draw an alternating black/white scale bar with its bottom-left at (x, y).

    Sizes are in device pixels of *painter* (for print at 300 dpi pass sizes
    scaled from millimetres).  Returns the rectangle it covered.
    """
    metres, width, label = scale_bar_spec(viewport.resolution, max_width_px)
    colour = colour or QColor(0, 0, 0)
    font = font or QFont("Noto Sans CJK SC")
    if font.pixelSize() <= 0 and font.pointSizeF() <= 0:
        font.setPixelSize(11)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    pen = QPen(colour, 1)
    pen.setCosmetic(True)
    painter.setPen(pen)
    seg = width / segments
    for i in range(segments):
        painter.setBrush(colour if i % 2 == 0 else QColor(255, 255, 255))
        painter.drawRect(QRectF(x + i * seg, y - height_px, seg, height_px))
    painter.setFont(font)
    fm = QFontMetricsF(font)
    text_w = fm.horizontalAdvance(label)
    painter.drawText(QPointF(x + width - text_w / 2, y - height_px - fm.descent() - 2), label)
    painter.drawText(QPointF(x - fm.horizontalAdvance("0") / 2,
                             y - height_px - fm.descent() - 2), "0")
    painter.restore()
    return QRectF(x, y - height_px - fm.height() - 2, width + text_w / 2, height_px + fm.height() + 2)


def draw_north_arrow(
    painter: QPainter,
    x: float,
    y: float,
    size: float = 40.0,
    *,
    colour: QColor | None = None,
    font: QFont | None = None,
) -> QRectF:
    """Draw a north arrow (half-filled dart with "N") centred on (x, y).

    The map is drawn north-up (Gauss-Krüger grid north; the convergence of
    meridians within a street is far below a degree).
    """
    colour = colour or QColor(0, 0, 0)
    h, w = size, size * 0.45
    top = QPointF(x, y - h / 2)
    left = QPointF(x - w / 2, y + h / 2)
    right = QPointF(x + w / 2, y + h / 2)
    notch = QPointF(x, y + h / 4)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(colour, max(size / 40.0, 1.0))
    painter.setPen(pen)
    painter.setBrush(colour)
    painter.drawPolygon(QPolygonF([top, notch, left]))
    painter.setBrush(QColor(255, 255, 255))
    painter.drawPolygon(QPolygonF([top, right, notch]))
    font = font or QFont("Noto Sans CJK SC")
    font.setPixelSize(max(int(size * 0.35), 6))
    font.setBold(True)
    painter.setFont(font)
    fm = QFontMetricsF(font)
    painter.setPen(colour)
    painter.drawText(QPointF(x - fm.horizontalAdvance("N") / 2, y - h / 2 - fm.descent() - 1), "N")
    painter.restore()
    return QRectF(x - w / 2, y - h / 2 - fm.height() - 1, w, h + fm.height() + 1)


__all__ = ["draw_north_arrow", "draw_scale_bar", "length_label", "nice_length",
           "scale_bar_spec"]
