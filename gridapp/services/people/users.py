"""User accounts: add, list, edit, disable and enable users of each role (admin only).

A department liaison is bound to a department and a grid manager's account
to a manager record; the other roles are bound to neither.  No function here
returns a password or its hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gridapp.domain.enums import Role
from gridapp.domain.passwords import check_strength, hash_password
from gridapp.domain.timeutil import now_iso
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.people.auth import user_id_of
from gridapp.services.session import Session
from gridapp.storage.queries import people as q

_USERNAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$")


@dataclass(frozen=True)
class UserInfo:
    """A user account as shown in the user list (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    department_id: int | None
    department_name: str | None
    manager_id: int | None
    manager_name: str | None
    active: bool
    locked_until: str | None
    last_login: str | None
    created_at: str | None


def _role(value: Role | str) -> Role:
    try:
        return Role(value)  # type: ignore[call-arg]
    except ValueError:
        for r in Role:
            if value in (r.zh, r.en):
                return r
        raise ValidationError("未知角色“{role}”，可选：{choices}", "Unknown role '{role}'; one of: {choices}",
                              role=value, choices=", ".join(r.value for r in Role)) from None


def add_user(session: Session, username: str, password: str, role: Role | str, *,
             display_name: str | None = None, department_id: int | None = None,
             manager_id: int | None = None) -> int:
    """Create a user; returns its id.

    Raises :class:`ValidationError` for a bad or taken user name, a weak
    password, a liaison without a department or a grid-manager account
    without a manager record (or a binding the role does not take).
    """
    session.require("user.manage")
    store = session.store
    username = (username or "").strip()
    role = _role(role)
    if not _USERNAME.match(username):
        raise ValidationError(
            "用户名“{username}”无效：2–32个字母、数字、汉字或 _ . -",
            "Invalid user name '{username}': 2–32 letters, digits, _ . or -",
            username=username)
    if q.username_taken(store, username):
        raise ValidationError("用户名“{username}”已被使用", "The user name '{username}' is taken",
                              username=username)
    check_strength(password)
    _check_binding(session, role, department_id, manager_id)
    role_id = q.role_id(store, role.value)
    if role_id is None:
        raise NotFoundError("工作空间中没有角色 {role}", "The workspace has no role {role}",
                            role=role.value)
    with session.transaction() as tx:
        return tx.insert("app_user", {
            "username": username, "display_name": (display_name or "").strip() or username,
            "role_id": role_id, "department_id": department_id, "manager_id": manager_id,
            "password_hash": hash_password(password), "created_at": now_iso(), "active": 1})


def _check_binding(session: Session, role: Role, department_id: int | None,
                   manager_id: int | None, *, user_id: int | None = None) -> None:
    """Refuse a binding the role needs but lacks, or one it does not take.

    *user_id* is the account being edited (its own manager binding is not a clash).
    """
    store = session.store
    if role is Role.LIAISON:
        if department_id is None:
            raise ValidationError("职能部门联络员必须绑定一个部门",
                                  "A department liaison must be bound to a department")
        if not q.department_exists(store, department_id):
            raise NotFoundError("没有 id={id} 的部门", "No department with id={id}",
                                id=department_id)
    elif department_id is not None:
        raise ValidationError("只有职能部门联络员绑定部门",
                              "Only department liaisons are bound to a department")
    if role is Role.MANAGER:
        if manager_id is None:
            raise ValidationError("网格员账户必须绑定一条网格员记录",
                                  "A grid manager's account must be bound to a manager record")
        active = q.manager_active(store, manager_id)
        if active is None:
            raise NotFoundError("没有 id={id} 的网格员", "No grid manager with id={id}",
                                id=manager_id)
        if not active:
            raise ValidationError("网格员 id={id} 已停用", "Grid manager id={id} is inactive",
                                  id=manager_id)
        taken = q.account_of_manager(store, manager_id, other_than=user_id)
        if taken:
            raise ValidationError("该网格员已有账户“{username}”",
                                  "That grid manager already has the account '{username}'",
                                  username=taken, id=manager_id)
    elif manager_id is not None:
        raise ValidationError("只有网格员账户绑定网格员记录",
                              "Only grid managers' accounts are bound to a manager record")


def list_users(session: Session, *, role: Role | str | None = None,
               include_inactive: bool = True) -> list[UserInfo]:
    """Every user account, ordered by role and name."""
    session.require("user.manage")
    rows = q.user_list(session.store, role_name=None if role is None else _role(role).value,
                       include_inactive=include_inactive)
    return [UserInfo(id=r["id"], username=r["username"],
                     display_name=r["display_name"] or r["username"], role=_role(r["role"]),
                     department_id=r["department_id"], department_name=r["department_name"],
                     manager_id=r["manager_id"], manager_name=r["manager_name"],
                     active=bool(r["active"]), locked_until=r["locked_until"],
                     last_login=r["last_login"], created_at=r["created_at"]) for r in rows]


def disable_user(session: Session, user: int | str) -> None:
    """Disable an account (it cannot log in; its history stays).

    An administrator cannot disable their own account or the last active
    administrator.
    """
    session.require("user.manage")
    store = session.store
    uid = user_id_of(session, user)
    if uid == session.user.id:
        raise ValidationError("不能停用自己的账户", "You cannot disable your own account")
    row = q.user_row(store, uid)
    if row is not None and row["role"] == Role.ADMIN.value:
        if len(q.active_admin_ids(store)) <= 1:
            raise ValidationError("不能停用最后一个管理员",
                                  "You cannot disable the last administrator")
    with session.transaction() as tx:
        tx.update("app_user", uid, {"active": 0})


def enable_user(session: Session, user: int | str) -> None:
    """Re-enable a disabled account (and clear any lockout)."""
    session.require("user.manage")
    uid = user_id_of(session, user)
    with session.transaction() as tx:
        tx.update("app_user", uid, {"active": 1, "failed_logins": 0, "locked_until": None})


def set_display_name(session: Session, user: int | str, display_name: str) -> None:
    session.require("user.manage")
    uid = user_id_of(session, user)
    if not display_name.strip():
        raise ValidationError("请填写显示名称", "Enter a display name")
    with session.transaction() as tx:
        tx.update("app_user", uid, {"display_name": display_name.strip()})


_KEEP: Any = object()  # "leave as it is" for update_user's bindings


def update_user(session: Session, user: int | str, *, display_name: str | None = None,
                role: Role | str | None = None, department_id: int | None = _KEEP,
                manager_id: int | None = _KEEP,
                active: bool | None = None) -> dict[str, list[Any]]:
    """Edit an account: display name, role, its department or manager binding, active.

    Only the fields given change; one audited update records old and new
    values.  When the role changes, a binding the new role does not take is
    dropped and one it needs must be given (a liaison's department, a grid
    manager's record).  Returns the changes as ``{column: [old, new]}``.

    Raises
    ------
    PermissionDenied
        The acting user may not manage users.
    ValidationError
        Nothing to change, an empty display name, a binding the role does not
        take or lacks, disabling one's own account, or leaving the workspace
        without an active administrator (checked inside the write
        transaction, so two administrators demoting each other at once
        cannot both succeed).
    NotFoundError
        No such user, department or manager record.

    Examples
    --------
    >>> update_user(admin, "wang", role="liaison", department_id=3)  # doctest: +SKIP
    {'role_id': [2, 4], 'department_id': [None, 3]}
    """
    session.require("user.manage")
    if (display_name is None and role is None and department_id is _KEEP
            and manager_id is _KEEP and active is None):
        raise ValidationError(
            "没有要修改的内容：请给出显示名称、角色、部门、网格员记录或启用状态",
            "Nothing to change: give a display name, role, department, manager record "
            "or active state")
    store = session.store
    uid = user_id_of(session, user)
    current = q.user_row(store, uid)
    if current is None:
        raise NotFoundError("没有用户“{user}”", "No user '{user}'", user=user)
    new_role = _role(role) if role is not None else _role(current["role"])
    role_changed = new_role.value != current["role"]
    binding_given = department_id is not _KEEP or manager_id is not _KEEP
    if department_id is _KEEP:
        department_id = (current["department_id"] if new_role is Role.LIAISON
                         else None if role_changed else current["department_id"])
    if manager_id is _KEEP:
        manager_id = (current["manager_id"] if new_role is Role.MANAGER
                      else None if role_changed else current["manager_id"])
    if role_changed or binding_given:
        _check_binding(session, new_role, department_id, manager_id, user_id=uid)
    changes: dict[str, Any] = {"department_id": department_id, "manager_id": manager_id}
    if display_name is not None:
        if not display_name.strip():
            raise ValidationError("请填写显示名称", "Enter a display name")
        changes["display_name"] = display_name.strip()
    if active is not None:
        if not active and uid == session.user.id:
            raise ValidationError("不能停用自己的账户", "You cannot disable your own account")
        changes["active"] = int(bool(active))
    if role_changed:
        rid = q.role_id(store, new_role.value)
        if rid is None:
            raise NotFoundError("工作空间中没有角色 {role}", "The workspace has no role {role}",
                                role=new_role.value)
        changes["role_id"] = rid
    with session.transaction() as tx:
        _keep_an_admin(tx, uid, new_role, changes.get("active"))
        return tx.update("app_user", uid, changes)


def _keep_an_admin(tx: Any, user_id: int, new_role: Role, active: int | None) -> None:
    """Refuse a change that leaves no active administrator (read under the write lock)."""
    admins = q.active_admin_ids(tx)
    if user_id not in admins:
        return
    if new_role is not Role.ADMIN and len(admins) <= 1:
        raise ValidationError("不能把最后一个管理员改为其他角色",
                              "The last administrator cannot be given another role",
                              user_id=user_id)
    if active == 0 and len(admins) <= 1:
        raise ValidationError("不能停用最后一个管理员",
                              "You cannot disable the last administrator", user_id=user_id)


def departments(session: Session) -> list[dict[str, Any]]:
    """Departments a liaison can be bound to: id, name, kind (by id)."""
    session.require("user.manage")
    return q.departments(session.store)


def department_by_ref(session: Session, ref: str) -> int:
    """The id of the department whose code, name or short name is *ref*."""
    session.require("user.manage")
    value = q.department_id_by_ref(session.store, ref)
    if value is None:
        raise NotFoundError("没有部门“{ref}”", "No department '{ref}'", ref=ref)
    return value
