"""Supervision that runs by itself: escalation of overdue cases, notices, reminders.

:func:`run_supervision` runs when a workspace is opened in the window (for a
user holding ``case.supervise``) and on ``cases escalate WORKSPACE``:

* every dispatched case past its deadline is escalated one level (1 街道督办,
  2 区级督办, …) with a 督办单, once per deadline: a case is never escalated
  twice for the same deadline (``case_escalation`` is unique on it); after an
  extension a new deadline can be escalated again, one level up;
* joint tasks past their deadline notify the dispatcher;
* cases falling due within the lead time (``assessment.reminder_lead_hours``,
  default 4 hours) remind the handling department and the dispatcher.

Everything is written in one audited transaction; reminders have a unique key,
so running twice writes nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from gridapp import i18n
from gridapp.domain.enums import CaseStatus, Role
from gridapp.domain.timeutil import format_local, from_iso, local, now_utc, to_iso
from gridapp.services.cases.supervision import SupervisionNotice, build_notice
from gridapp.services.session import Session, visible_department_ids
from gridapp.storage.queries import assessment as queries

ACTIVE = tuple(s.value for s in (CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS,
                                 CaseStatus.SENT_BACK))
DEFAULT_LEAD_HOURS = 4.0
LEVELS = {1: ("街道督办", "street supervision"), 2: ("区级督办", "district supervision")}


def _level_zh(level: int) -> str:
    return LEVELS.get(level, (f"{level}级督办", ""))[0]


def level_name(level: int) -> str:
    zh, en = LEVELS.get(level, (f"{level}级督办", f"level {level} supervision"))
    return i18n.pick(zh, en)


@dataclass
class SupervisionRun:
    escalated: list[tuple[int, str, int]] = field(default_factory=list)  # id, no, level
    notices: list[SupervisionNotice] = field(default_factory=list)
    task_notices: int = 0
    reminders: int = 0

    @property
    def message(self) -> str:
        return i18n.pick(
            "自动督办：升级督办 {n} 件，联合执法超期提醒 {t} 条，到期提醒 {r} 条",
            "Supervision: {n} cases escalated, {t} overdue-task notices, {r} reminders",
        ).format(n=len(self.escalated), t=self.task_notices, r=self.reminders)


def _remind(tx: Any, key: str, kind: str, role: str, message: str, stamp: str, *,
            report_id: int | None = None, task_id: int | None = None,
            department_id: int | None = None, due_at: str | None = None) -> bool:
    if queries.reminder_exists(tx, key):
        return False
    tx.insert("reminder", {"key": key, "kind": kind, "role": role, "message": message,
                           "report_id": report_id, "task_id": task_id,
                           "department_id": department_id, "due_at": due_at,
                           "created_at": stamp})
    return True


def run_supervision(session: Session, now: datetime | None = None,
                    lead_hours: float | None = None) -> SupervisionRun:
    """Escalate overdue cases, notify about overdue tasks, remind before deadlines."""
    session.require("case.supervise")
    now = now or now_utc()
    stamp = to_iso(now) or ""
    lead = float(lead_hours if lead_hours is not None else session.store.setting(
        "assessment.reminder_lead_hours", DEFAULT_LEAD_HOURS))
    out = SupervisionRun()
    with session.transaction() as tx:
        for case in queries.overdue_open_cases(session.store, ACTIVE, stamp):
            if case["done"] or queries.escalation_exists(tx, case["id"], case["deadline"]):
                continue
            level = int(case["level"] or 0) + 1
            no = f"DB{local(now):%Y%m%d}-{case['case_no']}-{level}"
            late = format_local(case["deadline"])
            tx.insert("case_escalation", {
                "report_id": case["id"], "deadline": case["deadline"], "level": level,
                "notice_no": no, "at": stamp,
                "note": f"超过处置期限（{late}），自动{_level_zh(level)}"})
            _remind(tx, f"escalated:{case['id']}:{case['deadline']}", "escalated",
                    Role.DISPATCHER.value,
                    f"案件 {case['case_no']} 已超期（期限 {late}），已发督办单 {no}",
                    stamp, report_id=case["id"], department_id=case["department_id"],
                    due_at=case["deadline"])
            _remind(tx, f"escalated-dept:{case['id']}:{case['deadline']}", "escalated",
                    Role.LIAISON.value,
                    f"案件 {case['case_no']} 已超期，已被督办（{no}），请尽快处置",
                    stamp, report_id=case["id"], department_id=case["department_id"],
                    due_at=case["deadline"])
            out.escalated.append((int(case["id"]), case["case_no"], level))
        for task in queries.overdue_task_departments(session.store, stamp):
            if _remind(tx, f"task-overdue:{task['task_id']}:{task['deadline']}",
                       "task_overdue", Role.DISPATCHER.value,
                       f"联合执法任务 {task['task_no']}（{task['title']}）已超过期限 "
                       f"{format_local(task['deadline'])}", stamp,
                       task_id=task["task_id"], due_at=task["deadline"]):
                out.task_notices += 1
        soon = to_iso(now + timedelta(hours=lead)) or ""
        for case in queries.cases_due_between(session.store, ACTIVE, stamp, soon):
            due = format_local(case["deadline"])
            for role in (Role.LIAISON.value, Role.DISPATCHER.value):
                if _remind(tx, f"due-soon:{case['id']}:{case['deadline']}:{role}",
                           "due_soon", role,
                           f"案件 {case['case_no']} 将于 {due} 到期", stamp,
                           report_id=case["id"], department_id=case["department_id"],
                           due_at=case["deadline"]):
                    out.reminders += 1
    for rid, _, level in out.escalated[:50]:
        out.notices.append(build_notice(session, rid, f"超过处置期限，{level_name(level)}",
                                        issued_by=session.user.display_name, at=now))
    return out


def my_reminders(session: Session, limit: int = 200) -> list[dict[str, Any]]:
    """Reminders for the user's role (a liaison: their department's only), newest first."""
    session.require("workspace.read")
    rows = queries.reminders(session.store, session.user.role.value, limit)
    deps = visible_department_ids(session)
    if deps is not None:
        rows = [r for r in rows if r["department_id"] in deps]
    return rows


def case_escalations(session: Session, report_id: int | None = None) -> list[dict[str, Any]]:
    """The automatic escalations (of one case, or all), oldest first."""
    session.require("assessment.read")
    rows = queries.escalations(session.store, report_id)
    for r in rows:
        r["at_local"] = format_local(from_iso(r["at"]))
    return rows
