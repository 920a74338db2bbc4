"""User accounts: each role, bindings, disabling, and admin-only access."""

from __future__ import annotations

import pytest

from gridapp.domain.enums import Role
from gridapp.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from gridapp.services.people import auth, users
from gridapp.services.people import managers as mgr
from tests.services.test_assignments import make_managers, make_session


@pytest.fixture
def admin(empty_workspace):
    return auth.login(empty_workspace, "admin", "Admin-pass-2026")


def test_add_a_user_of_each_role(admin):
    store = admin.store
    (mid,) = make_managers(store, 1)
    dep = store.scalar("SELECT id FROM department WHERE code IS NOT NULL ORDER BY id LIMIT 1")
    for role in Role:
        users.add_user(admin, f"user_{role.value}", "Good-pass-2026", role,
                       display_name=f"{role.zh}甲",
                       department_id=dep if role is Role.LIAISON else None,
                       manager_id=mid if role is Role.MANAGER else None)
    listed = {u.username: u for u in users.list_users(admin)}
    assert {u.role for u in listed.values()} == set(Role)
    assert listed["user_liaison"].department_id == dep
    assert listed["user_liaison"].department_name
    assert listed["user_manager"].manager_name == "张伟"
    assert [u.username for u in users.list_users(admin, role="leader")] == ["user_leader"]
    assert users.list_users(admin, role="领导")[0].role is Role.LEADER
    session = auth.login(store, "user_manager", "Good-pass-2026")
    assert session.user.manager_id == mid and session.user.display_name == "网格员甲"


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"username": "x"}, "用户名"),
    ({"username": "has space"}, "用户名"),
    ({"username": "admin"}, "已被使用"),
    ({"username": "ADMIN"}, "已被使用"),
    ({"password": "short"}, "至少"),
    ({"password": "aaaaaaaaaa"}, "过于简单"),
    ({"role": "boss"}, "未知角色"),
    ({"role": Role.LIAISON}, "绑定一个部门"),
    ({"role": Role.MANAGER}, "绑定一条网格员记录"),
    ({"role": Role.OFFICE, "department_id": 1}, "只有职能部门联络员"),
])
def test_invalid_users_are_refused(admin, kwargs, match):
    args = {"username": "newbie", "password": "Good-pass-2026", "role": Role.OFFICE, **kwargs}
    with pytest.raises(ValidationError, match=match):
        users.add_user(admin, args.pop("username"), args.pop("password"), args.pop("role"),
                       **args)
    assert len(users.list_users(admin)) == 1


def test_bindings_must_exist_and_be_unique(admin):
    store = admin.store
    m1, m2 = make_managers(store, 2)
    with pytest.raises(NotFoundError):
        users.add_user(admin, "liaison", "Good-pass-2026", Role.LIAISON, department_id=9999)
    with pytest.raises(NotFoundError):
        users.add_user(admin, "gm", "Good-pass-2026", Role.MANAGER, manager_id=9999)
    users.add_user(admin, "gm", "Good-pass-2026", Role.MANAGER, manager_id=m1)
    with pytest.raises(ValidationError, match="已有账户"):
        users.add_user(admin, "gm2", "Good-pass-2026", Role.MANAGER, manager_id=m1)
    mgr.deactivate_manager(admin, m2)
    with pytest.raises(ValidationError, match="已停用"):
        users.add_user(admin, "gm3", "Good-pass-2026", Role.MANAGER, manager_id=m2)


def test_deactivating_a_manager_disables_their_account(admin):
    store = admin.store
    (mid,) = make_managers(store, 1)
    users.add_user(admin, "gm", "Good-pass-2026", Role.MANAGER, manager_id=mid)
    mgr.deactivate_manager(admin, mid)
    with pytest.raises(AuthenticationError):
        auth.login(store, "gm", "Good-pass-2026")


def test_disable_and_enable(admin):
    store = admin.store
    uid = users.add_user(admin, "zhang", "Good-pass-2026", Role.DISPATCHER)
    users.disable_user(admin, "zhang")
    assert not [u for u in users.list_users(admin, include_inactive=False)
                if u.username == "zhang"]
    with pytest.raises(AuthenticationError):
        auth.login(store, "zhang", "Good-pass-2026")
    users.enable_user(admin, uid)
    assert auth.login(store, "zhang", "Good-pass-2026").user.role is Role.DISPATCHER
    assert store.get("app_user", uid)["active"] == 1  # history kept, row never deleted
    with pytest.raises(NotFoundError):
        users.disable_user(admin, "nobody")


def test_admin_cannot_lock_themselves_or_the_last_admin_out(admin):
    with pytest.raises(ValidationError, match="自己"):
        users.disable_user(admin, "admin")
    other = users.add_user(admin, "admin2", "Good-pass-2026", Role.ADMIN)
    admin2 = auth.login(admin.store, "admin2", "Good-pass-2026")
    users.disable_user(admin2, "admin")
    with pytest.raises(ValidationError):
        users.disable_user(admin2, other)


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_only_admins_manage_users(empty_workspace, role):
    store = empty_workspace
    mid = make_managers(store, 1)[0] if role is Role.MANAGER else None
    session = make_session(store, role, manager_id=mid)
    for call in (lambda: users.add_user(session, "sneaky", "Good-pass-2026", Role.ADMIN),
                 lambda: users.list_users(session),
                 lambda: users.disable_user(session, "admin"),
                 lambda: users.enable_user(session, "admin"),
                 lambda: users.set_display_name(session, "admin", "x")):
        with pytest.raises(PermissionDenied):
            call()
