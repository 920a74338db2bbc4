"""Which manager is responsible for which grid (网格员分配), with history.

Each current grid has one primary manager and any number of backups.  An
assignment row is never rewritten: changing who is responsible ends the
current row (``valid_to``) and opens a new one, so the history of every grid
and manager stays readable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gridapp import i18n
from gridapp.domain.enums import AssignmentRole
from gridapp.domain.timeutil import now_iso, to_iso
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.session import Session

MAX_GRIDS_KEY = "assignment.max_grids_per_manager"
MAX_HOUSEHOLDS_KEY = "assignment.max_households_per_manager"
DEFAULT_MAX_GRIDS = 3
DEFAULT_MAX_HOUSEHOLDS = 1000


@dataclass(frozen=True)
class Assignment:
    id: int
    grid_id: int
    grid_code: str
    grid_name: str | None
    grid_current: bool
    manager_id: int
    manager_name: str
    staff_no: str
    role: AssignmentRole
    valid_from: str
    valid_to: str | None


@dataclass(frozen=True)
class AssignResult:
    created: list[int]  # new assignment ids
    ended: list[int]  # assignment ids whose valid_to was set
    unchanged: list[int]  # grid ids where nothing had to change


@dataclass(frozen=True)
class AssignmentWarning:
    kind: str  # no_primary | too_many_grids | too_many_households | retired_grid | inactive_manager
    zh: str
    en: str
    grid_id: int | None = None
    manager_id: int | None = None
    assignment_id: int | None = None

    @property
    def message(self) -> str:
        return i18n.pick(self.zh, self.en)

    def __str__(self) -> str:
        return self.message


_SELECT = (
    "SELECT a.id, a.grid_id, g.code AS grid_code, g.name AS grid_name,"
    " g.valid_to IS NULL AS grid_current, a.manager_id, m.name AS manager_name, m.staff_no,"
    " a.role, a.valid_from, a.valid_to FROM grid_assignment a"
    " JOIN grid g ON g.id = a.grid_id JOIN manager m ON m.id = a.manager_id")


def _rows(session: Session, where: str, params: list[Any]) -> list[Assignment]:
    rows = session.store.query(f"{_SELECT} WHERE {where} ORDER BY g.code, a.role DESC,"
                               " a.valid_from", params)
    return [Assignment(id=r["id"], grid_id=r["grid_id"], grid_code=r["grid_code"],
                       grid_name=r["grid_name"], grid_current=bool(r["grid_current"]),
                       manager_id=r["manager_id"], manager_name=r["manager_name"],
                       staff_no=r["staff_no"],
                       role=AssignmentRole(r["role"]),  # type: ignore[call-arg]
                       valid_from=r["valid_from"], valid_to=r["valid_to"]) for r in rows]


def _filters(grid_ids: Iterable[int] | None, manager_id: int | None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if grid_ids is not None:
        ids = sorted({int(g) for g in grid_ids})
        where.append(f"a.grid_id IN ({', '.join('?' for _ in ids)})" if ids else "0 = 1")
        params += ids
    if manager_id is not None:
        where.append("a.manager_id = ?")
        params.append(manager_id)
    return where, params


def current_assignments(session: Session, *, grid_ids: Iterable[int] | None = None,
                        manager_id: int | None = None) -> list[Assignment]:
    """Assignments in force now (rows on retired grid versions included)."""
    session.require("workspace.read")
    where, params = _filters(grid_ids, manager_id)
    return _rows(session, " AND ".join(["a.valid_to IS NULL", *where]), params)


def assignment_history(session: Session, *, grid_ids: Iterable[int] | None = None,
                       manager_id: int | None = None) -> list[Assignment]:
    """Every assignment, ended ones included."""
    session.require("workspace.read")
    where, params = _filters(grid_ids, manager_id)
    return _rows(session, " AND ".join(where or ["1 = 1"]), params)


def primary_manager_by_grid(session: Session) -> dict[int, int]:
    """Current grid id → its primary manager's id (for colouring the map by manager)."""
    session.require("workspace.read")
    return {int(r[0]): int(r[1]) for r in session.store.query(
        "SELECT a.grid_id, a.manager_id FROM grid_assignment a JOIN grid g ON g.id = a.grid_id"
        " WHERE a.valid_to IS NULL AND a.role = 'primary' AND g.valid_to IS NULL")}


def _check_manager(session: Session, manager_id: int) -> None:
    rows = session.store.query("SELECT active, name FROM manager WHERE id = ?", (manager_id,))
    if not rows:
        raise NotFoundError("没有 id={id} 的网格员", "No grid manager with id={id}", id=manager_id)
    if not rows[0][0]:
        raise ValidationError("网格员“{name}”已停用，不能分配网格",
                              "The grid manager '{name}' is inactive and cannot be assigned",
                              name=rows[0][1], id=manager_id)


def _check_current_grids(session: Session, grid_ids: list[int]) -> None:
    if not grid_ids:
        raise ValidationError("请选择至少一个网格", "Select at least one grid")
    marks = ", ".join("?" for _ in grid_ids)
    rows = session.store.query(f"SELECT id, code, valid_to FROM grid WHERE id IN ({marks})",
                               grid_ids)
    found = {r[0]: r for r in rows}
    missing = [g for g in grid_ids if g not in found]
    if missing:
        raise NotFoundError("没有 id 为 {ids} 的网格", "No grids with ids {ids}",
                            ids=", ".join(map(str, missing)))
    retired = [found[g][1] for g in grid_ids if found[g][2] is not None]
    if retired:
        raise ValidationError("网格 {codes} 是已停用的历史版本，只能分配现行网格",
                              "Grids {codes} are retired versions; only current grids can be "
                              "assigned", codes=", ".join(retired))


def assign_grids(session: Session, grid_ids: Iterable[int], manager_id: int,
                 role: AssignmentRole | str = AssignmentRole.PRIMARY, *,
                 at: datetime | None = None) -> AssignResult:
    """Make *manager_id* the primary (or a backup) manager of every grid in *grid_ids*.

    A new primary ends the grid's previous primary; a manager already in the
    grid with the other role switches role.  All grids change in one
    transaction, or none.
    """
    session.require("assignment.edit")
    role = AssignmentRole(role)  # type: ignore[call-arg]
    ids = list(dict.fromkeys(int(g) for g in grid_ids))
    _check_manager(session, manager_id)
    _check_current_grids(session, ids)
    when = to_iso(at) if at else now_iso()
    created: list[int] = []
    ended: list[int] = []
    unchanged: list[int] = []
    with session.transaction() as tx:
        for gid in ids:
            rows = tx.execute("SELECT id, manager_id, role FROM grid_assignment"
                              " WHERE grid_id = ? AND valid_to IS NULL", (gid,)).fetchall()
            if any(r["manager_id"] == manager_id and r["role"] == role.value for r in rows):
                unchanged.append(gid)
                continue
            for r in rows:
                same = r["manager_id"] == manager_id
                replaced = role is AssignmentRole.PRIMARY and r["role"] == "primary"
                if same or replaced:
                    tx.update("grid_assignment", r["id"], {"valid_to": when})
                    ended.append(r["id"])
            created.append(tx.insert("grid_assignment", {
                "manager_id": manager_id, "grid_id": gid, "role": role.value,
                "valid_from": when, "valid_to": None}))
    return AssignResult(created, ended, unchanged)


def unassign(session: Session, grid_ids: Iterable[int], manager_id: int, *,
             at: datetime | None = None) -> int:
    """End the manager's current assignments in *grid_ids*; returns how many ended."""
    session.require("assignment.edit")
    ids = sorted({int(g) for g in grid_ids})
    when = to_iso(at) if at else now_iso()
    with session.transaction() as tx:
        rows = tx.execute(
            f"SELECT id FROM grid_assignment WHERE manager_id = ? AND valid_to IS NULL"
            f" AND grid_id IN ({', '.join('?' for _ in ids)})", [manager_id, *ids]).fetchall()
        for r in rows:
            tx.update("grid_assignment", r[0], {"valid_to": when})
    return len(rows)


def reassign_all(session: Session, from_manager_id: int, to_manager_id: int, *,
                 deactivate: bool = False, at: datetime | None = None) -> AssignResult:
    """Hand every current grid of a leaving manager to another, keeping each role.

    With *deactivate*, the leaving manager is deactivated in the same
    transaction.  Assignments on retired grid versions are ended, not moved.
    """
    session.require("assignment.edit")
    if deactivate:
        session.require("manager.edit")
    if from_manager_id == to_manager_id:
        raise ValidationError("交接双方不能是同一个网格员",
                              "Hand over to a different manager")
    _check_manager(session, to_manager_id)
    when = to_iso(at) if at else now_iso()
    created: list[int] = []
    ended: list[int] = []
    unchanged: list[int] = []
    with session.transaction() as tx:
        rows = tx.execute(
            "SELECT a.id, a.grid_id, a.role, g.valid_to AS grid_end FROM grid_assignment a"
            " JOIN grid g ON g.id = a.grid_id WHERE a.manager_id = ? AND a.valid_to IS NULL",
            (from_manager_id,)).fetchall()
        for r in rows:
            tx.update("grid_assignment", r["id"], {"valid_to": when})
            ended.append(r["id"])
            if r["grid_end"] is not None:
                continue
            others = tx.execute(
                "SELECT id, role FROM grid_assignment WHERE grid_id = ? AND manager_id = ?"
                " AND valid_to IS NULL", (r["grid_id"], to_manager_id)).fetchall()
            if any(o["role"] == r["role"] or o["role"] == "primary" for o in others):
                unchanged.append(r["grid_id"])
                continue
            for o in others:  # a backup becoming primary
                tx.update("grid_assignment", o["id"], {"valid_to": when})
                ended.append(o["id"])
            created.append(tx.insert("grid_assignment", {
                "manager_id": to_manager_id, "grid_id": r["grid_id"], "role": r["role"],
                "valid_from": when, "valid_to": None}))
        if deactivate:
            tx.update("manager", from_manager_id, {"active": 0})
            for (uid,) in tx.execute("SELECT id FROM app_user WHERE manager_id = ?"
                                     " AND active = 1", (from_manager_id,)).fetchall():
                tx.update("app_user", uid, {"active": 0})
    return AssignResult(created, ended, unchanged)


def carry_over(session: Session, old_grid_id: int, new_grid_ids: Iterable[int], *,
               at: datetime | None = None) -> AssignResult:
    """After a grid is redrawn or split: end its assignments and copy them onto the
    new versions (for the grid-editing service; needs ``assignment.edit``)."""
    session.require("assignment.edit")
    when = to_iso(at) if at else now_iso()
    new_ids = [int(g) for g in new_grid_ids]
    created: list[int] = []
    ended: list[int] = []
    with session.transaction() as tx:
        rows = tx.execute("SELECT id, manager_id, role FROM grid_assignment WHERE grid_id = ?"
                          " AND valid_to IS NULL", (old_grid_id,)).fetchall()
        for r in rows:
            tx.update("grid_assignment", r["id"], {"valid_to": when})
            ended.append(r["id"])
        for gid in new_ids:
            have = {(o[0], o[1]) for o in tx.execute(
                "SELECT manager_id, role FROM grid_assignment WHERE grid_id = ?"
                " AND valid_to IS NULL", (gid,))}
            has_primary = any(role == "primary" for _, role in have)
            for r in rows:
                if any(m == r["manager_id"] for m, _ in have):
                    continue
                if r["role"] == "primary" and has_primary:
                    continue
                created.append(tx.insert("grid_assignment", {
                    "manager_id": r["manager_id"], "grid_id": gid, "role": r["role"],
                    "valid_from": when, "valid_to": None}))
    return AssignResult(created, ended, [])


def assignment_warnings(session: Session) -> list[AssignmentWarning]:
    """Problems with the current assignments, for the warnings panel.

    Grids without a primary manager; managers with more current grids or
    households (as primary) than the workspace settings allow; assignments
    still pointing at retired grid versions or at inactive managers.
    """
    session.require("workspace.read")
    store = session.store
    out: list[AssignmentWarning] = []
    for r in store.query(
            "SELECT g.id, g.code, g.name FROM grid g WHERE g.valid_to IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM grid_assignment a WHERE a.grid_id = g.id AND a.valid_to IS NULL"
            "  AND a.role = 'primary') ORDER BY g.code"):
        label = f"{r['code']} {r['name'] or ''}".strip()
        out.append(AssignmentWarning(
            "no_primary", f"网格 {label} 没有主责网格员", f"grid {label} has no primary manager",
            grid_id=r["id"]))
    max_grids = int(store.setting(MAX_GRIDS_KEY, DEFAULT_MAX_GRIDS))
    max_households = int(store.setting(MAX_HOUSEHOLDS_KEY, DEFAULT_MAX_HOUSEHOLDS))
    for r in store.query(
            "SELECT m.id, m.name, count(DISTINCT a.grid_id) AS grids,"
            " coalesce(sum(CASE WHEN a.role = 'primary' THEN g.households END), 0) AS hh"
            " FROM manager m JOIN grid_assignment a ON a.manager_id = m.id"
            " JOIN grid g ON g.id = a.grid_id WHERE a.valid_to IS NULL AND g.valid_to IS NULL"
            " GROUP BY m.id ORDER BY m.staff_no"):
        if r["grids"] > max_grids:
            out.append(AssignmentWarning(
                "too_many_grids",
                f"网格员{r['name']}负责{r['grids']}个网格，超过上限{max_grids}个",
                f"manager {r['name']} has {r['grids']} grids, more than the limit of "
                f"{max_grids}", manager_id=r["id"]))
        if r["hh"] > max_households:
            out.append(AssignmentWarning(
                "too_many_households",
                f"网格员{r['name']}主责{r['hh']}户，超过上限{max_households}户",
                f"manager {r['name']} is primary for {r['hh']} households, more than the "
                f"limit of {max_households}", manager_id=r["id"]))
    for r in store.query(
            "SELECT a.id, a.grid_id, a.manager_id, g.code, m.name FROM grid_assignment a"
            " JOIN grid g ON g.id = a.grid_id JOIN manager m ON m.id = a.manager_id"
            " WHERE a.valid_to IS NULL AND g.valid_to IS NOT NULL ORDER BY g.code"):
        out.append(AssignmentWarning(
            "retired_grid",
            f"网格员{r['name']}仍分配在已停用的网格版本 {r['code']}（id {r['grid_id']}）",
            f"manager {r['name']} is still assigned to the retired grid version {r['code']} "
            f"(id {r['grid_id']})", grid_id=r["grid_id"], manager_id=r["manager_id"],
            assignment_id=r["id"]))
    for r in store.query(
            "SELECT a.id, a.grid_id, a.manager_id, g.code, m.name FROM grid_assignment a"
            " JOIN grid g ON g.id = a.grid_id JOIN manager m ON m.id = a.manager_id"
            " WHERE a.valid_to IS NULL AND m.active = 0 ORDER BY g.code"):
        out.append(AssignmentWarning(
            "inactive_manager",
            f"已停用的网格员{r['name']}仍分配在网格 {r['code']}",
            f"the inactive manager {r['name']} is still assigned to grid {r['code']}",
            grid_id=r["grid_id"], manager_id=r["manager_id"], assignment_id=r["id"]))
    return out
