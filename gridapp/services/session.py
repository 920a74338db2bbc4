"""Who is acting: the user of a session, and the permission check services call.

Every service that changes or reveals something takes a :class:`Session`
and calls :meth:`Session.require` before acting, so a script cannot do what
the window would not allow.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from gridapp.domain.enums import Role
from gridapp.domain.permissions import allowed
from gridapp.errors import PermissionDenied
from gridapp.storage import GeoPackageStore
from gridapp.storage.transaction import Transaction


@dataclass(frozen=True)
class User:
    id: int | None
    username: str
    display_name: str
    role: Role
    department_id: int | None = None
    manager_id: int | None = None


SYSTEM_USER = User(None, "system", "系统", Role.ADMIN)


@dataclass
class Session:
    store: GeoPackageStore
    user: User

    def can(self, permission: str) -> bool:
        return allowed(self.user.role, permission)

    def require(self, permission: str) -> None:
        """Raise :class:`PermissionDenied` unless the user's role holds *permission*."""
        if not self.can(permission):
            raise PermissionDenied(
                "“{role_zh}”角色无权执行此操作（{permission}）",
                "The role '{role_en}' may not do this ({permission})",
                role_zh=self.user.role.zh, role_en=self.user.role.en,
                permission=permission, user=self.user.username)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """An audited write transaction on behalf of this user."""
        with self.store.transaction(self.user.username, self.user.id) as tx:
            yield tx


def system_session(store: GeoPackageStore) -> Session:
    """A session for the CLI's administrative commands and generators."""
    return Session(store, SYSTEM_USER)
