"""What a joint task's order (联合执法任务单) and its 督办单 print, checked for the role.

The pages are drawn by :mod:`gridapp.printing.jobs` from the dataclasses
returned here; nothing here draws.  Both need a session whose role may take
part in tasks, as :mod:`gridapp.services.joint.tasks` checks it: the order
needs ``task.respond`` (the dispatcher and the departments' liaisons work from
it; a liaison only for tasks their department was summoned to), the 督办单
``task.manage`` (as escalating does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from gridapp.domain.timeutil import from_iso
from gridapp.errors import NotFoundError
from gridapp.services.joint.task_order import (
    MapContext,
    TaskOrder,
    map_context,
    task_order_data,
)
from gridapp.services.joint.tasks import TaskEscalation
from gridapp.services.session import Session
from gridapp.storage.queries import tasks as task_rows

ORDER_PERMISSION = "task.respond"  # every unit taking part works from the order
ESCALATION_PERMISSION = "task.manage"  # as escalating itself (tasks.escalate)


@dataclass(frozen=True)
class TaskOrderPrint:
    """A task order ready to draw: its content and the map's context layers."""

    order: TaskOrder
    context: MapContext


@dataclass(frozen=True)
class EscalationPrint:
    """A 督办单 ready to draw: the notice, the task's order and the map's context."""

    notice: TaskEscalation
    order: TaskOrder
    context: MapContext


def task_order_print(session: Session, task_id: int,
                     now: datetime | None = None) -> TaskOrderPrint:
    """Task *task_id*'s one-page order, for :func:`gridapp.printing.jobs.write_task_order`.

    Raises :class:`~gridapp.errors.PermissionDenied` unless the role holds
    ``task.respond``; a department liaison gets only orders of tasks their
    department is summoned to.

    Examples
    --------
    >>> job = task_order_print(session, 1)                   # doctest: +SKIP
    >>> write_task_order(job, "task_1.pdf")                  # doctest: +SKIP
    """
    session.require(ORDER_PERMISSION)
    order = task_order_data(session, task_id, now)  # a liaison: their department's tasks
    return TaskOrderPrint(order, map_context(session, order))


def latest_escalation(session: Session, task_id: int) -> TaskEscalation:
    """The task's most recent 督办 (as recorded by :func:`gridapp.services.joint.tasks.escalate`).

    Needs ``task.manage``.
    """
    session.require(ESCALATION_PERMISSION)
    store = session.store
    r = task_rows.latest_escalation(store, task_id)
    if r is None:
        raise NotFoundError("任务 {id} 尚未督办，没有督办单", "Task {id} was not escalated; "
                            "there is no escalation notice", id=task_id)
    missing_ids = json.loads(r["missing_department_ids"] or "[]")
    names = task_rows.department_names(store)
    user = task_rows.user_display_name(store, r["actor"])
    at = from_iso(r["at"])
    assert at is not None
    return TaskEscalation(r["notice_no"], r["task_no"], r["title"], at,
                          user or r["actor"], r["addressee"],
                          r["reason"], [names.get(int(i), str(i)) for i in missing_ids],
                          from_iso(r["summoned_at"]), int(r["checkin_limit_minutes"] or 30))


def escalation_print(session: Session, task_id: int,
                     now: datetime | None = None) -> EscalationPrint:
    """The task's latest 督办单, for :func:`gridapp.printing.jobs.write_escalation`.

    Needs ``task.manage`` (:class:`~gridapp.errors.PermissionDenied` otherwise).
    """
    session.require(ESCALATION_PERMISSION)
    notice = latest_escalation(session, task_id)
    order = task_order_data(session, task_id, now)
    return EscalationPrint(notice, order, map_context(session, order))
