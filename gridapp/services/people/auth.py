"""Login, lockout and passwords.

A failed login always raises the same :class:`AuthenticationError`, whether
the user name is unknown, the password wrong, the account disabled or
locked, so the message never tells a guesser which part was wrong.  After
``auth.max_failures`` failed attempts in a row (setting, default 5) the
account is locked for ``auth.lock_minutes`` (default 15).  Passwords and
hashes never appear in messages, logs or the audit log (the audit layer
redacts ``password_hash``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from os import PathLike
from typing import Any

from gridapp.domain.enums import Role
from gridapp.domain.passwords import check_strength, hash_password, verify_password
from gridapp.domain.timeutil import from_iso, now_utc, to_iso
from gridapp.errors import (
    AuthenticationError,
    NotFoundError,
    ReadOnlyWorkspaceError,
    ValidationError,
)
from gridapp.services.session import Session, User
from gridapp.storage import GeoPackageStore, open_store
from gridapp.storage.queries import people as q
from gridapp.storage.schema_guard import ForeignSchemaError

MAX_FAILURES_KEY = "auth.max_failures"
LOCK_MINUTES_KEY = "auth.lock_minutes"
DEFAULT_MAX_FAILURES = 5
DEFAULT_LOCK_MINUTES = 15



@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so that an unknown name
    takes as long as a wrong password."""
    return hash_password("not-a-real-password-0")


def login_failed() -> AuthenticationError:
    return AuthenticationError(
        "登录失败：用户名或密码不正确，或账户已停用、暂时锁定",
        "Login failed: wrong user name or password, or the account is disabled or "
        "temporarily locked")


def _user_from_row(row: Any) -> User:
    role = Role(row["role"])  # type: ignore[call-arg]
    return User(id=int(row["id"]), username=row["username"],
                display_name=row["display_name"] or row["username"], role=role,
                department_id=row["department_id"], manager_id=row["manager_id"])


def load_user(store: GeoPackageStore, user_id: int) -> User:
    """The :class:`User` with id *user_id* (opens sessions, like :func:`login`)."""
    row = q.login_row_by_id(store, user_id)
    if row is None:
        raise NotFoundError("没有 id={id} 的用户", "No user with id={id}", id=user_id)
    return _user_from_row(row)


def login(store: GeoPackageStore, username: str, password: str, *,
          now: datetime | None = None) -> Session:
    """Check a user name and password and open a :class:`Session`.

    Every attempt is counted before the password is checked, in a short write
    transaction (``BEGIN IMMEDIATE``), even on a store opened read-only: many
    processes guessing at once are serialised by SQLite and at most
    ``auth.max_failures`` of them are checked before the account locks.  Only
    a file that cannot be written at all (or one carrying foreign triggers,
    which no write may fire) is not counted.

    Raises
    ------
    AuthenticationError
        For every kind of failure, with one message that does not say which
        part was wrong.
    """
    now = now or now_utc()
    name = (username or "").strip()
    try:
        row, evaluate = _charge_attempt(store, name, now)
        counted = True
    except (ReadOnlyWorkspaceError, ForeignSchemaError):
        row = q.login_row(store, name)
        evaluate = row is not None and _may_try(row, now)
        counted = False
    if row is None or not evaluate:
        verify_password(password or "", _dummy_hash())  # same time as a real check
        raise login_failed()
    if not verify_password(password or "", row["password_hash"]):
        raise login_failed()
    if counted:
        with store.transaction(row["username"], int(row["id"]), force=True) as tx:
            tx.update("app_user", int(row["id"]), {
                "last_login": to_iso(now), "failed_logins": 0, "locked_until": None})
            tx.audit("login", "app_user", int(row["id"]), None)
    return Session(store, _user_from_row(row))


def _may_try(row: Any, now: datetime) -> bool:
    locked_until = from_iso(row["locked_until"])
    locked = locked_until is not None and locked_until > now
    return bool(row["password_hash"]) and bool(row["active"]) and not locked


def _charge_attempt(store: GeoPackageStore, name: str, now: datetime) -> tuple[Any, bool]:
    """Count one attempt atomically; ``(row, whether the password may be checked)``.

    The attempt is counted as a failure up front (a success resets the
    counter), so that an attacker who never waits for the answer still pays.
    The attempt that reaches the limit locks the account.
    """
    limit = int(store.setting(MAX_FAILURES_KEY, DEFAULT_MAX_FAILURES))
    minutes = float(store.setting(LOCK_MINUTES_KEY, DEFAULT_LOCK_MINUTES))
    with store.transaction(name or "?", None, force=True) as tx:
        row = q.login_row(tx, name)
        if row is None:
            tx.audit("login_failed", "app_user", None, None)
            return None, False
        uid = int(row["id"])
        if not _may_try(row, now):
            tx.audit("login_refused", "app_user", uid, None)
            return row, False
        until = from_iso(row["locked_until"])
        expired = until is not None and until <= now
        failures = (0 if expired else int(row["failed_logins"] or 0)) + 1
        changes: dict[str, Any] = {"failed_logins": failures}
        if failures >= limit:
            changes["locked_until"] = to_iso(now + timedelta(minutes=minutes))
        elif expired:
            changes["locked_until"] = None
        tx.update("app_user", uid, changes)
        tx.audit("login_attempt", "app_user", uid, None)
        return row, True


@contextmanager
def open_session(path: str | PathLike[str], username: str,
                 password: str | Callable[[], str], *,
                 readonly: bool = False) -> Iterator[Session]:
    """Open the workspace at *path* and log in; the workspace closes on leaving.

    For commands that act as a user; see :func:`login` for the lockout rules
    (a read-only workspace counts failures too).  *password* may be a
    function asking for it, called once the workspace is open (so a wrong
    path fails before anyone is asked).

    Examples
    --------
    >>> with open_session("street.gpkg", "admin", pw) as session:  # doctest: +SKIP
    ...     list_users(session)
    """
    with open_store(path, readonly=readonly) as store:
        yield login(store, username, password() if callable(password) else password)


def is_locked(session: Session, username: str, *, now: datetime | None = None) -> bool:
    """True while the account *username* is locked after failed logins."""
    session.require("user.manage")
    until = from_iso(q.locked_until(session.store, username))
    return until is not None and until > (now or now_utc())


def change_password(session: Session, old_password: str, new_password: str) -> None:
    """Change the session user's own password (the current one is asked again)."""
    uid = session.user.id
    if uid is None:
        raise ValidationError("系统账户没有密码", "The system account has no password")
    session.require("workspace.read")
    stored = q.password_hash(session.store, uid)
    if not verify_password(old_password or "", stored):
        raise AuthenticationError("当前密码不正确", "The current password is wrong")
    if old_password == new_password:
        raise ValidationError("新密码不能与当前密码相同",
                              "The new password must differ from the current one")
    check_strength(new_password)
    with session.transaction() as tx:
        tx.update("app_user", uid, {"password_hash": hash_password(new_password)})
        tx.audit("password_change", "app_user", uid, None)


def reset_password(session: Session, user: int | str, new_password: str) -> None:
    """An administrator sets a new password for *user* (id or name) and unlocks it."""
    session.require("user.manage")
    check_strength(new_password)
    uid = user_id_of(session, user)
    with session.transaction() as tx:
        tx.update("app_user", uid, {"password_hash": hash_password(new_password),
                                    "failed_logins": 0, "locked_until": None})
        tx.audit("password_reset", "app_user", uid, None)


def unlock(session: Session, user: int | str) -> None:
    """An administrator lifts a lockout without changing the password."""
    session.require("user.manage")
    uid = user_id_of(session, user)
    with session.transaction() as tx:
        tx.update("app_user", uid, {"failed_logins": 0, "locked_until": None})


def user_id_of(session: Session, user: int | str) -> int:
    """The id of a user given by id or user name (for account management)."""
    session.require("user.manage")
    value = q.user_id(session.store, user)
    if value is None:
        raise NotFoundError("没有用户“{user}”", "No user '{user}'", user=user)
    return value
