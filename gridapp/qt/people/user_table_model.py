"""A table model over :func:`gridapp.services.people.users.list_users` (never a password hash)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from gridapp import i18n
from gridapp.domain.timeutil import from_iso, now_utc
from gridapp.services.people.users import UserInfo

from .common import CONTEXT, local_time

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
COLUMNS = (
    QT_TRANSLATE_NOOP("People", "User name"),
    QT_TRANSLATE_NOOP("People", "Display name"),
    QT_TRANSLATE_NOOP("People", "Role"),
    QT_TRANSLATE_NOOP("People", "Bound to"),
    QT_TRANSLATE_NOOP("People", "Status"),
    QT_TRANSLATE_NOOP("People", "Last login"),
)


def is_locked(user: UserInfo) -> bool:
    until = from_iso(user.locked_until)
    return until is not None and until > now_utc()


class UserTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.users: list[UserInfo] = []

    def set_users(self, users: list[UserInfo]) -> None:
        self.beginResetModel()
        self.users = list(users)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
        ):
            return QCoreApplication.translate(CONTEXT, COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        u = self.users[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return u.username
            if col == 1:
                return u.display_name
            if col == 2:
                return i18n.pick(u.role.zh, u.role.en)
            if col == 3:
                return u.department_name or u.manager_name or ""
            if col == 4:
                if not u.active:
                    return QCoreApplication.translate(CONTEXT, "Disabled")
                if is_locked(u):
                    return QCoreApplication.translate(CONTEXT, "Locked")
                return QCoreApplication.translate(CONTEXT, "Active")
            return local_time(u.last_login)
        if role == Qt.ItemDataRole.ForegroundRole and (not u.active or is_locked(u)):
            return QColor("#b00020" if u.active else "#888888")
        if role == Qt.ItemDataRole.UserRole:
            return u
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.users:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.users) - 1, len(COLUMNS) - 1)
            )
