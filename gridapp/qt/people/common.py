"""Small helpers shared by the people widgets (no widget classes here)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from gridapp.domain.timeutil import format_local
from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text

CONTEXT = "People"
MANAGER_MIME = "application/x-gridapp-manager-id"
ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"
WARNING_STYLE = "color: #8a5a00;"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def show_error(parent: QWidget | None, exc: BaseException | str) -> QMessageBox:
    """A non-blocking warning box with *exc* as a message; returns the box.

    Tests find the box among the parent's children (``QMessageBox``).
    """
    text = exc if isinstance(exc, str) else error_text(exc)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("People", "GridApp"),
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("peopleErrorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def local_time(value: Any) -> str:
    """ISO UTC text or an aware datetime shown in Beijing time, to the second."""
    return format_local(value, seconds=True)


def run_service(parent: QWidget | None, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a service; show any GridApp error as a message and return None."""
    try:
        return fn(*args, **kwargs)
    except GridAppError as exc:
        show_error(parent, exc)
        return None
