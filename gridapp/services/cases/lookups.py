"""Choice lists for the case widgets: categories, grids, handling departments.

Read-only; every role may read them (``workspace.read``).
"""

from __future__ import annotations

from typing import Any

from gridapp.services.session import Session
from gridapp.storage.queries import cases as queries


def category_choices(session: Session) -> list[tuple[int, str, bool]]:
    """(id, "code name", is_top_level) of active categories, in code order."""
    session.require("workspace.read")
    return [
        (int(r["id"]), f"{r['code']} {r['name']}", r["parent_id"] is None)
        for r in queries.category_tree(session.store, active_only=True)
    ]


def category_tree(session: Session) -> list[dict[str, Any]]:
    """``id, code, name, parent_id`` of every category (active or not), by code."""
    session.require("workspace.read")
    return [dict(r) for r in queries.category_tree(session.store)]


def grid_choices(session: Session) -> list[tuple[int, str]]:
    """(id, "code name") of the current grids."""
    session.require("workspace.read")
    return [
        (int(r["id"]), f"{r['code']} {r['name'] or ''}".strip())
        for r in queries.current_grids(session.store)
    ]


def department_choices(session: Session) -> list[dict[str, Any]]:
    """Handlers: id, name, kind (office / department / district)."""
    session.require("workspace.read")
    return queries.departments(session.store)
