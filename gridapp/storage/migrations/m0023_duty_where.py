"""Schema version 23 (issue 21): duplicates per category, duty list by place.

* ``category`` gains ``duplicate_radius_m`` and ``duplicate_days``: how near
  and how recent an open case of the same category must be to be offered as a
  near duplicate of a new report, as the office set them.  NULL means the
  built-in value for the code (a manhole cover 30 m, noise 200 m …: see
  :data:`gridapp.services.cases.placement.DUPLICATE_DEFAULTS`), then the
  parent class's, then 50 m and 7 days.
* ``duty_item`` gains ``area_kind``: the line applies only to reports inside a
  ``duty_area`` of that kind (``main_road``, ``compound``, ``market`` …);
  NULL means everywhere.  A line for the area wins over the everywhere line.
* ``duty_area`` (feature table, POLYGON in the workspace CRS): the areas the
  duty list refers to, with their kind and name.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from gridapp.storage import gpkg

NAME = "0023_duty_where"
VERSION = 23

def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    srs_id = ctx.get("srs_id", 4490)
    have = {r[1] for r in conn.execute('PRAGMA table_info("category")')}
    for col in ("duplicate_radius_m", "duplicate_days"):
        if col not in have:
            conn.execute(f'ALTER TABLE category ADD COLUMN "{col}" REAL')
    have = {r[1] for r in conn.execute('PRAGMA table_info("duty_item")')}
    if "area_kind" not in have:
        conn.execute("ALTER TABLE duty_item ADD COLUMN area_kind TEXT")
    conn.execute(
        """CREATE TABLE duty_area (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
        geom POLYGON, kind TEXT NOT NULL, name TEXT)""")
    gpkg.register_features(conn, "duty_area", "POLYGON", srs_id,
                           "职责区域 duty-list area (main road, compound, market)")
    conn.execute("CREATE INDEX IF NOT EXISTS duty_item_category ON duty_item(category_id)")
