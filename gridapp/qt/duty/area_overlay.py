"""Drawn over the map while a duty area is outlined: the sketch and the areas there are.

A transparent child of the canvas (the canvas has no overlay hook; the grid
editor's overlay works the same way).  It paints only while the duty-area
tool is the canvas's tool: the existing duty areas (outline and kind, read
off the GUI thread when the tool is chosen) and the outline being drawn.
Backspace drops the last corner and Enter finishes, as in the grid tools.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from gridapp.qt.tools.polygon_tool import MIN_CORNERS, DrawPolygonTool

_AREA = QColor("#7b1fa2")
_SKETCH = QColor("#1f78b4")


class DutyAreaOverlay(QWidget):
    """Paints *tool*'s sketch and :attr:`areas` on top of *canvas*."""

    def __init__(self, canvas: Any, tool: DrawPolygonTool) -> None:
        super().__init__(canvas)
        self.setObjectName("dutyAreaOverlay")
        self.canvas = canvas
        self.tool = tool
        # (outline in the map's metres, label) of the duty areas there are
        self.areas: list[tuple[Any, str]] = []
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setGeometry(canvas.rect())
        canvas.installEventFilter(self)
        canvas.viewChanged.connect(lambda _v: self.update())
        self.show()

    @property
    def active(self) -> bool:
        return self.canvas.tool is self.tool

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802
        if obj is not self.canvas:
            return False
        if ev.type() == QEvent.Type.Resize:
            self.setGeometry(self.canvas.rect())
        elif ev.type() == QEvent.Type.KeyPress and self.active and self.tool.busy:
            if ev.key() == Qt.Key.Key_Backspace:
                self.tool.undo_point()
                return True
            if ev.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if len(self.tool.points) >= MIN_CORNERS:
                    self.tool.finish()
                return True
        return False

    def set_areas(self, areas: list[tuple[Any, str]]) -> None:
        self.areas = areas
        self.update()

    # ---------------------------------------------------------------- painting
    def _poly(self, coords: Any) -> QPolygonF:
        xy = np.asarray(coords, dtype=float)
        px, py = self.canvas.viewport.map_to_device(xy[:, 0], xy[:, 1])
        return QPolygonF([QPointF(x, y) for x, y in zip(px.tolist(), py.tolist(), strict=True)])

    def paintEvent(self, ev: Any) -> None:  # noqa: N802
        if not self.active or self.canvas.viewport is None or self.canvas.workspace is None:
            return
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_areas(painter)
            self._paint_sketch(painter)
        finally:
            painter.end()

    def _paint_areas(self, painter: QPainter) -> None:
        if not self.areas:
            return
        view = shapely.box(*self.canvas.viewport.extent)
        pen = QPen(_AREA, 3, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        font = QFont(self.font())
        font.setPixelSize(12)
        painter.setFont(font)
        for geom, label in self.areas:
            if not geom.intersects(view):
                continue
            path = QPainterPath()
            for part in shapely.get_parts(geom):
                path.addPolygon(self._poly(part.exterior.coords))
                path.closeSubpath()
            painter.setPen(pen)
            painter.setBrush(QColor(123, 31, 162, 60))
            painter.drawPath(path)
            pt = shapely.point_on_surface(geom)
            x, y = self.canvas.viewport.map_to_device(pt.x, pt.y)
            # the kind and name on a white box: readable over grids and reports
            box = painter.fontMetrics().boundingRect(label).adjusted(-4, -2, 4, 2)
            box.moveCenter(QPointF(float(x), float(y)).toPoint())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 220))
            painter.drawRoundedRect(QRectF(box), 3, 3)
            painter.setPen(_AREA)
            painter.drawText(QRectF(box), int(Qt.AlignmentFlag.AlignCenter), label)

    def _paint_sketch(self, painter: QPainter) -> None:
        pts = self.tool.preview
        if not pts:
            return
        poly = self._poly(pts)
        pen = QPen(_SKETCH, 2)
        pen.setCosmetic(True)
        painter.setPen(pen)
        if len(pts) >= MIN_CORNERS:
            painter.setBrush(QColor(31, 120, 180, 50))
            painter.drawPolygon(poly)
        else:
            painter.drawPolyline(poly)
        painter.setBrush(_SKETCH)
        for p in list(poly)[:len(self.tool.points)]:
            painter.drawEllipse(p, 3.5, 3.5)
