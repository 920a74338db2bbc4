"""Schema version 14: the source's own id (编号) of an imported report.

``report.external_id`` keeps the id a hotline list or collection form gave
the report, so people can find the case by it and an import of the same
rows again is refused (:mod:`gridapp.storage.report_ids`).  A plain index,
not a UNIQUE one: GDAL and QGIS would read a partial unique index as a
constraint on every row, and uniqueness among imported ids is checked by the
import itself.
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0014_report_external_id"
VERSION = 14


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    have = {r[1] for r in conn.execute('PRAGMA table_info("report")')}
    if "external_id" not in have:
        conn.execute('ALTER TABLE "report" ADD COLUMN "external_id" TEXT')
    conn.execute("CREATE INDEX IF NOT EXISTS report_external_id ON report(external_id)")
