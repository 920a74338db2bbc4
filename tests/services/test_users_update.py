"""Editing a user (``update_user`` and ``users update``): fields, bindings, the last admin.

What was stored is read back with plain sqlite3, not through the service.
"""

from __future__ import annotations

import io
import json
import multiprocessing as mp
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from gridapp import i18n
from gridapp.domain.enums import Role
from gridapp.errors import NotFoundError, PermissionDenied, ValidationError
from gridapp.services.people import auth, users
from gridapp.services.session import system_session
from tests.services.test_assignments import make_managers

ADMIN_PW = "Admin-pass-2026"
PW = "Good-pass-2026"


def _rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _account(path: Path, username: str) -> tuple[Any, ...]:
    """(display name, role name, department id, manager id, active) as stored."""
    return _rows(path, "SELECT u.display_name, r.name, u.department_id, u.manager_id, u.active "
                       "FROM app_user u JOIN app_role r ON r.id = u.role_id "
                       "WHERE u.username = ?", (username,))[0]


def _audit_count(path: Path) -> int:
    return _rows(path, "SELECT count(*) FROM audit_log")[0][0]


@pytest.fixture
def admin(empty_workspace):
    return auth.login(empty_workspace, "admin", ADMIN_PW)


@pytest.fixture
def deps(empty_workspace) -> list[int]:
    ids = [r[0] for r in _rows(empty_workspace.path, "SELECT id FROM department ORDER BY id")]
    assert len(ids) >= 2
    return ids


def test_display_name_role_and_active_change_and_are_audited(admin):
    path = admin.store.path
    uid = users.add_user(admin, "wang", PW, Role.OFFICE, display_name="王科员")
    diff = users.update_user(admin, "wang", display_name=" 王主任 ", role="leader")
    assert _account(path, "wang") == ("王主任", "leader", None, None, 1)
    assert set(diff) == {"display_name", "role_id"}
    (changes,), = _rows(path, "SELECT changes FROM audit_log WHERE table_name = 'app_user' "
                             "AND action = 'update' AND row_id = ? ORDER BY id DESC LIMIT 1",
                        (uid,))
    logged = json.loads(changes)
    assert logged["display_name"] == ["王科员", "王主任"]
    leader_role = _rows(path, "SELECT id FROM app_role WHERE name = 'leader'")[0][0]
    assert logged["role_id"][1] == leader_role
    users.update_user(admin, uid, active=False)
    assert _account(path, "wang")[4] == 0
    users.update_user(admin, uid, active=True)
    assert _account(path, "wang")[4] == 1
    # the new role is the one a login gets
    assert auth.login(admin.store, "wang", PW).user.role is Role.LEADER


def test_bindings_follow_the_role(admin, deps):
    path = admin.store.path
    users.add_user(admin, "li", PW, Role.OFFICE)
    with pytest.raises(ValidationError, match="绑定一个部门"):
        users.update_user(admin, "li", role=Role.LIAISON)
    users.update_user(admin, "li", role=Role.LIAISON, department_id=deps[0])
    assert _account(path, "li")[1:3] == ("liaison", deps[0])
    users.update_user(admin, "li", department_id=deps[1])  # a liaison moves department
    assert _account(path, "li")[2] == deps[1]
    with pytest.raises(NotFoundError):
        users.update_user(admin, "li", department_id=999_999)
    users.update_user(admin, "li", role=Role.DISPATCHER)  # the department is dropped
    assert _account(path, "li")[1:3] == ("dispatcher", None)
    with pytest.raises(ValidationError, match="只有职能部门联络员"):
        users.update_user(admin, "li", department_id=deps[0])


def test_a_grid_managers_account_keeps_its_own_record(admin):
    path = admin.store.path
    m1, m2 = make_managers(admin.store, 2)
    users.add_user(admin, "grid1", PW, Role.MANAGER, manager_id=m1)
    users.add_user(admin, "grid2", PW, Role.MANAGER, manager_id=m2)
    users.update_user(admin, "grid1", display_name="张网格员")  # own record is no clash
    assert _account(path, "grid1")[0] == "张网格员" and _account(path, "grid1")[3] == m1
    with pytest.raises(ValidationError, match="已有账户"):
        users.update_user(admin, "grid1", manager_id=m2)
    users.update_user(admin, "grid1", role=Role.OFFICE)
    assert _account(path, "grid1")[1:4] == ("office", None, None)


@pytest.mark.parametrize(("lang", "text"), [
    ("zh", "不能把最后一个管理员改为其他角色"),
    ("en", "The last administrator cannot be given another role"),
])
def test_the_last_admin_cannot_be_demoted(admin, lang, text):
    path = admin.store.path
    before = _audit_count(path)
    i18n.set_language(lang)
    with pytest.raises(ValidationError) as err:
        users.update_user(admin, "admin", role=Role.LEADER, display_name="改名")
    assert str(err.value) == text
    name, role, *_ = _account(path, "admin")
    assert role == "admin" and name != "改名"
    assert _audit_count(path) == before  # nothing written, not even the new name


def test_the_last_admin_cannot_be_disabled_and_nobody_disables_themselves(admin):
    path = admin.store.path
    with pytest.raises(ValidationError, match="不能停用自己的账户"):
        users.update_user(admin, "admin", active=False)
    with pytest.raises(ValidationError, match="不能停用最后一个管理员"):
        users.update_user(system_session(admin.store), "admin", active=False)
    assert _account(path, "admin")[4] == 1
    users.add_user(admin, "admin2", PW, Role.ADMIN)
    users.update_user(admin, "admin2", role=Role.OFFICE)  # another admin remains
    assert _account(path, "admin2")[1] == "office"


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_only_admins_edit_users(admin, role, deps):
    store = admin.store
    kw = {"department_id": deps[0]} if role is Role.LIAISON else {}
    if role is Role.MANAGER:
        kw = {"manager_id": make_managers(store, 1)[0]}
    users.add_user(admin, "actor", PW, role, **kw)
    users.add_user(admin, "target", PW, Role.OFFICE, display_name="原名")
    actor = auth.login(store, "actor", PW)
    with pytest.raises(PermissionDenied):
        users.update_user(actor, "target", display_name="新名")
    assert _account(store.path, "target")[0] == "原名"


def test_bad_requests_are_refused(admin):
    with pytest.raises(ValidationError, match="没有要修改的内容"):
        users.update_user(admin, "admin")
    with pytest.raises(ValidationError, match="请填写显示名称"):
        users.update_user(admin, "admin", display_name="  ")
    with pytest.raises(ValidationError, match="未知角色"):
        users.update_user(admin, "admin", role="boss")
    with pytest.raises(NotFoundError, match="没有用户"):
        users.update_user(admin, "nobody", display_name="x")


def _demote(path: str, actor: str, target: str, barrier: Any, queue: Any) -> None:
    from gridapp.errors import GridAppError
    from gridapp.services.people import auth as auth_
    from gridapp.services.people import users as users_
    from gridapp.storage import open_store

    with open_store(path) as store:
        session = auth_.login(store, actor, PW)
        barrier.wait(timeout=120)
        try:
            users_.update_user(session, target, role="office")
            queue.put((actor, "ok"))
        except GridAppError as exc:
            queue.put((actor, type(exc).__name__))


def test_two_admins_demoting_each_other_at_once_leave_one(admin):
    """Two processes: the last-admin rule is checked under the write lock."""
    path = admin.store.path
    users.add_user(admin, "boss1", PW, Role.ADMIN)
    users.add_user(admin, "boss2", PW, Role.ADMIN)
    users.update_user(admin, "admin", role=Role.OFFICE)  # two admins left: boss1, boss2
    ctx = mp.get_context("spawn")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_demote, args=(str(path), a, t, barrier, queue))
             for a, t in (("boss1", "boss2"), ("boss2", "boss1"))]
    for p in procs:
        p.start()
    results = dict(queue.get(timeout=180) for _ in procs)
    for p in procs:
        p.join(180)
        assert p.exitcode == 0
    assert sorted(results.values()) == ["ValidationError", "ok"], results
    admins = _rows(path, "SELECT u.username FROM app_user u JOIN app_role r ON "
                         "r.id = u.role_id WHERE r.name = 'admin' AND u.active = 1")
    assert len(admins) == 1


# -- the command line ----------------------------------------------------------
def _cli(monkeypatch, capsys, argv: list[str], stdin: str) -> tuple[int, str, str]:
    from gridapp.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_users_update(empty_workspace, deps, monkeypatch, capsys):
    path = empty_workspace.path
    admin = auth.login(empty_workspace, "admin", ADMIN_PW)
    users.add_user(admin, "zhao", PW, Role.OFFICE)
    dep_name = _rows(path, "SELECT name FROM department WHERE id = ?", (deps[1],))[0][0]
    empty_workspace.close()
    code, out, err = _cli(monkeypatch, capsys, [
        "users", "update", str(path), "zhao", "--role", "liaison", "--department", dep_name,
        "--display-name", "赵联络员", "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 0, err
    assert "已修改用户 zhao" in out and "角色" in out and "部门" in out
    assert _account(path, "zhao")[:3] == ("赵联络员", "liaison", deps[1])
    code, out, err = _cli(monkeypatch, capsys, [
        "users", "update", str(path), "zhao", "--inactive", "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 0 and _account(path, "zhao")[4] == 0
    code, out, err = _cli(monkeypatch, capsys, [
        "users", "update", str(path), "admin", "--role", "leader", "--password-stdin"],
        f"{ADMIN_PW}\n")
    assert code == 2 and "最后一个管理员" in err
    assert _account(path, "admin")[1] == "admin"
    code, out, err = _cli(monkeypatch, capsys, [
        "users", "update", str(path), "zhao", "--password-stdin"], f"{ADMIN_PW}\n")
    assert code == 2 and "没有要修改的内容" in err
