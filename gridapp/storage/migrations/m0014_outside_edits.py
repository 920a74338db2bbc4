"""Schema version 14: record edits made outside GridApp (QGIS, sqlite3, GDAL).

Adds ``gridapp_writer`` (GridApp's per-transaction marker, never committed
with a row in it), ``outside_edit`` (what another program inserted, updated
or deleted in ``grid``, ``community``, ``report`` and ``case_event``, with the
row before and after) and the plain-SQL triggers that fill it; see
:mod:`gridapp.storage.outside_edits`.  The triggers are recreated after any
later migration so they follow added columns.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from gridapp.storage import outside_edits

NAME = "0014_outside_edits"
VERSION = 14


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    outside_edits.create_tables(conn)
    outside_edits.create_triggers(conn)
    # The rest of this (migration) transaction is GridApp's own.
    outside_edits.mark_writer(conn)
