"""Named questions about people: user accounts, logins, grid managers, departments.

Each function takes the store (a read) or an open :class:`Transaction` (a
read under the write lock, so a rule such as "keep one active administrator"
or "count every failed login" is checked by the same transaction as the
change it guards).  Parameters are always bound; nothing here returns a
password hash except :func:`login_row` and :func:`password_hash`, which the
login service needs.  Assignments of managers to grids are in
:mod:`gridapp.storage.queries.assignments`.
"""

from __future__ import annotations

from typing import Any

from gridapp.storage.store import GeoPackageStore
from gridapp.storage.transaction import Transaction

Db = GeoPackageStore | Transaction


def rows(db: Db, sql: str, params: Any = ()) -> list[Any]:
    """Rows of *sql* read through the store or inside a transaction (storage only)."""
    if isinstance(db, Transaction):
        return list(db.execute(sql, params).fetchall())
    return list(db.query(sql, params))


def _one(db: Db, sql: str, params: Any = ()) -> Any:
    found = rows(db, sql, params)
    return found[0][0] if found else None


# -- logins ----------------------------------------------------------------
_LOGIN_SQL = (
    "SELECT u.id, u.username, u.display_name, r.name AS role, u.department_id,"
    " u.manager_id, u.password_hash, u.failed_logins, u.locked_until, u.active"
    " FROM app_user u JOIN app_role r ON r.id = u.role_id")


def login_row(db: Db, username: str) -> dict[str, Any] | None:
    """The login row of *username* (with its hash and counters), or ``None``.

    Read inside the attempt's ``BEGIN IMMEDIATE`` transaction, attempts from
    many processes at once are serialised and none reads a stale counter.
    """
    found = rows(db, _LOGIN_SQL + " WHERE u.username = ?", (username,))
    return dict(found[0]) if found else None


def login_row_by_id(db: Db, user_id: int) -> dict[str, Any] | None:
    """The login row of the user with id *user_id*, or ``None``."""
    found = rows(db, _LOGIN_SQL + " WHERE u.id = ?", (int(user_id),))
    return dict(found[0]) if found else None


def locked_until(db: Db, username: str) -> str | None:
    """The stored end of *username*'s lockout (ISO text), if any."""
    return _one(db, "SELECT locked_until FROM app_user WHERE username = ?", (username,))


def password_hash(db: Db, user_id: int) -> str | None:
    return _one(db, "SELECT password_hash FROM app_user WHERE id = ?", (int(user_id),))


# -- user accounts -----------------------------------------------------------
def user_id(db: Db, user: int | str) -> int | None:
    """The id of a user given by id or exact user name (``None``: no such user)."""
    if isinstance(user, int):
        value = _one(db, "SELECT id FROM app_user WHERE id = ?", (user,))
    else:
        value = _one(db, "SELECT id FROM app_user WHERE username = ?", (user.strip(),))
    return None if value is None else int(value)


def username_taken(db: Db, username: str) -> bool:
    """Whether an account already has *username*, ignoring case."""
    return bool(_one(db, "SELECT 1 FROM app_user WHERE lower(username) = lower(?)",
                     (username,)))


def user_row(db: Db, user_id: int) -> dict[str, Any] | None:
    """id, username, display_name, role (name), department_id, manager_id, active."""
    found = rows(db, "SELECT u.id, u.username, u.display_name, r.name AS role,"
                     " u.department_id, u.manager_id, u.active FROM app_user u"
                     " JOIN app_role r ON r.id = u.role_id WHERE u.id = ?", [int(user_id)])
    return dict(found[0]) if found else None


def user_list(db: Db, *, role_name: str | None = None,
              include_inactive: bool = True) -> list[dict[str, Any]]:
    """Accounts with their role, department and manager names (no hashes),
    ordered by role and user name."""
    where, params = ["1 = 1"], []
    if role_name is not None:
        where.append("r.name = ?")
        params.append(role_name)
    if not include_inactive:
        where.append("u.active = 1")
    return [dict(r) for r in rows(
        db,
        "SELECT u.id, u.username, u.display_name, r.name AS role, u.department_id,"
        " d.name AS department_name, u.manager_id, m.name AS manager_name, u.active,"
        " u.locked_until, u.last_login, u.created_at FROM app_user u"
        " JOIN app_role r ON r.id = u.role_id"
        " LEFT JOIN department d ON d.id = u.department_id"
        " LEFT JOIN manager m ON m.id = u.manager_id"
        f" WHERE {' AND '.join(where)} ORDER BY r.id, u.username", params)]


def active_admin_ids(db: Db) -> list[int]:
    """Ids of the active accounts holding the administrator role."""
    return [int(r[0]) for r in rows(
        db, "SELECT u.id FROM app_user u JOIN app_role r ON r.id = u.role_id"
            " WHERE r.name = 'admin' AND u.active = 1 ORDER BY u.id")]


def role_id(db: Db, role_name: str) -> int | None:
    value = _one(db, "SELECT id FROM app_role WHERE name = ?", [role_name])
    return None if value is None else int(value)


def account_of_manager(db: Db, manager_id: int, *, other_than: int | None = None
                       ) -> str | None:
    """User name of an active account bound to the manager record, other than one."""
    value = _one(db, "SELECT username FROM app_user WHERE manager_id = ? AND active = 1"
                     " AND id IS NOT ? ORDER BY id", [int(manager_id), other_than])
    return None if value is None else str(value)


def active_account_ids_of_manager(db: Db, manager_id: int) -> list[int]:
    """Ids of the active accounts bound to the manager record."""
    return [int(r[0]) for r in rows(
        db, "SELECT id FROM app_user WHERE manager_id = ? AND active = 1", (manager_id,))]


# -- departments -------------------------------------------------------------
def department_exists(db: Db, department_id: int) -> bool:
    return bool(rows(db, "SELECT 1 FROM department WHERE id = ?", [int(department_id)]))


def department_id_by_ref(db: Db, ref: str) -> int | None:
    """The id of the department whose code, name or short name is *ref*."""
    value = _one(db, "SELECT id FROM department WHERE code = ? OR name = ? OR short_name = ?",
                 (ref, ref, ref))
    return None if value is None else int(value)


def departments(db: Db) -> list[dict[str, Any]]:
    """Every department: id, name, kind (office / department / district), by id."""
    return [dict(r) for r in rows(db, "SELECT id, name, kind FROM department ORDER BY id")]


# -- grid managers -------------------------------------------------------------
def manager_state(db: Db, manager_id: int) -> tuple[bool, str] | None:
    """(active, name) of a manager record, or ``None`` when there is none."""
    found = rows(db, "SELECT active, name FROM manager WHERE id = ?", (manager_id,))
    return (bool(found[0][0]), str(found[0][1])) if found else None


def manager_active(db: Db, manager_id: int) -> bool | None:
    """Whether the manager record is active (None: no such record)."""
    state = manager_state(db, int(manager_id))
    return None if state is None else state[0]


def staff_no_taken(db: Db, staff_no: str, except_id: int | None = None) -> bool:
    """Whether another manager has *staff_no*, ignoring case."""
    return bool(_one(db, "SELECT 1 FROM manager WHERE lower(staff_no) = lower(?)"
                         " AND id IS NOT ?", (staff_no, except_id)))


def staff_nos(db: Db) -> set[str]:
    """Every manager's staff number, lower-cased."""
    return {str(r[0]).lower() for r in rows(db, "SELECT staff_no FROM manager")}


def manager_id_by_staff_no(db: Db, staff_no: str) -> int | None:
    value = _one(db, "SELECT id FROM manager WHERE lower(staff_no) = lower(?)", (staff_no,))
    return None if value is None else int(value)


def manager_list(db: Db, *, include_inactive: bool = False) -> list[dict[str, Any]]:
    """Managers by staff number, with their count of current grids and the
    households of the current grids they are primary for."""
    where = "" if include_inactive else "WHERE m.active = 1"
    return [dict(r) for r in rows(
        db,
        "SELECT m.id, m.name, m.phone, m.staff_no, m.employment, m.photo_id, m.notes,"
        " m.active, m.created_at,"
        " (SELECT count(*) FROM grid_assignment a JOIN grid g ON g.id = a.grid_id"
        "   WHERE a.manager_id = m.id AND a.valid_to IS NULL AND g.valid_to IS NULL) AS grids,"
        " (SELECT coalesce(sum(g.households), 0) FROM grid_assignment a JOIN grid g"
        "   ON g.id = a.grid_id WHERE a.manager_id = m.id AND a.valid_to IS NULL"
        "   AND g.valid_to IS NULL AND a.role = 'primary') AS households"
        f" FROM manager m {where} ORDER BY m.staff_no")]


_HISTORY = (
    "SELECT 1 FROM grid_assignment WHERE manager_id = ? LIMIT 1",
    "SELECT 1 FROM report WHERE reporter_manager_id = ? LIMIT 1",
    "SELECT 1 FROM patrol_track WHERE manager_id = ? LIMIT 1",
    "SELECT 1 FROM app_user WHERE manager_id = ? LIMIT 1",
)


def manager_has_history(db: Db, manager_id: int) -> bool:
    """Whether assignments, reports, tracks or accounts refer to the manager."""
    return any(_one(db, sql, (manager_id,)) for sql in _HISTORY)


def manager_photo(db: Db, manager_id: int) -> bytes | None:
    """The bytes of the manager's photo attachment, or ``None``."""
    found = rows(db, "SELECT a.data FROM manager m JOIN attachment a ON a.id = m.photo_id"
                     " WHERE m.id = ?", (manager_id,))
    return bytes(found[0][0]) if found else None
