"""打印/导出PDF of the dashboard: what is on screen, on one A4 landscape page.

The widget draws itself (:meth:`QWidget.render`) onto a :class:`QPdfWriter`
page, scaled to fit below a title line: text and charts stay vector, in the
window's fonts (Noto Sans CJK SC here, embedded as a subset by Qt), and text
copies as printed (:func:`gridapp.printing.pdftext.fix_radicals`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRegion,
)
from PySide6.QtWidgets import QWidget

from gridapp import i18n
from gridapp.domain.timeutil import format_local, now_utc
from gridapp.errors import ValidationError
from gridapp.printing.output import pdf_target
from gridapp.printing.pdftext import fix_radicals

DPI = 300
MARGIN_MM = 10.0
FONT = "Noto Sans CJK SC"


def write_dashboard_pdf(widget: QWidget, path: str | Path, title: str) -> Path:
    """Write *widget* as shown, scaled onto one A4 landscape page, titled *title*.

    Raises ValidationError for a target that is not a .pdf in an existing
    folder or cannot be written; a failure leaves no partial file.
    """
    path = pdf_target(path)
    writer = QPdfWriter(str(path))
    writer.setCreator("GridApp")
    writer.setTitle(title)
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape,
                                     QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    if not painter.begin(writer):
        path.unlink(missing_ok=True)
        raise ValidationError("无法写入 PDF：{p}", "Cannot write the PDF: {p}", p=str(path))
    try:
        _draw(painter, writer, widget, title)
    except BaseException:
        painter.end()
        path.unlink(missing_ok=True)
        raise
    painter.end()
    # the window's text may come in the Japanese cut of Noto Sans CJK (fontconfig's
    # pick for the UI font): its ToUnicode maps need the same fix
    for family in (FONT, "Noto Sans CJK JP"):
        fix_radicals(path, family)
    return path


def _draw(p: QPainter, writer: QPdfWriter, widget: QWidget, title: str) -> None:
    mm = DPI / 25.4
    page = QRectF(0, 0, writer.width(), writer.height())
    area = page.adjusted(MARGIN_MM * mm, MARGIN_MM * mm, -MARGIN_MM * mm, -MARGIN_MM * mm)
    font = QFont(FONT)
    font.setPixelSize(round(4.2 * mm))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#1a1a1a"))
    head = 8 * mm
    p.drawText(QRectF(area.left(), area.top(), area.width(), head),
               int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title)
    font.setBold(False)
    font.setPixelSize(round(2.8 * mm))
    p.setFont(font)
    p.setPen(QColor("#666666"))
    p.drawText(QRectF(area.left(), area.top(), area.width(), head),
               int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
               i18n.pick("打印于 {t}", "Printed {t}").format(t=format_local(now_utc())))
    body = QRectF(area.left(), area.top() + head + 2 * mm, area.width(),
                  area.height() - head - 2 * mm)
    size = widget.size()
    scale = min(body.width() / max(size.width(), 1), body.height() / max(size.height(), 1))
    p.save()
    p.translate(body.left(), body.top())
    p.scale(scale, scale)
    _paint_tree(p, widget, QPoint(0, 0), QRect(QPoint(0, 0), size))
    p.restore()


def _paint_tree(p: QPainter, w: QWidget, origin: QPoint, clip: QRect) -> None:
    """Each visible widget painted on its own, clipped to its rectangle inside its
    parents' (``QWidget.render`` of the whole tree lets a table's cells spill
    over its scroll bars on a scaled PDF page)."""
    rect = QRect(origin, w.size()).intersected(clip)
    if rect.isEmpty():
        return
    p.save()
    p.setClipRect(rect, Qt.ClipOperation.IntersectClip)
    QWidget.render(w, p, origin, QRegion(), QWidget.RenderFlag.DrawWindowBackground)
    p.restore()
    for child in w.children():
        if isinstance(child, QWidget) and child.isVisible() and not child.isWindow():
            _paint_tree(p, child, origin + child.pos(), rect)
