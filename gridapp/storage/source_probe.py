"""Questions about a GeoPackage someone brings for import, asked safely.

GDAL lists a GeoPackage's layers by opening every one of them: with 20,000
layers that takes a minute (and pyogrio stops at 10,000), and a registered
view that never ends (a recursive view without a stop) hangs the open for
ever.  These functions ask SQLite directly, read-only, with a time limit
enforced by SQLite's progress handler, before GDAL ever sees the file.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from gridapp.storage import connection

# SQLite virtual-machine steps between two looks at the clock.
_STEPS = 10_000


@dataclass(frozen=True)
class SourceLayer:
    """One entry of ``gpkg_contents``; *is_view* when it is an SQL view."""

    name: str
    data_type: str
    is_view: bool


def _quote(name: str) -> str:
    # Identifiers cannot be bound parameters; double the quotes inside.
    return '"' + name.replace('"', '""') + '"'


def _open(path: Path) -> sqlite3.Connection:
    connection.sniff(path)
    return connection.connect(path, readonly=True)


def gpkg_layers(path: str | Path) -> list[SourceLayer]:
    """Every feature and attribute layer of a GeoPackage, in ``gpkg_contents`` order."""
    conn = _open(Path(path))
    try:
        with connection.translate_errors(Path(path)):
            rows = conn.execute(
                "SELECT c.table_name, c.data_type, m.type = 'view' AS is_view "
                "FROM gpkg_contents c LEFT JOIN sqlite_master m ON m.name = c.table_name "
                "WHERE c.data_type IN ('features', 'attributes') ORDER BY c.rowid"
            ).fetchall()
    finally:
        conn.close()
    return [SourceLayer(str(r[0]), str(r[1]), bool(r[2])) for r in rows]


def view_finishes(path: str | Path, view: str, seconds: float) -> bool:
    """Whether counting the rows of *view* ends within *seconds*.

    A view whose SQL fails in plain SQLite (it calls a function only GDAL
    has) counts as finishing: GDAL will report that error itself.
    """
    conn = _open(Path(path))
    deadline = time.monotonic() + seconds
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), _STEPS)
    try:
        conn.execute(f"SELECT count(*) FROM {_quote(view)}").fetchone()
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc).lower():
            return False
        return True
    finally:
        conn.close()
    return True
