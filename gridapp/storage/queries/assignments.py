"""Named questions about which manager is responsible for which grid, with history.

Reads that decide a change (the current rows of a grid, of a manager) take
the open :class:`Transaction`, so they see the state the change is made on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gridapp.storage.queries.people import Db, rows

_SELECT = (
    "SELECT a.id, a.grid_id, g.code AS grid_code, g.name AS grid_name,"
    " g.valid_to IS NULL AS grid_current, a.manager_id, m.name AS manager_name, m.staff_no,"
    " a.role, a.valid_from, a.valid_to FROM grid_assignment a"
    " JOIN grid g ON g.id = a.grid_id JOIN manager m ON m.id = a.manager_id")


def assignment_rows(db: Db, *, current_only: bool, grid_ids: Sequence[int] | None = None,
                    manager_id: int | None = None) -> list[dict[str, Any]]:
    """Assignments with grid and manager names, by grid code, primary first, then age.

    *current_only* keeps the rows in force (``valid_to IS NULL``), retired grid
    versions included; *grid_ids* (possibly empty) and *manager_id* narrow them.
    """
    where: list[str] = ["a.valid_to IS NULL"] if current_only else []
    params: list[Any] = []
    if grid_ids is not None:
        ids = sorted({int(g) for g in grid_ids})
        where.append(f"a.grid_id IN ({', '.join('?' for _ in ids)})" if ids else "0 = 1")
        params += ids
    if manager_id is not None:
        where.append("a.manager_id = ?")
        params.append(manager_id)
    return [dict(r) for r in rows(
        db, f"{_SELECT} WHERE {' AND '.join(where or ['1 = 1'])}"
            " ORDER BY g.code, a.role DESC, a.valid_from", params)]


def primary_manager_by_grid(db: Db) -> dict[int, int]:
    """Current grid id → the id of its current primary manager."""
    return {int(r[0]): int(r[1]) for r in rows(
        db, "SELECT a.grid_id, a.manager_id FROM grid_assignment a JOIN grid g"
            " ON g.id = a.grid_id WHERE a.valid_to IS NULL AND a.role = 'primary'"
            " AND g.valid_to IS NULL")}


def grid_versions(db: Db, grid_ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
    """Grid id → (code, valid_to) for those of *grid_ids* that exist."""
    if not grid_ids:
        return {}
    marks = ", ".join("?" for _ in grid_ids)
    return {int(r[0]): (r[1], r[2]) for r in rows(
        db, f"SELECT id, code, valid_to FROM grid WHERE id IN ({marks})", list(grid_ids))}


def current_grid_id_by_code(db: Db, code: str) -> int | None:
    """The id of the current version of the grid with *code*."""
    found = rows(db, "SELECT id FROM grid WHERE code = ? AND valid_to IS NULL", (code,))
    return int(found[0][0]) if found else None


def current_in_grid(db: Db, grid_id: int, manager_id: int | None = None
                    ) -> list[dict[str, Any]]:
    """Current assignments of a grid (of one manager there): id, manager_id, role."""
    if manager_id is None:
        found = rows(db, "SELECT id, manager_id, role FROM grid_assignment"
                         " WHERE grid_id = ? AND valid_to IS NULL", (grid_id,))
    else:
        found = rows(db, "SELECT id, manager_id, role FROM grid_assignment"
                         " WHERE grid_id = ? AND manager_id = ? AND valid_to IS NULL",
                     (grid_id, manager_id))
    return [dict(r) for r in found]


def current_of_manager(db: Db, manager_id: int, grid_ids: Sequence[int] | None = None
                       ) -> list[dict[str, Any]]:
    """Current assignments of a manager (in *grid_ids* only, when given):
    id, grid_id, role and ``grid_end``, the grid version's ``valid_to``."""
    sql = ("SELECT a.id, a.grid_id, a.role, g.valid_to AS grid_end FROM grid_assignment a"
           " JOIN grid g ON g.id = a.grid_id WHERE a.manager_id = ? AND a.valid_to IS NULL")
    params: list[Any] = [manager_id]
    if grid_ids is not None:
        sql += f" AND a.grid_id IN ({', '.join('?' for _ in grid_ids)})"
        params += list(grid_ids)
    return [dict(r) for r in rows(db, sql, params)]


# -- warnings --------------------------------------------------------------------
def grids_without_primary(db: Db) -> list[dict[str, Any]]:
    """Current grids (id, code, name) with no current primary manager, by code."""
    return [dict(r) for r in rows(
        db, "SELECT g.id, g.code, g.name FROM grid g WHERE g.valid_to IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM grid_assignment a WHERE a.grid_id = g.id AND a.valid_to IS NULL"
            "  AND a.role = 'primary') ORDER BY g.code")]


def manager_loads(db: Db) -> list[dict[str, Any]]:
    """Per assigned manager: id, name, ``grids`` (current grids) and ``hh`` (households
    of the current grids they are primary for), by staff number."""
    return [dict(r) for r in rows(
        db, "SELECT m.id, m.name, count(DISTINCT a.grid_id) AS grids,"
            " coalesce(sum(CASE WHEN a.role = 'primary' THEN g.households END), 0) AS hh"
            " FROM manager m JOIN grid_assignment a ON a.manager_id = m.id"
            " JOIN grid g ON g.id = a.grid_id WHERE a.valid_to IS NULL AND g.valid_to IS NULL"
            " GROUP BY m.id ORDER BY m.staff_no")]


_STALE = ("SELECT a.id, a.grid_id, a.manager_id, g.code, m.name FROM grid_assignment a"
          " JOIN grid g ON g.id = a.grid_id JOIN manager m ON m.id = a.manager_id"
          " WHERE a.valid_to IS NULL AND {cond} ORDER BY g.code")


def on_retired_grids(db: Db) -> list[dict[str, Any]]:
    """Current assignments on retired grid versions: id, grid_id, manager_id, code, name."""
    return [dict(r) for r in rows(db, _STALE.format(cond="g.valid_to IS NOT NULL"))]


def of_inactive_managers(db: Db) -> list[dict[str, Any]]:
    """Current assignments of inactive managers: id, grid_id, manager_id, code, name."""
    return [dict(r) for r in rows(db, _STALE.format(cond="m.active = 0"))]
