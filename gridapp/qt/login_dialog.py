"""Log in to a workspace; the demo street lists its documented demo users.

The password check is deliberately slow (a salted hash) and the login writes
to the workspace (attempt counter, audit), 0.3-0.9 s on a busy machine: it
runs on a worker while the dialog shows 正在登录… with its buttons disabled
and keeps painting (issue 21).  :meth:`LoginDialog.try_login` still returns
only when the answer is in, so callers and tests see no difference.
"""

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
from gridapp.qt.fit import FittedDialog
from gridapp.qt.worker import run_off_thread


class LoginDialog(FittedDialog):
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
        self._busy = False
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
        self.buttons = buttons
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
        """Check the name and password (on a worker); True once logged in."""
        if self._busy:
            return False
        from gridapp.services.people.auth import login

        opened, name, password = self._opened, self.username.text(), self.password.text()
        self._set_busy(True)
        try:
            worker = run_off_thread(lambda: login(opened, name, password), self)
        finally:
            self._set_busy(False)
        if isinstance(worker.error, GridAppError):
            self.error.setText(worker.error.message)
            self.password.selectAll()
            return False
        if worker.error is not None:
            raise worker.error
        self.session = worker.result
        self.accept()
        return True

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.setEnabled(not busy)
        self.username.setReadOnly(busy)
        self.password.setReadOnly(busy)
        self.error.setStyleSheet("color: #555" if busy else "color: #b00020")
        self.error.setText(self.tr("Logging in…") if busy else "")

