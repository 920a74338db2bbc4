"""Printing a joint task's order (联合执法任务单) and its 督办单, Qt-free.

The page layout lives in :mod:`gridapp.printing.task_order_pdf` (QtGui); it is
imported inside the functions, so the CLI and the services stay free of Qt
until something is actually printed.  Both need a session whose role may
take part in tasks, as :mod:`gridapp.services.joint.tasks` checks it: the order
needs ``task.respond`` (the dispatcher and the departments' liaisons work from
it), the 督办单 ``task.manage`` (as escalating does).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from gridapp.domain.timeutil import from_iso
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.joint.task_order import TaskOrder, task_order_data
from gridapp.services.joint.tasks import TaskEscalation
from gridapp.services.session import Session, require_department, visible_department_ids
from gridapp.storage import GeoPackageStore


def _map_context(store: GeoPackageStore, order: TaskOrder) -> Any:
    """Grids and buildings around the task (EPSG:4490), for the order's map."""
    from gridapp.printing.task_order_pdf import MapContext

    minx, miny, maxx, maxy = order.extent
    # Read a generous neighbourhood; the map clips to its own view.
    dx, dy = (maxx - minx) * 0.6, (maxy - miny) * 0.6
    box = (minx - dx, miny - dy, maxx + dx, maxy + dy)
    tables = store.feature_tables()
    frames: dict[str, Any] = {}
    for name, where in (("grid", "valid_to IS NULL"), ("building", None)):
        if name not in tables:
            continue
        frame = store.read_layer(name, where, (), columns=["id"])
        frame = frame[frame.geometry.notna()]
        frames[name] = frame.cx[box[0]:box[2], box[1]:box[3]] if len(frame) else frame
    return MapContext(store.metric_epsg, frames.get("grid"), frames.get("building"))


ORDER_PERMISSION = "task.respond"  # every unit taking part works from the order
ESCALATION_PERMISSION = "task.manage"  # as escalating itself (tasks.escalate)


def print_task_order(session: Session, task_id: int, out: str | Path,
                     now: datetime | None = None) -> Path:
    """Write task *task_id*'s one-page order as an A4 PDF at *out*; returns the path.

    Raises :class:`~gridapp.errors.PermissionDenied` (writing nothing) unless
    the role holds ``task.respond``; a department liaison prints only orders of
    tasks their department is summoned to.

    Examples
    --------
    >>> print_task_order(session, 1, "task_1.pdf")  # doctest: +SKIP
    """
    from gridapp.printing.task_order_pdf import write_task_order_pdf

    session.require(ORDER_PERMISSION)
    store = session.store
    if visible_department_ids(session) is not None:
        summoned = {r[0] for r in store.query(
            "SELECT department_id FROM task_department WHERE task_id = ?", (task_id,))}
        own = session.user.department_id
        require_department(session, own if own in summoned else None)
    out = _target(out)
    order = task_order_data(store, task_id, now)
    return write_task_order_pdf(out, order, _map_context(store, order))


def latest_escalation(store: GeoPackageStore, task_id: int) -> TaskEscalation:
    """The task's most recent 督办 (as recorded by :func:`gridapp.services.joint.tasks.escalate`)."""
    rows = store.query(
        "SELECT e.*, j.task_no, j.title, j.summoned_at, j.checkin_limit_minutes "
        "FROM task_escalation e JOIN joint_task j ON j.id = e.task_id "
        "WHERE e.task_id = ? ORDER BY e.at DESC, e.id DESC LIMIT 1", (task_id,))
    if not rows:
        raise NotFoundError("任务 {id} 尚未督办，没有督办单", "Task {id} was not escalated; "
                            "there is no escalation notice", id=task_id)
    r = rows[0]
    missing_ids = json.loads(r["missing_department_ids"] or "[]")
    names = {int(d[0]): d[1] for d in store.query("SELECT id, name FROM department")}
    user = store.query("SELECT display_name FROM app_user WHERE username = ?", (r["actor"],))
    at = from_iso(r["at"])
    assert at is not None
    return TaskEscalation(r["notice_no"], r["task_no"], r["title"], at,
                          (user[0][0] if user else None) or r["actor"], r["addressee"],
                          r["reason"], [names.get(int(i), str(i)) for i in missing_ids],
                          from_iso(r["summoned_at"]), int(r["checkin_limit_minutes"] or 30))


def print_escalation(session: Session, task_id: int, out: str | Path,
                     now: datetime | None = None) -> Path:
    """Write the task's latest 督办单 as an A4 PDF at *out*; returns the path.

    Needs ``task.manage`` (:class:`~gridapp.errors.PermissionDenied` otherwise).
    """
    from gridapp.printing.task_order_pdf import write_escalation_pdf

    session.require(ESCALATION_PERMISSION)
    store = session.store
    out = _target(out)
    notice = latest_escalation(store, task_id)
    order = task_order_data(store, task_id, now)
    return write_escalation_pdf(out, notice, order, _map_context(store, order))


def _target(out: str | Path) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise ValidationError("输出文件应为 .pdf：{p}", "The output file must be a .pdf: {p}",
                              p=str(out))
    if not out.parent.exists():
        raise ValidationError("输出目录不存在：{p}", "The output folder does not exist: {p}",
                              p=str(out.parent))
    return out
