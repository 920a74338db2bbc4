"""The field service's settings, read for whoever starts it (``field.serve``).

Workspace settings (``setting`` table), with defaults:

* ``field.idle_minutes`` (30): a phone's login ends after this long unused;
* ``field.max_photo_mb`` (20, at most 40): the largest photo a phone may send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gridapp.services.field.uploads import MAX_UPLOAD_BYTES
from gridapp.services.people.auth import login
from gridapp.services.session import Session

PERMISSION = "field.serve"
DEFAULT_IDLE_MINUTES = 30.0


@dataclass(frozen=True)
class FieldSettings:
    idle_minutes: float
    max_photo_bytes: int
    workspace_name: str


def field_settings(session: Session) -> FieldSettings:
    """What the server needs to start; refuses roles that may not open it to phones."""
    session.require(PERMISSION)
    store = session.store
    idle = float(store.setting("field.idle_minutes", DEFAULT_IDLE_MINUTES) or DEFAULT_IDLE_MINUTES)
    mb = float(store.setting("field.max_photo_mb", MAX_UPLOAD_BYTES / 2**20) or 20)
    return FieldSettings(max(1.0, idle), int(min(max(mb, 1.0), 40.0) * 2**20),
                         str(store.setting("street.name", "") or session.path.stem))


def phone_logins(session: Session) -> Callable[[str, str], Session]:
    """The login the field service offers phones, on the starter's workspace.

    Each call is :func:`gridapp.services.people.auth.login` (same users,
    passwords and lockout as the window) and returns the phone user's own
    session; the web layer never holds the workspace itself.
    """
    session.require(PERMISSION)
    store = session.store

    def attempt(username: str, password: str) -> Session:
        return login(store, username, password)

    return attempt
