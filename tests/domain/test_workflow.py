"""The case state machine (DESIGN §3, §5).

The expected table below is written out by hand from DESIGN §3 (上报 → 立案 /
不予立案 → 派遣 → 处置 → 反馈 → 核查 / 返工 → 结案) and §5 (延期, 挂账, escalation
to the district), and from the role list of §1 (leader read-only, admin does
dispatcher work, liaisons and the office's own team handle, grid managers
verify on site).  Every (state, action) pair and every (action, role) pair is
checked against it.
"""

from __future__ import annotations

import itertools

import pytest

from gridapp.domain import workflow
from gridapp.domain.enums import CaseStatus as S
from gridapp.domain.enums import Role as R
from gridapp.domain.workflow import ACTIONS
from gridapp.domain.workflow import CaseAction as A
from gridapp.errors import PermissionDenied, ValidationError, WorkflowError

ACTIVE = (S.DISPATCHED, S.IN_PROGRESS, S.SENT_BACK)

EXPECTED_TRANSITIONS: dict[tuple[S, A], S] = {
    (S.REPORTED, A.REGISTER): S.REGISTERED,
    (S.REPORTED, A.REJECT): S.REJECTED,
    (S.REGISTERED, A.DISPATCH): S.DISPATCHED,
    (S.DISPATCHED, A.START): S.IN_PROGRESS,
    (S.SENT_BACK, A.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.FINISH): S.HANDLER_DONE,
    (S.HANDLER_DONE, A.VERIFY): S.VERIFIED,
    (S.HANDLER_DONE, A.SEND_BACK): S.SENT_BACK,
    (S.VERIFIED, A.SEND_BACK): S.SENT_BACK,
    (S.VERIFIED, A.CLOSE): S.CLOSED,
    **{(s, A.REDISPATCH): S.DISPATCHED for s in ACTIVE},
    **{(s, A.EXTEND): s for s in ACTIVE},
    **{(s, A.SHELVE): s for s in ACTIVE},
    **{(s, A.ESCALATE): s for s in (S.REGISTERED, *ACTIVE)},
}

DISPATCH = {R.DISPATCHER, R.ADMIN}
HANDLE = {R.LIAISON, R.OFFICE}
EXPECTED_ROLES: dict[A, set[R]] = {
    A.REGISTER: DISPATCH,
    A.REJECT: DISPATCH,
    A.DISPATCH: DISPATCH,
    A.REDISPATCH: DISPATCH,
    A.START: HANDLE,
    A.FINISH: HANDLE,
    A.VERIFY: {R.MANAGER},
    A.SEND_BACK: {R.MANAGER} | DISPATCH,
    A.CLOSE: DISPATCH,
    A.EXTEND: DISPATCH,
    A.SHELVE: DISPATCH,
    A.ESCALATE: DISPATCH,
}
NEEDS_NOTE = {A.REJECT, A.SEND_BACK, A.REDISPATCH, A.EXTEND, A.SHELVE, A.ESCALATE}
NEEDS_HANDLER = {A.DISPATCH, A.REDISPATCH}

ALLOWED = sorted(
    (s, a, r) for (s, a) in EXPECTED_TRANSITIONS for r in EXPECTED_ROLES[a]
)
REFUSED_PAIRS = [
    (s, a) for s, a in itertools.product(S, A) if (s, a) not in EXPECTED_TRANSITIONS
]
ROLE_REFUSALS = [
    (a, r) for a, r in itertools.product(A, R) if r not in EXPECTED_ROLES[a]
]


def first_state(action: A) -> S:
    return next(s for (s, a) in EXPECTED_TRANSITIONS if a == action)


def kwargs_for(action: A) -> dict[str, str]:
    """Note and handler good enough for any action (unused ones are ignored)."""
    return {"note": "原因 reason", "handler": "dept-7"}


def test_table_covers_every_action_once():
    assert set(ACTIONS) == set(A)
    assert all(key == row.id for key, row in ACTIONS.items())
    assert {a for a, row in ACTIONS.items() if row.needs_note} == NEEDS_NOTE
    assert {a for a, row in ACTIONS.items() if row.needs_handler} == NEEDS_HANDLER
    assert workflow.TERMINAL_STATES == {S.REJECTED, S.CLOSED}
    assert {row.marks for row in ACTIONS.values() if row.to_state is None} == {
        "extended",
        "shelved",
        "escalated",
    }


@pytest.mark.parametrize(("state", "action", "role"), ALLOWED)
def test_every_allowed_transition(state, action, role):
    result = workflow.apply(state, action, role, **kwargs_for(action))
    assert result == EXPECTED_TRANSITIONS[(state, action)]
    assert ACTIONS[action] in workflow.allowed_actions(state, role)


@pytest.mark.parametrize(("state", "action"), REFUSED_PAIRS)
def test_every_refused_state_action_pair(state, action):
    role = sorted(EXPECTED_ROLES[action])[0]
    with pytest.raises(WorkflowError) as info:
        workflow.apply(state, action, role, **kwargs_for(action))
    zh, en = info.value.message_in("zh"), info.value.message_in("en")
    assert state.zh in zh and action.zh in zh
    assert state.en in en and action.en in en
    assert info.value.params["state"] == state.value
    assert info.value.params["action"] == action.value


@pytest.mark.parametrize(("action", "role"), ROLE_REFUSALS)
def test_every_role_refusal(action, role):
    with pytest.raises(PermissionDenied) as info:
        workflow.apply(first_state(action), action, role, **kwargs_for(action))
    assert role.zh in info.value.message_in("zh")
    assert action.zh in info.value.message_in("zh")
    assert action.en in info.value.message_in("en")


@pytest.mark.parametrize(("state", "role"), list(itertools.product(S, R)))
def test_allowed_actions_match_expected(state, role):
    expected = [
        a for a in A if (state, a) in EXPECTED_TRANSITIONS and role in EXPECTED_ROLES[a]
    ]
    assert [row.id for row in workflow.allowed_actions(state, role)] == expected


def test_leader_is_read_only():
    assert all(workflow.allowed_actions(s, R.LEADER) == [] for s in S)


@pytest.mark.parametrize("action", sorted(NEEDS_NOTE))
def test_reason_required(action):
    state, role = first_state(action), sorted(EXPECTED_ROLES[action])[0]
    for note in ("", "   "):
        with pytest.raises(ValidationError) as info:
            workflow.apply(state, action, role, note, handler="dept-7")
        assert not isinstance(info.value, (WorkflowError, PermissionDenied))


@pytest.mark.parametrize("action", sorted(NEEDS_HANDLER))
def test_handler_required(action):
    state = first_state(action)
    with pytest.raises(ValidationError):
        workflow.apply(state, action, R.DISPATCHER, "reason")
    assert (
        workflow.apply(state, action, R.DISPATCHER, "reason", handler="d1")
        == S.DISPATCHED
    )


def test_full_case_with_rework():
    s = workflow.apply("reported", "register", "dispatcher")
    s = workflow.apply(s, A.DISPATCH, R.DISPATCHER, handler="城管执法中队")
    s = workflow.apply(s, A.START, R.LIAISON)
    s = workflow.apply(s, A.FINISH, R.LIAISON, "已清理")
    s = workflow.apply(s, A.SEND_BACK, R.MANAGER, "现场仍有垃圾")
    assert s == S.SENT_BACK
    s = workflow.apply(s, A.START, R.LIAISON)
    s = workflow.apply(s, A.FINISH, R.LIAISON)
    s = workflow.apply(s, A.VERIFY, R.MANAGER)
    s = workflow.apply(s, ACTIONS[A.CLOSE], R.ADMIN)
    assert s == S.CLOSED
    assert workflow.allowed_actions(s, R.ADMIN) == []


@pytest.mark.parametrize(
    ("status", "action", "role"),
    [
        ("lost", "register", "admin"),
        ("reported", "fly", "admin"),
        ("reported", "register", "boss"),
    ],
)
def test_unknown_values_refused(status, action, role):
    with pytest.raises(ValidationError):
        workflow.apply(status, action, role)


# --- per-case scope ------------------------------------------------------------------


def test_liaison_scope_is_their_departments():
    kw = {"user_department_ids": {3, 5}}
    assert workflow.in_case_scope(R.LIAISON, case_department_id=5, **kw)
    assert not workflow.in_case_scope(R.LIAISON, case_department_id=4, **kw)
    assert not workflow.in_case_scope(R.LIAISON, case_department_id=None, **kw)
    workflow.check_case_scope(R.LIAISON, case_department_id=3, **kw)
    with pytest.raises(PermissionDenied) as info:
        workflow.check_case_scope(R.LIAISON, case_department_id=4, **kw)
    assert info.value.params["department_id"] == 4
    assert "部门" in info.value.message_in("zh")


def test_manager_scope_is_their_grids():
    grids = ["520115001001001", "520115001001002"]
    assert workflow.in_case_scope("manager", case_grid_id=grids[1], user_grid_ids=grids)
    with pytest.raises(PermissionDenied) as info:
        workflow.check_case_scope(
            R.MANAGER, case_grid_id="520115001001009", user_grid_ids=grids
        )
    assert info.value.params["grid_id"] == "520115001001009"
    assert "grid" in info.value.message_in("en")
    with pytest.raises(PermissionDenied):
        workflow.check_case_scope(R.MANAGER, case_grid_id=None, user_grid_ids=grids)


@pytest.mark.parametrize("role", [R.ADMIN, R.OFFICE, R.DISPATCHER, R.LEADER])
def test_street_wide_roles_not_limited_per_case(role):
    assert workflow.in_case_scope(role, case_department_id=9, case_grid_id="x")
    workflow.check_case_scope(role, case_department_id=9, case_grid_id="x")


def test_describe_names_roles_and_states():
    from gridapp import i18n

    before = i18n.language()
    try:
        i18n.set_language("en")
        text = workflow.describe("verify")
    finally:
        i18n.set_language(before)
    assert "Grid manager" in text and "Handler done" in text
