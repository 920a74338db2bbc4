"""Small helpers shared by the report widgets (no widget classes here)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPixmap

from gridapp.domain.timeutil import format_local

OVERDUE_COLOR = QColor(255, 200, 200)
DUE_SOON_COLOR = QColor(255, 226, 160)
ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a5a00;"
OK_STYLE = "color: #1b5e20;"


def local_time(value: Any) -> str:
    """An aware datetime or ISO text shown in Beijing time, minutes precision."""
    return format_local(value)


def thumbnail(data: bytes, side: int = 96) -> QPixmap:
    """A pixmap of at most *side* pixels from image bytes (empty if unreadable)."""
    pm = QPixmap()
    pm.loadFromData(data)
    if pm.isNull():
        return pm
    return pm.scaled(
        side,
        side,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
