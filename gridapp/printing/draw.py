"""Drawing helpers for page blocks: units, fitted text, photos, QR codes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

from gridapp.printing.report import PrintReport


@dataclass(frozen=True)
class Units:
    """Millimetres to device pixels: ``mm`` for template sizes (scaled from A4)."""

    dpi: float
    scale: float
    family: str = "Noto Sans CJK SC"

    def mm(self, value: float) -> float:
        """A template size (A4-based millimetres) in device pixels on this sheet."""
        return float(value) * self.scale * self.dpi / 25.4

    def abs_mm(self, value: float) -> float:
        """An absolute size in millimetres in device pixels."""
        return float(value) * self.dpi / 25.4

    def font(self, px: float, bold: bool = False) -> QFont:
        return make_font(self.family, max(int(round(px)), 1), bold)


@lru_cache(maxsize=256)
def _font(family: str, px: int, bold: bool) -> QFont:
    f = QFont(family)
    f.setPixelSize(px)
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # Unshaped runs keep the plain cmap glyphs: shaped, the CJK font turns digits
    # after Latin letters into glyphs the PDF's ToUnicode does not name, and
    # "EPSG4549" copied from a poster came back as "EPSG" (issue 21).
    f.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return f


def make_font(family: str, px: int, bold: bool = False) -> QFont:
    return QFont(_font(family, px, bold))


def colour(text: str | None, alpha: int | None = None) -> QColor:
    from gridapp.render.renderer import qcolour

    c = qcolour(text)
    if alpha is not None:
        c.setAlpha(alpha)
    return c


def fit_font(units: Units, text: str, width: float, px: float, *, bold: bool = False,
             min_px: float | None = None) -> tuple[QFont, bool]:
    """A font of at most *px* pixels in which *text* fits *width*; (font, fitted).

    Shrinks down to *min_px* (70 % of *px* by default); *fitted* is False when
    even that is too wide (the caller elides and reports it).
    """
    min_px = min_px if min_px is not None else px * 0.7
    font = units.font(px, bold)
    w = QFontMetricsF(font).horizontalAdvance(text)
    if w <= width:
        return font, True
    smaller = max(px * width / max(w, 1e-6), min_px)
    font = units.font(smaller, bold)
    return font, QFontMetricsF(font).horizontalAdvance(text) <= width + 0.5


def draw_fitted(painter: QPainter, units: Units, rect: QRectF, text: str, px: float, *,
                bold: bool = False, colour_: QColor | None = None,
                align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
                report: PrintReport | None = None, what: str = "") -> float:
    """Draw one line of *text* in *rect*, shrinking (then eliding) to fit.

    Returns the font pixel size used.  A shrunk or elided text is noted in
    *report* with *what* naming it.
    """
    font, ok = fit_font(units, text, rect.width(), px, bold=bold)
    fm = QFontMetricsF(font)
    shown = text
    if not ok:
        shown = fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        if report is not None:
            report.add("warning", "{w}过长，已截断：{t}", "{w} too long, cut short: {t}",
                       w=what or "文字", t=text)
    elif font.pixelSize() < int(round(px)) and report is not None:
        report.add("info", "{w}较长，已缩小字号：{t}", "{w} is long, printed smaller: {t}",
                   w=what or "文字", t=text)
    painter.setFont(font)
    if colour_ is not None:
        painter.setPen(colour_)
    w = fm.horizontalAdvance(shown)
    x = rect.left()
    if align & Qt.AlignmentFlag.AlignHCenter:
        x = rect.left() + (rect.width() - w) / 2
    elif align & Qt.AlignmentFlag.AlignRight:
        x = rect.right() - w
    y = rect.top() + (rect.height() - fm.height()) / 2 + fm.ascent()
    painter.drawText(QPointF(x, y), shown)
    return font.pixelSize()


def wrap_lines(text: str, font: QFont, width: float, max_lines: int) -> tuple[list[str], bool]:
    """Break *text* into lines of at most *width* (CJK breaks anywhere); (lines, complete)."""
    fm = QFontMetricsF(font)
    lines: list[str] = []
    cur = ""
    for ch in text:
        if fm.horizontalAdvance(cur + ch) > width and cur:
            lines.append(cur)
            cur = ch.lstrip() if ch == " " else ch
            if len(lines) == max_lines:
                break
        else:
            cur += ch
    else:
        if cur:
            lines.append(cur)
        return lines, True
    last = lines[-1]
    lines[-1] = fm.elidedText(last + "……", Qt.TextElideMode.ElideRight, width)
    return lines, False


def draw_plate(painter: QPainter, rect: QRectF, radius: float, alpha: int = 200) -> None:
    """A translucent white plate behind a label.

    Used instead of a glyph halo: a halo is the glyph outline stroked, which
    Qt's PDF engine writes as thousands of curve segments per label (an atlas
    page grew to 1.6 MB); a plate is one rectangle and reads as well on the
    pale grid colours.
    """
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, alpha))
    painter.drawRoundedRect(rect, radius, radius)
    painter.restore()


def draw_halo_text(painter: QPainter, pos: QPointF, text: str, font: QFont, ink: QColor,
                   halo_px: float) -> None:
    """Text on a plate (see :func:`draw_plate`); *pos* is the baseline start."""
    fm = QFontMetricsF(font)
    draw_plate(painter, QRectF(pos.x() - halo_px, pos.y() - fm.ascent(),
                               fm.horizontalAdvance(text) + 2 * halo_px, fm.height()),
               halo_px, 170)
    painter.setFont(font)
    painter.setPen(ink)
    painter.drawText(pos, text)


def draw_photo(painter: QPainter, rect: QRectF, photo: bytes | None) -> bool:
    """The photo cropped to *rect* (centre crop), or a silhouette; True if a photo was drawn."""
    painter.save()
    painter.setClipRect(rect)
    drawn = False
    if photo:
        img = QImage.fromData(photo)
        if not img.isNull():
            ar = rect.width() / rect.height()
            iw, ih = img.width(), img.height()
            if iw / ih > ar:
                sw, sh = ih * ar, ih
            else:
                sw, sh = iw, iw / ar
            src = QRectF((iw - sw) / 2, (ih - sh) / 2, sw, sh)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(rect, img, src)
            drawn = True
    if not drawn:
        painter.fillRect(rect, QColor("#dfe3e8"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#9aa3ad"))
        cx, w, h = rect.center().x(), rect.width(), rect.height()
        r = min(w, h) * 0.2
        painter.drawEllipse(QPointF(cx, rect.top() + h * 0.38), r, r)
        body = QPainterPath()
        body.addEllipse(QRectF(cx - w * 0.36, rect.top() + h * 0.62, w * 0.72, h * 0.7))
        painter.drawPath(body)
    painter.restore()
    painter.save()
    pen = QPen(QColor("#8a8a8a"), max(rect.width() / 120, 0.5))
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    painter.restore()
    return drawn


def draw_qr(painter: QPainter, rect: QRectF, matrix) -> None:  # type: ignore[no-untyped-def]
    """A QR matrix (with its quiet zone) as vector squares filling a square in *rect*."""
    n = len(matrix)
    side = min(rect.width(), rect.height())
    m = side / n
    x0 = rect.left() + (rect.width() - side) / 2
    y0 = rect.top() + (rect.height() - side) / 2
    painter.save()
    painter.fillRect(QRectF(x0, y0, side, side), QColor(255, 255, 255))
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for i in range(n):
        row = matrix[i]
        j = 0
        while j < n:
            if row[j]:
                k = j
                while k < n and row[k]:
                    k += 1
                path.addRect(QRectF(x0 + j * m, y0 + i * m, (k - j) * m + 0.01, m + 0.01))
                j = k
            else:
                j += 1
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.fillPath(path, QBrush(QColor(0, 0, 0)))
    painter.restore()


def rule(painter: QPainter, x0: float, y: float, x1: float, width: float, c: QColor) -> None:
    painter.save()
    painter.setPen(QPen(c, width))
    painter.drawLine(QPointF(x0, y), QPointF(x1, y))
    painter.restore()
