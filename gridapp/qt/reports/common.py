"""Small helpers shared by the report widgets (no widget classes here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QPixmap

from gridapp.domain.timeutil import LOCAL_TZ, from_iso
from gridapp.errors import GridAppError

OVERDUE_COLOR = QColor(255, 200, 200)
DUE_SOON_COLOR = QColor(255, 226, 160)
ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a5a00;"
OK_STYLE = "color: #1b5e20;"


def error_text(exc: BaseException) -> str:
    """A known error's message in the current language; others with their type."""
    if isinstance(exc, GridAppError):
        return exc.message
    return QCoreApplication.translate(
        "Reports", "Unexpected error (please report it): {error}"
    ).format(error=f"{type(exc).__name__}: {exc}")


def local_time(value: Any) -> str:
    """An aware datetime or ISO text shown in Beijing time, minutes precision."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = from_iso(value)
    if not isinstance(value, datetime):
        return str(value)
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


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
