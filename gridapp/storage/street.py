"""Named questions about the workspace's street and where its data lies.

Each function takes a store, a transaction or a ``sqlite3`` connection, so a
service can ask the same question inside the transaction that is writing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

# The layers that outline the street; their extent decides its metric CRS.
BOUNDARY_TABLES = ("street", "community", "grid")
# Every GridApp layer with geometry, for a workspace that has data but no boundaries.
DATA_TABLES = ("street", "community", "grid", "building", "place", "report",
               "patrol_track", "joint_task")

Extent = tuple[float, float, float, float]


def _rows(db: Any, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    if hasattr(db, "query"):  # a store
        return list(db.query(sql, params))
    conn: sqlite3.Connection = getattr(db, "conn", db)  # a transaction or a connection
    return conn.execute(sql, params).fetchall()


def layer_extent(db: Any, tables: Iterable[str] = BOUNDARY_TABLES) -> Extent | None:
    """``(minx, miny, maxx, maxy)`` of every geometry in *tables*, or None if they hold none.

    Read from the GeoPackage R-tree indexes (kept by triggers and bulk loads),
    not from ``gpkg_contents``, whose extent other programs may leave stale.
    """
    wanted = list(tables)
    names = [f"rtree_{t}_geom" for t in wanted]
    marks = ", ".join("?" for _ in names)
    have = {r[0] for r in _rows(
        db, f"SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ({marks})", names)}
    present = [t for t, name in zip(wanted, names, strict=True) if name in have]
    boxes = []
    for table in present:
        row = _rows(db, f'SELECT min(minx), min(miny), max(maxx), max(maxy) '
                        f'FROM "rtree_{table}_geom"')[0]
        if row[0] is not None:
            boxes.append(tuple(float(v) for v in row))
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def street_id_by_code(db: Any, code: str) -> int | None:
    """Id of the street row with *code* (the lowest, should there be several)."""
    rows = _rows(db, "SELECT min(id) FROM street WHERE code = ?", (code,))
    return int(rows[0][0]) if rows and rows[0][0] is not None else None


def first_street(db: Any) -> dict[str, Any] | None:
    """The workspace's street row (name, code, district_code, office_name), or None."""
    rows = _rows(db, "SELECT id, name, code, district_code, office_name FROM street "
                     "ORDER BY id LIMIT 1")
    if not rows:
        return None
    keys = ("id", "name", "code", "district_code", "office_name")
    return dict(zip(keys, tuple(rows[0]), strict=True))
