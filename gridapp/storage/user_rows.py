"""Named questions about user accounts (never their password hashes).

Each function takes either the store (reads) or an open transaction, so a
rule such as "keep one active administrator" is checked under the same
write lock as the change it guards: two administrators demoting each other
at once cannot leave the workspace without one.
"""

from __future__ import annotations

from typing import Any


def _rows(db: Any, sql: str, params: list[Any]) -> list[Any]:
    if hasattr(db, "query"):
        return list(db.query(sql, params))
    return list(db.execute(sql, params).fetchall())


def user_row(db: Any, user_id: int) -> dict[str, Any] | None:
    """id, username, display_name, role (name), department_id, manager_id, active."""
    rows = _rows(db, "SELECT u.id, u.username, u.display_name, r.name AS role,"
                     " u.department_id, u.manager_id, u.active FROM app_user u"
                     " JOIN app_role r ON r.id = u.role_id WHERE u.id = ?", [int(user_id)])
    return dict(rows[0]) if rows else None


def active_admin_ids(db: Any) -> list[int]:
    """Ids of the active accounts holding the administrator role."""
    return [int(r[0]) for r in _rows(
        db, "SELECT u.id FROM app_user u JOIN app_role r ON r.id = u.role_id"
            " WHERE r.name = 'admin' AND u.active = 1 ORDER BY u.id", [])]


def role_id(db: Any, role_name: str) -> int | None:
    rows = _rows(db, "SELECT id FROM app_role WHERE name = ?", [role_name])
    return int(rows[0][0]) if rows else None


def department_exists(db: Any, department_id: int) -> bool:
    return bool(_rows(db, "SELECT 1 FROM department WHERE id = ?", [int(department_id)]))


def manager_active(db: Any, manager_id: int) -> bool | None:
    """Whether the manager record is active (None: no such record)."""
    rows = _rows(db, "SELECT active FROM manager WHERE id = ?", [int(manager_id)])
    return None if not rows else bool(rows[0][0])


def account_of_manager(db: Any, manager_id: int, *, other_than: int | None = None
                       ) -> str | None:
    """User name of an active account bound to the manager record, other than one."""
    rows = _rows(db, "SELECT username FROM app_user WHERE manager_id = ? AND active = 1"
                     " AND id IS NOT ? ORDER BY id", [int(manager_id), other_than])
    return str(rows[0][0]) if rows else None
