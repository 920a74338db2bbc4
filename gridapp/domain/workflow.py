"""The case (事件) state machine of DESIGN §3 and §5, as data.

::

    reported     --register-->   registered    --dispatch-->  dispatched
    reported     --reject-->     rejected                       (reason)
    dispatched   --start-->      in_progress   --finish-->    handler_done
    handler_done --verify-->     verified      --close-->     closed
    handler_done --send_back-->  sent_back     --start-->     in_progress
    verified     --send_back-->  sent_back                      (reason)
    dispatched / in_progress / sent_back --redispatch--> dispatched
    extend (延期), shelve (挂账), escalate (上报区政府): state unchanged

Every action is one row of :data:`ACTIONS`: the states it may start from, the
state it leads to (``None`` for actions that leave the state alone and only
mark the case: extension 延期, the 挂账 list, escalation to the district
government), the roles that own it, and whether it needs a written reason or a
handler.  Menus and buttons are built from this table; services call
:func:`apply` to check and perform a transition, and :func:`check_case_scope`
to check that the user may touch this particular case (a liaison only their
department's cases, a grid manager only cases in their grids).

The leader role is read-only; the admin may do all dispatcher work.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass

from gridapp import i18n
from gridapp.domain.enums import CaseStatus, LabelledEnum, Role
from gridapp.errors import PermissionDenied, ValidationError, WorkflowError

S = CaseStatus


class CaseAction(LabelledEnum):
    """Things a user can do to a case."""

    REGISTER = "register", "立案", "Register"
    REJECT = "reject", "不予立案", "Reject"
    DISPATCH = "dispatch", "派遣", "Dispatch"
    REDISPATCH = "redispatch", "改派", "Re-dispatch"
    START = "start", "开始处置", "Start handling"
    FINISH = "finish", "处置反馈", "Report done"
    VERIFY = "verify", "核查通过", "Verify"
    SEND_BACK = "send_back", "返工", "Send back"
    CLOSE = "close", "结案", "Close"
    EXTEND = "extend", "延期", "Extend deadline"
    SHELVE = "shelve", "挂账", "Put on the pending list"
    ESCALATE = "escalate", "上报区政府", "Escalate to district"


@dataclass(frozen=True)
class Action:
    """One row of the transition table.

    Attributes
    ----------
    id : CaseAction
        What is done; ``id.zh`` / ``id.en`` label buttons.
    from_states : frozenset of CaseStatus
        States the action may start from.
    to_state : CaseStatus or None
        The resulting state; None keeps the current state.
    roles : frozenset of Role
        Roles that may perform it.
    needs_note : bool
        A written reason is required (recorded in ``case_event.note``).
    needs_handler : bool
        A handler (department or team) must be named.
    marks : str or None
        A flag the service records on the case (``extended``, ``shelved``,
        ``escalated``) for actions that keep the state.
    """

    id: CaseAction
    from_states: frozenset[CaseStatus]
    to_state: CaseStatus | None
    roles: frozenset[Role]
    needs_note: bool = False
    needs_handler: bool = False
    marks: str | None = None

    @property
    def label(self) -> str:
        return self.id.label

    def target(self, status: CaseStatus) -> CaseStatus:
        """The state after performing this action from *status*."""
        return status if self.to_state is None else self.to_state


_DISPATCH_ROLES = frozenset({Role.DISPATCHER, Role.ADMIN})
_HANDLER_ROLES = frozenset({Role.LIAISON, Role.OFFICE})
_ACTIVE = frozenset({S.DISPATCHED, S.IN_PROGRESS, S.SENT_BACK})

ACTIONS: dict[CaseAction, Action] = {
    a.id: a
    for a in (
        Action(
            CaseAction.REGISTER, frozenset({S.REPORTED}), S.REGISTERED, _DISPATCH_ROLES
        ),
        Action(
            CaseAction.REJECT,
            frozenset({S.REPORTED}),
            S.REJECTED,
            _DISPATCH_ROLES,
            needs_note=True,
        ),
        Action(
            CaseAction.DISPATCH,
            frozenset({S.REGISTERED}),
            S.DISPATCHED,
            _DISPATCH_ROLES,
            needs_handler=True,
        ),
        Action(
            CaseAction.REDISPATCH,
            _ACTIVE,
            S.DISPATCHED,
            _DISPATCH_ROLES,
            needs_note=True,
            needs_handler=True,
        ),
        Action(
            CaseAction.START,
            frozenset({S.DISPATCHED, S.SENT_BACK}),
            S.IN_PROGRESS,
            _HANDLER_ROLES,
        ),
        Action(
            CaseAction.FINISH,
            frozenset({S.IN_PROGRESS}),
            S.HANDLER_DONE,
            _HANDLER_ROLES,
        ),
        Action(
            CaseAction.VERIFY,
            frozenset({S.HANDLER_DONE}),
            S.VERIFIED,
            frozenset({Role.MANAGER}),
        ),
        Action(
            CaseAction.SEND_BACK,
            frozenset({S.HANDLER_DONE, S.VERIFIED}),
            S.SENT_BACK,
            frozenset({Role.MANAGER}) | _DISPATCH_ROLES,
            needs_note=True,
        ),
        Action(CaseAction.CLOSE, frozenset({S.VERIFIED}), S.CLOSED, _DISPATCH_ROLES),
        Action(
            CaseAction.EXTEND,
            _ACTIVE,
            None,
            _DISPATCH_ROLES,
            needs_note=True,
            marks="extended",
        ),
        Action(
            CaseAction.SHELVE,
            _ACTIVE,
            None,
            _DISPATCH_ROLES,
            needs_note=True,
            marks="shelved",
        ),
        Action(
            CaseAction.ESCALATE,
            _ACTIVE | {S.REGISTERED},
            None,
            _DISPATCH_ROLES,
            needs_note=True,
            marks="escalated",
        ),
    )
}

TERMINAL_STATES = frozenset(
    s for s in CaseStatus if not any(s in a.from_states for a in ACTIONS.values())
)


def _status(value: CaseStatus | str) -> CaseStatus:
    try:
        return CaseStatus(value)  # type: ignore[call-arg]  # value lookup
    except ValueError:
        raise ValidationError(
            "未知的案件状态“{value}”", "Unknown case status '{value}'", value=str(value)
        ) from None


def _role(value: Role | str) -> Role:
    try:
        return Role(value)  # type: ignore[call-arg]  # value lookup
    except ValueError:
        raise ValidationError(
            "未知的角色“{value}”", "Unknown role '{value}'", value=str(value)
        ) from None


def get_action(action: Action | CaseAction | str) -> Action:
    """The table row for *action* (an :class:`Action`, enum member or its value)."""
    if isinstance(action, Action):
        return action
    try:
        return ACTIONS[CaseAction(action)]  # type: ignore[call-arg]
    except ValueError:
        raise ValidationError(
            "未知的操作“{value}”", "Unknown action '{value}'", value=str(action)
        ) from None


def allowed_actions(status: CaseStatus | str, role: Role | str) -> list[Action]:
    """Actions *role* may perform on a case in *status*, in table order.

    Examples
    --------
    >>> [a.id.value for a in allowed_actions("handler_done", "manager")]
    ['verify', 'send_back']
    """
    status, role = _status(status), _role(role)
    return [a for a in ACTIONS.values() if status in a.from_states and role in a.roles]


def apply(
    status: CaseStatus | str,
    action: Action | CaseAction | str,
    role: Role | str,
    note: str = "",
    *,
    handler: str | None = None,
) -> CaseStatus:
    """Check one transition and return the resulting state.

    The role is checked first, then the state, then the note and handler.

    Parameters
    ----------
    status : CaseStatus
        The case's current state.
    action : Action, CaseAction or str
        What the user wants to do.
    role : Role
        The user's role.
    note : str
        The written reason; required for reject, send back, re-dispatch,
        extension, 挂账 and escalation.
    handler : str, optional
        Department or team id; required for dispatch and re-dispatch.

    Raises
    ------
    PermissionDenied
        The role may not perform this action at all.
    WorkflowError
        The action is not possible from the current state.
    ValidationError
        A required reason or handler is missing.
    """
    status, role, act = _status(status), _role(role), get_action(action)
    params = {
        "action_zh": act.id.zh,
        "action_en": act.id.en,
        "state_zh": status.zh,
        "state_en": status.en,
        "action": act.id.value,
        "state": status.value,
        "role": role.value,
    }
    if role not in act.roles:
        raise PermissionDenied(
            "{role_zh}无权执行“{action_zh}”",
            "The role '{role_en}' may not perform '{action_en}'",
            role_zh=role.zh,
            role_en=role.en,
            **params,
        )
    if status not in act.from_states:
        raise WorkflowError(
            "案件当前状态为“{state_zh}”，不能执行“{action_zh}”",
            "'{action_en}' is not possible for a case that is '{state_en}'",
            **params,
        )
    if act.needs_note and not note.strip():
        raise ValidationError(
            "“{action_zh}”必须填写原因",
            "'{action_en}' needs a written reason",
            **params,
        )
    if act.needs_handler and not (handler or "").strip():
        raise ValidationError(
            "“{action_zh}”必须指定处置单位", "'{action_en}' needs a handler", **params
        )
    return act.target(status)


def in_case_scope(
    role: Role | str,
    *,
    case_department_id: Hashable | None = None,
    case_grid_id: Hashable | None = None,
    user_department_ids: Collection[Hashable] = (),
    user_grid_ids: Collection[Hashable] = (),
) -> bool:
    """Whether a user may act on this particular case.

    A liaison may act only on cases sent to one of their departments, a grid
    manager only on cases filed in one of their grids; the street-wide roles
    (admin, office, dispatcher, leader) are not limited per case (what they
    may do at all is :func:`apply`'s business).
    """
    role = _role(role)
    if role is Role.LIAISON:
        return (
            case_department_id is not None and case_department_id in user_department_ids
        )
    if role is Role.MANAGER:
        return case_grid_id is not None and case_grid_id in user_grid_ids
    return True


def check_case_scope(
    role: Role | str,
    *,
    case_department_id: Hashable | None = None,
    case_grid_id: Hashable | None = None,
    user_department_ids: Collection[Hashable] = (),
    user_grid_ids: Collection[Hashable] = (),
) -> None:
    """Raise :class:`PermissionDenied` unless :func:`in_case_scope` allows it.

    ``err.params`` carries the case's department or grid id.
    """
    role = _role(role)
    if in_case_scope(
        role,
        case_department_id=case_department_id,
        case_grid_id=case_grid_id,
        user_department_ids=user_department_ids,
        user_grid_ids=user_grid_ids,
    ):
        return
    if role is Role.LIAISON:
        raise PermissionDenied(
            "该案件不属于您所在的部门（案件部门：{department_id}）",
            "This case is not assigned to your department (case department: "
            "{department_id})",
            department_id=case_department_id,
            role=role.value,
        )
    raise PermissionDenied(
        "该案件不在您负责的网格内（案件网格：{grid_id}）",
        "This case is not in one of your grids (case grid: {grid_id})",
        grid_id=case_grid_id,
        role=role.value,
    )


def describe(action: Action | CaseAction | str) -> str:
    """One line for tooltips: who may do it, from which states."""
    act = get_action(action)
    states = "、".join(s.zh for s in CaseStatus if s in act.from_states)
    roles = "、".join(r.zh for r in Role if r in act.roles)
    states_en = ", ".join(s.en for s in CaseStatus if s in act.from_states)
    roles_en = ", ".join(r.en for r in Role if r in act.roles)
    return i18n.pick(
        f"{act.id.zh}：{roles}可在“{states}”状态下执行",
        f"{act.id.en}: {roles_en}, from {states_en}",
    )
