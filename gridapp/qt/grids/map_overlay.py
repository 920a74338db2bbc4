"""Drawn over the map canvas: coverage problems, tool previews, snapping, as-of grids, proposals.

The canvas has no overlay hook, so this is a transparent child widget that
covers it (resized with it, letting the mouse through) and paints in the
canvas's viewport.  Problems get a red fill and outline plus a ring marker,
so a gap a few centimetres wide is still visible at street scale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from gridapp.qt.grids.edit_tool import INVALID, SKETCH

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

_PROBLEM = QColor("#e31a1c")
_SKETCH = QColor("#1f78b4")
_PROPOSAL = QColor("#ff7f00")
_AS_OF = QColor("#3f007d")


class MapOverlay(QWidget):
    """Paints the editor's overlays on top of *canvas*."""

    def __init__(self, canvas: Any, editor: Any) -> None:
        super().__init__(canvas)
        self.setObjectName("gridOverlay")
        self.canvas = canvas
        self.editor = editor
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setGeometry(canvas.rect())
        canvas.installEventFilter(self)
        editor.overlayChanged.connect(self.update)
        canvas.viewChanged.connect(lambda _v: self.update())
        self.show()

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802
        if obj is self.canvas and ev.type() == QEvent.Type.Resize:
            self.setGeometry(self.canvas.rect())
        return False

    # ---------------------------------------------------------- geometry → paths
    def _xy(self, coords: np.ndarray) -> QPolygonF:
        px, py = self.canvas.viewport.map_to_device(coords[:, 0], coords[:, 1])
        return QPolygonF(
            [QPointF(x, y) for x, y in zip(px.tolist(), py.tolist(), strict=True)]
        )

    def path(self, geom: BaseGeometry) -> QPainterPath:
        import shapely

        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for part in shapely.get_parts(geom):
            kind = part.geom_type
            if kind == "Polygon":
                for ring in [part.exterior, *part.interiors]:
                    path.addPolygon(self._xy(np.asarray(ring.coords)))
                    path.closeSubpath()
            elif kind in ("LineString", "LinearRing"):
                poly = self._xy(np.asarray(part.coords))
                if len(poly):
                    path.moveTo(poly[0])
                    for p in list(poly)[1:]:
                        path.lineTo(p)
            elif kind == "Point" and not part.is_empty:
                x, y = self.canvas.viewport.map_to_device(part.x, part.y)
                path.addEllipse(QPointF(x, y), 3.5, 3.5)
            elif kind == "GeometryCollection":
                path.addPath(self.path(part))
        return path

    def _visible(self, geoms: np.ndarray) -> np.ndarray:
        import shapely

        if not len(geoms):
            return np.zeros(0, bool)
        return shapely.intersects(geoms, shapely.box(*self.canvas.viewport.extent))

    # ---------------------------------------------------------- painting
    def paintEvent(self, ev: Any) -> None:  # noqa: N802
        if self.canvas.viewport is None or self.canvas.workspace is None:
            return
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_as_of(painter)
            self._paint_proposal(painter)
            self._paint_problems(painter)
            self._paint_tool(painter)
        finally:
            painter.end()

    def _label(
        self, painter: QPainter, geom: BaseGeometry, text: str, colour: QColor
    ) -> None:
        import shapely

        pt = shapely.point_on_surface(geom)
        x, y = self.canvas.viewport.map_to_device(pt.x, pt.y)
        rect = QRectF(x - 60, y - 20, 120, 40)
        flags = int(Qt.AlignmentFlag.AlignCenter)
        painter.setPen(colour)
        painter.drawText(rect, flags, text)

    def _paint_as_of(self, painter: QPainter) -> None:
        if self.editor.as_of is None:
            return
        label, geoms, codes = self.editor.as_of
        painter.setBrush(QColor(255, 255, 255, 150))
        pen = QPen(_AS_OF, 2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        vis = self._visible(geoms)
        for g in geoms[vis]:
            painter.drawPath(self.path(g))
        font = QFont(self.font())
        font.setPixelSize(11)
        painter.setFont(font)
        for g, c in zip(geoms[vis], np.asarray(codes, dtype=object)[vis], strict=True):
            self._label(painter, g, str(c)[-3:], _AS_OF)
        font.setPixelSize(15)
        font.setBold(True)
        painter.setFont(font)
        banner = QRectF(0, 6, self.width(), 24)
        painter.fillRect(
            banner.adjusted(self.width() / 2 - 160, 0, -self.width() / 2 + 160, 0),
            QColor(255, 255, 255, 220),
        )
        painter.setPen(_AS_OF)
        painter.drawText(banner, int(Qt.AlignmentFlag.AlignCenter), label)

    def _paint_proposal(self, painter: QPainter) -> None:
        if self.editor.proposal is None:
            return
        geoms, labels = self.editor.proposal
        pen = QPen(_PROPOSAL, 2.5)
        painter.setPen(pen)
        painter.setBrush(QColor(255, 127, 0, 40))
        vis = self._visible(geoms)
        for g in geoms[vis]:
            painter.drawPath(self.path(g))
        font = QFont(self.font())
        font.setPixelSize(12)
        font.setBold(True)
        painter.setFont(font)
        for g, text in zip(
            geoms[vis], np.asarray(labels, dtype=object)[vis], strict=True
        ):
            self._label(painter, g, str(text), QColor("#7f2704"))

    def _paint_problems(self, painter: QPainter) -> None:
        import shapely

        geoms = self.editor.problem_geoms
        if not len(geoms):
            return
        pen = QPen(_PROBLEM, 2.5)
        painter.setPen(pen)
        painter.setBrush(QBrush(QColor(227, 26, 28, 110)))
        for g in geoms[self._visible(geoms)]:
            painter.drawPath(self.path(g))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(_PROBLEM, 3))
        for g in geoms:
            if g is None or g.is_empty:
                continue
            pt = shapely.point_on_surface(g)
            x, y = self.canvas.viewport.map_to_device(pt.x, pt.y)
            painter.drawEllipse(QPointF(x, y), 12.0, 12.0)

    def _paint_tool(self, painter: QPainter) -> None:
        import shapely

        tool = self.canvas.tool
        preview = getattr(tool, "preview", None)
        if not preview:
            preview = []
        for geom, role in preview:
            colour = _PROBLEM if role == INVALID else _SKETCH
            pen = QPen(
                colour,
                2,
                Qt.PenStyle.DashLine if role == INVALID else Qt.PenStyle.SolidLine,
            )
            painter.setPen(pen)
            painter.setBrush(
                QColor(31, 120, 180, 40) if role != SKETCH else Qt.BrushStyle.NoBrush
            )
            painter.drawPath(self.path(geom))
            if role == SKETCH:
                painter.setBrush(colour)
                for c in shapely.get_coordinates(geom):
                    x, y = self.canvas.viewport.map_to_device(c[0], c[1])
                    painter.drawRect(QRectF(x - 3, y - 3, 6, 6))
        snap = getattr(tool, "snap", None)
        if snap is not None and snap.kind is not None:
            x, y = self.canvas.viewport.map_to_device(*snap.xy)
            painter.setPen(QPen(QColor("#e7298a"), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if snap.kind == "vertex":
                painter.drawRect(QRectF(x - 6, y - 6, 12, 12))
            else:
                painter.drawLine(QPointF(x - 6, y - 6), QPointF(x + 6, y + 6))
                painter.drawLine(QPointF(x - 6, y + 6), QPointF(x + 6, y - 6))
