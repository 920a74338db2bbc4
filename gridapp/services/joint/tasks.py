"""Joint-enforcement tasks (联合执法任务): 吹哨, 报到, joint action, 办结, 评价, 督办.

The state machine and the check-in rules are in :mod:`gridapp.domain.tasks`;
this module checks them against the stored task and writes each step in one
audited transaction.  Dispatchers and admins manage tasks; a liaison only
checks in and reports for their own department.

When a task is done, each open member case is advanced through its own
workflow with :func:`gridapp.services.cases.workflow.advance_case`: registered and
dispatched to the task's lead unit by the acting dispatcher if it had not
been, then started and reported done (处置反馈) on behalf of the street
office's team, which organised the joint action — verification on site
(核查) by the grid manager and closing stay with their owners.  Each case step
is its own transaction (as in the case workflow); steps that are refused are
listed in the result, not hidden.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import shapely

from gridapp.domain import tasks as rules
from gridapp.domain.enums import CaseStatus, Role, TaskState
from gridapp.domain.tasks import CheckinStatus, TaskAction
from gridapp.domain.timeutil import from_iso, local, now_utc, to_iso
from gridapp.errors import (
    GeometryError,
    GridAppError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from gridapp.services.session import (
    Session,
    User,
    require_department,
    visible_department_ids,
)
from gridapp.storage import GeoPackageStore
from gridapp.storage.queries import editors as editor_rows
from gridapp.storage.queries import tasks as task_rows
from gridapp.storage.transaction import Transaction

RESULT_KEYS = {"stalls_removed": "清理占道摊点（处）", "demolished_m2": "拆除违法建设（平方米）",
               "fines_yuan": "罚款（元）", "items_seized": "暂扣物品（件）",
               "notices_issued": "下达整改通知（份）"}


@dataclass
class TaskDepartment:
    department_id: int
    name: str
    role: str
    contact_person: str | None
    contact_phone: str | None
    summoned_at: datetime | None
    checkin_at: datetime | None
    checkin_due: datetime | None
    checkin_status: CheckinStatus
    action: str | None
    result: str | None
    effective: bool | None
    evaluation: str | None

    @property
    def flagged(self) -> bool:
        return rules.is_flagged(self.checkin_status)


@dataclass
class Task:
    id: int
    task_no: str
    title: str
    state: TaskState
    footprint: Any
    lead_department_id: int | None
    action_at: datetime | None
    deadline: datetime | None
    checkin_limit_minutes: int
    summoned_at: datetime | None
    done_at: datetime | None
    evaluated_at: datetime | None
    escalated_at: datetime | None
    reason: str | None
    action_summary: str | None
    results: dict[str, Any]
    report_ids: list[int]
    departments: list[TaskDepartment]
    overdue: bool = False

    @property
    def flagged_departments(self) -> list[TaskDepartment]:
        return [d for d in self.departments if d.flagged]


@dataclass
class FinishResult:
    advanced: list[tuple[int, str]] = field(default_factory=list)  # report id, final status
    unchanged: list[tuple[int, str]] = field(default_factory=list)  # closed, rejected...
    refused: list[tuple[int, GridAppError]] = field(default_factory=list)
    absent_department_ids: list[int] = field(default_factory=list)


@dataclass
class TaskEscalation:
    """The data of a 督办单 for a task (printing comes later)."""

    notice_no: str
    task_no: str
    title: str
    issued_at: datetime
    issued_by: str
    addressee: str
    reason: str
    missing_departments: list[str]
    summoned_at: datetime | None
    checkin_limit_minutes: int


# -- helpers -------------------------------------------------------------------
def _dt(v: datetime | None, what: str) -> datetime | None:
    if v is not None and v.tzinfo is None:
        raise ValidationError("{what}必须带时区", "{what} must carry a time zone", what=what)
    return v


def _load(store: GeoPackageStore, task_id: int) -> dict[str, Any]:
    try:
        return store.get("joint_task", task_id)
    except NotFoundError:
        raise NotFoundError("没有编号为 {id} 的联合执法任务", "No joint task {id}",
                            id=task_id) from None


def _locked(tx: Transaction, task_id: int) -> dict[str, Any]:
    """The task as it stands inside *tx* (the write lock is held: no stale read)."""
    row = task_rows.task_row(tx, task_id)
    if row is None:
        raise NotFoundError("没有编号为 {id} 的联合执法任务", "No joint task {id}", id=task_id)
    return row


def _require(session: Session, action: TaskAction) -> None:
    """The role's permission for *action*, asked before the task is read.

    ``task.respond`` for what a department does itself (check in, report its
    part), ``task.manage`` for the rest; which department and which state are
    checked by :func:`_check` once the task is read.
    """
    per_department = rules.TRANSITIONS[action].per_department
    session.require("task.respond" if per_department else "task.manage")


def _check(session: Session, row: dict[str, Any], action: TaskAction, *, note: str = "",
           department_id: int | None = None) -> TaskState:
    _require(session, action)
    return rules.apply_task(row["state"], action, session.user.role, note=note,
                            role_department_id=session.user.department_id,
                            department_id=department_id)


def _footprint(geom: Any) -> Any:
    if geom is None or not hasattr(geom, "geom_type") or geom.is_empty:
        raise GeometryError("任务范围不能为空", "The task's place (footprint) must not be empty")
    if geom.geom_type == "MultiPolygon":
        geom = shapely.convex_hull(geom)
    if geom.geom_type != "Polygon":
        raise GeometryError("任务范围必须是面（现为 {type}）",
                            "The task's place must be a polygon (got {type})", type=geom.geom_type)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        if geom.geom_type != "Polygon":
            geom = shapely.convex_hull(geom)
    if geom.area <= 0:
        raise GeometryError("任务范围面积为零", "The task's place has no area")
    minx, miny, maxx, maxy = geom.bounds
    if not (73 <= minx <= maxx <= 136 and 3 <= miny <= maxy <= 54):
        raise GeometryError("任务范围不在中国境内（应为 CGCS2000 经纬度）",
                            "The task's place is not in China (expected CGCS2000 lon/lat)")
    return geom


def _department_ids(store: GeoPackageStore, ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    known = task_rows.active_department_ids(store)
    bad = [i for i in ids if i not in known]
    if bad:
        raise ValidationError("未知或已停用的部门：{ids}", "Unknown or inactive departments: {ids}",
                              ids=", ".join(map(str, bad)))
    return ids


def _next_task_no(tx: Transaction, now: datetime) -> str:
    prefix = f"LH{local(now):%Y%m%d}"
    n = task_rows.count_task_numbers(tx, prefix)
    return f"{prefix}{n + 1:03d}"


def find_department(session: Session, value: str) -> int:
    """The id of the department whose code, id or name is *value* (NotFoundError if none)."""
    session.require("workspace.read")
    ids = task_rows.department_ids_named(session.store, value)
    if not ids:
        raise NotFoundError("没有部门“{value}”", "No department '{value}'", value=value)
    return ids[0]


# -- creating ------------------------------------------------------------------
def insert_task(tx: Transaction, session: Session, *, title: str, footprint: Any,
                report_ids: Sequence[int], lead_department_id: int | None,
                department_ids: Sequence[int], action_at: datetime | None = None,
                deadline: datetime | None = None, checkin_limit_minutes: int | None = None,
                reason: str | None = None, proposal_id: int | None = None) -> int:
    """Insert a proposed task inside *tx* (validated; see :func:`create_task`)."""
    store = session.store
    if not title or not title.strip():
        raise ValidationError("任务标题不能为空", "The task needs a title")
    geom = _footprint(footprint)
    rids = sorted({int(r) for r in report_ids})
    if not rids:
        raise ValidationError("联合执法任务至少需要一件案件", "A joint task needs at least one case")
    found = task_rows.existing_report_ids(tx, rids)
    if missing := [r for r in rids if r not in found]:
        raise NotFoundError("没有这些案件：{ids}", "No such cases: {ids}",
                            ids=", ".join(map(str, missing[:10])))
    depts = _department_ids(store, department_ids)
    if lead_department_id is None:
        raise ValidationError("必须指定牵头单位", "A lead unit is required")
    lead = _department_ids(store, [lead_department_id])[0]
    if lead not in depts:
        depts.insert(0, lead)
    if len(depts) < 2:
        raise ValidationError("联合执法至少需要两个单位（牵头单位和一个部门）",
                              "Joint enforcement needs at least two units (the lead and one more)")
    _dt(action_at, "执法时间")
    _dt(deadline, "办结期限")
    if action_at and deadline and deadline < action_at:
        raise ValidationError("办结期限不能早于执法时间", "The deadline cannot be before the action")
    if checkin_limit_minutes is None:
        checkin_limit_minutes = int(store.setting("task.checkin_limit_minutes",
                                                  rules.DEFAULT_CHECKIN_LIMIT_MINUTES))
    limit = rules.check_limit(checkin_limit_minutes)
    now = now_utc()
    task_id = tx.insert("joint_task", {
        "geom": geom, "task_no": _next_task_no(tx, now), "title": title.strip(),
        "state": TaskState.PROPOSED.value, "lead_department_id": lead,
        "action_at": to_iso(action_at), "deadline": to_iso(deadline),
        "checkin_limit_minutes": limit, "reason": reason, "results": None,
        "created_by": session.user.username, "created_at": to_iso(now),
        "proposal_id": proposal_id})
    for d in depts:
        contact = task_rows.department_contact(tx, d)
        tx.insert("task_department", {"task_id": task_id, "department_id": d,
                                      "role": "lead" if d == lead else "member",
                                      "contact_person": contact})
    for r in rids:
        tx.insert("task_case", {"task_id": task_id, "report_id": r})
    return task_id


def create_task(session: Session, **fields: Any) -> int:
    """Create a joint task in state 提议 (proposed); returns its id.

    Keyword arguments: ``title``, ``footprint`` (shapely polygon, EPSG:4490),
    ``report_ids``, ``lead_department_id``, ``department_ids``, optional
    ``action_at``, ``deadline`` (aware datetimes), ``checkin_limit_minutes``
    (default 30, setting ``task.checkin_limit_minutes``), ``reason``.
    """
    session.require("task.manage")
    with session.transaction() as tx:
        return insert_task(tx, session, **fields)


def edit_task(session: Session, task_id: int, *, title: str | None = None,
              footprint: Any = None, action_at: datetime | None = None,
              deadline: datetime | None = None,
              checkin_limit_minutes: int | None = None) -> None:
    """Change title, place (hull), times or check-in limit before the action."""
    _require(session, TaskAction.EDIT)
    row = _load(session.store, task_id)
    _check(session, row, TaskAction.EDIT)
    changes: dict[str, Any] = {}
    if title is not None:
        if not title.strip():
            raise ValidationError("任务标题不能为空", "The task needs a title")
        changes["title"] = title.strip()
    if footprint is not None:
        changes["geom"] = _footprint(footprint)
    if action_at is not None:
        changes["action_at"] = to_iso(_dt(action_at, "执法时间"))
    if deadline is not None:
        changes["deadline"] = to_iso(_dt(deadline, "办结期限"))
    if checkin_limit_minutes is not None:
        changes["checkin_limit_minutes"] = rules.check_limit(checkin_limit_minutes)
    with session.transaction() as tx:
        tx.update("joint_task", task_id, changes)


# -- the steps -----------------------------------------------------------------
def summon(session: Session, task_id: int, now: datetime | None = None) -> list[dict[str, Any]]:
    """吹哨: record the time and notify each department; returns the notifications
    (department, contact, due time) that the task order lists."""
    _require(session, TaskAction.SUMMON)
    _check(session, _load(session.store, task_id), TaskAction.SUMMON)
    now = now or now_utc()
    with session.transaction() as tx:
        row = _locked(tx, task_id)
        target = _check(session, row, TaskAction.SUMMON)
        due = rules.checkin_due(now, from_iso(row["action_at"]), row["checkin_limit_minutes"])
        deps = task_rows.departments_with_contacts(tx, task_id)
        tx.update("joint_task", task_id, {"state": target.value, "summoned_at": to_iso(now)})
        for d in deps:
            tx.update("task_department", d["id"], {"summoned_at": to_iso(now),
                                                   "checkin_status": CheckinStatus.PENDING.value})
    return [{"department_id": d["department_id"], "department": d["name"],
             "contact_person": d["contact_person"], "contact_phone": d["contact_phone"],
             "due": due, "message": f"【吹哨】请于 {local(due):%m月%d日 %H:%M} 前到 "
                                    f"“{row['title']}”现场报到（任务 {row['task_no']}）"}
            for d in deps]


def _task_department(db: Any, task_id: int, department_id: int) -> dict[str, Any]:
    row = task_rows.task_department_row(db, task_id, department_id)
    if row is None:
        raise NotFoundError("部门 {department_id} 未被召集参加此任务",
                            "Department {department_id} was not summoned to this task",
                            department_id=department_id, task_id=task_id)
    return row


def check_in(session: Session, task_id: int, department_id: int, contact_person: str = "",
             now: datetime | None = None) -> CheckinStatus:
    """报到: a department checks in; returns on time or late.

    The task's state and the department's row are read again inside the
    write transaction: of two check-ins of one department made at once (two
    windows, two processes), exactly one is recorded and the other is
    refused, instead of the second silently overwriting the first.
    """
    _require(session, TaskAction.CHECK_IN)
    _check(session, _load(session.store, task_id), TaskAction.CHECK_IN,
           department_id=department_id)
    now = now or now_utc()
    with session.transaction() as tx:
        row = _locked(tx, task_id)
        _check(session, row, TaskAction.CHECK_IN, department_id=department_id)
        td = _task_department(tx, task_id, department_id)
        if td["checkin_at"]:
            raise ValidationError("该部门已于 {at} 报到",
                                  "This department already checked in at {at}",
                                  at=td["checkin_at"], department_id=department_id)
        summoned = from_iso(row["summoned_at"])
        assert summoned is not None  # set by summon(); check-in is refused before
        due = rules.checkin_due(summoned, from_iso(row["action_at"]),
                                row["checkin_limit_minutes"])
        status = rules.checkin_status(now, due)
        tx.update("task_department", td["id"], {
            "checkin_at": to_iso(now), "checkin_status": status.value,
            "contact_person": contact_person.strip() or td["contact_person"]})
    return status


def report_department_action(session: Session, task_id: int, department_id: int,
                             action: str, result: str = "", evidence: str = "") -> None:
    """A department's own part of the action (what it did, its result)."""
    _require(session, TaskAction.DEPARTMENT_ACTION)
    row = _load(session.store, task_id)
    _check(session, row, TaskAction.DEPARTMENT_ACTION, department_id=department_id)
    if not action.strip():
        raise ValidationError("请填写本部门的处置情况", "Describe what the department did")
    with session.transaction() as tx:
        _check(session, _locked(tx, task_id), TaskAction.DEPARTMENT_ACTION,
               department_id=department_id)
        td = _task_department(tx, task_id, department_id)
        tx.update("task_department", td["id"], {"action": action.strip(),
                                                "result": result.strip() or None,
                                                "evidence": evidence.strip() or None})


def _results(results: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in results.items():
        if k in RESULT_KEYS:
            try:
                num = float(v)
            except (TypeError, ValueError):
                raise ValidationError("处置结果“{label}”必须是数字", "Result '{key}' must be a "
                                      "number", key=k, label=RESULT_KEYS[k]) from None
            if num < 0:
                raise ValidationError("处置结果“{label}”不能为负", "Result '{key}' cannot be "
                                      "negative", key=k, label=RESULT_KEYS[k])
            out[k] = int(num) if num.is_integer() else num
        else:
            out[k] = v
    return out


def record_action(session: Session, task_id: int, summary: str,
                  results: Mapping[str, Any] | None = None, now: datetime | None = None) -> None:
    """Record the joint action: what was done and its results (stalls removed,
    ``demolished_m2``, ``fines_yuan``...); at least one department must have
    checked in."""
    _require(session, TaskAction.RECORD_ACTION)
    _check(session, _load(session.store, task_id), TaskAction.RECORD_ACTION, note=summary)
    new_results = _results(results or {})
    with session.transaction() as tx:
        row = _locked(tx, task_id)
        target = _check(session, row, TaskAction.RECORD_ACTION, note=summary)
        if not task_rows.checked_in_count(tx, task_id):
            raise ValidationError(
                "还没有部门报到，不能记录联合处置",
                "No department has checked in; the joint action cannot be recorded")
        # Merged with the results as they stand now, not as read before the lock.
        merged = {**json.loads(row["results"] or "{}"), **new_results}
        tx.update("joint_task", task_id, {"state": target.value, "action_summary": summary.strip(),
                                          "results": json.dumps(merged, ensure_ascii=False),
                                          "action_at": row["action_at"] or to_iso(now or now_utc())})


def add_photo(session: Session, task_id: int, data: bytes, *, phase: str,
              filename: str = "", content_type: str = "image/jpeg",
              taken_at: datetime | None = None) -> int:
    """A photo before or after the action, as a Related Tables media row; its id.

    Dispatchers and admins add photos to any task; a liaison only to a task
    their own department was summoned to (checked again inside the write
    transaction, with the task's state).
    """
    session.require("task.respond")
    if phase not in ("before", "after", "other"):
        raise ValidationError("照片阶段应为 before / after / other", "Photo phase must be "
                              "before, after or other", phase=phase)
    if not data:
        raise ValidationError("照片内容为空", "The photo is empty")
    _check_photo(session, session.store, _load(session.store, task_id))
    with session.transaction() as tx:
        _check_photo(session, tx, _locked(tx, task_id))
        aid = tx.insert("attachment", {"data": data, "content_type": content_type,
                                       "filename": filename or None, "taken_at": to_iso(taken_at),
                                       "sha256": hashlib.sha256(data).hexdigest(),
                                       "created_at": to_iso(now_utc())})
        tx.insert("joint_task_attachment", {"base_id": task_id, "related_id": aid,
                                            "phase": phase})
    return aid


def task_photos(session: Session, task_id: int) -> list[dict[str, Any]]:
    """The task's photos (``link_id, attachment_id, phase, filename, created_at``),
    oldest first; a liaison only of a task their department was summoned to."""
    session.require("workspace.read")
    _require_task_department(session, task_id)
    _load(session.store, task_id)
    return editor_rows.task_photo_links(session.store, task_id)


def task_photo_data(session: Session, task_id: int, attachment_id: int) -> bytes:
    """The bytes of one of the task's photos."""
    session.require("workspace.read")
    _require_task_department(session, task_id)
    if editor_rows.task_photo_link_id(session.store, task_id, attachment_id) is None:
        raise NotFoundError("任务 {task_id} 没有照片 {id}", "Task {task_id} has no photo {id}",
                            task_id=task_id, id=attachment_id)
    return editor_rows.attachment_data(session.store, attachment_id) or b""


def remove_photo(session: Session, task_id: int, attachment_id: int) -> None:
    """Take a photo off the task (added by mistake, or an undone add), audited.

    The same users as :func:`add_photo` may; the attachment row itself stays,
    since the audit log refers to it.
    """
    session.require("task.respond")
    _check_photo(session, session.store, _load(session.store, task_id))
    with session.transaction() as tx:
        _check_photo(session, tx, _locked(tx, task_id))
        link = editor_rows.task_photo_link_id(tx, task_id, attachment_id)
        if link is None:
            raise NotFoundError("任务 {task_id} 没有照片 {id}", "Task {task_id} has no photo {id}",
                                task_id=task_id, id=attachment_id)
        tx.delete("joint_task_attachment", link)


def _check_photo(session: Session, db: Any, row: dict[str, Any]) -> None:
    """Refuse a photo of a task the user's department was not summoned to, or too early."""
    deps = visible_department_ids(session)
    if deps is not None and not any(task_rows.task_department_row(db, row["id"], d)
                                    for d in deps):
        raise PermissionDenied(
            "联络员只能为本部门被召集的联合执法任务添加照片（任务 {task_no}）",
            "A liaison may add photos only to joint tasks their department was summoned to "
            "(task {task_no})", task_no=row["task_no"], task_id=row["id"],
            user=session.user.username)
    if row["state"] not in (TaskState.SUMMONED, TaskState.IN_ACTION, TaskState.ESCALATED,
                            TaskState.DONE):
        rules.apply_task(row["state"], TaskAction.RECORD_ACTION, session.user.role, note="-")


def _advance_member_cases(session: Session, row: dict[str, Any], out: FinishResult) -> None:
    from gridapp.services.cases import workflow as cases

    note = f"联合执法任务 {row['task_no']}：{row['title']}"
    handler_user = User(session.user.id, session.user.username,
                        f"{session.user.display_name}（代街道综合执法队反馈）", Role.OFFICE)
    handler = Session(session.store, handler_user)
    ids = task_rows.member_report_ids(session.store, row["id"])
    for rid in ids:
        try:
            status = task_rows.report_status(session.store, rid)
            steps: list[tuple[Session, str, dict[str, Any]]] = []
            if status == CaseStatus.REPORTED:
                steps.append((session, "register", {}))
                status = CaseStatus.REGISTERED
            if status == CaseStatus.REGISTERED:
                steps.append((session, "dispatch", {"handler": row["lead_department_id"]}))
                status = CaseStatus.DISPATCHED
            if status in (CaseStatus.DISPATCHED, CaseStatus.SENT_BACK):
                steps.append((handler, "start", {}))
                status = CaseStatus.IN_PROGRESS
            if status == CaseStatus.IN_PROGRESS:
                steps.append((handler, "finish", {}))
            last = None
            for who, action, kw in steps:
                last = cases.advance_case(who, rid, action, note, **kw)
            if last is None:
                out.unchanged.append((rid, str(status)))
            else:
                out.advanced.append((rid, last.to_status.value))
        except GridAppError as exc:
            out.refused.append((rid, exc))


def finish(session: Session, task_id: int, now: datetime | None = None) -> FinishResult:
    """办结: member cases advanced through their workflow, absent departments flagged."""
    _require(session, TaskAction.FINISH)
    row = _load(session.store, task_id)
    _check(session, row, TaskAction.FINISH)
    now = now or now_utc()
    out = FinishResult()
    _advance_member_cases(session, row, out)
    with session.transaction() as tx:
        # Read under the lock: a department checking in meanwhile is not marked absent.
        target = _check(session, _locked(tx, task_id), TaskAction.FINISH)
        for d in task_rows.departments_without_checkin(tx, task_id):
            tx.update("task_department", d["id"], {"checkin_status": CheckinStatus.ABSENT.value})
            out.absent_department_ids.append(int(d["department_id"]))
        tx.update("joint_task", task_id, {"state": target.value, "done_at": to_iso(now)})
    return out


def evaluate(session: Session, task_id: int, evaluations: Mapping[int, tuple[bool, str]],
             now: datetime | None = None) -> None:
    """评价: per department ``{department_id: (effective, comment)}``; every summoned
    department must be evaluated (checked in and on time come from the record)."""
    _require(session, TaskAction.EVALUATE)
    row = _load(session.store, task_id)
    target = _check(session, row, TaskAction.EVALUATE)
    deps = task_rows.task_department_ids(session.store, task_id)
    missing = [d for d in deps if d not in evaluations]
    extra = [d for d in evaluations if d not in deps]
    if missing or extra:
        raise ValidationError("评价必须覆盖所有被召集的部门（缺少：{missing}；多余：{extra}）",
                              "Evaluate every summoned department (missing: {missing}; "
                              "not summoned: {extra})", missing=", ".join(map(str, missing)) or "-",
                              extra=", ".join(map(str, extra)) or "-")
    with session.transaction() as tx:
        for d, (effective, comment) in evaluations.items():
            tx.update("task_department", deps[d], {"effective": bool(effective),
                                                   "evaluation": (comment or "").strip() or None})
        tx.update("joint_task", task_id, {"state": target.value,
                                          "evaluated_at": to_iso(now or now_utc())})


def escalate(session: Session, task_id: int, reason: str, now: datetime | None = None,
             addressee: str = "区人民政府") -> TaskEscalation:
    """督办: report the task up (usually for departments that did not check in)."""
    _require(session, TaskAction.ESCALATE)
    _check(session, _load(session.store, task_id), TaskAction.ESCALATE, note=reason)
    now = now or now_utc()
    with session.transaction() as tx:
        row = _locked(tx, task_id)
        target = _check(session, row, TaskAction.ESCALATE, note=reason)
        missing = [d for d in task_rows.departments_with_contacts(tx, task_id)
                   if d["checkin_at"] is None]
        n = task_rows.escalation_count(tx)
        notice_no = f"DB{local(now):%Y%m%d}{n + 1:03d}"
        tx.insert("task_escalation", {
            "task_id": task_id, "notice_no": notice_no, "at": to_iso(now),
            "actor": session.user.username, "reason": reason.strip(),
            "missing_department_ids": json.dumps([d["department_id"] for d in missing]),
            "addressee": addressee})
        tx.update("joint_task", task_id, {"state": target.value, "escalated_at": to_iso(now)})
    return TaskEscalation(notice_no, row["task_no"], row["title"], now,
                          session.user.display_name, addressee, reason.strip(),
                          [d["name"] for d in missing], from_iso(row["summoned_at"]),
                          row["checkin_limit_minutes"])


# -- reading -------------------------------------------------------------------
def get_task(session: Session, task_id: int, now: datetime | None = None) -> Task:
    """A task with its departments (check-in status computed now) and member cases.

    Everyone may read tasks; a department liaison only those their department
    was summoned to (:class:`~gridapp.errors.PermissionDenied` otherwise).
    """
    session.require("workspace.read")
    _require_task_department(session, task_id)
    return _read_task(session.store, task_id, now)


def _require_task_department(session: Session, task_id: int) -> None:
    """Refuse a liaison a task their department was not summoned to."""
    if visible_department_ids(session) is None:
        return
    own = session.user.department_id
    summoned = task_rows.task_department_row(session.store, task_id, own) is not None
    require_department(session, own if summoned else None)


def _read_task(store: GeoPackageStore, task_id: int, now: datetime | None = None) -> Task:
    row = _load(store, task_id)
    now = now or now_utc()
    state = TaskState(row["state"])  # type: ignore[call-arg]
    summoned = from_iso(row["summoned_at"])
    closed = state in (TaskState.DONE, TaskState.EVALUATED)
    due = (rules.checkin_due(summoned, from_iso(row["action_at"]), row["checkin_limit_minutes"])
           if summoned else None)
    deps = []
    for d in task_rows.task_departments(store, task_id):
        cin = from_iso(d["checkin_at"])
        status = (rules.checkin_status(cin, due, now, task_closed=closed) if due
                  else CheckinStatus.PENDING)
        deps.append(TaskDepartment(
            int(d["department_id"]), d["name"], d["role"], d["contact_person"],
            d["contact_phone"], from_iso(d["summoned_at"]), cin, due, status, d["action"],
            d["result"], None if d["effective"] is None else bool(d["effective"]),
            d["evaluation"]))
    deadline = from_iso(row["deadline"])
    return Task(
        int(row["id"]), row["task_no"], row["title"], state, row["geom"],
        row["lead_department_id"], from_iso(row["action_at"]), deadline,
        int(row["checkin_limit_minutes"] or rules.DEFAULT_CHECKIN_LIMIT_MINUTES), summoned,
        from_iso(row["done_at"]), from_iso(row["evaluated_at"]), from_iso(row.get("escalated_at")),
        row["reason"], row["action_summary"], json.loads(row["results"] or "{}"),
        task_rows.member_report_ids(store, task_id),
        deps, overdue=bool(deadline and not closed and deadline < now))


@dataclass
class TaskSummary:
    id: int
    task_no: str
    title: str
    state: TaskState
    deadline: datetime | None
    overdue: bool
    n_cases: int
    n_departments: int
    n_checked_in: int
    flagged: int


def task_board(session: Session, state: TaskState | str | None = None,
               now: datetime | None = None) -> list[TaskSummary]:
    """Tasks for the board: overdue first, then by deadline; a liaison sees only
    tasks their department was summoned to."""
    session.require("workspace.read")
    now = now or now_utc()
    deps = visible_department_ids(session)
    ids = task_rows.task_ids(session.store,
                             None if state is None else rules.task_state(state).value,
                             None if deps is None else sorted(deps))
    out = []
    for task_id in ids:
        t = _read_task(session.store, task_id, now)
        out.append(TaskSummary(t.id, t.task_no, t.title, t.state, t.deadline, t.overdue,
                               len(t.report_ids), len(t.departments),
                               sum(d.checkin_at is not None for d in t.departments),
                               len(t.flagged_departments)))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    out.sort(key=lambda s: (not s.overdue, s.deadline or far, s.id))
    return out
