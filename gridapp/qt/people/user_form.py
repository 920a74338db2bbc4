"""Add a user account: name, role, binding (department or manager), password."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gridapp import i18n
from gridapp.domain.enums import Role
from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.services.people.managers import list_managers
from gridapp.services.people.users import add_user, departments

from .common import ERROR_STYLE


class UserForm(FittedDialog):
    """A new account; the department or manager choice shows for the roles bound to one."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userForm")
        self.session = session
        self.user_id: int | None = None
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.role = QComboBox(self)
        for r in Role:
            self.role.addItem(i18n.pick(r.zh, r.en), r.value)
        self.department = QComboBox(self)
        for d in departments(session):
            self.department.addItem(d["name"], d["id"])
        self.manager = QComboBox(self)
        for m in list_managers(session):
            self.manager.addItem(f"{m['name']} ({m['staff_no']})", m["id"])
        self.password = QLineEdit(self)
        self.repeat = QLineEdit(self)
        for e in (self.password, self.repeat):
            e.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self._labels = [QLabel(self) for _ in range(7)]
        self.form = QFormLayout()
        for label, w in zip(
            self._labels,
            (
                self.username,
                self.display_name,
                self.role,
                self.department,
                self.manager,
                self.password,
                self.repeat,
            ),
            strict=True,
        ):
            self.form.addRow(label, w)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.role.currentIndexChanged.connect(self._on_role_changed)
        self.retranslate()
        self._on_role_changed()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New user"))
        for label, text in zip(
            self._labels,
            (
                self.tr("User name"),
                self.tr("Display name"),
                self.tr("Role"),
                self.tr("Department"),
                self.tr("Grid manager"),
                self.tr("Password"),
                self.tr("Repeat password"),
            ),
            strict=True,
        ):
            label.setText(text)

    def set_role(self, role: Role) -> None:
        self.role.setCurrentIndex(self.role.findData(role.value))

    def _on_role_changed(self) -> None:
        role = self.role.currentData()
        self.form.setRowVisible(self.department, role == Role.LIAISON.value)
        self.form.setRowVisible(self.manager, role == Role.MANAGER.value)

    def create(self) -> bool:
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("The two passwords differ."))
            return False
        role = self.role.currentData()
        try:
            self.user_id = add_user(
                self.session,
                self.username.text(),
                self.password.text(),
                role,
                display_name=self.display_name.text() or None,
                department_id=self.department.currentData()
                if role == Role.LIAISON.value
                else None,
                manager_id=self.manager.currentData()
                if role == Role.MANAGER.value
                else None,
            )
        except GridAppError as exc:
            self.error.setText(error_text(exc))
            return False
        return True

    def accept(self) -> None:
        if self.create():
            super().accept()
