"""Schema version 14: "unique among current rows" as triggers, not partial unique indexes.

GDAL and QGIS read a partial unique index (``... WHERE valid_to IS NULL``) as
a plain UNIQUE constraint on the column, so ``ogr2ogr -f GPKG copy.gpkg
workspace.gpkg`` stopped at the second version of a grid code (or the second
assignment of a grid) and QGIS forms refused valid rows.  The same rules are
now BEFORE INSERT/UPDATE triggers that raise ABORT; the indexes that served
them stay as ordinary (non-unique) partial indexes so the checks stay cheap.

* a current grid's ``code`` is not used by another current grid;
* a grid has at most one current primary manager;
* a manager has at most one current assignment per grid.

Rows already breaking a rule keep opening (as before); the triggers stop new
breaks and ``grids check`` / the assignment warnings report the old ones.
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0014_unique_current"
VERSION = 14

DROP = ["grid_current_code", "grid_current_code_unique", "assignment_one_primary",
        "assignment_one_current"]

INDEXES = [
    "CREATE INDEX IF NOT EXISTS grid_current_code ON grid(code) WHERE valid_to IS NULL",
    "CREATE INDEX IF NOT EXISTS assignment_current_manager ON"
    " grid_assignment(grid_id, manager_id) WHERE valid_to IS NULL",
]

_ABORT_CODE = "SELECT RAISE(ABORT, 'UNIQUE constraint failed: grid.code (among current grids)')"
_ABORT_PRIMARY = ("SELECT RAISE(ABORT, 'UNIQUE constraint failed: grid_assignment.grid_id"
                  " (one current primary manager per grid)')")
_ABORT_PAIR = ("SELECT RAISE(ABORT, 'UNIQUE constraint failed: grid_assignment.grid_id,"
               " grid_assignment.manager_id (among current assignments)')")

_CODE_CLASH = ("NEW.valid_to IS NULL AND EXISTS (SELECT 1 FROM grid WHERE code = NEW.code"
               " AND valid_to IS NULL AND id IS NOT NEW.id)")
_PRIMARY_CLASH = ("NEW.valid_to IS NULL AND NEW.role = 'primary' AND EXISTS (SELECT 1 FROM"
                  " grid_assignment WHERE grid_id = NEW.grid_id AND valid_to IS NULL"
                  " AND role = 'primary' AND id IS NOT NEW.id)")
_PAIR_CLASH = ("NEW.valid_to IS NULL AND EXISTS (SELECT 1 FROM grid_assignment WHERE"
               " grid_id = NEW.grid_id AND manager_id = NEW.manager_id AND valid_to IS NULL"
               " AND id IS NOT NEW.id)")

TRIGGERS = [
    f"""CREATE TRIGGER grid_current_code_insert BEFORE INSERT ON grid
    WHEN {_CODE_CLASH} BEGIN {_ABORT_CODE}; END""",
    f"""CREATE TRIGGER grid_current_code_update BEFORE UPDATE OF id, code, valid_to ON grid
    WHEN {_CODE_CLASH} BEGIN {_ABORT_CODE}; END""",
    f"""CREATE TRIGGER assignment_one_primary_insert BEFORE INSERT ON grid_assignment
    WHEN {_PRIMARY_CLASH} BEGIN {_ABORT_PRIMARY}; END""",
    f"""CREATE TRIGGER assignment_one_primary_update BEFORE UPDATE OF id, grid_id, role,
    valid_to ON grid_assignment WHEN {_PRIMARY_CLASH} BEGIN {_ABORT_PRIMARY}; END""",
    f"""CREATE TRIGGER assignment_one_current_insert BEFORE INSERT ON grid_assignment
    WHEN {_PAIR_CLASH} BEGIN {_ABORT_PAIR}; END""",
    f"""CREATE TRIGGER assignment_one_current_update BEFORE UPDATE OF id, grid_id, manager_id,
    valid_to ON grid_assignment WHEN {_PAIR_CLASH} BEGIN {_ABORT_PAIR}; END""",
]


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    for name in DROP:
        conn.execute(f'DROP INDEX IF EXISTS "{name}"')
    for sql in INDEXES + TRIGGERS:
        conn.execute(sql)
