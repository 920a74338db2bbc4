"""Choice lists for the report widgets' combo boxes (categories, grids, handlers).

These are read-only lookups; they belong in a service (``services/lookups``)
once one exists — kept here so the widgets need nothing new from other layers.
"""

from __future__ import annotations

from typing import Any

from gridapp.storage import GeoPackageStore


def category_choices(store: GeoPackageStore) -> list[tuple[int, str, bool]]:
    """(id, "code name", is_top_level) of active categories, in code order."""
    rows = store.query(
        "SELECT id, code, name, parent_id FROM category WHERE active ORDER BY code"
    )
    return [
        (int(r["id"]), f"{r['code']} {r['name']}", r["parent_id"] is None) for r in rows
    ]


def grid_choices(store: GeoPackageStore) -> list[tuple[int, str]]:
    """(id, "code name") of the current grids."""
    rows = store.query(
        "SELECT id, code, name FROM grid WHERE valid_to IS NULL ORDER BY code"
    )
    return [(int(r["id"]), f"{r['code']} {r['name'] or ''}".strip()) for r in rows]


def department_choices(store: GeoPackageStore) -> list[dict[str, Any]]:
    """Handlers: id, name, kind (office / department / district)."""
    return [
        dict(r)
        for r in store.query("SELECT id, name, kind FROM department ORDER BY id")
    ]
