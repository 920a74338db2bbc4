"""Joint tasks walked through every state on the demo street, with role refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gridapp.domain.enums import Role, TaskState
from gridapp.domain.tasks import CheckinStatus
from gridapp.errors import PermissionDenied, ValidationError, WorkflowError
from gridapp.services.joint import proposals, tasks
from gridapp.services.joint.clustering import find_clusters
from gridapp.services.joint.task_order import task_order_data
from gridapp.services.session import Session, User, system_session

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def _session(store, role: Role, department_id: int | None = None) -> Session:
    return Session(store, User(None, f"test_{role.value}", f"测试{role.zh}", role,
                               department_id=department_id))


@pytest.fixture
def accepted(demo_workspace):
    store = demo_workspace
    admin = system_session(store)
    ids = proposals.save_proposals(admin, find_clusters(admin).clusters)
    assert ids
    disp = _session(store, Role.DISPATCHER)
    task_id = proposals.accept(disp, ids[0], action_at=T0 + timedelta(hours=1),
                               deadline=T0 + timedelta(days=5), checkin_limit_minutes=30)
    return store, disp, task_id, ids


def test_task_walks_through_every_state(accepted):
    store, disp, task_id, ids = accepted
    assert proposals.get_proposal(system_session(store), ids[0]).status == "accepted"
    task = tasks.get_task(system_session(store), task_id, T0)
    assert task.state is TaskState.PROPOSED and len(task.departments) >= 3
    deps = [d.department_id for d in task.departments]
    on_time, late, never = deps[0], deps[1], deps[2]

    notes = tasks.summon(disp, task_id, now=T0)
    assert len(notes) == len(deps) and all("报到" in n["message"] for n in notes)
    assert notes[0]["due"] == T0 + timedelta(hours=1, minutes=30)
    assert tasks.get_task(system_session(store), task_id, T0).state is TaskState.SUMMONED

    liaison = _session(store, Role.LIAISON, department_id=late)
    assert tasks.check_in(disp, task_id, on_time, "张三", now=T0 + timedelta(minutes=80)) \
        is CheckinStatus.ON_TIME
    assert tasks.check_in(liaison, task_id, late, "李四", now=T0 + timedelta(hours=3)) \
        is CheckinStatus.LATE
    with pytest.raises(ValidationError):  # twice
        tasks.check_in(liaison, task_id, late, now=T0 + timedelta(hours=3))
    # while running, the absent department is "missing" once past due
    t = tasks.get_task(system_session(store), task_id, T0 + timedelta(hours=4))
    assert {d.department_id for d in t.flagged_departments} == set(deps[2:])
    tasks.report_department_action(liaison, task_id, late, "清理占道摊点", "清理 12 处")

    tasks.record_action(disp, task_id, "联合清理夜市占道经营，拆除违建棚架",
                        {"stalls_removed": 12, "demolished_m2": 35.5, "fines_yuan": 2000})
    tasks.add_photo(disp, task_id, b"\xff\xd8before", phase="before", filename="before.jpg")
    tasks.add_photo(disp, task_id, b"\xff\xd8after", phase="after", filename="after.jpg")
    assert tasks.get_task(system_session(store), task_id).state is TaskState.IN_ACTION

    res = tasks.finish(disp, task_id, now=T0 + timedelta(days=1))
    assert set(res.absent_department_ids) == set(deps[2:])
    assert never in res.absent_department_ids
    assert not res.refused, res.refused
    assert len(res.advanced) + len(res.unchanged) == len(task.report_ids)
    open_ids = [rid for rid, st in res.advanced if st == "handler_done"]
    assert all(st == "handler_done" for _, st in res.advanced)
    for rid in open_ids[:3]:  # advanced through the case workflow, with events
        ev = store.scalar("SELECT count(*) FROM case_event WHERE report_id = ? AND note LIKE ?",
                          (rid, "联合执法任务%"))
        assert ev >= 1
    done = tasks.get_task(system_session(store), task_id)
    assert done.state is TaskState.DONE
    by_dep = {d.department_id: d for d in done.departments}
    assert by_dep[never].checkin_status is CheckinStatus.ABSENT and by_dep[never].flagged
    assert by_dep[on_time].checkin_status is CheckinStatus.ON_TIME
    assert by_dep[late].checkin_status is CheckinStatus.LATE

    with pytest.raises(ValidationError):  # every department must be evaluated
        tasks.evaluate(disp, task_id, {on_time: (True, "")})
    tasks.evaluate(disp, task_id, {d: (d != never, "未报到" if d == never else "配合良好")
                                   for d in deps})
    final = tasks.get_task(system_session(store), task_id)
    assert final.state is TaskState.EVALUATED
    assert {d.department_id: d.effective for d in final.departments}[never] is False

    order = task_order_data(system_session(store), task_id)
    assert order.heading == "联合执法任务单" and order.cases and order.points
    assert order.hull.contains(order.hull.centroid)
    minx, miny, maxx, maxy = order.extent
    assert all(minx <= x <= maxx and miny <= y <= maxy for x, y in order.points)
    assert any("未按要求报到" in n for n in order.notes)
    assert any("罚款" in r for r in order.results)


def test_escalation_of_a_department_that_never_checks_in(accepted):
    store, disp, task_id, _ = accepted
    tasks.summon(disp, task_id, now=T0)
    with pytest.raises(ValidationError):
        tasks.escalate(disp, task_id, "  ", now=T0 + timedelta(hours=3))
    esc = tasks.escalate(disp, task_id, "部门接哨后未报到", now=T0 + timedelta(hours=3))
    assert esc.notice_no.startswith("DB") and len(esc.missing_departments) >= 3
    assert tasks.get_task(system_session(store), task_id).state is TaskState.ESCALATED
    dep = tasks.get_task(system_session(store), task_id).departments[0].department_id
    assert tasks.check_in(disp, task_id, dep, now=T0 + timedelta(hours=4)) is CheckinStatus.LATE
    tasks.record_action(disp, task_id, "督办后联合处置")
    assert tasks.get_task(system_session(store), task_id).state is TaskState.IN_ACTION


def test_role_refusals(accepted):
    store, disp, task_id, _ = accepted
    deps = [d.department_id for d in tasks.get_task(system_session(store), task_id).departments]
    for role in (Role.LIAISON, Role.LEADER, Role.MANAGER, Role.OFFICE):
        with pytest.raises(PermissionDenied):
            tasks.summon(_session(store, role, deps[0]), task_id, now=T0)
    with pytest.raises(WorkflowError):  # not summoned yet
        tasks.check_in(disp, task_id, deps[0], now=T0)
    tasks.summon(disp, task_id, now=T0)
    with pytest.raises(PermissionDenied):  # another department's check-in
        tasks.check_in(_session(store, Role.LIAISON, deps[1]), task_id, deps[0], now=T0)
    with pytest.raises(PermissionDenied):
        tasks.finish(_session(store, Role.LIAISON, deps[0]), task_id)
    with pytest.raises(WorkflowError):  # finish before the joint action
        tasks.finish(disp, task_id)
    with pytest.raises(ValidationError):  # nobody checked in yet
        tasks.record_action(disp, task_id, "处置")


def test_board_overdue_first_and_liaison_scope(accepted):
    store, disp, task_id, ids = accepted
    later = proposals.accept(disp, ids[1], deadline=T0 + timedelta(days=30))
    board = tasks.task_board(disp, now=T0 + timedelta(days=10))
    assert [s.id for s in board][:2] == [task_id, later] and board[0].overdue
    dep = tasks.get_task(system_session(store), later).departments[-1].department_id
    mine = {s.id for s in tasks.task_board(_session(store, Role.LIAISON, dep))}
    assert later in mine
    assert tasks.task_board(disp, state="summoned") == []


def test_bad_tasks_refused(demo_workspace):
    import shapely

    disp = _session(demo_workspace, Role.DISPATCHER)
    good = dict(title="测试", footprint=shapely.box(106.71, 26.57, 106.711, 26.571),
                report_ids=[1, 2], lead_department_id=1, department_ids=[2])
    tasks.create_task(disp, **good)
    for bad in ({"report_ids": []}, {"title": " "}, {"footprint": shapely.Point(106.7, 26.5)},
                {"footprint": shapely.Polygon()}, {"department_ids": [], "lead_department_id": 1},
                {"department_ids": [999]}, {"checkin_limit_minutes": 0},
                {"footprint": shapely.box(1, 1, 2, 2)}):
        with pytest.raises(ValidationError):
            tasks.create_task(disp, **{**good, **bad})
