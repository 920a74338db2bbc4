"""Log in to a workspace; the demo street lists its documented demo users."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError


class LoginDialog(QDialog):
    """Asks for a user name and password and opens a session on *opened*
    (the workspace as :func:`gridapp.services.workspace.open_workspace` returned it)."""

    def __init__(
        self,
        opened: Any,
        parent: QWidget | None = None,
        *,
        show_demo_users: bool = False,
    ) -> None:
        super().__init__(parent)
        self._opened = opened
        self.session: Any = None
        self.setWindowTitle(self.tr("Log in"))
        self.username = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(str(getattr(opened, "path", "")), self))
        layout.addLayout(form)
        if show_demo_users:
            from gridapp.services.demo.spec import DEMO_USERS

            lines = "\n".join(f"{u} / {p}  ({d})" for u, p, _r, d in DEMO_USERS)
            hint = QLabel(self.tr("Demo users:") + "\n" + lines, self)
            hint.setStyleSheet("color: #555")
            layout.addWidget(hint)
            self.username.setText(DEMO_USERS[0][0])
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_login(self) -> bool:
        from gridapp.services.people.auth import login

        try:
            self.session = login(self._opened, self.username.text(), self.password.text())
        except GridAppError as exc:
            self.error.setText(exc.message)
            self.password.selectAll()
            return False
        self.accept()
        return True
