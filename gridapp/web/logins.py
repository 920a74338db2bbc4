"""Phone logins: session cookies, idle timeout, CSRF tokens.

A phone logs in with the window's user name and password through
:func:`gridapp.services.people.auth.login`, so every attempt counts toward
the same lockout.  The server keeps the logged-in :class:`Session` in memory
under a random token sent as an ``HttpOnly; Secure; SameSite=Strict`` cookie;
a login unused for the idle time (``field.idle_minutes``) ends.  Stopping the
server ends every login (the phone keeps its queue and asks to log in again).

CSRF: every response sets a random ``gridapp_csrf`` cookie the page can read;
every POST must repeat it in the ``X-CSRF-Token`` header (a page of another
site can neither read the cookie nor send that header without the browser's
preflight, which this server never grants), and after login the header must
be the token bound to the session.  A POST whose ``Origin`` names another
site is refused too.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from gridapp.domain.timeutil import now_utc
from gridapp.services.session import Session

SESSION_COOKIE = "gridapp_session"
CSRF_COOKIE = "gridapp_csrf"
CSRF_HEADER = "x-csrf-token"


@dataclass
class PhoneLogin:
    session: Session
    csrf: str
    last_seen: datetime


class PhoneLogins:
    """Logged-in phones by session token (thread-safe: endpoints run in a pool)."""

    def __init__(self, idle: timedelta) -> None:
        self.idle = idle
        self._by_token: dict[str, PhoneLogin] = {}
        self._lock = threading.Lock()

    def start(self, session: Session, csrf: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._by_token[token] = PhoneLogin(session, csrf, now_utc())
        return token

    def get(self, token: str | None) -> tuple[PhoneLogin | None, bool]:
        """(the login, whether it just expired); touching it keeps it alive."""
        if not token:
            return None, False
        now = now_utc()
        with self._lock:
            login = self._by_token.get(token)
            if login is None:
                return None, False
            if now - login.last_seen > self.idle:
                del self._by_token[token]
                return None, True
            login.last_seen = now
            return login, False

    def end(self, token: str | None) -> None:
        with self._lock:
            self._by_token.pop(token or "", None)

    def clear(self) -> None:
        with self._lock:
            self._by_token.clear()

    def __len__(self) -> int:
        return len(self._by_token)


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def csrf_ok(headers: Any, cookies: dict[str, str], login: PhoneLogin | None) -> bool:
    """The POST's header repeats the cookie, and the session's token once logged in."""
    sent = headers.get(CSRF_HEADER, "")
    if not sent:
        return False
    expected = login.csrf if login is not None else cookies.get(CSRF_COOKIE, "")
    return bool(expected) and hmac.compare_digest(sent, expected)


def same_origin(headers: Any) -> bool:
    """No ``Origin`` (same-origin GETs, old browsers) or one naming this host."""
    origin = headers.get("origin")
    if not origin:
        return True
    host = headers.get("host", "")
    return origin.split("://", 1)[-1].rstrip("/") == host
