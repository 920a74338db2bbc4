"""The joint-task state machine and check-in rules (no storage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gridapp.domain.enums import Role, TaskState
from gridapp.domain.tasks import (
    TRANSITIONS,
    CheckinStatus,
    TaskAction,
    allowed_task_actions,
    apply_task,
    check_limit,
    checkin_due,
    checkin_status,
    is_flagged,
)
from gridapp.errors import PermissionDenied, ValidationError, WorkflowError

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_happy_path_states():
    s = apply_task("proposed", "summon", "dispatcher")
    assert s is TaskState.SUMMONED
    assert apply_task(s, "check_in", "liaison", role_department_id=3, department_id=3) is s
    s = apply_task(s, "record_action", "admin", note="清理")
    assert s is TaskState.IN_ACTION
    s = apply_task(s, "finish", "dispatcher")
    assert s is TaskState.DONE
    assert apply_task(s, "evaluate", "dispatcher") is TaskState.EVALUATED


def test_every_state_is_reachable_and_evaluated_is_terminal():
    reached = {TaskState.PROPOSED}
    for t in TRANSITIONS.values():
        if t.to_state:
            reached.add(t.to_state)
    assert reached == set(TaskState)
    assert allowed_task_actions("evaluated", "admin") == []


@pytest.mark.parametrize("role", [Role.LIAISON, Role.LEADER, Role.MANAGER, Role.OFFICE])
def test_only_dispatcher_and_admin_manage(role):
    with pytest.raises(PermissionDenied) as err:
        apply_task("proposed", "summon", role)
    assert err.value.en


def test_liaison_only_for_own_department():
    with pytest.raises(PermissionDenied):
        apply_task("summoned", "check_in", "liaison", role_department_id=3, department_id=4)
    with pytest.raises(PermissionDenied):
        apply_task("summoned", "check_in", "liaison", role_department_id=None, department_id=4)
    # the dispatcher may record a check-in for any department
    apply_task("summoned", "check_in", "dispatcher", department_id=4)


def test_wrong_state_and_missing_notes():
    with pytest.raises(WorkflowError):
        apply_task("proposed", "check_in", "dispatcher", department_id=1)
    with pytest.raises(WorkflowError):
        apply_task("summoned", "finish", "dispatcher")
    with pytest.raises(ValidationError):
        apply_task("summoned", "escalate", "dispatcher", note=" ")
    with pytest.raises(ValidationError):
        apply_task("nonsense", "summon", "dispatcher")
    assert apply_task("summoned", "escalate", "dispatcher", note="未报到") is TaskState.ESCALATED
    assert apply_task("escalated", "check_in", "dispatcher") is TaskState.ESCALATED


def test_checkin_due_and_status():
    due = checkin_due(T0, None, 30)
    assert due == T0 + timedelta(minutes=30)
    later = T0 + timedelta(hours=2)
    assert checkin_due(T0, later, 30) == later + timedelta(minutes=30)
    assert checkin_due(T0, T0 - timedelta(hours=1), 30) == due  # action before whistle
    assert checkin_status(due, due) is CheckinStatus.ON_TIME
    assert checkin_status(due + timedelta(seconds=1), due) is CheckinStatus.LATE
    assert checkin_status(None, due, T0) is CheckinStatus.PENDING
    assert checkin_status(None, due, due + timedelta(minutes=1)) is CheckinStatus.MISSING
    assert checkin_status(None, due, task_closed=True) is CheckinStatus.ABSENT
    assert is_flagged("absent") and is_flagged("missing") and not is_flagged("late")


@pytest.mark.parametrize("bad", [0, -5, 10**6, 1.5, "30"])
def test_checkin_limit_range(bad):
    with pytest.raises(ValidationError):
        check_limit(bad)


def test_allowed_actions_for_buttons():
    assert [t.id for t in allowed_task_actions("summoned", "liaison")] == [
        TaskAction.CHECK_IN, TaskAction.DEPARTMENT_ACTION]
    assert TaskAction.SUMMON in [t.id for t in allowed_task_actions("proposed", "admin")]
