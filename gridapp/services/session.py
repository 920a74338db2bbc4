"""Who is acting: the user of a session, and the permission checks services call.

Every service that changes or reveals something takes a :class:`Session`
and calls :meth:`Session.require` before acting, so a script cannot do what
the window would not allow.  Record-level limits go through the helpers at
the end of this module: :func:`visible_department_ids` (a liaison sees only
their department's work) and :func:`own_grid_ids` (a grid manager works only
in the current grids they are assigned to).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridapp.domain.enums import Role
from gridapp.domain.permissions import allowed
from gridapp.errors import PermissionDenied
from gridapp.storage.api import Store, Transaction
from gridapp.storage.queries import workspace as queries


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
    """A user acting on a store.

    ``store`` is for services only: widgets, commands and the web page hold
    the session and call services, which ask :mod:`gridapp.storage.queries` by
    name.  ``tests/test_layering.py`` fails when code outside
    :mod:`gridapp.services` and :mod:`gridapp.storage` touches a ``.store``.
    """

    store: Store
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

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def path(self) -> Path:
        """The workspace this session works on (a file path or a server address)."""
        return self.store.path

    @property
    def closed(self) -> bool:
        return self.store.closed

    def close(self) -> None:
        """Close the workspace: the window and the commands let go of it this way."""
        self.store.close()


def system_session(store: Store) -> Session:
    """A session for the CLI's administrative commands and generators."""
    return Session(store, SYSTEM_USER)


def as_session(session_or_store: Session | Store) -> Session:
    """*session_or_store* as a session: a bare store acts as the system.

    Whoever holds an open store already has every right over the file; the
    services that accept one (``check``, ``info``) treat it as the system user.
    """
    if isinstance(session_or_store, Session):
        return session_or_store
    return system_session(session_or_store)


# -- record-level scope ----------------------------------------------------
def visible_department_ids(session: Session) -> frozenset[int] | None:
    """Departments whose work the user may see; ``None`` means all of them.

    A department liaison sees only their own department (an empty set when
    the account is not bound to one); every other role sees all.
    """
    if session.user.role is Role.LIAISON:
        dep = session.user.department_id
        return frozenset() if dep is None else frozenset({dep})
    return None


def own_grid_ids(session: Session) -> frozenset[int] | None:
    """Current grids the user works in as a grid manager; ``None`` means all grids.

    For the grid-manager role: the current grid versions (``valid_to IS
    NULL``) where the user's manager record has a current assignment, primary
    or backup.  Other roles are not limited to grids.
    """
    if session.user.role is not Role.MANAGER:
        return None
    mid = session.user.manager_id
    if mid is None:
        return frozenset()
    return queries.manager_grid_ids(session.store, mid)


def _in_filter(column: str, ids: frozenset[int] | None) -> tuple[str, list[Any]]:
    if ids is None:
        return "1 = 1", []
    if not ids:
        return "0 = 1", []
    return f"{column} IN ({', '.join('?' for _ in ids)})", sorted(ids)


def department_filter(session: Session, column: str = "department_id") -> tuple[str, list[Any]]:
    """An SQL condition and its parameters limiting rows to visible departments.

    Examples
    --------
    ``where, params = department_filter(session, "r.department_id")``, handed to a
    storage query as its condition.  *column* must be a trusted column name,
    never user input.
    """
    return _in_filter(column, visible_department_ids(session))


def grid_filter(session: Session, column: str = "grid_id") -> tuple[str, list[Any]]:
    """An SQL condition and its parameters limiting rows to the user's own grids."""
    return _in_filter(column, own_grid_ids(session))


def require_department(session: Session, department_id: int | None) -> None:
    """Refuse work of a department the user may not see."""
    ids = visible_department_ids(session)
    if ids is not None and department_id not in ids:
        raise PermissionDenied(
            "您只能处理本部门的工作", "You may only handle your own department's work",
            department_id=department_id, user=session.user.username)


def should_mask_personal(session: Session, *, export: bool = False,
                         include_personal: bool = False) -> bool:
    """Whether residents' personal data must be masked for this user.

    On screen, roles holding ``personal_data.view`` see it in full; exports
    are masked unless *include_personal* is asked for, which raises
    :class:`PermissionDenied` for roles without the permission.  Apply with
    :func:`gridapp.domain.masking.mask_records` or ``mask_frame``.
    """
    from gridapp.domain.masking import must_mask

    return must_mask(session.user.role, export=export, include_personal=include_personal)


def require_own_grid(session: Session, grid_id: int | None) -> None:
    """Refuse work in a grid that is not one of the grid manager's own."""
    ids = own_grid_ids(session)
    if ids is not None and grid_id not in ids:
        raise PermissionDenied(
            "您只能在自己负责的网格内操作", "You may only work in your own grids",
            grid_id=grid_id, user=session.user.username)
