"""Change one's own password (the current one is asked again)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.services.people.auth import change_password

from .common import ERROR_STYLE


class ChangePasswordDialog(FittedDialog):
    """Current password, new password twice; the service checks strength."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.session = session
        self.old = QLineEdit(self)
        self.new = QLineEdit(self)
        self.repeat = QLineEdit(self)
        for e in (self.old, self.new, self.repeat):
            e.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self._labels = [QLabel(self) for _ in range(3)]
        form = QFormLayout()
        for label, edit in zip(
            self._labels, (self.old, self.new, self.repeat), strict=True
        ):
            form.addRow(label, edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(session.user.username, self))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Change password"))
        for label, text in zip(
            self._labels,
            (
                self.tr("Current password"),
                self.tr("New password"),
                self.tr("Repeat new password"),
            ),
            strict=True,
        ):
            label.setText(text)

    def change(self) -> bool:
        if self.new.text() != self.repeat.text():
            self.error.setText(self.tr("The two new passwords differ."))
            return False
        try:
            change_password(self.session, self.old.text(), self.new.text())
        except GridAppError as exc:
            self.error.setText(error_text(exc))
            return False
        return True

    def accept(self) -> None:
        if self.change():
            super().accept()
