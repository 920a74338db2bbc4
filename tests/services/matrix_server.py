"""Permission-matrix rows of the window's district-server connection (issue 16):
gridapp.services.server_check (check_server takes an address, not a session)."""

from __future__ import annotations

from tests.services.matrix_base import _NONE, Needs

REQUIRES: dict[str, Needs] = {
    "server_check.reconnect_count": _NONE,  # a counter of the session's own connections
}
