"""Charts of the 月度考核通报: the street's trend lines and bars by department.

Drawn with QPainter on the report's page (vector, in millimetres through the
report's page cursor, :class:`gridapp.printing.monthly_report._Doc`); rates
0..1 plotted in percent, a missing figure (nothing to divide) leaves a gap in
a line and no bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen

PALETTE = [QColor("#2b6cb0"), QColor("#d7301f"), QColor("#2f855a"), QColor("#b7791f")]
AXIS = QColor("#555555")
GRID = QColor("#dddddd")
GREY = QColor("#666666")

Series = Sequence[tuple[str, Sequence[float | None]]]


def _frame(doc: Any, x: float, y: float, w: float, h: float, title: str,
           series: Series) -> tuple[float, float, float, float]:
    """Title, legend, y axis 0–100 % with grid lines; returns the plot area (mm)."""
    doc.text(x, y, w, 5, title, 9.5, bold=True, align=Qt.AlignmentFlag.AlignHCenter)
    # legend under the title
    lx = x + 12
    for k, (name, _values) in enumerate(series):
        doc.p.fillRect(doc.rect(lx, y + 6.3, 4, 2.2), PALETTE[k % len(PALETTE)])
        doc.text(lx + 5, y + 5.2, 34, 4.4, name, 7.5, colour=GREY)
        lx += 8 + 3.2 * len(name)
    left, top = x + 11, y + 12
    pw, ph = w - 13, h - 12 - 9
    for pct in (0, 25, 50, 75, 100):
        yy = top + ph * (1 - pct / 100)
        doc.p.setPen(QPen(GRID if pct else AXIS, doc.px(0.15 if pct else 0.25)))
        doc.p.drawLine(QPointF(doc.px(left), doc.px(yy)), QPointF(doc.px(left + pw),
                                                                  doc.px(yy)))
        doc.text(x, yy - 2, 10, 4, f"{pct}%", 7, colour=GREY,
                 align=Qt.AlignmentFlag.AlignRight)
    doc.p.setPen(QPen(AXIS, doc.px(0.25)))
    doc.p.drawLine(QPointF(doc.px(left), doc.px(top)), QPointF(doc.px(left),
                                                              doc.px(top + ph)))
    return left, top, pw, ph


def line_chart(doc: Any, x: float, y: float, w: float, h: float, title: str,
               labels: Sequence[str], series: Series) -> None:
    """Lines over *labels* (one point per label) in the box (mm)."""
    left, top, pw, ph = _frame(doc, x, y, w, h, title, series)
    n = max(len(labels), 1)
    step = pw / n

    def at(i: int, v: float) -> QPointF:
        return QPointF(doc.px(left + step * (i + 0.5)),
                       doc.px(top + ph * (1 - max(0.0, min(1.0, v)))))

    for i, lb in enumerate(labels):
        doc.text(left + step * i, top + ph + 1, step, 4.5, lb, 7, colour=GREY,
                 align=Qt.AlignmentFlag.AlignHCenter)
    for k, (_name, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        doc.p.setPen(QPen(colour, doc.px(0.5)))
        doc.p.setBrush(Qt.BrushStyle.NoBrush)
        path, drawing = QPainterPath(), False
        for i, v in enumerate(values):
            if v is None:
                drawing = False  # a gap: nothing to divide that period
                continue
            if drawing:
                path.lineTo(at(i, v))
            else:
                path.moveTo(at(i, v))
                drawing = True
        doc.p.drawPath(path)
        doc.p.setBrush(colour)
        for i, v in enumerate(values):
            if v is not None:
                doc.p.drawEllipse(at(i, v), doc.px(0.7), doc.px(0.7))


def bar_chart(doc: Any, x: float, y: float, w: float, h: float, title: str,
              labels: Sequence[str], series: Series) -> None:
    """Grouped bars, one group per label, in the box (mm)."""
    left, top, pw, ph = _frame(doc, x, y, w, h, title, series)
    n = max(len(labels), 1)
    group = pw / n
    k_n = max(len(series), 1)
    bar = group * 0.7 / k_n
    for i, lb in enumerate(labels):  # elided to the group's width
        doc.text(left + group * i + 0.3, top + ph + 1, group - 0.6, 4.5, lb, 6.5,
                 colour=GREY, align=Qt.AlignmentFlag.AlignHCenter)
    doc.p.setPen(Qt.PenStyle.NoPen)
    for k, (_name, values) in enumerate(series):
        doc.p.setBrush(PALETTE[k % len(PALETTE)])
        for i, v in enumerate(values):
            if v is None:
                continue
            hh = ph * max(0.0, min(1.0, v))
            bx = left + group * i + group * 0.15 + bar * k
            doc.p.drawRect(QRectF(doc.px(bx), doc.px(top + ph - hh), doc.px(bar),
                                  doc.px(hh)))
