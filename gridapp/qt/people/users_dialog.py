"""Administrators' user list: add, disable/enable, reset password, unlock."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.services.people import auth, users
from gridapp.services.people.users import UserInfo

from .common import ERROR_STYLE, OK_STYLE
from .user_form import UserForm
from .user_table_model import UserTableModel, is_locked


class UsersDialog(FittedDialog):
    """Every account of the workspace (``user.manage``; the services check again)."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.session = session
        self.model = UserTableModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.view.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton(self)
        self.disable_button = QPushButton(self)
        self.enable_button = QPushButton(self)
        self.reset_button = QPushButton(self)
        self.unlock_button = QPushButton(self)
        self.close_button = QPushButton(self)
        self.add_button.clicked.connect(self.add)
        self.disable_button.clicked.connect(lambda: self._act(users.disable_user))
        self.enable_button.clicked.connect(lambda: self._act(users.enable_user))
        self.unlock_button.clicked.connect(lambda: self._act(auth.unlock))
        self.reset_button.clicked.connect(self.reset_password)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (
            self.add_button,
            self.disable_button,
            self.enable_button,
            self.reset_button,
            self.unlock_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.resize(760, 420)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Users"))
        self.add_button.setText(self.tr("Add…"))
        self.disable_button.setText(self.tr("Disable"))
        self.enable_button.setText(self.tr("Enable"))
        self.reset_button.setText(self.tr("Reset password…"))
        self.unlock_button.setText(self.tr("Unlock"))
        self.close_button.setText(self.tr("Close"))
        self.model.retranslate()

    def refresh(self) -> None:
        current = self.current_user()
        try:
            self.model.set_rows(users.list_users(self.session))
        except GridAppError as exc:
            self._say(ERROR_STYLE, error_text(exc))
        if current is not None:
            self.select_user(current.username)
        self._update_buttons()

    def current_user(self) -> UserInfo | None:
        idx = self.view.currentIndex()
        return None if not idx.isValid() else self.model.rows[idx.row()]

    def select_user(self, username: str) -> bool:
        for i, u in enumerate(self.model.rows):
            if u.username == username:
                self.view.selectRow(i)
                self.view.setCurrentIndex(self.model.index(i, 0))
                return True
        return False

    def _say(self, style: str, text: str) -> None:
        self.message.setStyleSheet(style)
        self.message.setText(text)

    def _update_buttons(self, *_: Any) -> None:
        u = self.current_user()
        self.disable_button.setEnabled(bool(u and u.active))
        self.enable_button.setEnabled(bool(u and not u.active))
        self.reset_button.setEnabled(u is not None)
        self.unlock_button.setEnabled(bool(u and is_locked(u)))

    def _act(self, fn: Any) -> bool:
        u = self.current_user()
        if u is None:
            return False
        try:
            fn(self.session, u.id)
        except GridAppError as exc:
            self._say(ERROR_STYLE, error_text(exc))
            return False
        self._say(OK_STYLE, self.tr("Done: {user}").format(user=u.username))
        self.refresh()
        return True

    def add(self) -> None:
        form = UserForm(self.session, self)
        if form.exec():
            self.refresh()

    def reset_password(self, password: str | None = None) -> bool:
        """Set a new password for the selected user (asked for unless given)."""
        u = self.current_user()
        if u is None:
            return False
        if password is None:
            password, ok = QInputDialog.getText(
                self,
                self.tr("Reset password"),
                self.tr("New password for {user}:").format(user=u.username),
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                return False
        return self._act(lambda s, uid: auth.reset_password(s, uid, password))
