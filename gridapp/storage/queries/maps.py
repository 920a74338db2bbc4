"""Named questions behind posters, atlases and the web map.

Only what is public on a notice board is read here: grids, communities,
landmarks, the managers' names, phones and photos (挂牌公示); residents' and
reporters' personal data never.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_ASSIGNMENTS = """
SELECT a.grid_id, a.role, m.id AS manager_id, m.name, m.phone, m.photo_id
FROM grid_assignment a JOIN manager m ON m.id = a.manager_id
WHERE a.valid_to IS NULL
ORDER BY a.grid_id, CASE a.role WHEN 'primary' THEN 0 ELSE 1 END, a.valid_from DESC, a.id
"""

_GRID_PEOPLE = """
SELECT g.id AS grid_id, c.name AS community, c.code AS community_code,
       m.name AS manager, m.phone AS phone
FROM grid g
LEFT JOIN community c ON c.id = g.community_id
LEFT JOIN grid_assignment a ON a.grid_id = g.id AND a.valid_to IS NULL
     AND a.role = 'primary'
LEFT JOIN manager m ON m.id = a.manager_id
WHERE g.valid_to IS NULL
ORDER BY g.code, a.valid_from DESC, a.id DESC
"""

_CATEGORIES = """
SELECT c.id, c.code, c.name, COALESCE(p.code, c.code) AS top_code,
       COALESCE(p.name, c.name) AS top_name
FROM category c LEFT JOIN category p ON p.id = c.parent_id
"""


def street_row(store: Any) -> dict[str, Any] | None:
    """The street's name and office name (the first street row), or None."""
    rows = store.query("SELECT name, office_name FROM street ORDER BY id LIMIT 1")
    return dict(rows[0]) if rows else None


def place_names(store: Any) -> tuple[str, str]:
    """(street name, office name): the street row first, the settings as fallback.

    The office name falls back to the street's name, as posters print it.
    """
    row = street_row(store) or {}
    name = row.get("name") or store.setting("street.name", "") or ""
    office = (store.setting("street.office_name", "") or row.get("office_name") or name)
    return str(name), str(office)


def communities(store: Any) -> Any:
    """Every community, by code (EPSG:4490)."""
    return store.read_layer("community").sort_values("code").reset_index(drop=True)


def community_choices(store: Any) -> list[tuple[str, str]]:
    """(code, name) of every community, by code (for pickers)."""
    return [(str(c), str(n)) for c, n in store.query(
        "SELECT code, name FROM community ORDER BY code")]


def current_grids(store: Any, community_id: int | None = None,
                  columns: Sequence[str] | None = None) -> Any:
    """The current grids (``valid_to IS NULL``), of one community if given."""
    where, params = "valid_to IS NULL", []
    if community_id is not None:
        where, params = "valid_to IS NULL AND community_id = ?", [community_id]
    return store.read_layer("grid", where, params, columns=columns)


def current_assignments(store: Any) -> list[dict[str, Any]]:
    """Current assignments with the manager's name, phone and photo id, primary first."""
    return [dict(r) for r in store.query(_ASSIGNMENTS)]


def attachment_data(store: Any, attachment_id: int) -> bytes | None:
    got = store.query("SELECT data FROM attachment WHERE id = ?", (int(attachment_id),))
    return bytes(got[0][0]) if got and got[0][0] else None


def landmarks(store: Any) -> Any:
    """Places marked as landmarks (EPSG:4490)."""
    return store.read_layer("place", "landmark = 1")


def office_duty_categories(store: Any) -> list[str]:
    """Names of the categories the street office handles itself, by code."""
    return [str(r[0]) for r in store.query(
        "SELECT c.name FROM category c WHERE c.id IN (SELECT d.category_id FROM duty_item d"
        " WHERE d.handling = 'office' AND d.area_kind IS NULL) ORDER BY c.code")]


def grid_people(store: Any) -> list[dict[str, Any]]:
    """Per current grid: community and the primary manager (newest first)."""
    return [dict(r) for r in store.query(_GRID_PEOPLE)]


def category_tree(store: Any) -> list[dict[str, Any]]:
    """Every category with its class (top-level) code and name."""
    return [dict(r) for r in store.query(_CATEGORIES)]


def recent_reports(store: Any, since_iso: str, until_iso: str, community_id: int | None,
                   columns: Sequence[str]) -> Any:
    """Reports filed in ``[since, until]``, of one community if given (no personal data:
    the caller names the *columns*)."""
    where = "reported_at >= ? AND reported_at <= ?"
    params: list[Any] = [since_iso, until_iso]
    if community_id is not None:
        where += " AND community_id = ?"
        params.append(community_id)
    return store.read_layer("report", where, params, columns=list(columns))


def tasks_not_in(store: Any, states: Sequence[str], columns: Sequence[str]) -> Any:
    """Joint tasks whose state is not one of *states*."""
    marks = ", ".join("?" for _ in states) or "NULL"
    return store.read_layer("joint_task", f"state NOT IN ({marks})", list(states),
                            columns=list(columns))
