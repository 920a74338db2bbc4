"""Assignments: one primary and backups per current grid, with history and warnings.

The helpers at the top (``make_grids``, ``make_managers``, ``make_session``)
are shared with the other people-and-access tests.
"""

from __future__ import annotations

import pytest
from shapely.geometry import box

from gridapp.domain.enums import AssignmentRole, Role
from gridapp.domain.timeutil import now_iso
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.people import assignments as asg
from gridapp.services.people import managers as mgr
from gridapp.services.people.auth import load_user
from gridapp.services.session import (
    Session,
    grid_filter,
    own_grid_ids,
    require_own_grid,
    system_session,
)


def make_grids(store, n: int = 4, households: int = 400) -> list[int]:
    """*n* current square grids in one community, west to east."""
    with store.transaction("test") as tx:
        cid = tx.insert("community", {"name": "青云社区", "code": "520102003001",
                                      "geom": None})
        return [tx.insert("grid", {
            "geom": box(106.70 + i * 0.01, 26.50, 106.71 + i * 0.01, 26.51),
            "code": f"520102003001{i + 1:03d}", "name": f"第{i + 1}网格", "kind": "basic",
            "community_id": cid, "households": households, "valid_from": now_iso()})
            for i in range(n)]


def make_managers(store, n: int = 3) -> list[int]:
    session = system_session(store)
    return [mgr.add_manager(session, name=name, phone=f"1381234{i:04d}", staff_no=f"W{i + 1:03d}")
            for i, name in enumerate(["张伟", "李娜", "王芳", "刘洋", "陈静"][:n])]


def make_session(store, role: Role, *, department_id=None, manager_id=None,
                 username: str | None = None) -> Session:
    """A session of a new user with *role* (admin: the workspace's first admin)."""
    from gridapp.services.people.users import add_user

    if role is Role.ADMIN and username is None:
        return Session(store, load_user(store, 1))
    if role is Role.LIAISON and department_id is None:
        department_id = store.scalar("SELECT min(id) FROM department")
    uid = add_user(system_session(store), username or f"u_{role.value}", "Test-pass-2026", role,
                   department_id=department_id, manager_id=manager_id)
    return Session(store, load_user(store, uid))


def retire_grid(store, grid_id: int) -> int:
    """Close a grid version and open a new one with the same code; returns the new id."""
    row = store.get("grid", grid_id)
    with store.transaction("test") as tx:
        tx.update("grid", grid_id, {"valid_to": now_iso()})
        return tx.insert("grid", {**{k: row[k] for k in (
            "geom", "code", "name", "kind", "community_id", "households")},
            "valid_from": now_iso(), "previous_id": grid_id})


@pytest.fixture
def ws(empty_workspace):
    store = empty_workspace
    grids = make_grids(store)
    managers = make_managers(store)
    return store, grids, managers, make_session(store, Role.OFFICE)


def _current(session, grid_id):
    return {(a.manager_id, a.role) for a in asg.current_assignments(session, grid_ids=[grid_id])}


def test_assign_many_grids_at_once(ws):
    store, grids, (m1, m2, _), office = ws
    result = asg.assign_grids(office, grids, m1)
    assert len(result.created) == 4 and not result.ended
    assert asg.primary_manager_by_grid(office) == {g: m1 for g in grids}
    again = asg.assign_grids(office, grids, m1)
    assert not again.created and again.unchanged == grids


def test_new_primary_ends_the_old_one_and_history_is_kept(ws):
    store, grids, (m1, m2, _), office = ws
    asg.assign_grids(office, [grids[0]], m1)
    result = asg.assign_grids(office, [grids[0]], m2)
    assert len(result.ended) == 1
    assert _current(office, grids[0]) == {(m2, AssignmentRole.PRIMARY)}
    history = asg.assignment_history(office, grid_ids=[grids[0]])
    assert [(a.manager_id, a.valid_to is None) for a in history] == [(m1, False), (m2, True)]
    assert history[0].valid_to == history[1].valid_from


def test_backups_and_role_switch(ws):
    store, grids, (m1, m2, m3), office = ws
    asg.assign_grids(office, [grids[0]], m1)
    asg.assign_grids(office, [grids[0]], m2, "backup")
    asg.assign_grids(office, [grids[0]], m3, AssignmentRole.BACKUP)
    assert _current(office, grids[0]) == {(m1, AssignmentRole.PRIMARY),
                                         (m2, AssignmentRole.BACKUP),
                                         (m3, AssignmentRole.BACKUP)}
    asg.assign_grids(office, [grids[0]], m2)  # backup becomes primary
    assert _current(office, grids[0]) == {(m2, AssignmentRole.PRIMARY),
                                         (m3, AssignmentRole.BACKUP)}
    assert asg.unassign(office, [grids[0]], m3) == 1
    assert _current(office, grids[0]) == {(m2, AssignmentRole.PRIMARY)}


def test_database_allows_only_one_current_primary(ws):
    store, grids, (m1, m2, _), office = ws
    asg.assign_grids(office, [grids[0]], m1)
    import sqlite3

    from gridapp.errors import StorageError

    with pytest.raises((sqlite3.IntegrityError, StorageError)):
        with store.transaction("test") as tx:
            tx.insert("grid_assignment", {"manager_id": m2, "grid_id": grids[0],
                                          "role": "primary", "valid_from": now_iso()})


def test_refuses_retired_grids_inactive_and_unknown_managers(ws):
    store, grids, (m1, m2, _), office = ws
    new = retire_grid(store, grids[0])
    with pytest.raises(ValidationError, match="520102003001001"):
        asg.assign_grids(office, [grids[0], grids[1]], m1)
    assert asg.current_assignments(office) == []  # nothing partial
    asg.assign_grids(office, [new], m1)
    mgr.deactivate_manager(office, m2)
    with pytest.raises(ValidationError):
        asg.assign_grids(office, [grids[1]], m2)
    with pytest.raises(NotFoundError):
        asg.assign_grids(office, [grids[1]], 9999)
    with pytest.raises(NotFoundError):
        asg.assign_grids(office, [9999], m1)
    with pytest.raises(ValidationError):
        asg.assign_grids(office, [], m1)


def test_reassign_all_grids_of_a_leaving_manager(ws):
    store, grids, (m1, m2, m3), office = ws
    asg.assign_grids(office, grids[:3], m1)
    asg.assign_grids(office, [grids[3]], m3)
    asg.assign_grids(office, [grids[3]], m1, "backup")
    asg.assign_grids(office, [grids[2]], m2, "backup")
    result = asg.reassign_all(office, m1, m2, deactivate=True)
    assert asg.current_assignments(office, manager_id=m1) == []
    assert {a.grid_id: a.role for a in asg.current_assignments(office, manager_id=m2)} == {
        grids[0]: AssignmentRole.PRIMARY, grids[1]: AssignmentRole.PRIMARY,
        grids[2]: AssignmentRole.PRIMARY, grids[3]: AssignmentRole.BACKUP}
    assert len(result.ended) == 5  # four of m1, m2's backup row in grid 3
    assert store.get("manager", m1)["active"] == 0
    with pytest.raises(ValidationError):
        asg.reassign_all(office, m2, m2)


def test_warnings(ws):
    store, grids, (m1, m2, m3), office = ws
    store.set_setting(asg.MAX_GRIDS_KEY, 2)
    store.set_setting(asg.MAX_HOUSEHOLDS_KEY, 700)
    asg.assign_grids(office, grids[:3], m1)
    asg.assign_grids(office, [grids[3]], m2)
    new = retire_grid(store, grids[3])
    kinds = {(w.kind, w.grid_id, w.manager_id) for w in asg.assignment_warnings(office)}
    assert ("no_primary", new, None) in kinds
    assert ("too_many_grids", None, m1) in kinds
    assert ("too_many_households", None, m1) in kinds
    assert ("retired_grid", grids[3], m2) in kinds
    assert not any(k == "no_primary" and g in grids[:3] for k, g, _ in kinds)
    texts = [w.message for w in asg.assignment_warnings(office)]
    assert any("没有主责网格员" in t for t in texts)
    carried = asg.carry_over(office, grids[3], [new])
    assert len(carried.created) == 1 and len(carried.ended) == 1
    kinds = {w.kind for w in asg.assignment_warnings(office)}
    assert "retired_grid" not in kinds and "no_primary" not in kinds


def test_own_grid_ids_for_a_grid_manager(ws):
    store, grids, (m1, m2, _), office = ws
    asg.assign_grids(office, grids[:2], m1)
    asg.assign_grids(office, [grids[2]], m2)
    asg.assign_grids(office, [grids[2]], m1, "backup")
    me = make_session(store, Role.MANAGER, manager_id=m1)
    assert own_grid_ids(me) == frozenset(grids[:3])
    assert own_grid_ids(office) is None
    require_own_grid(me, grids[0])
    from gridapp.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        require_own_grid(me, grids[3])
    where, params = grid_filter(me, "id")
    rows = store.query(f"SELECT id FROM grid WHERE {where} ORDER BY id", params)
    assert [r[0] for r in rows] == grids[:3]
    # A retired version drops out of the manager's grids.
    retire_grid(store, grids[0])
    assert own_grid_ids(me) == frozenset(grids[1:3])
