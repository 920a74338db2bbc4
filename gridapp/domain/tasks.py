"""The joint-enforcement task (联合执法任务) state machine, as data (DESIGN §3).

::

    proposed  --summon (吹哨)-->         summoned
    summoned  --check_in (报到)-->       summoned     (one department; on time or late)
    summoned / escalated --record_action--> in_action (what was done, results, photos)
    in_action --finish (办结)-->         done         (member cases advanced)
    done      --evaluate (评价)-->       evaluated    (per department)
    summoned / in_action --escalate (督办)--> escalated (reason; missing departments)
    escalated --check_in-->             escalated    (a late department still reports)

Roles: the dispatcher and the admin manage tasks (``task.manage``); a
department liaison only responds for their own department (``task.respond``:
check-in and the department's own action and result).  The leader, office
staff and grid managers only read.

Check-in rule (报到): a department is due ``limit`` minutes after the whistle,
or after the scheduled action time when that is later; arriving by then is
``on_time``, after it ``late``; a department that has not checked in by the
time the task is done is ``absent`` and flagged (and any department past its
due time without a check-in is ``missing`` while the task runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from gridapp.domain.enums import LabelledEnum, Role, TaskState
from gridapp.errors import PermissionDenied, ValidationError, WorkflowError

T = TaskState
DEFAULT_CHECKIN_LIMIT_MINUTES = 30
MAX_CHECKIN_LIMIT_MINUTES = 7 * 24 * 60


class TaskAction(LabelledEnum):
    SUMMON = "summon", "吹哨", "Summon departments"
    CHECK_IN = "check_in", "报到", "Check in"
    RECORD_ACTION = "record_action", "记录联合处置", "Record joint action"
    DEPARTMENT_ACTION = "department_action", "填报本部门处置", "Report department action"
    FINISH = "finish", "办结", "Finish"
    EVALUATE = "evaluate", "评价", "Evaluate"
    ESCALATE = "escalate", "督办", "Escalate"
    EDIT = "edit", "修改任务", "Edit task"


class CheckinStatus(LabelledEnum):
    ON_TIME = "on_time", "按时报到", "On time"
    LATE = "late", "迟到", "Late"
    MISSING = "missing", "未报到（已超时）", "Not checked in (overdue)"
    ABSENT = "absent", "未报到", "Never checked in"
    PENDING = "pending", "待报到", "Awaiting check-in"


MANAGERS = frozenset({Role.DISPATCHER, Role.ADMIN})
RESPONDERS = MANAGERS | {Role.LIAISON}
_RUNNING = frozenset({T.SUMMONED, T.IN_ACTION, T.ESCALATED})


@dataclass(frozen=True)
class TaskTransition:
    id: TaskAction
    from_states: frozenset[TaskState]
    to_state: TaskState | None  # None: state unchanged
    roles: frozenset[Role]
    needs_note: bool = False
    per_department: bool = False  # a liaison may do it for their own department only


TRANSITIONS: dict[TaskAction, TaskTransition] = {
    t.id: t for t in (
        TaskTransition(TaskAction.EDIT, frozenset({T.PROPOSED, T.SUMMONED}), None, MANAGERS),
        TaskTransition(TaskAction.SUMMON, frozenset({T.PROPOSED}), T.SUMMONED, MANAGERS),
        TaskTransition(TaskAction.CHECK_IN, _RUNNING, None, RESPONDERS, per_department=True),
        TaskTransition(TaskAction.DEPARTMENT_ACTION, _RUNNING, None, RESPONDERS,
                       per_department=True),
        TaskTransition(TaskAction.RECORD_ACTION, _RUNNING, T.IN_ACTION, MANAGERS,
                       needs_note=True),
        TaskTransition(TaskAction.FINISH, frozenset({T.IN_ACTION}), T.DONE, MANAGERS),
        TaskTransition(TaskAction.EVALUATE, frozenset({T.DONE}), T.EVALUATED, MANAGERS),
        TaskTransition(TaskAction.ESCALATE, frozenset({T.SUMMONED, T.IN_ACTION}), T.ESCALATED,
                       MANAGERS, needs_note=True),
    )
}


def task_state(value: TaskState | str) -> TaskState:
    try:
        return TaskState(value)  # type: ignore[call-arg]
    except ValueError:
        raise ValidationError("未知的任务状态“{value}”", "Unknown task state '{value}'",
                              value=str(value)) from None


def allowed_task_actions(state: TaskState | str, role: Role | str) -> list[TaskTransition]:
    """Actions *role* may take on a task in *state* (for buttons), in table order.

    Examples
    --------
    >>> [t.id.value for t in allowed_task_actions("summoned", "liaison")]
    ['check_in', 'department_action']
    """
    state, role = task_state(state), Role(role)  # type: ignore[call-arg]
    return [t for t in TRANSITIONS.values() if state in t.from_states and role in t.roles]


def apply_task(state: TaskState | str, action: TaskAction | str, role: Role | str, *,
               note: str = "", role_department_id: int | None = None,
               department_id: int | None = None) -> TaskState:
    """Check one task action and return the resulting state.

    Role first, then the liaison's own department, then the state, then the note.

    Raises
    ------
    PermissionDenied
        The role may not do this, or a liaison acts for another department.
    WorkflowError
        Not possible in the task's current state.
    ValidationError
        A required written reason or summary is missing.
    """
    state, role = task_state(state), Role(role)  # type: ignore[call-arg]
    t = TRANSITIONS[TaskAction(action)]  # type: ignore[call-arg]
    params = {"action_zh": t.id.zh, "action_en": t.id.en, "state_zh": state.zh,
              "state_en": state.en, "role_zh": role.zh, "role_en": role.en}
    if role not in t.roles:
        raise PermissionDenied("{role_zh}无权对联合执法任务执行“{action_zh}”",
                               "The role '{role_en}' may not '{action_en}' a joint task",
                               **params)
    if role is Role.LIAISON and t.per_department and (
            role_department_id is None or role_department_id != department_id):
        raise PermissionDenied("联络员只能为本部门报到和填报处置情况",
                               "A liaison may respond only for their own department",
                               department_id=department_id, **params)
    if state not in t.from_states:
        raise WorkflowError("任务当前状态为“{state_zh}”，不能执行“{action_zh}”",
                            "'{action_en}' is not possible for a task that is '{state_en}'",
                            **params)
    if t.needs_note and not note.strip():
        raise ValidationError("“{action_zh}”必须填写说明", "'{action_en}' needs a written note",
                              **params)
    return state if t.to_state is None else t.to_state


def checkin_due(summoned_at: datetime, action_at: datetime | None,
                limit_minutes: int) -> datetime:
    """When a summoned department must have checked in.

    ``limit_minutes`` after the whistle, or after the scheduled action time
    when that is later than the whistle.
    """
    check_limit(limit_minutes)
    start = summoned_at if action_at is None or action_at < summoned_at else action_at
    return start + timedelta(minutes=int(limit_minutes))


def checkin_status(checkin_at: datetime | None, due: datetime, now: datetime | None = None,
                   *, task_closed: bool = False) -> CheckinStatus:
    """On time, late, or (without a check-in) pending / missing / absent."""
    if checkin_at is not None:
        return CheckinStatus.ON_TIME if checkin_at <= due else CheckinStatus.LATE
    if task_closed:
        return CheckinStatus.ABSENT
    if now is not None and now > due:
        return CheckinStatus.MISSING
    return CheckinStatus.PENDING


def check_limit(limit_minutes: int) -> int:
    if not isinstance(limit_minutes, int) or not 1 <= limit_minutes <= MAX_CHECKIN_LIMIT_MINUTES:
        raise ValidationError(
            "报到时限必须是 1 到 {max} 分钟之间的整数（现为 {value}）",
            "The check-in limit must be a whole number of minutes between 1 and {max} "
            "(got {value})", value=limit_minutes, max=MAX_CHECKIN_LIMIT_MINUTES)
    return limit_minutes


def is_flagged(status: CheckinStatus | str) -> bool:
    """A department that did not check in when it should have (flag and report up)."""
    return CheckinStatus(status) in (CheckinStatus.MISSING, CheckinStatus.ABSENT)  # type: ignore[call-arg]
