"""Permission-matrix rows of the district server (issue 16): gridapp.services.sync."""

from __future__ import annotations

from tests.services.matrix_base import Needs

REQUIRES: dict[str, Needs] = {
    "sync.district.publish": "district.publish",
    "sync.district.checkout": "district.checkout",
    "sync.district.checkin": "district.checkin",
}
