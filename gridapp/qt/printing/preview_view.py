"""The page preview: the rendered image fitted in the widget, on a grey desk."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class PreviewView(QWidget):
    """Shows one page image scaled to fit, with a shadow and a status text.

    The image is rendered elsewhere (on a worker); this widget only paints it,
    so resizing or scrolling never waits for a render.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.image: QImage | None = None
        self.status = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 320)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 560)

    def set_image(self, image: QImage | None) -> None:
        self.image = image
        self.update()

    def set_status(self, text: str) -> None:
        self.status = text
        self.update()

    def page_rect(self) -> QRectF:
        """Where the page is drawn in the widget."""
        if self.image is None or self.image.isNull():
            return QRectF()
        m = 16.0
        w, h = self.width() - 2 * m, self.height() - 2 * m
        k = min(w / self.image.width(), h / self.image.height())
        pw, ph = self.image.width() * k, self.image.height() * k
        return QRectF((self.width() - pw) / 2, (self.height() - ph) / 2, pw, ph)

    def paintEvent(self, _ev: object) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0x80, 0x84, 0x8a))
        rect = self.page_rect()
        if not rect.isEmpty():
            p.fillRect(rect.translated(4, 4), QColor(0, 0, 0, 70))
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            p.drawImage(rect, self.image)
            p.setPen(QPen(QColor(60, 60, 60), 1))
            p.drawRect(rect)
        if self.status:
            p.setPen(QColor(255, 255, 255))
            f = p.font()
            f.setBold(True)
            p.setFont(f)
            box = self.rect().adjusted(8, 8, -8, -8)
            back = p.fontMetrics().boundingRect(box, Qt.AlignmentFlag.AlignLeft, self.status)
            p.fillRect(back.adjusted(-6, -3, 6, 3), QColor(0, 0, 0, 150))
            p.drawText(box, Qt.AlignmentFlag.AlignLeft, self.status)
        p.end()
