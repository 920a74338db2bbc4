"""Named questions about joint tasks (联合执法任务) and their departments.

Each function takes either the store (reads) or an open transaction: a
task step re-reads the rows it checks inside its own ``BEGIN IMMEDIATE``
transaction, so two processes acting on one task at once cannot both pass a
check made on a stale read (the lost check-in).
"""

from __future__ import annotations

from typing import Any


def _rows(db: Any, sql: str, params: list[Any]) -> list[Any]:
    if hasattr(db, "query"):
        return list(db.query(sql, params))
    return list(db.execute(sql, params).fetchall())


def task_row(db: Any, task_id: int) -> dict[str, Any] | None:
    """The task's own columns, without its footprint (None: no such task)."""
    rows = _rows(db, "SELECT id, task_no, title, state, lead_department_id, action_at,"
                     " deadline, checkin_limit_minutes, summoned_at, results"
                     " FROM joint_task WHERE id = ?", [int(task_id)])
    return dict(rows[0]) if rows else None


def task_department_row(db: Any, task_id: int, department_id: int | None
                        ) -> dict[str, Any] | None:
    """One summoned department's row of the task (None: not summoned)."""
    if department_id is None:
        return None
    rows = _rows(db, "SELECT * FROM task_department WHERE task_id = ? AND department_id = ?",
                 [int(task_id), int(department_id)])
    return dict(rows[0]) if rows else None


def departments_with_contacts(db: Any, task_id: int) -> list[dict[str, Any]]:
    """Every department of the task with its name, phone and check-in, the lead first."""
    return [dict(r) for r in _rows(
        db, "SELECT t.id, t.department_id, d.name, t.contact_person, d.contact_phone,"
            " t.checkin_at"
            " FROM task_department t JOIN department d ON d.id = t.department_id"
            " WHERE t.task_id = ? ORDER BY t.role = 'lead' DESC, t.id", [int(task_id)])]


def departments_without_checkin(db: Any, task_id: int) -> list[dict[str, Any]]:
    """(id, department_id) of the task's departments that have not checked in."""
    return [dict(r) for r in _rows(
        db, "SELECT id, department_id FROM task_department WHERE task_id = ?"
            " AND checkin_at IS NULL ORDER BY id", [int(task_id)])]


def checked_in_count(db: Any, task_id: int) -> int:
    rows = _rows(db, "SELECT count(*) FROM task_department WHERE task_id = ?"
                     " AND checkin_at IS NOT NULL", [int(task_id)])
    return int(rows[0][0])


def escalation_count(db: Any) -> int:
    """How many 督办单 of tasks were ever issued (numbers the next one)."""
    return int(_rows(db, "SELECT count(*) FROM task_escalation", [])[0][0])


def task_photo_ids(db: Any, task_id: int) -> list[int]:
    """Attachment ids of the task's photos, oldest first."""
    return [int(r[0]) for r in _rows(
        db, "SELECT related_id FROM joint_task_attachment WHERE base_id = ? ORDER BY related_id",
        [int(task_id)])]
