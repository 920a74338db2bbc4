"""User commands: ``users add|list|update|passwd|disable|enable|unlock``.

Every command logs in as an existing user (``--as``, default ``admin``) and
runs with that user's role, so the command line can do no more than the
window.  Passwords are never taken as arguments: they are asked for with
``getpass``, or read one per line from standard input with
``--password-stdin`` (first the acting user's password, then a new password
where one is needed).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gridapp.i18n import pick


def add_login_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="acting_user", default="admin", metavar="USER",
                   help="log in as this user (默认 admin); the password is asked for")
    p.add_argument("--password-stdin", action="store_true",
                   help="read passwords from standard input, one per line, instead of "
                        "asking (acting user's first, then the new one)")


def read_password(args: argparse.Namespace, prompt: str, *, confirm: bool = False) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            from gridapp.errors import ValidationError

            raise ValidationError("标准输入中缺少密码", "A password is missing on standard input")
        return line.rstrip("\r\n")
    password = _getpass(prompt)
    if confirm and _getpass(pick("再输入一次：", "Repeat it: ")) != password:
        from gridapp.errors import ValidationError

        raise ValidationError("两次输入的密码不一致", "The passwords differ")
    return password


def _getpass(prompt: str) -> str:
    """``getpass`` without its warning when there is no terminal: standard input is
    read instead, and its end (``EOFError``) becomes exit code 2 with a hint
    (:func:`gridapp.cli.common.run_handler`)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", getpass.GetPassWarning)
        return getpass.getpass(prompt)


def login_session(args: argparse.Namespace, store: Any) -> Any:
    from gridapp.services.people.auth import login

    password = read_password(args, pick("{u} 的密码：", "Password for {u}: ", u=args.acting_user))
    return login(store, args.acting_user, password)


@contextmanager
def logged_in(args: argparse.Namespace, *, readonly: bool = False) -> Iterator[Any]:
    """A session on ``args.path`` as the acting user; the workspace closes after."""
    from gridapp.services.people.auth import open_session

    def ask() -> str:
        return read_password(args, pick("{u} 的密码：", "Password for {u}: ",
                                        u=args.acting_user))

    with open_session(args.path, args.acting_user, ask, readonly=readonly) as session:
        yield session


def register(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="user accounts and passwords (用户管理)",
                           description=__doc__,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    usub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    p = usub.add_parser("add", help="add a user (添加用户)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("username")
    p.add_argument("--role", required=True,
                   help="admin | office | dispatcher | liaison | manager | leader")
    p.add_argument("--display-name", help="name shown in the window")
    p.add_argument("--department", help="department code or name (liaison only)")
    p.add_argument("--manager", help="staff number of the manager record (manager only)")
    add_login_args(p)
    p.set_defaults(handler=cmd_add)

    p = usub.add_parser("list", help="list users (用户列表)")
    p.add_argument("path")
    p.add_argument("--role")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_list)

    p = usub.add_parser("update", help="edit a user: display name, role, department or "
                                       "manager record, active (修改用户)")
    p.add_argument("path")
    p.add_argument("username")
    p.add_argument("--display-name", help="name shown in the window")
    p.add_argument("--role", help="admin | office | dispatcher | liaison | manager | leader; "
                                  "a binding the new role does not take is dropped")
    bind = p.add_mutually_exclusive_group()
    bind.add_argument("--department", help="department code or name (liaison only)")
    bind.add_argument("--manager", help="staff number of the manager record (manager only)")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--active", dest="active", action="store_const", const=True,
                       help="enable the account")
    state.add_argument("--inactive", dest="active", action="store_const", const=False,
                       help="disable the account")
    add_login_args(p)
    p.set_defaults(handler=cmd_update)

    p = usub.add_parser("passwd", help="change your own password, or (admin) reset another "
                                       "user's (修改/重置密码)")
    p.add_argument("path")
    p.add_argument("username")
    add_login_args(p)
    p.set_defaults(handler=cmd_passwd)

    for name, helptext, handler in (
            ("disable", "disable a user (停用用户)", cmd_disable),
            ("enable", "enable a disabled user (启用用户)", cmd_enable),
            ("unlock", "lift a lockout after failed logins (解除锁定)", cmd_unlock)):
        p = usub.add_parser(name, help=helptext)
        p.add_argument("path")
        p.add_argument("username")
        add_login_args(p)
        p.set_defaults(handler=handler)


def _department_id(session: Any, ref: str | None) -> int | None:
    from gridapp.services.people.users import department_by_ref

    return None if ref is None else department_by_ref(session, ref)


def cmd_add(args: argparse.Namespace) -> int:
    from gridapp.services.people import users
    from gridapp.services.people.managers import manager_by_staff_no

    with logged_in(args) as session:
        manager_id = manager_by_staff_no(session, args.manager) if args.manager else None
        password = read_password(args, pick("新用户 {u} 的密码：", "Password for the new user {u}: ",
                                            u=args.username), confirm=True)
        uid = users.add_user(session, args.username, password, args.role,
                             display_name=args.display_name,
                             department_id=_department_id(session, args.department),
                             manager_id=manager_id)
    print(pick("已添加用户 {u}（id {id}）", "Added user {u} (id {id})", u=args.username, id=uid))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from gridapp.services.people import users

    with logged_in(args) as session:
        rows = users.list_users(session, role=args.role)
    if args.json:
        print(json.dumps([{**r.__dict__, "role": r.role.value} for r in rows],
                         ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        bound = r.department_name or r.manager_name or ""
        state = pick("正常", "active") if r.active else pick("已停用", "disabled")
        print(f"{r.id:>4}  {r.username:<16} {r.display_name:<10} {r.role.label:<10} "
              f"{bound:<12} {state}  {r.last_login or '-'}")
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    from gridapp.services.people import users
    from gridapp.services.people.managers import manager_by_staff_no

    with logged_in(args) as session:
        binding: dict[str, Any] = {}
        if args.department is not None:
            binding["department_id"] = _department_id(session, args.department)
        if args.manager is not None:
            binding["manager_id"] = manager_by_staff_no(session, args.manager)
        diff = users.update_user(session, args.username, display_name=args.display_name,
                                 role=args.role, active=args.active, **binding)
    if not diff:
        print(pick("用户 {u} 没有变化", "User {u} is unchanged", u=args.username))
        return 0
    labels = {"display_name": ("显示名称", "display name"), "role_id": ("角色", "role"),
              "department_id": ("部门", "department"), "manager_id": ("网格员记录", "manager"),
              "active": ("启用状态", "active")}
    fields = [pick(*labels.get(c, (c, c))) for c in diff]
    print(pick("已修改用户 {u}：{f}", "Updated user {u}: {f}", u=args.username,
               f=pick("、", ", ").join(fields)))
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    from gridapp.services.people import auth

    asked: list[str] = []

    def ask() -> str:
        asked.append(read_password(args, pick("{u} 的密码：", "Password for {u}: ",
                                              u=args.acting_user)))
        return asked[0]

    with auth.open_session(args.path, args.acting_user, ask) as session:
        current = asked[0]
        new = read_password(args, pick("{u} 的新密码：", "New password for {u}: ",
                                       u=args.username), confirm=True)
        if args.username == session.user.username:
            auth.change_password(session, current, new)
        else:
            auth.reset_password(session, args.username, new)
    print(pick("已设置 {u} 的新密码", "Set a new password for {u}", u=args.username))
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    return _simple(args, "disable_user", "已停用用户 {u}", "Disabled user {u}")


def cmd_enable(args: argparse.Namespace) -> int:
    return _simple(args, "enable_user", "已启用用户 {u}", "Enabled user {u}")


def cmd_unlock(args: argparse.Namespace) -> int:
    return _simple(args, "unlock", "已解除 {u} 的锁定", "Unlocked {u}")


def _simple(args: argparse.Namespace, fn: str, zh: str, en: str) -> int:
    from gridapp.services.people import auth, users

    with logged_in(args) as session:
        getattr(users if hasattr(users, fn) else auth, fn)(session, args.username)
    print(pick(zh, en, u=args.username))
    return 0
