"""Messages for the user: errors in the UI language, bad features of layers."""

from __future__ import annotations

import traceback

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gridapp.domain.timeutil import now_local
from gridapp.errors import GridAppError


class MessagePanel(QWidget):
    """A list of messages, newest last; the notification hub's view."""

    messageAdded = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setObjectName("messageList")
        self.list.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)

    def add(self, text: str, detail: str = "") -> None:
        item = QListWidgetItem(f"{now_local():%H:%M:%S}  {text}")
        if detail:
            item.setToolTip(detail)
        self.list.addItem(item)
        self.list.scrollToBottom()
        self.messageAdded.emit(text)

    def add_error(self, exc: BaseException) -> str:
        """Add *exc*: known errors as their message, others with a traceback."""
        if isinstance(exc, GridAppError):
            text = exc.message
            self.add(text)
            return text
        detail = "".join(traceback.format_exception(exc))
        text = self.tr("Unexpected error (please report it): {error}").format(
            error=repr(exc)
        )
        self.add(text, detail)
        return text

    def clear(self) -> None:
        """Forget every message (the workspace they were about was closed)."""
        self.list.clear()

    def messages(self) -> list[str]:
        return [
            self.list.item(i).text().split("  ", 1)[1] for i in range(self.list.count())
        ]
