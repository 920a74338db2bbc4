"""Schema 18 (patrols, issue 18): what a patrol track needs beyond its line.

``patrol_track`` gains the times and accuracies of its points (JSON arrays,
one entry per vertex, so the line keeps its timing without a measure
dimension QGIS would not show), the CRS the points came in, who recorded it,
the client's idempotency key (a phone retrying an upload gets the first
track back), the points flagged as impossible (jumps, reversed time) and the
walked length in metres.
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0018_patrols"
VERSION = 18

_COLUMNS = [
    ("point_times", "TEXT"),        # JSON ["2026-11-20T08:00:00+08:00", ...]
    ("point_accuracy", "TEXT"),     # JSON [5.0, null, ...] metres
    ("source_crs", "TEXT"),         # wgs84 / gcj02 / bd09 / cgcs2000
    ("source", "TEXT"),             # phone / gpx / kml / csv
    ("recorded_by", "TEXT"),        # the user who sent or imported it
    ("idempotency_key", "TEXT"),
    ("flags", "TEXT"),              # JSON [{"point": 7, "reason": "speed"}, ...]
    ("length_m", "REAL"),
    ("created_at", "DATETIME"),
]


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    for name, kind in _COLUMNS:
        conn.execute(f"ALTER TABLE patrol_track ADD COLUMN {name} {kind}")
    # Not partial (no WHERE): GDAL 3.6's ogr2ogr cannot copy a file with a partial
    # unique index; SQLite's UNIQUE lets any number of NULL keys through anyway.
    conn.execute("CREATE UNIQUE INDEX patrol_track_idempotency ON patrol_track"
                 "(idempotency_key)")
    conn.execute("CREATE INDEX patrol_track_manager_day ON patrol_track"
                 "(manager_id, started_at)")
