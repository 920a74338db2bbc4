"""The grid editor's tools as saved edits: split, merge, reshape, delete, new, attributes.

Each builds :class:`~gridapp.services.grids.edit.GridDraft` items from the tool's
result (geometry in EPSG:4490) and calls
:func:`~gridapp.services.grids.edit.save_edit`, which checks the coverage
around the edit and saves versions.  Keyword options (``accept_problems``,
``note``, ``at``) pass through to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from gridapp.domain.codes import next_grid_code
from gridapp.domain.crs import metric_epsg, transformer
from gridapp.errors import ValidationError
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.grids import geometry_edits as editing
from gridapp.services.grids.coverage import CoverageReport, check_coverage
from gridapp.services.grids.coverage_fix import fix_coverage
from gridapp.services.grids.edit import (
    _ATTRS,
    EditResult,
    GridDraft,
    _current_rows,
    as_polygon,
    read_near,
    save_edit,
)
from gridapp.services.grids.history import current_grids
from gridapp.services.session import Session
from gridapp.storage.queries import grids as grid_queries

__all__ = ["FixPlan", "SplitPiece", "SplitPlan", "add_grid", "check_workspace", "delete_grids",
           "fix_grids", "match_neighbours", "merge_grids", "plan_fix", "plan_split",
           "reshape_grids", "save_fix", "split_grid", "update_attributes"]


def match_neighbours(session: Session, drafts: Sequence[GridDraft],
                     closing: Iterable[int] = (), tolerance: float = 1e-9) -> list[GridDraft]:
    """Make *drafts* and the current grids around them share vertices on shared edges.

    A coverage needs identical vertices on both sides of an edge.  Vertices
    of neighbouring current grids (not in *closing*) lying on a draft's edge
    (within *tolerance* degrees) are inserted into the draft, and the
    drafts' vertices on a neighbour's edge into the neighbour, which then
    gets a draft of its own (same code and shape, one more vertex).  Returns
    the drafts with those added.
    """
    session.require("grid.edit")
    drafts = [replace(d, geometry=as_polygon(d.geometry)) if d.geometry is not None else d
              for d in drafts]
    geoms = [d.geometry for d in drafts if d.geometry is not None]
    if not geoms:
        return drafts
    bounds = shapely.total_bounds(np.array(geoms, dtype=object))
    near = read_near(session, "grid", bounds, margin=tolerance * 10)
    near = near[~near["id"].isin(list(closing))]
    mine = shapely.union_all(np.array(geoms, dtype=object))
    near = near[near.intersects(mine.buffer(tolerance * 10))]
    if near.empty:
        return drafts
    theirs = shapely.multipoints(shapely.get_coordinates(near.geometry.values))
    ours = shapely.multipoints(shapely.get_coordinates(np.array(geoms, dtype=object)))
    out = [replace(d, geometry=shapely.snap(d.geometry, theirs, tolerance))
           if d.geometry is not None else d for d in drafts]
    for gid, g in zip(near["id"], near.geometry, strict=True):
        snapped = shapely.snap(g, ours, tolerance)
        if not snapped.equals_exact(g, 0.0):
            out.append(GridDraft(snapped, (int(gid),)))
    return out


@dataclass(frozen=True)
class SplitPiece:
    """One piece of a planned split: what it will be saved as (editable)."""

    geometry: BaseGeometry  # EPSG:4490
    code: str
    name: str
    households: int | None
    population: int | None
    area_m2: float
    buildings: int  # buildings whose point lies in the piece
    share: float  # of the split grid's households and population


@dataclass(frozen=True)
class SplitPlan:
    """A split before it is saved: the pieces, first the one keeping the code.

    ``basis`` is ``buildings`` when the households and population are shared
    by the households of the buildings in each piece, ``area`` when the grid
    has no buildings with households (then by area share).
    """

    grid_id: int
    pieces: list[SplitPiece]
    basis: str


Cut = tuple[dict[str, Any], list[Polygon], list[int], list[Polygon]]


def _split_pieces(session: Session, grid_id: int, line: LineString) -> Cut:
    """The grid's row, its neighbourhood (polygons, ids) and the neighbourhood cut."""
    row = grid_queries.grid_row(session.store, int(grid_id))
    if row["valid_to"] is not None:
        _current_rows(session, [int(grid_id)])  # raises: replaced meanwhile
    near = grid_queries.near_rows(session.store, "grid", row["geom"].bounds, ("id",),
                                  margin=1e-7)
    polys = [as_polygon(r[1]) for r in near]
    ids = [int(r[0]) for r in near]
    k = ids.index(int(grid_id))
    out = editing.split_in_coverage(polys, k, line)
    return row, polys, ids, out


def _apportion(total: int | None, shares: Sequence[float]) -> list[int | None]:
    """*total* in whole parts by *shares* (largest remainder: the parts add up)."""
    if total is None:
        return [None] * len(shares)
    raw = np.asarray(shares, dtype=float) * int(total)
    parts = np.floor(raw).astype(int)
    left = int(total) - int(parts.sum())
    for i in np.argsort(-(raw - parts), kind="stable")[:left]:
        parts[i] += 1
    return [int(p) for p in parts]


def plan_split(session: Session, grid_id: int, line: LineString) -> SplitPlan:
    """What :func:`split_grid` with *line* would save, to show and edit first.

    The grid's households and population are shared among the pieces by the
    households of the buildings in each (a building counts in the piece
    holding its point on surface), or by area share when no building in the
    grid has households; the parts add up to the grid's figures (a grid
    without figures gets the buildings' households and no population).  The
    first piece keeps the code and name; the others get the next free codes
    in the community and a name from the code.
    """
    session.require("grid.edit")
    return _plan(session, grid_id, _split_pieces(session, grid_id, line))


def _plan(session: Session, grid_id: int, cut: Cut) -> SplitPlan:
    row, polys, ids, out = cut
    k = ids.index(int(grid_id))
    pieces = [out[k], *out[len(polys):]]
    lon = float(row["geom"].centroid.x)
    fwd = transformer(4490, metric_epsg(lon))
    areas = shapely.area(shapely.transform(
        np.array(pieces, dtype=object), lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1]))))
    hh, xy = grid_queries.building_points(session.store, row["geom"].bounds)
    counts, households = [], []
    for p in pieces:
        inside = shapely.contains_xy(p, xy[:, 0], xy[:, 1]) if len(hh) else np.zeros(0, bool)
        counts.append(int(inside.sum()))
        households.append(float(hh[inside].sum()) if len(hh) else 0.0)
    if sum(households) > 0:
        basis, shares = "buildings", [h / sum(households) for h in households]
    else:
        basis, shares = "area", [float(a / areas.sum()) for a in areas]
    total_hh = row["households"] if row["households"] is not None else (
        int(round(sum(households))) if basis == "buildings" else None)
    hh_parts = _apportion(total_hh, shares)
    pop_parts = _apportion(row["population"], shares)
    code = str(row["code"])
    community = code[:12]
    used = grid_queries.codes_in_community(session.store, community)
    codes = [code]
    for _ in pieces[1:]:
        codes.append(str(next_grid_code(community, used + codes)))
    names = [str(row["name"] or f"网格{code[-3:]}")] + [f"网格{c[-3:]}" for c in codes[1:]]
    return SplitPlan(int(grid_id), [
        SplitPiece(p, c, n, h, q, float(a), b, float(sh))
        for p, c, n, h, q, a, b, sh in zip(pieces, codes, names, hh_parts, pop_parts, areas,
                                           counts, shares, strict=True)], basis)


def split_grid(session: Session, grid_id: int, line: LineString, *,
               pieces: Sequence[Mapping[str, Any]] | None = None, **kw: Any) -> EditResult:
    """Split a current grid with *line* (EPSG:4490), crossing it completely.

    The first piece keeps the code; the others get the next codes in the
    community.  Households and population are shared as :func:`plan_split`
    proposes, unless *pieces* (one mapping per piece, in the plan's order,
    with any of ``code``, ``name``, ``households``, ``population``) says
    otherwise — the values the user edited before saving.  Neighbours
    whose shared edge the line crosses get the crossing vertex too (so edges
    keep matching) and are saved as new versions with the same code.
    """
    session.require("grid.edit")
    cut = _split_pieces(session, grid_id, line)
    plan = _plan(session, grid_id, cut)
    _row, polys, ids, out = cut
    k = ids.index(int(grid_id))
    given = list(pieces) if pieces is not None else [{} for _ in plan.pieces]
    if len(given) != len(plan.pieces):
        raise ValidationError("分割得到 {n} 块，但给出了 {m} 块的属性",
                              "The split gives {n} pieces but {m} were described",
                              n=len(plan.pieces), m=len(given))
    attrs = []
    for piece, edit in zip(plan.pieces, given, strict=True):
        a = {"code": piece.code, "name": piece.name, "households": piece.households,
             "population": piece.population}
        a.update({key: edit[key] for key in a if key in edit})
        attrs.append(a)
    geoms = [out[k], *out[len(polys):]]
    drafts = [GridDraft(g, (ids[k],), **a) for g, a in zip(geoms, attrs, strict=True)]
    drafts += [GridDraft(out[j], (ids[j],)) for j in range(len(polys))
               if j != k and not out[j].equals_exact(polys[j], 0.0)]
    return save_edit(session, drafts, action="split", **kw)


def merge_grids(session: Session, grid_ids: Sequence[int], *, keep: int | None = None,
                **kw: Any) -> EditResult:
    """Merge adjacent current grids into one, keeping the code of *keep* (default first)."""
    session.require("grid.edit")
    ids = [int(i) for i in grid_ids]
    keep = int(keep) if keep is not None else ids[0]
    rows = _current_rows(session, ids)
    merged = editing.merge_polygons([as_polygon(rows[i]["geometry"]) for i in ids])
    order = (keep, *[i for i in ids if i != keep])
    return save_edit(session, [GridDraft(merged, order)], action="merge", **kw)


def reshape_grids(session: Session, geometries: Mapping[int, BaseGeometry], **kw: Any) -> EditResult:
    """Save new outlines for current grids (e.g. after moving shared vertices)."""
    session.require("grid.edit")
    drafts = [GridDraft(as_polygon(g), (int(i),)) for i, g in geometries.items()]
    return save_edit(session, drafts, action="reshape", **kw)


def delete_grids(session: Session, grid_ids: Iterable[int], **kw: Any) -> EditResult:
    """Close current grids without successors (usually leaves a gap to accept or fill)."""
    session.require("grid.edit")
    return save_edit(session, [], deleted=[int(i) for i in grid_ids], action="delete", **kw)


def add_grid(session: Session, geometry: BaseGeometry, **attrs: Any) -> EditResult:
    """Open a new grid (code: next in its community unless ``code=`` is given)."""
    session.require("grid.edit")
    return save_edit(session, [GridDraft(as_polygon(geometry), **{
        k: v for k, v in attrs.items() if k in GridDraft.__dataclass_fields__})],
        action="new", **{k: v for k, v in attrs.items()
                         if k not in GridDraft.__dataclass_fields__})


def update_attributes(session: Session, grid_id: int, **changes: Any) -> EditResult:
    """Change code, name, kind, households, population or notes: a new version."""
    session.require("grid.edit")
    allowed = {"code", *_ATTRS}
    unknown = set(changes) - allowed - {"accept_problems", "at", "note"}
    if unknown:
        raise ValidationError("不能修改字段：{names}", "Cannot change fields: {names}",
                              names=", ".join(sorted(unknown)))
    attrs = {k: v for k, v in changes.items() if k in allowed}
    opts = {k: v for k, v in changes.items() if k not in allowed}
    return save_edit(session, [GridDraft(None, (int(grid_id),), **attrs)],
                     action="attributes", **opts)


def check_workspace(session: Session, *, gap_width: float = 0.5,
                    grids: gpd.GeoDataFrame | None = None,
                    progress: Progress = no_progress,
                    cancel: CancelToken = NEVER_CANCELLED) -> CoverageReport:
    """Check the current grids as a coverage of the workspace's communities.

    *grids* may pass the current grids already read (from
    :func:`~gridapp.services.grids.history.current_grids`); problems name
    grids by ``id``.
    """
    session.require("workspace.read")
    if grids is None:
        grids = current_grids(session)
    comms = grid_queries.communities(session.store)
    return check_coverage(grids, comms if len(comms) else None, gap_width=gap_width,
                          id_field="id", community_id_field="id",
                          community_field="community_id", progress=progress, cancel=cancel)


@dataclass
class FixPlan:
    """What the coverage auto-fix would change: drafts to save, grids merged away.

    ``result`` is the :class:`~gridapp.services.grids.coverage_fix.FixResult`, whose
    ``changes`` say what was done and what was refused, in the user's language.
    """

    drafts: list[GridDraft]
    deleted: list[int]
    result: Any

    @property
    def empty(self) -> bool:
        return not self.drafts and not self.deleted


def plan_fix(session: Session, community_ids: Iterable[int] | None = None) -> FixPlan:
    """Run :func:`~gridapp.services.grids.coverage_fix.fix_coverage` on the current grids.

    Only the grids and boundaries of *community_ids* (default: all) take
    part.  Nothing is saved; :func:`save_fix` saves the plan.
    """
    session.require("grid.edit")
    grids = current_grids(session)
    comms = grid_queries.communities(session.store)
    if community_ids is not None:
        wanted = [int(c) for c in community_ids]
        grids = grids[grids["community_id"].isin(wanted)]
        comms = comms[comms["id"].isin(wanted)]
    fixed = fix_coverage(grids.reset_index(drop=True), comms if len(comms) else None,
                         id_field="id", community_id_field="id")
    before = {int(i): g for i, g in zip(grids["id"], grids.geometry, strict=True)}
    after = {int(i): g for i, g in zip(fixed.grids["id"], fixed.grids.geometry, strict=True)}
    drafts = [GridDraft(g, (i,)) for i, g in after.items() if not g.equals_exact(before[i], 0.0)]
    return FixPlan(drafts, [i for i in before if i not in after], fixed)


def save_fix(session: Session, plan: FixPlan, **kw: Any) -> EditResult:
    """Save a :func:`plan_fix` plan as one edit (``action='fix'``)."""
    session.require("grid.edit")
    return save_edit(session, plan.drafts, deleted=plan.deleted, action="fix", **kw)


def fix_grids(session: Session, community_ids: Iterable[int] | None = None,
              **kw: Any) -> tuple[EditResult | None, Any]:
    """Auto-fix the coverage of the current grids (of *community_ids*) and save it.

    :func:`plan_fix` then :func:`save_fix`: every grid the fix changed or
    merged away is saved as one edit (``action='fix'``).  Returns the saved
    :class:`EditResult` (None when nothing changed) and the
    :class:`~gridapp.services.grids.coverage_fix.FixResult`.  Keyword options
    (``accept_problems``...) go to :func:`save_edit`.
    """
    session.require("grid.edit")
    plan = plan_fix(session, community_ids)
    if plan.empty:
        return None, plan.result
    return save_fix(session, plan, **kw), plan.result
