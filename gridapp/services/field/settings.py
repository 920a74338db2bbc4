"""The field service's settings, read for whoever starts it (``field.serve``).

Workspace settings (``setting`` table), with defaults:

* ``field.idle_minutes`` (30): a phone's login ends after this long unused;
* ``field.max_photo_mb`` (20, at most 40): the largest photo a phone may send.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridapp.services.field.uploads import MAX_UPLOAD_BYTES
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
