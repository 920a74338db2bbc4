"""Login, lockout, passwords, and the role × action matrix of people-and-access services."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import now_utc
from gridapp.errors import AuthenticationError, PermissionDenied, ValidationError
from gridapp.services.people import assignments as asg
from gridapp.services.people import audit_view, auth, users
from gridapp.services.people import manager_import as mimp
from gridapp.services.people import managers as mgr
from gridapp.services.session import (
    Session,
    department_filter,
    require_department,
    system_session,
    visible_department_ids,
)
from tests.services.test_assignments import make_grids, make_managers, make_session

ADMIN_PW = "Admin-pass-2026"


def _message_both(err) -> str:
    return err.message_in("zh") + " " + err.message_in("en")


def test_login_opens_a_session_and_records_last_login(empty_workspace):
    session = auth.login(empty_workspace, "admin", ADMIN_PW)
    assert isinstance(session, Session)
    assert session.user.role is Role.ADMIN and session.user.username == "admin"
    row = empty_workspace.get("app_user", session.user.id)
    assert row["last_login"] is not None and row["failed_logins"] == 0
    assert audit_view.query_audit(session, action="login")[0].user_id == session.user.id


def test_every_failure_has_the_same_message(empty_workspace):
    store = empty_workspace
    uid = users.add_user(auth.login(store, "admin", ADMIN_PW), "off", "Office-pass-1", "office")
    messages = set()
    for name, pw in [("admin", "wrong-password"), ("nobody", ADMIN_PW), ("", ""),
                     ("admin", "")]:
        with pytest.raises(AuthenticationError) as err:
            auth.login(store, name, pw)
        messages.add(_message_both(err.value))
    users.disable_user(auth.login(store, "admin", ADMIN_PW), uid)
    with pytest.raises(AuthenticationError) as err:
        auth.login(store, "off", "Office-pass-1")
    messages.add(_message_both(err.value))
    assert len(messages) == 1
    text = messages.pop()
    assert "登录失败" in text and "Login failed" in text
    assert ADMIN_PW not in text and "scrypt" not in text


def test_lockout_after_repeated_failures_and_its_end(empty_workspace):
    store = empty_workspace
    store.set_setting(auth.MAX_FAILURES_KEY, 3)
    t0 = now_utc()
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            auth.login(store, "admin", "wrong-password", now=t0)
    assert store.scalar("SELECT failed_logins FROM app_user WHERE username='admin'") == 2
    auth.login(store, "admin", ADMIN_PW, now=t0)  # success resets the counter
    assert store.scalar("SELECT failed_logins FROM app_user WHERE username='admin'") == 0
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            auth.login(store, "admin", "wrong-password", now=t0)
    assert auth.is_locked(system_session(store), "admin", now=t0)
    with pytest.raises(AuthenticationError) as err:  # even the right password
        auth.login(store, "admin", ADMIN_PW, now=t0 + timedelta(minutes=14))
    assert "锁定" in str(err.value)  # the one generic message mentions it as a possibility
    session = auth.login(store, "admin", ADMIN_PW, now=t0 + timedelta(minutes=16))
    assert session.user.username == "admin"
    assert not auth.is_locked(system_session(store), "admin",
                              now=t0 + timedelta(minutes=16))


def test_default_lockout_is_five_failures_for_fifteen_minutes(empty_workspace):
    store = empty_workspace
    t0 = now_utc()
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            auth.login(store, "admin", "wrong-password", now=t0)
    until = store.scalar("SELECT locked_until FROM app_user WHERE username='admin'")
    from gridapp.domain.timeutil import from_iso

    assert abs((from_iso(until) - t0) - timedelta(minutes=15)) < timedelta(seconds=1)


def test_admin_reset_unlocks_and_change_own_password(empty_workspace):
    store = empty_workspace
    admin = auth.login(store, "admin", ADMIN_PW)
    users.add_user(admin, "zhang", "Zhang-pass-1", Role.OFFICE)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            auth.login(store, "zhang", "wrong-password")
    auth.reset_password(admin, "zhang", "Reset-pass-22")
    zhang = auth.login(store, "zhang", "Reset-pass-22")
    with pytest.raises(AuthenticationError):
        auth.change_password(zhang, "not-the-current", "Newer-pass-33")
    with pytest.raises(ValidationError):
        auth.change_password(zhang, "Reset-pass-22", "short")
    auth.change_password(zhang, "Reset-pass-22", "Newer-pass-33")
    with pytest.raises(AuthenticationError):
        auth.login(store, "zhang", "Reset-pass-22")
    auth.login(store, "zhang", "Newer-pass-33")
    with pytest.raises(PermissionDenied):
        auth.reset_password(zhang, "admin", "Stolen-pass-44")


def test_no_password_or_hash_in_the_audit_log(empty_workspace):
    store = empty_workspace
    admin = auth.login(store, "admin", ADMIN_PW)
    users.add_user(admin, "li", "Li-secret-pw-1", Role.LEADER)
    auth.reset_password(admin, "li", "Li-secret-pw-2")
    li = auth.login(store, "li", "Li-secret-pw-2")
    auth.change_password(li, "Li-secret-pw-2", "Li-secret-pw-3")
    with pytest.raises(AuthenticationError):
        auth.login(store, "li", "Li-secret-pw-9")
    hashes = [r[0] for r in store.query("SELECT password_hash FROM app_user")]
    log = json.dumps([tuple(r) for r in store.query("SELECT * FROM audit_log")],
                     ensure_ascii=False)
    for secret in ["Li-secret-pw-1", "Li-secret-pw-2", "Li-secret-pw-3", "Li-secret-pw-9",
                   ADMIN_PW, "scrypt$", *hashes]:
        assert secret not in log
    entries = audit_view.query_audit(admin, table="app_user", action="update")
    assert any(e.changes and e.changes.get("password_hash") == "***" for e in entries)
    for info in users.list_users(admin):
        assert "hash" not in " ".join(vars(info)) and "scrypt" not in repr(info)


def test_liaison_sees_only_their_department(empty_workspace):
    store = empty_workspace
    deps = [r[0] for r in store.query("SELECT id FROM department ORDER BY id LIMIT 2")]
    liaison = make_session(store, Role.LIAISON, department_id=deps[0])
    assert visible_department_ids(liaison) == frozenset({deps[0]})
    require_department(liaison, deps[0])
    with pytest.raises(PermissionDenied):
        require_department(liaison, deps[1])
    where, params = department_filter(liaison, "id")
    assert [r[0] for r in store.query(f"SELECT id FROM department WHERE {where}", params)] == [
        deps[0]]
    office = make_session(store, Role.OFFICE)
    assert visible_department_ids(office) is None
    require_department(office, deps[1])


# -- the role × action matrix ------------------------------------------------
_A, _O, _D, _L, _M, _R = (Role.ADMIN, Role.OFFICE, Role.DISPATCHER, Role.LIAISON,
                          Role.MANAGER, Role.LEADER)
EVERYONE = set(Role)


def _photo() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (0, 90, 200)).save(buf, "PNG")
    return buf.getvalue()


def _csv(ctx) -> str:
    path = ctx["tmp"] / "import.csv"
    path.write_text("姓名,电话,工号\n周杰,13912340000,W777\n", encoding="utf-8")
    return str(path)


ACTIONS = {
    "user.add": ({_A}, lambda s, c: users.add_user(s, "newbie", "Newbie-pass-1", "leader")),
    "user.list": ({_A}, lambda s, c: users.list_users(s)),
    "user.disable": ({_A}, lambda s, c: users.disable_user(s, c["victim"])),
    "user.reset_password": ({_A}, lambda s, c: auth.reset_password(
        s, c["victim"], "Reset-pass-99")),
    "user.unlock": ({_A}, lambda s, c: auth.unlock(s, c["victim"])),
    "manager.read": (EVERYONE, lambda s, c: mgr.list_managers(s)),
    "manager.add": ({_A, _O}, lambda s, c: mgr.add_manager(
        s, name="周杰", phone="13912340000", staff_no="W777")),
    "manager.edit": ({_A, _O}, lambda s, c: mgr.update_manager(s, c["m"][0], notes="x")),
    "manager.deactivate": ({_A, _O}, lambda s, c: mgr.deactivate_manager(s, c["m"][2])),
    "manager.photo": ({_A, _O}, lambda s, c: mgr.set_manager_photo(s, c["m"][0], _photo())),
    "manager.import": ({_A, _O}, lambda s, c: mimp.import_managers(s, _csv(c))),
    "assignment.read": (EVERYONE, lambda s, c: asg.current_assignments(s)),
    "assignment.warnings": (EVERYONE, lambda s, c: asg.assignment_warnings(s)),
    "assignment.assign": ({_A, _O}, lambda s, c: asg.assign_grids(s, c["g"], c["m"][1])),
    "assignment.unassign": ({_A, _O}, lambda s, c: asg.unassign(s, c["g"], c["m"][0])),
    "assignment.reassign": ({_A, _O}, lambda s, c: asg.reassign_all(s, c["m"][0], c["m"][1])),
    "audit.read": ({_A, _R}, lambda s, c: audit_view.query_audit(s)),
    "audit.verify": ({_A, _R}, lambda s, c: audit_view.verify_chain(s)),
    "grid.edit": ({_A, _O}, lambda s, c: s.require("grid.edit")),
    "report.file": ({_A, _O, _D, _M}, lambda s, c: s.require("report.file")),
}


@pytest.fixture(scope="module")
def matrix_template(tmp_path_factory):
    """A workspace with grids, managers, one user of each role; copied per test."""
    from gridapp.services.workspace import StreetSpec, create_workspace

    path = tmp_path_factory.mktemp("matrix") / "template.gpkg"
    store = create_workspace(path, StreetSpec("520102", "520102003", "测试街道"),
                             admin_username="admin", admin_password=ADMIN_PW)
    grids = make_grids(store, 2)
    managers = make_managers(store, 3)
    admin = auth.login(store, "admin", ADMIN_PW)
    asg.assign_grids(admin, grids, managers[0])
    dep = store.scalar("SELECT min(id) FROM department")
    for role in Role:
        if role is not Role.ADMIN:
            users.add_user(admin, f"u_{role.value}", "Role-pass-2026", role,
                           department_id=dep if role is Role.LIAISON else None,
                           manager_id=managers[0] if role is Role.MANAGER else None)
    victim = users.add_user(admin, "victim", "Victim-pass-1", Role.LEADER)
    store.close()
    return path, {"g": grids, "m": managers, "victim": victim}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", list(Role))
def test_role_may_or_may_not(matrix_template, tmp_path, role, action):
    import shutil

    from gridapp.storage import open_store

    template, ctx = matrix_template
    shutil.copy(template, tmp_path / "ws.gpkg")
    allowed_roles, run = ACTIONS[action]
    with open_store(tmp_path / "ws.gpkg") as store:
        username = "admin" if role is Role.ADMIN else f"u_{role.value}"
        session = auth.login(store, username, ADMIN_PW if role is Role.ADMIN else "Role-pass-2026")
        count = store.scalar("SELECT count(*) FROM audit_log")
        if role in allowed_roles:
            run(session, {**ctx, "tmp": tmp_path})
        else:
            with pytest.raises(PermissionDenied) as err:
                run(session, {**ctx, "tmp": tmp_path})
            assert role.zh in str(err.value)  # a message the GUI can show as is
            assert store.scalar("SELECT count(*) FROM audit_log") == count  # nothing written


def test_demo_users_log_in_with_their_roles_and_scopes(demo_workspace):
    from gridapp.services.demo.street import DEMO_USERS
    from gridapp.services.session import own_grid_ids

    store = demo_workspace
    for username, password, role, _ in DEMO_USERS:
        session = auth.login(store, username, password)
        assert session.user.role is role
        if role is Role.MANAGER:
            grids = own_grid_ids(session)
            assert grids  # the demo manager has grids of their own
            assert grids <= set(asg.primary_manager_by_grid(session)) | {
                a.grid_id for a in asg.current_assignments(session)}
            with pytest.raises(PermissionDenied):
                mgr.update_manager(session, session.user.manager_id, notes="x")
        if role is Role.LIAISON:
            assert visible_department_ids(session) == {session.user.department_id}
    admin = auth.login(store, "admin", DEMO_USERS[0][1])
    assert len(mgr.list_managers(admin)) >= 10
    assert not [w for w in asg.assignment_warnings(admin) if w.kind == "no_primary"]
    assert audit_view.verify_chain(admin) == []
