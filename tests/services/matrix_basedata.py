"""Permission-matrix rows of base data, residents and patrols (issue 18)."""

from __future__ import annotations

from tests.services.matrix_base import Needs

REQUIRES: dict[str, Needs] = {
    "patrols.tracks.record_track": "patrol.record",
}
