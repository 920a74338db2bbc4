"""Races on joint tasks, run in separate processes started together (not threads).

Each worker process opens the workspace itself, waits at a barrier with the
others and then acts once; the result (or the refusal's class and params)
comes back over a queue.  What was stored is read back with plain sqlite3,
not through the service under test.
"""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from gridapp.domain.enums import Role
from gridapp.errors import PermissionDenied
from gridapp.services.joint import proposals, tasks
from gridapp.services.joint.clustering import find_clusters
from gridapp.services.session import Session, User, system_session

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
ACTION_AT = T0 + timedelta(hours=1)
JOIN_SECONDS = 180


def _session(store: Any, role: Role, department_id: int | None = None) -> Session:
    return Session(store, User(None, f"race_{role.value}_{department_id}", "并发测试", role,
                               department_id=department_id))


def _worker(path: str, role: str, department_id: int | None, action: str,
            args: tuple[Any, ...], kwargs: dict[str, Any], barrier: Any, queue: Any,
            tag: int) -> None:
    """One process: open the workspace, wait for the others, do one task step."""
    from gridapp.errors import GridAppError
    from gridapp.storage import open_store

    store = open_store(path)
    try:
        session = _session(store, Role(role), department_id)
        barrier.wait(timeout=JOIN_SECONDS)
        try:
            out = getattr(tasks, action)(session, *args, **kwargs)
            queue.put((tag, "ok", str(out) if not isinstance(out, int) else out))
        except GridAppError as exc:
            queue.put((tag, type(exc).__name__, dict(exc.params)))
    finally:
        store.close()


Job = tuple[str, int | None, str, tuple[Any, ...]] | tuple[
    str, int | None, str, tuple[Any, ...], dict[str, Any]]


def _run_together(path: Path, jobs: list[Job]) -> dict[int, tuple[str, Any]]:
    """Start one process per job, released together by a barrier; their results by job."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(jobs))
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(str(path), *job[:4],
                                               job[4] if len(job) > 4 else {},
                                               barrier, queue, i))
             for i, job in enumerate(jobs)]
    for p in procs:
        p.start()
    results = {}
    for _ in jobs:
        tag, kind, value = queue.get(timeout=JOIN_SECONDS)
        results[tag] = (kind, value)
    for p in procs:
        p.join(JOIN_SECONDS)
        assert p.exitcode == 0
    return results


def _rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture
def summoned(demo_workspace):
    """A summoned task on a private demo copy: (path, task id, its department ids)."""
    store = demo_workspace
    admin = system_session(store)
    ids = proposals.save_proposals(admin, find_clusters(admin).clusters)
    disp = _session(store, Role.DISPATCHER)
    task_id = proposals.accept(disp, ids[0], action_at=ACTION_AT,
                               deadline=T0 + timedelta(days=5), checkin_limit_minutes=30)
    tasks.summon(disp, task_id, now=T0)
    deps = [int(r[0]) for r in _rows(store.path, "SELECT department_id FROM task_department "
                                                 "WHERE task_id = ? ORDER BY id", (task_id,))]
    assert len(deps) >= 3
    return store.path, task_id, deps


def test_every_department_checking_in_at_once_is_recorded(summoned):
    path, task_id, deps = summoned
    at = ACTION_AT + timedelta(minutes=10)  # within 30 minutes of the action: on time
    jobs = [("liaison", d, "check_in", (task_id, d, f"联络人{d}", at)) for d in deps]
    results = _run_together(path, jobs)
    assert all(kind == "ok" for kind, _ in results.values()), results
    stored = dict(((d, (c, s)) for d, c, s in _rows(
        path, "SELECT department_id, contact_person, checkin_status FROM task_department "
              "WHERE task_id = ? AND checkin_at IS NOT NULL", (task_id,))))
    assert stored == {d: (f"联络人{d}", "on_time") for d in deps}


def test_one_department_checking_in_twice_at_once_is_recorded_once(summoned):
    """The lost update: both used to succeed, the second overwriting the first."""
    path, task_id, deps = summoned
    dep = deps[1]
    at = ACTION_AT + timedelta(minutes=5)
    jobs = [("liaison" if i % 2 else "dispatcher", dep, "check_in",
             (task_id, dep, f"报到人{i}", at)) for i in range(4)]
    results = _run_together(path, jobs)
    winners = [i for i, (kind, _) in results.items() if kind == "ok"]
    assert len(winners) == 1, results
    refused = [v for kind, v in results.values() if kind != "ok"]
    assert len(refused) == 3
    assert all(kind == "ValidationError" for kind, _ in
               (r for r in results.values() if r[0] != "ok"))
    assert all(v["department_id"] == dep for v in refused)
    (contact,), = _rows(path, "SELECT contact_person FROM task_department WHERE task_id = ? "
                             "AND department_id = ?", (task_id, dep))
    assert contact == f"报到人{winners[0]}"
    # one audited write of the check-in, not four
    n = _rows(path, "SELECT count(*) FROM audit_log WHERE table_name = 'task_department' "
                    "AND action = 'update' AND changes LIKE '%checkin_at%' AND row_id = "
                    "(SELECT id FROM task_department WHERE task_id = ? AND department_id = ?)",
              (task_id, dep))[0][0]
    assert n == 1


def test_check_in_racing_finish_is_never_marked_absent(summoned):
    path, task_id, deps = summoned
    from gridapp.storage import open_store

    with open_store(path) as store:
        disp = _session(store, Role.DISPATCHER)
        tasks.check_in(disp, task_id, deps[0], "先到", now=ACTION_AT)
        tasks.record_action(disp, task_id, "联合清理占道经营", {"stalls_removed": 3})
    late = ACTION_AT + timedelta(hours=2)
    jobs = [("dispatcher", None, "finish", (task_id, late + timedelta(hours=1)))]
    jobs += [("liaison", d, "check_in", (task_id, d, "后到", late)) for d in deps[1:]]
    results = _run_together(path, jobs)
    assert results[0][0] == "ok", results[0]
    checked_in = {deps[0]} | {deps[i] for i in range(1, len(deps)) if results[i][0] == "ok"}
    refused = [results[i] for i in range(1, len(deps)) if results[i][0] != "ok"]
    assert all(kind == "WorkflowError" for kind, _ in refused), refused  # after 办结
    rows = _rows(path, "SELECT department_id, checkin_at IS NOT NULL, checkin_status "
                       "FROM task_department WHERE task_id = ?", (task_id,))
    assert {d for d, has, _ in rows if has} == checked_in
    for d, has, status in rows:
        assert (status == "absent") == (not has), (d, has, status)


def test_a_liaison_cannot_add_a_photo_to_another_departments_task(summoned):
    path, task_id, deps = summoned
    outsider = next(int(r[0]) for r in _rows(
        path, "SELECT id FROM department WHERE id NOT IN (SELECT department_id FROM "
              "task_department WHERE task_id = ?) ORDER BY id", (task_id,)))
    before = _rows(path, "SELECT count(*) FROM attachment")[0][0]
    jobs: list[Job] = [
        ("liaison", outsider, "add_photo", (task_id, b"\xff\xd8foreign"), {"phase": "before"}),
        ("liaison", deps[1], "add_photo", (task_id, b"\xff\xd8own"), {"phase": "before"})]
    results = _run_together(path, jobs)
    assert results[0][0] == "PermissionDenied", results
    assert results[0][1]["task_id"] == task_id
    assert results[1][0] == "ok", results
    own_id = results[1][1]
    linked = _rows(path, "SELECT related_id FROM joint_task_attachment WHERE base_id = ?",
                   (task_id,))
    assert linked == [(own_id,)]
    assert _rows(path, "SELECT count(*) FROM attachment")[0][0] == before + 1
    assert _rows(path, "SELECT data FROM attachment WHERE id = ?", (own_id,)) == [
        (b"\xff\xd8own",)]


def test_the_foreign_photo_refusal_names_the_task_in_both_languages(summoned):
    path, task_id, deps = summoned
    from gridapp import i18n
    from gridapp.storage import open_store

    other = _rows(path, "SELECT max(id) FROM department")[0][0]
    assert other not in deps
    with open_store(path) as store:
        outsider = _session(store, Role.LIAISON, department_id=other)
        task_no = _rows(path, "SELECT task_no FROM joint_task WHERE id = ?", (task_id,))[0][0]
        with pytest.raises(PermissionDenied) as err:
            tasks.add_photo(outsider, task_id, b"\xff\xd8x", phase="before")
        assert task_no in str(err.value)
        i18n.set_language("en")
        with pytest.raises(PermissionDenied) as err:
            tasks.add_photo(outsider, task_id, b"\xff\xd8x", phase="before")
        assert "summoned" in str(err.value) and task_no in str(err.value)


def _finish_after_checkin(path: str, task_id: int, at: datetime, about_to_write: Any,
                          checked_in: Any, queue: Any) -> None:
    """Finish the task, pausing just before 办结 opens its own write transaction
    until the other process has checked in (its case steps are not paused)."""
    import sys

    from gridapp.storage import open_store

    class PausingSession(Session):
        def transaction(self):  # type: ignore[override]
            if sys._getframe(1).f_code.co_name == "finish":
                about_to_write.set()
                assert checked_in.wait(JOIN_SECONDS)
            return super().transaction()

    with open_store(path) as store:
        session = PausingSession(store, User(None, "race_disp", "调度", Role.DISPATCHER))
        res = tasks.finish(session, task_id, now=at)
        queue.put(("finish", sorted(res.absent_department_ids)))


def _check_in_when_told(path: str, task_id: int, dep: int, at: datetime,
                        about_to_write: Any, checked_in: Any, queue: Any) -> None:
    from gridapp.storage import open_store

    with open_store(path) as store:
        assert about_to_write.wait(JOIN_SECONDS)
        status = tasks.check_in(_session(store, Role.LIAISON, dep), task_id, dep, "赶到", at)
        checked_in.set()
        queue.put(("check_in", str(status)))


def test_a_check_in_between_finishs_read_and_write_is_not_overwritten(summoned):
    """办结 used to read the departments without a check-in before its transaction
    and mark them absent after it, overwriting a check-in made in between."""
    path, task_id, deps = summoned
    from gridapp.storage import open_store

    with open_store(path) as store:
        disp = _session(store, Role.DISPATCHER)
        tasks.check_in(disp, task_id, deps[0], "先到", now=ACTION_AT)
        tasks.record_action(disp, task_id, "联合清理占道经营", {"stalls_removed": 3})
    ctx = mp.get_context("spawn")
    about_to_write, checked_in, queue = ctx.Event(), ctx.Event(), ctx.Queue()
    late = ACTION_AT + timedelta(hours=2)
    procs = [
        ctx.Process(target=_finish_after_checkin, args=(
            str(path), task_id, late + timedelta(hours=1), about_to_write, checked_in, queue)),
        ctx.Process(target=_check_in_when_told, args=(
            str(path), task_id, deps[1], late, about_to_write, checked_in, queue)),
    ]
    for p in procs:
        p.start()
    results = dict(queue.get(timeout=JOIN_SECONDS) for _ in procs)
    for p in procs:
        p.join(JOIN_SECONDS)
        assert p.exitcode == 0
    assert results["check_in"] == "late"
    assert deps[1] not in results["finish"] and set(results["finish"]) == set(deps[2:])
    status = dict(_rows(path, "SELECT department_id, checkin_status FROM task_department "
                              "WHERE task_id = ?", (task_id,)))
    assert status[deps[1]] == "late"
    assert {d for d, s in status.items() if s == "absent"} == set(deps[2:])
