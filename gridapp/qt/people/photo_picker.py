"""Choose a photo from a file and preview it cropped to a centred square."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

PREVIEW_SIDE = 120


def square_crop(image: QImage, side: int = PREVIEW_SIDE) -> QPixmap:
    """The centred square of *image* scaled to *side* pixels (what will be stored)."""
    s = min(image.width(), image.height())
    rect = QRect((image.width() - s) // 2, (image.height() - s) // 2, s, s)
    return QPixmap.fromImage(
        image.copy(rect).scaled(
            side,
            side,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    )


class PhotoPicker(QWidget):
    """A square preview with "Choose…" and "Remove" buttons.

    :attr:`path` is the chosen file (None: keep the current photo);
    :attr:`error` says why the chosen file cannot be used.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.error = ""
        self.preview = QLabel(self)
        self.preview.setObjectName("photoPreview")
        self.preview.setFixedSize(PREVIEW_SIDE, PREVIEW_SIDE)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet(
            "border: 1px solid #bbb; background: #f4f4f4; color: #777"
        )
        self.choose_button = QPushButton(self)
        self.choose_button.clicked.connect(self.choose)
        side = QVBoxLayout()
        side.addWidget(self.choose_button)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        layout.addLayout(side)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.choose_button.setText(self.tr("Choose photo…"))
        if self.preview.pixmap().isNull():
            self.preview.setText(self.tr("No photo"))

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose photo"),
            "",
            self.tr("Images (*.jpg *.jpeg *.png *.bmp *.gif *.webp)"),
        )
        if path:
            self.set_path(path)

    def set_path(self, path: str | Path) -> bool:
        """Preview *path*; False (and :attr:`error`) if it is not a readable image."""
        self.path = Path(path)
        image = QImage(str(path))
        if image.isNull():
            self.error = self.tr("The file is not a readable image.")
            self.preview.clear()
            self.preview.setText(self.tr("Not an image"))
        else:
            self.error = ""
            self.preview.setPixmap(square_crop(image))
        self.changed.emit()
        return not self.error

    def show_bytes(self, data: bytes | None) -> None:
        """Show a stored photo (no file chosen)."""
        self.path = None
        self.error = ""
        image = QImage.fromData(data) if data else QImage()
        if image.isNull():
            self.preview.clear()
            self.preview.setText(self.tr("No photo"))
        else:
            self.preview.setPixmap(square_crop(image))
