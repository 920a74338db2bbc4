"""Named questions for the reference-data editors (issue 21): categories,
departments and their liaisons, a joint task's photos.

Reads take the store; the photo link is looked up again inside the write
transaction that removes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _rows(db: Any, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    if hasattr(db, "query"):
        return list(db.query(sql, list(params)))
    return list(db.execute(sql, list(params)).fetchall())


def category_rows(db: Any) -> list[dict[str, Any]]:
    """Every category (active or not) with its deadline and default handler, by code."""
    return [dict(r) for r in _rows(
        db, "SELECT id, code, parent_id, name, department_id, time_limit, time_unit, active"
            " FROM category ORDER BY code")]


def sibling_name_taken(db: Any, parent_id: int | None, name: str, except_id: int) -> bool:
    """Whether another category under the same parent already has *name*."""
    if parent_id is None:
        sql = "SELECT 1 FROM category WHERE parent_id IS NULL AND name = ? AND id <> ? LIMIT 1"
        params: list[Any] = [name, except_id]
    else:
        sql = "SELECT 1 FROM category WHERE parent_id = ? AND name = ? AND id <> ? LIMIT 1"
        params = [parent_id, name, except_id]
    return bool(_rows(db, sql, params))


def department_rows(db: Any) -> list[dict[str, Any]]:
    """Every department (active or not) with its liaison (联络人) and phone, by code."""
    return [dict(r) for r in _rows(
        db, "SELECT id, code, name, short_name, kind, contact_person, contact_phone, active"
            " FROM department ORDER BY id")]


def department_name_taken(db: Any, name: str, except_id: int) -> bool:
    return bool(_rows(db, "SELECT 1 FROM department WHERE name = ? AND id <> ? LIMIT 1",
                      [name, except_id]))


def department_in_use(db: Any, department_id: int) -> bool:
    """Whether open cases or categories still send work to the department."""
    return bool(_rows(
        db, "SELECT 1 FROM category WHERE department_id = ? AND active LIMIT 1",
        [department_id])) or bool(_rows(
        db, "SELECT 1 FROM duty_item WHERE department_id = ? LIMIT 1", [department_id]))


def task_photo_links(db: Any, task_id: int) -> list[dict[str, Any]]:
    """The task's photos: link id, attachment id, phase, file name, added, oldest first."""
    return [dict(r) for r in _rows(
        db, "SELECT m.id AS link_id, a.id AS attachment_id, m.phase, a.filename,"
            " a.created_at FROM joint_task_attachment m JOIN attachment a"
            " ON a.id = m.related_id WHERE m.base_id = ? ORDER BY a.id", [int(task_id)])]


def task_photo_link_id(db: Any, task_id: int, attachment_id: int) -> int | None:
    rows = _rows(db, "SELECT id FROM joint_task_attachment WHERE base_id = ? AND related_id = ?",
                 [int(task_id), int(attachment_id)])
    return int(rows[0][0]) if rows else None


def attachment_data(db: Any, attachment_id: int) -> bytes | None:
    rows = _rows(db, "SELECT data FROM attachment WHERE id = ?", [int(attachment_id)])
    return bytes(rows[0][0]) if rows else None


def liaison_accounts(db: Any) -> list[dict[str, Any]]:
    """Liaison (联络员) user accounts with their department: no password data."""
    return [dict(r) for r in _rows(
        db, "SELECT u.department_id, u.username, u.display_name, u.active FROM app_user u"
            " JOIN app_role r ON r.id = u.role_id WHERE r.name = 'liaison'"
            " AND u.department_id IS NOT NULL ORDER BY u.department_id, u.username")]
