"""User accounts: add, list, disable and enable users of each role (admin only).

A department liaison is bound to a department and a grid manager's account
to a manager record; the other roles are bound to neither.  No function here
returns a password or its hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gridapp.domain.enums import Role
from gridapp.domain.passwords import check_strength, hash_password
from gridapp.domain.timeutil import now_iso
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.auth import user_id_of
from gridapp.services.session import Session

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
    if store.scalar("SELECT 1 FROM app_user WHERE lower(username) = lower(?)", (username,)):
        raise ValidationError("用户名“{username}”已被使用", "The user name '{username}' is taken",
                              username=username)
    check_strength(password)
    _check_binding(session, role, department_id, manager_id)
    role_id = store.scalar("SELECT id FROM app_role WHERE name = ?", (role.value,))
    if role_id is None:
        raise NotFoundError("工作空间中没有角色 {role}", "The workspace has no role {role}",
                            role=role.value)
    with session.transaction() as tx:
        return tx.insert("app_user", {
            "username": username, "display_name": (display_name or "").strip() or username,
            "role_id": role_id, "department_id": department_id, "manager_id": manager_id,
            "password_hash": hash_password(password), "created_at": now_iso(), "active": 1})


def _check_binding(session: Session, role: Role, department_id: int | None,
                   manager_id: int | None) -> None:
    store = session.store
    if role is Role.LIAISON:
        if department_id is None:
            raise ValidationError("职能部门联络员必须绑定一个部门",
                                  "A department liaison must be bound to a department")
        if not store.scalar("SELECT 1 FROM department WHERE id = ?", (department_id,)):
            raise NotFoundError("没有 id={id} 的部门", "No department with id={id}",
                                id=department_id)
    elif department_id is not None:
        raise ValidationError("只有职能部门联络员绑定部门",
                              "Only department liaisons are bound to a department")
    if role is Role.MANAGER:
        if manager_id is None:
            raise ValidationError("网格员账户必须绑定一条网格员记录",
                                  "A grid manager's account must be bound to a manager record")
        row = store.query("SELECT active FROM manager WHERE id = ?", (manager_id,))
        if not row:
            raise NotFoundError("没有 id={id} 的网格员", "No grid manager with id={id}",
                                id=manager_id)
        if not row[0][0]:
            raise ValidationError("网格员 id={id} 已停用", "Grid manager id={id} is inactive",
                                  id=manager_id)
        taken = store.scalar(
            "SELECT username FROM app_user WHERE manager_id = ? AND active = 1", (manager_id,))
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
    where, params = ["1 = 1"], []
    if role is not None:
        where.append("r.name = ?")
        params.append(_role(role).value)
    if not include_inactive:
        where.append("u.active = 1")
    rows = session.store.query(
        "SELECT u.id, u.username, u.display_name, r.name AS role, u.department_id,"
        " d.name AS department_name, u.manager_id, m.name AS manager_name, u.active,"
        " u.locked_until, u.last_login, u.created_at FROM app_user u"
        " JOIN app_role r ON r.id = u.role_id"
        " LEFT JOIN department d ON d.id = u.department_id"
        " LEFT JOIN manager m ON m.id = u.manager_id"
        f" WHERE {' AND '.join(where)} ORDER BY r.id, u.username", params)
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
    uid = user_id_of(store, user)
    if uid == session.user.id:
        raise ValidationError("不能停用自己的账户", "You cannot disable your own account")
    role = store.scalar("SELECT r.name FROM app_user u JOIN app_role r ON r.id = u.role_id"
                        " WHERE u.id = ?", (uid,))
    if role == Role.ADMIN.value:
        admins = store.scalar(
            "SELECT count(*) FROM app_user u JOIN app_role r ON r.id = u.role_id"
            " WHERE r.name = 'admin' AND u.active = 1")
        if admins <= 1:
            raise ValidationError("不能停用最后一个管理员",
                                  "You cannot disable the last administrator")
    with session.transaction() as tx:
        tx.update("app_user", uid, {"active": 0})


def enable_user(session: Session, user: int | str) -> None:
    """Re-enable a disabled account (and clear any lockout)."""
    session.require("user.manage")
    uid = user_id_of(session.store, user)
    with session.transaction() as tx:
        tx.update("app_user", uid, {"active": 1, "failed_logins": 0, "locked_until": None})


def set_display_name(session: Session, user: int | str, display_name: str) -> None:
    session.require("user.manage")
    uid = user_id_of(session.store, user)
    if not display_name.strip():
        raise ValidationError("请填写显示名称", "Enter a display name")
    with session.transaction() as tx:
        tx.update("app_user", uid, {"display_name": display_name.strip()})
