"""Saving grid edits as versions (issue 4, part 2).

The grid editor (and the CLI, and auto-division) describe an edit as a list
of :class:`GridDraft` — the grids as they will be — plus the current grids
they replace or delete.  :func:`save_edit` then:

1. refuses unless the user may edit grids (``grid.edit``: office, admin);
2. checks every closed grid is still current (no stale edit);
3. fills in what a draft leaves open: geometry of the grid it replaces,
   community by largest overlap, code (kept by the first successor, otherwise
   :func:`~gridapp.domain.codes.next_grid_code` in the community), attributes,
   households summed from the buildings inside;
4. validates codes (15 digits, in the grid's community, unique among current
   grids) and geometry (one valid polygon);
5. checks the coverage around the edit with
   :func:`~gridapp.services.grids.coverage.check_local`; problems refuse the save
   unless ``accept_problems=True``, which is written to the audit log;
6. in one transaction sets ``valid_to`` on every closed row and inserts a new
   row per draft with ``previous_id`` pointing at the grid it continues;
7. in the same transaction moves manager assignments to the successors
   (:func:`~gridapp.services.people.assignments.carry_over`) and re-links the
   buildings and places where grids changed to their new grid (issue 18), so
   an edit commits once.

Unchanged grids are not touched and reports keep the ``grid_id`` they were
filed in.  All geometry is in the storage CRS, EPSG:4490.  Convenience
wrappers for each editor tool (:func:`split_grid`, :func:`merge_grids`,
:func:`reshape_grids`, :func:`delete_grids`, :func:`add_grid`,
:func:`update_attributes`) build the drafts and call :func:`save_edit`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from gridapp.domain.codes import GridCode, next_grid_code
from gridapp.domain.timeutil import from_iso, now_iso, to_iso
from gridapp.errors import GeometryError, NotFoundError, ValidationError
from gridapp.services.basedata.links import _relink_edit
from gridapp.services.grids.coverage import CoverageReport, check_local_arrays
from gridapp.services.people.assignments import _carry_over
from gridapp.services.session import Session
from gridapp.storage.api import Transaction
from gridapp.storage.queries import grids as grid_queries

# The editor-tool wrappers (split_grid, merge_grids, ...) build on this module
# and live in gridapp.services.grids.tools.
__all__ = ["CoverageProblemsError", "EditResult", "GridDraft", "as_polygon", "read_near",
           "save_edit", "validate_code"]

KINDS = ("basic", "special")
_ATTRS = ("name", "kind", "households", "population", "notes")
# Degrees around an edit read as its neighbourhood (~100 m).
_MARGIN_DEG = 0.001
# The grid columns an edit reads (then the geometry, as "geometry").
_GRID_COLUMNS = ("id", "code", "name", "kind", "households", "population", "notes",
                 "community_id", "valid_to")


class CoverageProblemsError(ValidationError):
    """Saving would leave coverage problems; ``params['report']`` has them."""


@dataclass
class GridDraft:
    """One grid as it will be after an edit (EPSG:4490).

    ``replaces`` lists the current grids this one continues (a split piece:
    the split grid; a merge: all merged grids, the one whose code is kept
    first); the first becomes ``previous_id``.  Fields left ``None`` are
    filled in by :func:`save_edit` (see the module docstring).
    """

    geometry: BaseGeometry | None = None
    replaces: tuple[int, ...] = ()
    code: str | None = None
    name: str | None = None
    kind: str | None = None
    households: int | None = None
    population: int | None = None
    notes: str | None = None
    community_id: int | None = None


@dataclass
class EditResult:
    """What a save did: rows closed and opened (in draft order), the check."""

    closed: list[int]
    opened: list[int]
    codes: list[str]
    report: CoverageReport
    accepted_problems: bool = False
    at: str = ""
    drafts: list[GridDraft] = field(default_factory=list)


# ------------------------------------------------------------------ helpers
def as_polygon(geom: BaseGeometry | None, what: str = "") -> Polygon:
    """One valid polygon (a one-part multipolygon is unwrapped) or GeometryError."""
    if isinstance(geom, MultiPolygon) and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    if not isinstance(geom, Polygon) or geom.is_empty:
        raise GeometryError("网格{what}不是单个面（{type}）",
                            "Grid {what} is not a single polygon ({type})",
                            what=what, type=getattr(geom, "geom_type", "None"))
    if not geom.is_valid:
        raise GeometryError("网格{what}的几何无效：{reason}",
                            "Grid {what} has invalid geometry: {reason}",
                            what=what, reason=shapely.is_valid_reason(geom))
    return geom


def validate_code(code: str, community_code: str | None = None) -> str:
    """A 15-digit grid code, in *community_code* when given; returns it normalised."""
    parsed = GridCode.parse(code)
    if community_code and len(community_code) == 12 and parsed.community_code != community_code:
        raise ValidationError(
            "网格编码“{code}”不属于社区 {community}（前12位应为社区代码）",
            "Grid code '{code}' is not in community {community} (the first 12 digits "
            "must be the community code)", code=str(parsed), community=community_code)
    return str(parsed)


def read_near(session: Session, table: str, bounds: Sequence[float], *,
              margin: float = _MARGIN_DEG, current: bool = True) -> gpd.GeoDataFrame:
    """Rows of *table* (``grid``/``community``/``building``) whose box meets *bounds*."""
    session.require("workspace.read")
    return grid_queries.near_box(session.store, table, bounds, margin=margin,
                                 current_only=current)


def _grid_rows(found: Iterable[tuple[Any, ...]]) -> dict[int, dict[str, Any]]:
    """``{id: row}`` of light grid rows read with :data:`_GRID_COLUMNS`."""
    names = (*_GRID_COLUMNS, "geometry")
    return {int(r[0]): dict(zip(names, r, strict=True)) for r in found}


def _near_grids(session: Session, bounds: Sequence[float],
                margin: float = _MARGIN_DEG) -> dict[int, dict[str, Any]]:
    """The current grids whose box meets *bounds*, as ``{id: row}`` (no frame)."""
    return _grid_rows(grid_queries.near_rows(session.store, "grid", bounds, _GRID_COLUMNS,
                                             margin=margin))


@dataclass
class _Communities:
    """The communities around an edit: ids, codes and outlines (EPSG:4490)."""

    ids: np.ndarray
    codes: list[str | None]
    geoms: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def _near_communities(session: Session, bounds: Sequence[float]) -> _Communities:
    """The communities whose box meets *bounds* (no frame)."""
    found = grid_queries.near_rows(session.store, "community", bounds, ("id", "code"),
                                   margin=_MARGIN_DEG)
    return _Communities(np.array([int(r[0]) for r in found], dtype=np.int64),
                        [r[1] for r in found], np.array([r[2] for r in found], dtype=object))


def _community_of(geom: BaseGeometry, comms: _Communities) -> int | None:
    """The community with the largest overlap with *geom* (None outside all)."""
    if not len(comms):
        return None
    hits = np.flatnonzero(shapely.intersects(comms.geoms, geom))
    if not len(hits):
        return None
    areas = shapely.area(shapely.intersection(comms.geoms[hits], geom))
    best = int(np.argmax(areas))
    return int(comms.ids[hits[best]]) if areas[best] > 0 else None


def _households_in(geom: BaseGeometry, buildings: tuple[np.ndarray, np.ndarray]) -> int | None:
    hh, xy = buildings
    if not len(hh):
        return None
    inside = shapely.contains_xy(geom, xy[:, 0], xy[:, 1])
    return int(hh[inside].sum())


# ------------------------------------------------------------------ saving
def save_edit(session: Session, drafts: Sequence[GridDraft], *, deleted: Iterable[int] = (),
              accept_problems: bool = False, action: str = "edit", note: str | None = None,
              at: datetime | str | None = None, check: bool = True) -> EditResult:
    """Save an edit as new grid versions (see the module docstring).

    Parameters
    ----------
    drafts : sequence of GridDraft
        The grids after the edit; each opens a new row.
    deleted : iterable of int
        Current grid ids closed without a successor.
    accept_problems : bool
        Save even when the coverage check finds problems; recorded in the
        audit log with the problems.
    action : str
        What the edit was (``split``, ``merge``, ``reshape``, ``delete``,
        ``new``, ``attributes``, ``divide``, ...), for the audit log.
    at : datetime or ISO string, optional
        When the change takes effect (default now): old rows' ``valid_to``
        and new rows' ``valid_from``.

    Raises
    ------
    PermissionDenied
        The user's role may not edit grids.
    CoverageProblemsError
        The check found problems and *accept_problems* is false.
    ValidationError, GeometryError, NotFoundError
        A bad code or geometry, or a grid that is no longer current.
    """
    session.require("grid.edit")
    when: str = at if isinstance(at, str) else (to_iso(at) if at else None) or now_iso()
    drafts = [replace(d, replaces=tuple(int(r) for r in d.replaces)) for d in drafts]
    closing = list(dict.fromkeys([r for d in drafts for r in d.replaces] + [int(i) for i in deleted]))
    boxes = grid_queries.grid_boxes(session.store, closing)
    zone = [shapely.box(*b) for b in boxes] + [
        as_polygon(d.geometry, d.code or "") for d in drafts if d.geometry is not None]
    if not zone:
        raise ValidationError("没有要保存的更改", "Nothing to save")
    bounds = shapely.total_bounds(np.array(zone, dtype=object))
    # Plain rows, not frames: an edit reads a few dozen rows (issue 22).
    near = _near_grids(session, bounds)
    # The grids to close are current, so they are among the neighbourhood just read.
    found = {i: near[i] for i in closing if i in near}
    old = found if len(found) == len(closing) else _current_rows(session, closing)
    comms = _near_communities(session, bounds)
    drafts = _complete(session, drafts, old, comms, when)
    _check_codes(session, drafts, closing, comms)
    comms, comm_changes = _match_communities(comms, drafts)
    report = _check(near, drafts, closing, old, comms) if check else CoverageReport([], "", 0)
    if report.problems and not accept_problems:
        raise CoverageProblemsError(
            "保存会留下 {n} 个覆盖问题（第一个：{first}）；确认后才能保存",
            "Saving would leave {n} coverage problems (first: {first}); confirm to save anyway",
            n=len(report.problems), first=report.problems[0].message, report=report)
    opened: list[int] = []
    with session.transaction() as tx:
        for cid, geom in comm_changes.items():
            tx.update("community", cid, {"geom": geom})
        for gid in closing:
            tx.update("grid", gid, {"valid_to": when})
        for d in drafts:
            opened.append(tx.insert("grid", {
                "geom": d.geometry, "code": d.code, "name": d.name, "kind": d.kind,
                "community_id": d.community_id, "households": d.households,
                "population": d.population, "notes": d.notes, "valid_from": when,
                "valid_to": None, "previous_id": d.replaces[0] if d.replaces else None}))
        tx.audit("grid_edit", "grid", None, {"action": action, "closed": closing,
                                             "opened": opened, "note": note})
        if report.problems:
            tx.audit("accept_coverage_problems", "grid", None, {
                "action": action, "opened": opened, "note": note,
                "problems": [{"kind": p.kind, "grids": [str(g) for g in p.grid_ids],
                              "size": round(p.size, 3), "message": p.zh}
                             for p in report.problems]})
        _carry_assignments(session, tx, closing, drafts, opened, when)
        # Buildings and places follow (issue 18), looked at only where grids changed,
        # against the grids as this edit leaves them (the rows are not visible to
        # the store's readers before the commit).
        _relink_edit(session, tx, when, *_after_edit(near, old, closing, drafts, opened, comms))
    return EditResult(closing, opened, [d.code or "" for d in drafts], report,
                      bool(report.problems), when, drafts)


def _after_edit(near: dict[int, dict[str, Any]], old: dict[int, dict[str, Any]],
                closing: Sequence[int], drafts: list[GridDraft], opened: list[int],
                comms: _Communities) -> tuple[BaseGeometry, tuple[np.ndarray, ...],
                                                   tuple[np.ndarray, np.ndarray]]:
    """Where grids changed (old and new outlines), the grids around it after the
    edit (ids, polygons, community ids) and the communities around it."""
    shut = set(closing)
    keep = [r for i, r in near.items() if i not in shut]
    zone = shapely.geometrycollections(
        [old[i]["geometry"] for i in closing] + [d.geometry for d in drafts])
    grids = (np.array([r["id"] for r in keep] + list(opened), dtype=np.int64),
             np.array([r["geometry"] for r in keep] + [d.geometry for d in drafts],
                      dtype=object),
             np.array([r["community_id"] for r in keep] + [d.community_id for d in drafts],
                      dtype=object))
    return zone, grids, (comms.ids, comms.geoms)


def _current_rows(session: Session, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = _grid_rows(grid_queries.rows_by_id(session.store, "grid", ids, _GRID_COLUMNS))
    for gid in ids:
        if gid not in rows:
            raise NotFoundError("没有 id={id} 的网格", "No grid with id={id}", id=gid)
        if pd.notna(rows[gid]["valid_to"]):
            raise ValidationError(
                "网格 {code}（id={id}）已被其他修改替换，请重新加载后再编辑",
                "Grid {code} (id={id}) has been replaced by another edit; reload and edit again",
                id=gid, code=rows[gid]["code"])
    return rows


def _complete(session: Session, drafts: list[GridDraft], old: dict[int, dict[str, Any]],
              comms: _Communities, when: str) -> list[GridDraft]:
    claimed: set[int] = set()
    buildings = None
    out = []
    for d in drafts:
        first = old[d.replaces[0]] if d.replaces else None
        heir = first is not None and d.replaces[0] not in claimed
        if d.replaces:
            claimed.add(d.replaces[0])
        geom = d.geometry if d.geometry is not None else (first["geometry"] if first else None)
        geom = as_polygon(geom, d.code or d.name or "")
        same_shape = first is not None and geom.equals(first["geometry"]) and len(d.replaces) == 1
        vals: dict[str, Any] = {}
        for a in _ATTRS:
            given = getattr(d, a)
            if given is not None:
                vals[a] = given
            elif first is not None and (heir or a == "kind"):
                vals[a] = first[a] if pd.notna(first[a]) else None
            else:
                vals[a] = None
        vals["kind"] = vals["kind"] or "basic"
        if vals["kind"] not in KINDS:
            raise ValidationError("网格类型“{kind}”应为 basic 或 special",
                                  "Grid kind '{kind}' must be basic or special", kind=vals["kind"])
        if not same_shape and d.households is None:
            if buildings is None:
                buildings = grid_queries.building_points(session.store, shapely.total_bounds(
                    np.array([x.geometry for x in drafts if x.geometry is not None] or [geom],
                             dtype=object)))
            vals["households"] = _households_in(geom, buildings)
        if not same_shape and d.population is None:
            vals["population"] = None
        for a in ("households", "population"):
            if vals[a] is not None:
                vals[a] = int(vals[a])
                if vals[a] < 0:
                    raise ValidationError("{what}不能为负数", "{what} cannot be negative", what=a)
        community = d.community_id
        if community is None:
            community = (int(first["community_id"]) if first is not None and same_shape
                         and pd.notna(first["community_id"]) else _community_of(geom, comms))
        code = d.code or (first["code"] if first is not None and heir else None)
        out.append(replace(d, geometry=geom, community_id=community, code=code, **vals))
    return out


def _check_codes(session: Session, drafts: list[GridDraft], closing: Sequence[int],
                 comms: _Communities) -> None:
    comm_code: dict[int, str | None] = dict(zip(comms.ids.tolist(), comms.codes, strict=True))
    for d in drafts:
        if d.community_id is not None and d.community_id not in comm_code:
            comm_code[d.community_id] = grid_queries.community_code(session.store,
                                                                    d.community_id)
    taken_rows = grid_queries.current_code_ids(session.store, [d.code or "" for d in drafts])
    closing_set = set(closing)
    taken = {code for code, gid in taken_rows if gid not in closing_set}
    for i, d in enumerate(drafts):
        cc = comm_code.get(d.community_id) if d.community_id is not None else None
        if d.code is None:
            if not cc:
                raise ValidationError(
                    "无法为网格自动编码：它不在任何有代码的社区内；请输入编码",
                    "Cannot number the grid: it lies in no community with a code; enter a code")
            used = grid_queries.codes_in_community(session.store, cc) + [x.code for x in drafts if x.code]
            drafts[i] = d = replace(d, code=str(next_grid_code(cc, used)))
        else:
            drafts[i] = d = replace(d, code=validate_code(d.code, cc))
        if d.code in taken:
            raise ValidationError("网格编码“{code}”已被现有网格使用",
                                  "Grid code '{code}' is already used by a current grid",
                                  code=d.code)
        code = str(d.code)
        taken.add(code)
        if not d.name:
            drafts[i] = replace(d, name=f"网格{code[-3:]}")


def _match_communities(comms: _Communities, drafts: list[GridDraft],
                       tolerance: float = 1e-9) -> tuple[_Communities, dict[int, Any]]:
    """Insert the drafts' vertices that lie on a community boundary into it.

    A grid edge ending on a community's boundary adds a vertex there; the
    community gets the same vertex (same shape) so boundary and grids share
    vertices, as a coverage needs.  Returns the updated frame and changes.
    """
    if not len(comms) or not drafts:
        return comms, {}
    pts = shapely.multipoints(shapely.get_coordinates(
        np.array([d.geometry for d in drafts], dtype=object)))
    changes: dict[int, Any] = {}
    geoms = comms.geoms.copy()
    for k, (cid, g) in enumerate(zip(comms.ids.tolist(), comms.geoms, strict=True)):
        snapped = shapely.snap(g, pts, tolerance)
        if not snapped.equals_exact(g, 0.0) and snapped.is_valid:
            changes[int(cid)] = geoms[k] = snapped
    if changes:
        comms = replace(comms, geoms=geoms)
    return comms, changes


def _check(near: dict[int, dict[str, Any]], drafts: list[GridDraft], closing: Sequence[int],
           old: dict[int, dict[str, Any]], comms: _Communities) -> CoverageReport:
    shut = set(closing)
    keep = [r for i, r in near.items() if i not in shut]
    new_ids = [-(i + 1) for i in range(len(drafts))]
    vacated = [old[i]["geometry"] for i in closing]
    region = shapely.union_all(np.array(vacated, dtype=object)) if vacated else None
    has = len(comms) > 0
    report = check_local_arrays(
        np.array([r["geometry"] for r in keep] + [d.geometry for d in drafts], dtype=object),
        [r["id"] for r in keep] + new_ids,
        [r["community_id"] for r in keep] + [d.community_id for d in drafts], new_ids,
        comms.geoms if has else None, comms.ids.tolist() if has else None, region=region)
    # Gaps only count in the communities the edit touched: a neighbouring
    # community without grids yet is not this edit's gap.
    touched = {int(c) for c in [d.community_id for d in drafts]
               + [old[i]["community_id"] for i in closing] if c is not None and pd.notna(c)}
    report.problems = [p for p in report.problems if p.kind != "gap" or p.community is None
                       or int(p.community) in touched]
    return report


def _carry_assignments(session: Session, tx: Transaction, closing: Sequence[int],
                       drafts: list[GridDraft], opened: list[int], when: str) -> None:
    if not session.can("assignment.edit"):
        return
    has = grid_queries.assigned_grid_ids(tx, closing)
    for gid in closing:
        if gid in has:
            heirs = [o for d, o in zip(drafts, opened, strict=True) if gid in d.replaces]
            _carry_over(tx, gid, heirs, to_iso(from_iso(when)))

