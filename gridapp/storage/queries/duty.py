"""Named questions for duplicates per category and the duty list by place (issue 21).

Near-duplicate radius and window per category (``category.duplicate_*``,
schema 23), the duty list's lines with their area condition, the duty areas
(``duty_area``) and the boundaries a report may lie close to.  Writes are the
duty-list editor's, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def duplicate_rule(store: Any, category_id: int) -> Any | None:
    """``code, radius_m, days`` of a category and the same (``parent_…``) of its class."""
    rows = store.query(
        "SELECT c.code, c.duplicate_radius_m AS radius_m, c.duplicate_days AS days, "
        "p.code AS parent_code, p.duplicate_radius_m AS parent_radius_m, "
        "p.duplicate_days AS parent_days "
        "FROM category c LEFT JOIN category p ON p.id = c.parent_id WHERE c.id = ?",
        (category_id,))
    return rows[0] if rows else None


def set_duplicate_rule(tx: Any, category_id: int, radius_m: float | None,
                       days: float | None) -> dict[str, Any]:
    """Store a category's radius and window (None: as its class); audited."""
    return tx.update("category", int(category_id),
                     {"duplicate_radius_m": radius_m, "duplicate_days": days})


def report_texts(store: Any, ids: Sequence[int]) -> dict[int, str]:
    """Description of each report in *ids*."""
    if not ids:
        return {}
    return {int(r[0]): r[1] or "" for r in store.query(
        f"SELECT id, description FROM report WHERE id IN ({_marks(ids)})", list(ids))}


# -- duty list -----------------------------------------------------------------
def duty_lines(store: Any, category_id: int) -> list[Any]:
    """The duty list's lines for a category (every area), the lead first."""
    return store.query(
        "SELECT id, handling, department_id, role, area_kind FROM duty_item "
        "WHERE category_id = ? ORDER BY role = 'lead' DESC, id",
        (category_id,))


def duty_table(store: Any) -> list[dict[str, Any]]:
    """Every duty-list line with its category's code and name and its department's name."""
    return [dict(r) for r in store.query(
        "SELECT d.id, d.category_id, c.code AS category_code, c.name AS category_name, "
        "d.handling, d.department_id, dep.name AS department_name, d.role, d.area_kind, "
        "d.note FROM duty_item d JOIN category c ON c.id = d.category_id "
        "LEFT JOIN department dep ON dep.id = d.department_id "
        "ORDER BY c.code, coalesce(d.area_kind, ''), d.role = 'lead' DESC, d.id")]


def duty_line(store: Any, line_id: int) -> dict[str, Any] | None:
    rows = store.query(
        "SELECT id, category_id, handling, department_id, role, area_kind, note "
        "FROM duty_item WHERE id = ?", (line_id,))
    return dict(rows[0]) if rows else None


def same_line_exists(store: Any, category_id: int, department_id: int | None,
                     area_kind: str | None, except_id: int | None) -> bool:
    """Whether another line already sends this category, in this area, to this department."""
    return any(
        r["department_id"] == department_id and r["area_kind"] == area_kind
        and r["id"] != except_id
        for r in store.query("SELECT id, department_id, area_kind FROM duty_item "
                             "WHERE category_id = ?", (category_id,)))


def area_kinds_in_use(store: Any) -> list[str]:
    """The kinds of the workspace's duty areas and of the duty list's lines."""
    return [r[0] for r in store.query(
        "SELECT kind FROM duty_area UNION SELECT area_kind FROM duty_item "
        "WHERE area_kind IS NOT NULL ORDER BY 1")]


def duty_areas_by_id(store: Any, ids: Sequence[int]) -> list[Any]:
    """``id, kind, name, geom`` of the duty areas among *ids*."""
    if not ids:
        return []
    return store.query(
        f"SELECT id, kind, name, geom FROM duty_area WHERE id IN ({_marks(ids)})",
        list(ids))


def area_ids_near(store: Any, lon: float, lat: float, dx: float, dy: float) -> list[int]:
    """Ids of duty areas whose bounding box meets the box around (lon, lat)."""
    return [int(r[0]) for r in store.query(
        'SELECT id FROM "rtree_duty_area_geom" WHERE minx <= ? AND maxx >= ? '
        "AND miny <= ? AND maxy >= ?", (lon + dx, lon - dx, lat + dy, lat - dy))]


def grid_ids_near(store: Any, lon: float, lat: float, dx: float, dy: float) -> list[int]:
    """Ids of current grids whose bounding box meets the box around (lon, lat)."""
    return [int(r[0]) for r in store.query(
        'SELECT r.id FROM "rtree_grid_geom" r JOIN grid g ON g.id = r.id '
        "WHERE g.valid_to IS NULL AND r.minx <= ? AND r.maxx >= ? "
        "AND r.miny <= ? AND r.maxy >= ?", (lon + dx, lon - dx, lat + dy, lat - dy))]


def grids_by_id(store: Any, ids: Sequence[int]) -> list[Any]:
    """``id, code, name, geom`` of the grids among *ids*, by code."""
    if not ids:
        return []
    return store.query(
        f"SELECT id, code, name, geom FROM grid WHERE id IN ({_marks(ids)}) ORDER BY code",
        list(ids))


def street_rows(store: Any) -> list[Any]:
    """``id, name, geom`` of the street outline(s)."""
    return store.query("SELECT id, name, geom FROM street")


def category_label(store: Any, category_id: int) -> str:
    """``code name`` of a category ("" when unknown)."""
    rows = store.query("SELECT code, name FROM category WHERE id = ?", (category_id,))
    return f"{rows[0]['code']} {rows[0]['name']}" if rows else ""


def duty_area_count(store: Any) -> list[Any]:
    """``kind, count`` of the duty areas."""
    return store.query("SELECT kind, count(*) AS n FROM duty_area GROUP BY kind ORDER BY kind")
