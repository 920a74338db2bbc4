"""The case workflow as a service: checked transitions written in one transaction.

:func:`advance_case` performs one action of :mod:`gridapp.domain.workflow` on
a case: the role (``case.transition`` and the action's own roles), the
record scope (a liaison only their department's cases, a grid manager only
cases in their grids), the state, the note and the handler are all checked
first; then the report's status and timestamps and one ``case_event`` row are
written in the same audited transaction.  A refusal writes nothing.

Dispatching routes by the duty list (:mod:`gridapp.services.cases.routing`):
without a handler the proposal is taken; a different handler needs a
reason.  The deadline is set at dispatch (the clock starts then, DESIGN §5)
from the category's time limit on the workspace's working calendar; urgent
cases run on urgent hours round the clock.  Escalation returns a 督办单
(:mod:`gridapp.services.cases.supervision`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from gridapp.domain import workflow
from gridapp.domain.enums import OPEN_CASE_STATUSES, CaseStatus, TimeUnit, Urgency
from gridapp.domain.timeutil import from_iso, now_utc, to_iso
from gridapp.domain.workdays import DEFAULT_DUE_SOON, DueState, WorkCalendar, due_state
from gridapp.domain.workflow import Action, CaseAction
from gridapp.errors import GridAppError, NotFoundError, ValidationError
from gridapp.services.assessment.callback import callback_missing
from gridapp.services.cases.calendar import workspace_calendar
from gridapp.services.cases.routing import (
    RoutingDecision,
    decide_routing,
    propose_for_case,
)
from gridapp.services.cases.scope import _check_scope, visible_case
from gridapp.services.cases.supervision import SupervisionNotice, build_notice
from gridapp.services.session import Session
from gridapp.storage import GeoPackageStore
from gridapp.storage.queries import cases as queries
from gridapp.storage.transaction import Transaction

DEFAULT_URGENT_HOURS = 4.0
DEFAULT_TIME_LIMIT = (5.0, TimeUnit.WORKDAY)


def time_limit(
    store: GeoPackageStore, category_id: int | None, urgency: Urgency | str
) -> tuple[float, TimeUnit]:
    """The (limit, unit) that applies: the category's (or its parent's), or urgent hours."""
    limit, unit = None, None
    cid = category_id
    while cid is not None and limit is None:
        row = queries.category_time_limit(store, cid)
        if row is None:
            break
        limit, unit, cid = row["time_limit"], row["time_unit"], row["parent_id"]
    if limit is None or unit is None:
        limit, unit = DEFAULT_TIME_LIMIT
    unit = TimeUnit(unit)  # type: ignore[call-arg]
    if Urgency(urgency) is Urgency.URGENT and unit is not TimeUnit.URGENT_HOUR:  # type: ignore[call-arg]
        return float(
            store.setting("case.urgent_hours", DEFAULT_URGENT_HOURS)
        ), TimeUnit.URGENT_HOUR
    return float(limit), unit


def compute_deadline(
    store: GeoPackageStore,
    category_id: int | None,
    urgency: Urgency | str,
    start: datetime,
    calendar: WorkCalendar | None = None,
) -> datetime:
    """Deadline of a case dispatched at *start*."""
    limit, unit = time_limit(store, category_id, urgency)
    cal = calendar or workspace_calendar(store)
    if unit is TimeUnit.WORKDAY:
        limit = float(int(round(limit)))
    return cal.deadline(start, int(limit) if unit is TimeUnit.WORKDAY else limit, unit)


def case_due_state(
    deadline: str | datetime | None,
    status: str,
    now: datetime | None = None,
    due_soon: timedelta = DEFAULT_DUE_SOON,
) -> DueState | None:
    """``ok`` / ``due_soon`` / ``overdue`` for an open case with a deadline, else None."""
    if deadline is None or CaseStatus(status) not in OPEN_CASE_STATUSES:  # type: ignore[call-arg]
        return None
    dl = from_iso(deadline) if isinstance(deadline, str) else deadline
    return due_state(dl, now or now_utc(), due_soon)  # type: ignore[arg-type]


@dataclass
class TransitionResult:
    report_id: int
    case_no: str
    action: CaseAction
    from_status: CaseStatus
    to_status: CaseStatus
    event_id: int
    deadline: datetime | None = None
    routing: RoutingDecision | None = None
    notice: SupervisionNotice | None = None


def available_actions(session: Session, report_id: int) -> list[Action]:
    """Actions the user may perform on this case now (for buttons and menus).

    Any role may ask; a role without ``case.transition``, or a case outside
    the user's record scope, gets no actions.
    """
    session.require("workspace.read")
    row = _load(session.store, report_id)
    if not session.can("case.transition"):
        return []
    try:
        _check_scope(session, row)
    except GridAppError:
        return []
    return workflow.allowed_actions(row["status"], session.user.role)


def _load(db: GeoPackageStore | Transaction, report_id: int) -> Any:
    row = queries.workflow_row(db, report_id)
    if row is None:
        raise NotFoundError(
            "没有编号为 {id} 的案件", "No case with id {id}", id=report_id
        )
    return row


def _advance(
    tx: Transaction,
    session: Session,
    report_id: int,
    action: Action,
    note: str,
    handler: int | str | None,
    assist: tuple[int | str, ...] | None,
    new_deadline: datetime | None,
    now: datetime,
    calendar: WorkCalendar | None,
) -> TransitionResult:
    store = session.store
    row = _load(tx, report_id)
    status = CaseStatus(row["status"])  # type: ignore[call-arg]
    # Role and state first (clear messages), then the per-case scope.
    if session.user.role not in action.roles or status not in action.from_states:
        workflow.apply(status, action, session.user.role, note, handler="-")
    _check_scope(session, row)
    decision = None
    if action.needs_handler:
        # the duty list at the case's own place (area rules, near-boundary flags)
        proposal = propose_for_case(session, report_id)
        decision = decide_routing(session, proposal, handler, reason=note, assist=assist)
        handler = str(decision.department_id)
    target = workflow.apply(
        status,
        action,
        session.user.role,
        note,
        handler=None if handler is None else str(handler),
    )
    stamp = to_iso(now)
    changes: dict[str, Any] = {"status": target.value, "updated_at": stamp}
    deadline = from_iso(row["deadline"])
    aid = action.id
    if aid in (CaseAction.REGISTER, CaseAction.REJECT):
        # the response the 响应率 measures (only from 已上报, so the first; schema 24)
        changes["responded_at"] = stamp
    if aid is CaseAction.REGISTER:
        changes["registered_at"] = stamp
    elif aid in (CaseAction.DISPATCH, CaseAction.REDISPATCH):
        assert decision is not None
        deadline = compute_deadline(
            store, row["category_id"], row["urgency"], now, calendar
        )
        changes.update(
            department_id=decision.department_id,
            handling=decision.handling.value,
            assist_department_ids=json.dumps(list(decision.assist_department_ids))
            if decision.assist_department_ids
            else None,
            dispatched_at=stamp,
            dispatched_by=session.user.username,  # the dispatcher's figures (schema 24)
            deadline=to_iso(deadline),
            finished_at=None,
            verified_at=None,
        )
    elif aid is CaseAction.FINISH:
        changes["finished_at"] = stamp
    elif aid is CaseAction.VERIFY:
        changes["verified_at"] = stamp
    elif aid is CaseAction.SEND_BACK:
        changes.update(finished_at=None, verified_at=None)
    elif aid is CaseAction.CLOSE:
        if callback_missing(tx, report_id):  # 回访 before closing (issue 17)
            raise ValidationError(
                "居民反映和12345热线的案件须先回访才能结案（案件 {case_no}）",
                "Resident and 12345 cases are called back before closing (case {case_no})",
                case_no=row["case_no"],
            )
        changes["closed_at"] = stamp
    elif aid is CaseAction.EXTEND:
        if deadline is None:
            raise ValidationError(
                "案件还没有处置期限，不能延期", "The case has no deadline to extend"
            )
        if new_deadline is None:
            new_deadline = compute_deadline(
                store, row["category_id"], row["urgency"], deadline, calendar
            )
        if new_deadline <= deadline:
            raise ValidationError(
                "延期后的期限必须晚于原期限（{old}）",
                "The extended deadline must be later than the current one ({old})",
                old=to_iso(deadline),
            )
        changes.update(
            deadline=to_iso(new_deadline),
            original_deadline=row["original_deadline"] or row["deadline"],
            extension_count=int(row["extension_count"] or 0) + 1,
        )
        deadline = new_deadline
    elif aid is CaseAction.SHELVE:
        changes["shelved_at"] = stamp
    elif aid is CaseAction.ESCALATE:
        changes["escalated_at"] = stamp
    tx.update("report", report_id, changes)
    event_id = tx.insert(
        "case_event",
        {
            "report_id": report_id,
            "action": aid.value,
            "from_status": status.value,
            "to_status": target.value,
            "actor": session.user.username,
            "user_id": session.user.id,
            "department_id": changes.get("department_id", row["department_id"]),
            "at": stamp,
            "note": note.strip() or None,
        },
    )
    return TransitionResult(
        report_id, row["case_no"], aid, status, target, event_id, deadline, decision
    )


def advance_case(
    session: Session,
    report_id: int,
    action: Action | CaseAction | str,
    note: str = "",
    *,
    handler: int | str | None = None,
    assist: Sequence[int | str] | None = None,
    new_deadline: datetime | None = None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> TransitionResult:
    """Perform one workflow action on a case.

    Parameters
    ----------
    handler : int or str, optional
        Department id or code for dispatch / re-dispatch; None takes the
        duty list's proposal.  A handler other than the proposal needs *note*
        as the reason.
    assist : sequence, optional
        Assisting departments for joint handling (default: the proposal's).
    new_deadline : datetime, optional
        For ``extend``: the new deadline (default: one more time limit).

    Raises
    ------
    PermissionDenied
        The role may not do this at all, or not to this case.
    WorkflowError
        Not possible from the case's current state.
    ValidationError
        A required reason or handler is missing.
    """
    session.require("case.transition")
    act = workflow.get_action(action)
    now = now or now_utc()
    with session.transaction() as tx:
        result = _advance(
            tx,
            session,
            report_id,
            act,
            note,
            handler,
            None if assist is None else tuple(assist),
            new_deadline,
            now,
            calendar,
        )
    if act.id is CaseAction.ESCALATE:
        result.notice = build_notice(
            session, report_id, note, issued_by=session.user.display_name, at=now
        )
    return result


@dataclass
class BatchOutcome:
    done: list[TransitionResult] = field(default_factory=list)
    refused: list[tuple[int, GridAppError]] = field(default_factory=list)


def advance_cases(
    session: Session,
    report_ids: Sequence[int],
    action: Action | CaseAction | str,
    note: str = "",
    *,
    handler: int | str | None = None,
    all_or_nothing: bool = False,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> BatchOutcome:
    """The same action on many cases.

    Each case is its own transaction and refusals are collected, unless
    *all_or_nothing*: then one refusal raises and nothing is written.
    """
    session.require("case.transition")
    act = workflow.get_action(action)
    now = now or now_utc()
    out = BatchOutcome()
    if all_or_nothing:
        with session.transaction() as tx:
            for rid in report_ids:
                out.done.append(
                    _advance(
                        tx, session, rid, act, note, handler, None, None, now, calendar
                    )
                )
    else:
        for rid in report_ids:
            try:
                with session.transaction() as tx:
                    out.done.append(
                        _advance(
                            tx,
                            session,
                            rid,
                            act,
                            note,
                            handler,
                            None,
                            None,
                            now,
                            calendar,
                        )
                    )
            except GridAppError as exc:
                out.refused.append((rid, exc))
    if act.id is CaseAction.ESCALATE:
        for r in out.done:
            r.notice = build_notice(
                session,
                r.report_id,
                note,
                issued_by=session.user.display_name,
                at=now,
            )
    return out


def case_timeline(session: Session, report_id: int) -> list[dict[str, Any]]:
    """The case's events, oldest first, with department names (detail view)."""
    visible_case(session, report_id)
    return queries.case_events(session.store, report_id)


def overdue_to_escalate(
    session: Session, now: datetime | None = None, grace: timedelta = timedelta(0)
) -> list[int]:
    """Open, dispatched cases past deadline + *grace* not yet escalated (for the dispatcher)."""
    session.require("case.transition")
    now = now or now_utc()
    active = [
        s.value
        for s in (CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS, CaseStatus.SENT_BACK)
    ]
    return queries.overdue_unescalated(session.store, active, to_iso(now - grace))


def was_escalated(session: Session, report_id: int) -> bool:
    """True once the case was escalated to the district (its 督办单 can be reprinted)."""
    return bool(visible_case(session, report_id).get("escalated_at"))
