"""The dashboard's heat map of open cases (QPainter over
:class:`gridapp.services.assessment.heatmap.HeatMap`, computed off the GUI thread)."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

# white → yellow → orange → red, as warm as the count
_STOPS = np.array([[255, 255, 204], [254, 217, 118], [253, 141, 60], [227, 26, 28],
                   [128, 0, 38]], float)


def _colours(v: np.ndarray) -> np.ndarray:
    """RGBA (uint8) for values in 0..1; zero stays transparent."""
    t = np.clip(v, 0, 1) * (len(_STOPS) - 1)
    i = np.minimum(t.astype(int), len(_STOPS) - 2)
    f = (t - i)[..., None]
    rgb = _STOPS[i] * (1 - f) + _STOPS[i + 1] * f
    alpha = np.where(v > 0.02, 90 + 150 * np.sqrt(np.clip(v, 0, 1)), 0)
    return np.dstack([rgb, alpha]).astype(np.uint8)


def heat_image(heat: Any) -> QImage:
    """One pixel per cell, north up."""
    s = heat.smoothed
    top = float(s.max()) if s.size else 0.0
    rgba = _colours(s / top if top > 0 else s)[::-1].copy()
    h, w = rgba.shape[:2]
    img = QImage(rgba.data, w, h, 4 * w, QImage.Format.Format_RGBA8888)
    return img.copy()  # own the pixels: the array goes away


def paint_heat(p: QPainter, area: QRectF, heat: Any, title: str, legend: str,
               empty: str) -> None:
    """Draw *heat* fitted in *area* (keeping the ground's proportions), with a title
    and a legend line; *empty* when there is nothing open."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    fm = p.fontMetrics()
    line = fm.height() * 1.3
    p.setPen(QColor("#222222"))
    bold = p.font()
    bold.setBold(True)
    p.setFont(bold)
    p.drawText(QRectF(area.left(), area.top(), area.width(), line),
               int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), title)
    bold.setBold(False)
    p.setFont(bold)
    body = QRectF(area.left() + 4, area.top() + line, area.width() - 8,
                  area.height() - 2 * line - 4)
    if heat is None or heat.counts.size == 0 or body.width() < 10 or body.height() < 10:
        p.drawText(body, int(Qt.AlignmentFlag.AlignCenter), empty)
        p.restore()
        return
    aspect = heat.aspect
    w = min(body.width(), body.height() * aspect)
    h = w / aspect
    frame = QRectF(body.center().x() - w / 2, body.center().y() - h / 2, w, h)
    p.fillRect(frame, QColor("#f4f4f0"))
    p.drawImage(frame, heat_image(heat))
    minx, miny, maxx, maxy = heat.extent

    def at(x: float, y: float) -> QPointF:
        return QPointF(frame.left() + (x - minx) / (maxx - minx) * w,
                       frame.bottom() - (y - miny) / (maxy - miny) * h)

    p.setPen(QPen(QColor(80, 80, 80, 200), 1.0))
    p.setBrush(Qt.BrushStyle.NoBrush)
    for ring in heat.outlines:
        path = QPainterPath()
        path.moveTo(at(*ring[0]))
        for x, y in ring[1:]:
            path.lineTo(at(x, y))
        p.drawPath(path)
    # legend: the colour ramp from 0 to the peak
    ly = area.bottom() - line
    ramp_w = min(120.0, area.width() / 3)
    for k in range(20):
        c = _colours(np.array([[(k + 1) / 20]]))[0, 0]
        p.fillRect(QRectF(area.left() + 4 + k * ramp_w / 20, ly + line * 0.25,
                          ramp_w / 20 + 0.5, line * 0.5),
                   QColor(int(c[0]), int(c[1]), int(c[2]), int(c[3])))
    p.setPen(QColor("#444444"))
    p.drawText(QRectF(area.left() + ramp_w + 10, ly, area.width() - ramp_w - 14, line),
               int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), legend)
    p.restore()


class HeatMapView(QWidget):
    """Shows a :class:`HeatMap`; draws nothing heavier than one small image."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heat: Any = None
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_heat(self, heat: Any) -> None:
        self.heat = heat
        self.update()

    def clear(self) -> None:
        self.set_heat(None)

    def legend(self) -> str:
        if self.heat is None:
            return ""
        return self.tr("{n} open cases; darkest cell {peak}; cells of about {m} m").replace(
            "{n}", str(self.heat.total)).replace("{peak}", str(self.heat.peak)).replace(
            "{m}", f"{self.heat.cell_m:.0f}")

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 (Qt)
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        paint_heat(p, QRectF(self.rect()), self.heat, self.tr("Open cases (heat map)"),
                   self.legend(), self.tr("No open cases"))
        p.end()
