"""Named features found by a few typed characters: grids, communities, places.

The window's search box (issue 21) asks for "what is called like this" and
zooms to it.  Each function returns plain tuples ``(id, code, name, minx,
miny, maxx, maxy)`` with the box in EPSG:4490 from the table's R-tree (a view
of the same name on PostGIS), so no geometry is decoded.  Matching is a
case-insensitive substring of the code or the name; ``%`` and ``_`` typed by
the user match themselves.  Parameters are always bound.
"""

from __future__ import annotations

from typing import Any

from gridapp.storage.store import GeoPackageStore

Hit = tuple[int, str | None, str | None, float, float, float, float]

# table → (code column or NULL, extra condition); table names are trusted here.
_TABLES: dict[str, tuple[str, str]] = {
    "grid": ("t.code", "t.valid_to IS NULL"),
    "community": ("t.code", "1 = 1"),
    "place": ("NULL", "1 = 1"),
    "building": ("NULL", "t.name IS NOT NULL"),
}


def _pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def named(store: GeoPackageStore, table: str, text: str, limit: int) -> list[Hit]:
    """Rows of *table* whose code or name contains *text*, exact code first."""
    code, where = _TABLES[table]
    pattern = _pattern(text)
    sql = (
        f"SELECT t.id, {code}, t.name, r.minx, r.miny, r.maxx, r.maxy"
        f" FROM {table} t JOIN rtree_{table}_geom r ON r.id = t.id"
        f" WHERE {where} AND (lower(COALESCE({code}, '')) LIKE ? ESCAPE '\\'"
        f" OR lower(COALESCE(t.name, '')) LIKE ? ESCAPE '\\')"
        f" ORDER BY CASE WHEN {code} = ? OR t.name = ? THEN 0 ELSE 1 END,"
        f" length(COALESCE({code}, t.name, '')), t.id LIMIT ?"
    )
    params: list[Any] = [pattern, pattern, text, text, int(limit)]
    return [
        (int(r[0]), r[1], r[2], float(r[3]), float(r[4]), float(r[5]), float(r[6]))
        for r in store.query(sql, params)
    ]


def case_numbers(store: GeoPackageStore, prefix: str, limit: int) -> list[Hit]:
    """Cases whose number starts with *prefix* (a range over the unique index)."""
    sql = (
        "SELECT t.id, t.case_no, NULL, r.minx, r.miny, r.maxx, r.maxy"
        " FROM report t JOIN rtree_report_geom r ON r.id = t.id"
        " WHERE t.case_no >= ? AND t.case_no < ? ORDER BY t.case_no LIMIT ?"
    )
    rows = store.query(sql, [prefix, prefix + "\uffff", int(limit)])
    return [(int(r[0]), r[1], None, float(r[3]), float(r[4]), float(r[5]), float(r[6]))
            for r in rows]
