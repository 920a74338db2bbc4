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
from gridapp.storage.api import Transaction
from gridapp.storage.queries import assignments as qa
from gridapp.storage.queries import people as q

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


def _assignment(r: dict[str, Any]) -> Assignment:
    return Assignment(id=r["id"], grid_id=r["grid_id"], grid_code=r["grid_code"],
                      grid_name=r["grid_name"], grid_current=bool(r["grid_current"]),
                      manager_id=r["manager_id"], manager_name=r["manager_name"],
                      staff_no=r["staff_no"],
                      role=AssignmentRole(r["role"]),  # type: ignore[call-arg]
                      valid_from=r["valid_from"], valid_to=r["valid_to"])


def _ids(grid_ids: Iterable[int] | None) -> list[int] | None:
    return None if grid_ids is None else sorted({int(g) for g in grid_ids})


def current_assignments(session: Session, *, grid_ids: Iterable[int] | None = None,
                        manager_id: int | None = None) -> list[Assignment]:
    """Assignments in force now (rows on retired grid versions included)."""
    session.require("workspace.read")
    return [_assignment(r) for r in qa.assignment_rows(
        session.store, current_only=True, grid_ids=_ids(grid_ids), manager_id=manager_id)]


def assignment_history(session: Session, *, grid_ids: Iterable[int] | None = None,
                       manager_id: int | None = None) -> list[Assignment]:
    """Every assignment, ended ones included."""
    session.require("workspace.read")
    return [_assignment(r) for r in qa.assignment_rows(
        session.store, current_only=False, grid_ids=_ids(grid_ids), manager_id=manager_id)]


def primary_manager_by_grid(session: Session) -> dict[int, int]:
    """Current grid id → its primary manager's id (for colouring the map by manager)."""
    session.require("workspace.read")
    return qa.primary_manager_by_grid(session.store)


def _check_manager(session: Session, manager_id: int) -> None:
    state = q.manager_state(session.store, manager_id)
    if state is None:
        raise NotFoundError("没有 id={id} 的网格员", "No grid manager with id={id}", id=manager_id)
    if not state[0]:
        raise ValidationError("网格员“{name}”已停用，不能分配网格",
                              "The grid manager '{name}' is inactive and cannot be assigned",
                              name=state[1], id=manager_id)


def _check_current_grids(session: Session, grid_ids: list[int]) -> None:
    if not grid_ids:
        raise ValidationError("请选择至少一个网格", "Select at least one grid")
    found = qa.grid_versions(session.store, grid_ids)
    missing = [g for g in grid_ids if g not in found]
    if missing:
        raise NotFoundError("没有 id 为 {ids} 的网格", "No grids with ids {ids}",
                            ids=", ".join(map(str, missing)))
    retired = [found[g][0] for g in grid_ids if found[g][1] is not None]
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
            rows = qa.current_in_grid(tx, gid)
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
        rows = qa.current_of_manager(tx, manager_id, ids)
        for r in rows:
            tx.update("grid_assignment", r["id"], {"valid_to": when})
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
        rows = qa.current_of_manager(tx, from_manager_id)
        for r in rows:
            tx.update("grid_assignment", r["id"], {"valid_to": when})
            ended.append(r["id"])
            if r["grid_end"] is not None:
                continue
            others = qa.current_in_grid(tx, r["grid_id"], to_manager_id)
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
            for uid in q.active_account_ids_of_manager(tx, from_manager_id):
                tx.update("app_user", uid, {"active": 0})
    return AssignResult(created, ended, unchanged)


def carry_over(session: Session, old_grid_id: int, new_grid_ids: Iterable[int], *,
               at: datetime | None = None) -> AssignResult:
    """After a grid is redrawn or split: end its assignments and copy them onto the
    new versions (for the grid-editing service; needs ``assignment.edit``)."""
    session.require("assignment.edit")
    when = to_iso(at) if at else now_iso()
    with session.transaction() as tx:
        return _carry_over(tx, old_grid_id, new_grid_ids, when)


def _carry_over(tx: Transaction, old_grid_id: int, new_grid_ids: Iterable[int],
                when: str) -> AssignResult:
    """:func:`carry_over` inside the caller's transaction (a grid edit's own, so the
    edit commits once); the caller has checked ``assignment.edit``."""
    new_ids = [int(g) for g in new_grid_ids]
    created: list[int] = []
    ended: list[int] = []
    rows = qa.current_in_grid(tx, old_grid_id)
    for r in rows:
        tx.update("grid_assignment", r["id"], {"valid_to": when})
        ended.append(r["id"])
    for gid in new_ids:
        have = {(o["manager_id"], o["role"]) for o in qa.current_in_grid(tx, gid)}
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
    for r in qa.grids_without_primary(store):
        label = f"{r['code']} {r['name'] or ''}".strip()
        out.append(AssignmentWarning(
            "no_primary", f"网格 {label} 没有主责网格员", f"grid {label} has no primary manager",
            grid_id=r["id"]))
    max_grids = int(store.setting(MAX_GRIDS_KEY, DEFAULT_MAX_GRIDS))
    max_households = int(store.setting(MAX_HOUSEHOLDS_KEY, DEFAULT_MAX_HOUSEHOLDS))
    for r in qa.manager_loads(store):
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
    for r in qa.on_retired_grids(store):
        out.append(AssignmentWarning(
            "retired_grid",
            f"网格员{r['name']}仍分配在已停用的网格版本 {r['code']}（id {r['grid_id']}）",
            f"manager {r['name']} is still assigned to the retired grid version {r['code']} "
            f"(id {r['grid_id']})", grid_id=r["grid_id"], manager_id=r["manager_id"],
            assignment_id=r["id"]))
    for r in qa.of_inactive_managers(store):
        out.append(AssignmentWarning(
            "inactive_manager",
            f"已停用的网格员{r['name']}仍分配在网格 {r['code']}",
            f"the inactive manager {r['name']} is still assigned to grid {r['code']}",
            grid_id=r["grid_id"], manager_id=r["manager_id"], assignment_id=r["id"]))
    return out


def current_grid_ids(session: Session, codes: Iterable[str]) -> list[int]:
    """The ids of the current grids with *codes*, in order (for commands naming grids)."""
    session.require("workspace.read")
    out = []
    for code in codes:
        value = qa.current_grid_id_by_code(session.store, code)
        if value is None:
            raise NotFoundError("没有编码为 {code} 的现行网格", "No current grid with code {code}",
                                code=code)
        out.append(value)
    return out
