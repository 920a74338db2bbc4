"""The user list's table: :func:`gridapp.services.people.users.list_users` rows
through :class:`gridapp.qt.rows_model.RowsTableModel` (never a password hash)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from gridapp import i18n
from gridapp.domain.timeutil import from_iso, now_utc
from gridapp.qt.rows_model import RowsTableModel
from gridapp.services.people.users import UserInfo

from .common import CONTEXT, local_time

TITLES = (
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


def _status(u: UserInfo) -> str:
    if not u.active:
        return QCoreApplication.translate(CONTEXT, "Disabled")
    if is_locked(u):
        return QCoreApplication.translate(CONTEXT, "Locked")
    return QCoreApplication.translate(CONTEXT, "Active")


def _colour(u: UserInfo) -> QColor | None:
    if not u.active:
        return QColor("#888888")
    return QColor("#b00020") if is_locked(u) else None


class UserTableModel(RowsTableModel):
    """Users as rows (:class:`UserInfo`); disabled ones grey, locked ones red."""

    def __init__(self, parent: Any = None) -> None:
        getters = (
            lambda u: u.username,
            lambda u: u.display_name,
            lambda u: i18n.pick(u.role.zh, u.role.en),
            lambda u: u.department_name or u.manager_name or "",
            _status,
            lambda u: local_time(u.last_login),
        )
        super().__init__(list(zip(_titles(), getters, strict=True)), parent,
                         foreground=_colour)

    def retranslate(self) -> None:
        self.set_titles(_titles())


def _titles() -> list[str]:
    return [QCoreApplication.translate(CONTEXT, t) for t in TITLES]
