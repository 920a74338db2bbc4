"""Auto-division of a community into grids of a household range (issue 4, part 2).

The algorithm, chosen over a general regionalisation library (PySAL
``spopt``'s MaxP/Skater take tens of seconds on 2,000 units and need extra
dependencies) because the problem has a simple structure:

1. **Cells.**  Each building (its point on surface, in the workspace's metric
   CRS) gets its Voronoi cell; the cells tile the plane, so clipped to the
   community they tile it exactly.  Buildings at the same spot share a cell.
   Cells sharing an edge of positive length are neighbours.
2. **Regions by recursive bisection.**  A connected set of cells meant for
   ``n`` grids is cut in two parts meant for ``n // 2`` and ``n - n // 2``
   grids: one part grows from the cell at the far end of the set's longer
   side, always adding the neighbouring cell that is furthest back along that
   side (a heap), until it holds its share of the households.  Growing over
   the adjacency graph keeps the part connected; cells left cut off from the
   rest join the grown part, so both stay connected.  Cutting across the
   longer side keeps regions compact (near-square), and each cut splits the
   households in proportion, so grids end up balanced to within a building.
3. **Exact geometry.**  Each region's Voronoi cells (converted back to
   EPSG:4490, where shared vertices stay bit-identical) are merged with
   ``shapely.coverage_union_all`` and intersected with the community's own
   boundary, so grids follow it vertex for vertex and meet each other edge
   to edge.  A region that a concave boundary cut into pieces keeps its
   largest piece; the others go to the neighbour sharing the longest edge.

The number of grids comes from the household range (closest to its middle
among the counts that keep the average inside the range) or is given.
Buildings without household counts weigh by count instead.  Without
buildings (or with a target area per grid) the cells come from a square
lattice of points and weigh by their area, so grids are balanced by area.
Every part of a multipart community gets at least one grid.  Special grids
(专属网格) are kept and the rest is divided unless asked otherwise; new codes
continue after every code the community has used, closed versions included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Polygon

from gridapp import i18n
from gridapp.domain.codes import next_grid_code, reading_order
from gridapp.domain.crs import transformer
from gridapp.errors import ValidationError
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.grids.communities import find_community
from gridapp.services.grids.division_core import (
    adjacency,
    area_seeds,
    assemble,
    divide_area,
    grid_count,
    polygon_of,
)
from gridapp.services.grids.edit import EditResult, GridDraft, save_edit
from gridapp.services.grids.tools import match_neighbours
from gridapp.services.session import Session
from gridapp.storage.queries import grids as grid_queries

__all__ = ["DivisionProposal", "accept_division", "divide_area", "grid_count",
           "propose_division"]

DEFAULT_RANGE = (300, 500)


@dataclass
class DivisionProposal:
    """Proposed grids for one community; nothing is saved until accepted.

    ``grids`` (EPSG:4490) has ``seq``, ``code``, ``name``, ``households``,
    ``buildings``, ``area_m2``, ``compactness`` (Polsby-Popper 4πA/P², 1 for
    a circle, ~0.785 for a square) in numbering order (west→east,
    north→south).
    """

    community_id: int
    community_code: str | None
    community_name: str
    grids: gpd.GeoDataFrame
    households_range: tuple[int, int] | None
    replaced: list[int] = field(default_factory=list)  # current grids the proposal replaces
    kept: list[int] = field(default_factory=list)  # current special grids left as they are
    by_area: bool = False  # balanced by area (no buildings, or asked), not households

    @property
    def stats(self) -> dict[str, float]:
        h = self.grids["households"].to_numpy()
        out: dict[str, float] = {"grids": len(h), "total": int(h.sum()), "min": int(h.min()),
                                 "median": float(np.median(h)), "max": int(h.max())}
        if self.households_range:
            lo, hi = self.households_range
            out["in_range"] = int(((h >= lo) & (h <= hi)).sum())
        a = self.grids["area_m2"].to_numpy()
        out.update(area_min=float(a.min()), area_max=float(a.max()))
        return out

    def summary(self) -> str:
        s = self.stats
        if self.by_area:
            return i18n.pick("{grids} 个网格（按面积），每格面积 最小 {area_min:.0f} / 最大 "
                             "{area_max:.0f} m²", "{grids} grids (by area), area per grid min "
                             "{area_min:.0f} / max {area_max:.0f} m²", **s)
        text = i18n.pick("{grids} 个网格，每格户数 最少 {min} / 中位 {median:.0f} / 最多 {max}",
                         "{grids} grids, households per grid min {min} / median {median:.0f}"
                         " / max {max}", **s)
        if "in_range" in s:
            text += i18n.pick("；{in_range} 个在范围内", "; {in_range} within range", **s)
        return text


# ---------------------------------------------------------- the service
def propose_division(session: Session, community: int | str, *,
                     households: tuple[int, int] | None = None, grids: int | None = None,
                     area_m2: float | None = None, replace_special: bool = False,
                     progress: Progress = no_progress,
                     cancel: CancelToken = NEVER_CANCELLED) -> DivisionProposal:
    """Propose grids for *community* (id, 12-digit code or name).

    Give a household range (default 300–500), a number of *grids*, or a
    target area per grid (*area_m2*, m²).  Grids are balanced by households
    when the community has buildings, else (and with *area_m2*) by area.
    Special grids (专属网格) stay as they are and the rest of the community
    is divided, unless *replace_special*.  New grids are numbered after every
    code the community has ever used (closed versions included), so no code
    comes back for a different area.  The proposal covers the divided area
    exactly; see the module docstring.
    """
    session.require("workspace.read")
    by_area = area_m2 is not None
    if households is None and grids is None and area_m2 is None:
        households = DEFAULT_RANGE
    if area_m2 is not None and not area_m2 > 0:
        raise ValidationError("每个网格的面积应大于 0", "The area per grid must be more than 0")
    if grids is not None and grids < 1:
        raise ValidationError("网格数应至少为 1", "The number of grids must be at least 1")
    comm = find_community(session, community)
    current = grid_queries.current_grids(session.store, int(comm["id"]))
    special = (current["kind"] == "special").to_numpy(dtype=bool) if not replace_special else \
        np.zeros(len(current), dtype=bool)
    area = comm["geometry"]
    if special.any():
        area = shapely.difference(area, shapely.union_all(current.geometry.values[special]))
        area = shapely.union_all(
            [p for p in shapely.get_parts(area) if p.geom_type == "Polygon"])
    area = polygon_of(area)
    if area.is_empty:
        raise ValidationError("社区 {name} 除专属网格外没有可划分的区域",
                              "Community {name} has nothing to divide besides its special grids",
                              name=comm["name"])
    steps = 5
    progress(0, steps, i18n.pick("读取楼栋", "Reading buildings"))
    b = grid_queries.near_box(session.store, "building", area.bounds)
    pts = shapely.point_on_surface(np.asarray(b.geometry.array, dtype=object)) if len(b) else \
        np.array([], dtype=object)
    inside = shapely.contains_xy(area, shapely.get_x(pts), shapely.get_y(pts)) if len(b) else \
        np.array([], dtype=bool)
    b, pts = b[inside], pts[inside]
    if len(b) == 0 and grids is None and area_m2 is None:
        raise ValidationError(
            "社区 {name} 内没有楼栋，无法按户数划分；请指定网格数（--grids N）或每格面积（--area 平方米）",
            "Community {name} has no buildings to divide by households; give a number of "
            "grids (--grids N) or an area per grid (--area M2)", name=comm["name"])
    by_area = by_area or len(b) == 0
    epsg = session.store.metric_epsg
    fwd, inv = transformer(4490, epsg), transformer(epsg, 4490)
    area_m = shapely.transform(area, lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])))
    if by_area:
        n = int(grids) if grids is not None else max(1, round(area_m.area / float(area_m2)))  # type: ignore[arg-type]
        uniq = area_seeds(area_m, n)
        weight = np.ones(len(uniq))  # replaced by each cell's area below
        total = 0.0
    else:
        mx, my = fwd.transform(shapely.get_x(pts), shapely.get_y(pts))
        hh = b["households"].fillna(0).to_numpy(dtype=float)
        # Buildings at the same spot (to 0.1 m) share one cell.
        keys = np.round(np.column_stack([mx, my]), 1)
        uniq, cell_of = np.unique(keys, axis=0, return_inverse=True)
        cell_of = cell_of.ravel()
        weight = np.bincount(cell_of, weights=hh, minlength=len(uniq))
        if weight.sum() <= 0:
            weight = np.bincount(cell_of, minlength=len(uniq)).astype(float)
        total = float(hh.sum())
        n = int(grids) if grids is not None else grid_count(total, households)  # type: ignore[arg-type]
        # A part of a multipart community without buildings still needs a cell.
        empty = [p for p in shapely.get_parts(area_m)
                 if not shapely.contains_xy(p, uniq[:, 0], uniq[:, 1]).any()]
        if empty:
            extra = shapely.get_coordinates(shapely.point_on_surface(np.array(empty, dtype=object)))
            uniq = np.vstack([uniq, extra])
            weight = np.concatenate([weight, np.zeros(len(extra))])
    if n > len(uniq):
        raise ValidationError("社区只有 {b} 处楼栋，不能分成 {n} 个网格",
                              "The community has buildings at only {b} places; it cannot make "
                              "{n} grids", b=len(uniq), n=n)
    cancel.check()
    progress(1, steps, i18n.pick("生成单元", "Building cells"))
    if len(uniq) == 1:
        cells_m = np.array([shapely.box(*area_m.buffer(10).bounds)], dtype=object)
    else:
        cells_m = np.asarray(shapely.get_parts(shapely.voronoi_polygons(
            MultiPoint(uniq), extend_to=area_m.buffer(100), ordered=True)), dtype=object)
    clipped = shapely.intersection(cells_m, area_m)
    if by_area:
        weight = shapely.area(clipped)
    neigh = adjacency(clipped)
    cancel.check()
    progress(2, steps, i18n.pick("划分", "Dividing"))
    labels = divide_area(uniq, weight, neigh, n, cancel)
    cancel.check()
    progress(3, steps, i18n.pick("合成网格", "Assembling grids"))
    back = shapely.transform(cells_m, lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1])))
    geoms = assemble(back, labels, area)
    progress(4, steps, i18n.pick("统计", "Counting"))
    used = grid_queries.codes_in_community(session.store, str(comm["code"])) \
        if comm["code"] else []
    frame = _describe(geoms, b, pts, epsg, comm, used)
    ids = [int(i) for i in current["id"]]
    replaced = sorted(i for i, sp in zip(ids, special, strict=True) if not sp)
    kept = sorted(i for i, sp in zip(ids, special, strict=True) if sp)
    progress(steps, steps, "")
    return DivisionProposal(int(comm["id"]), comm["code"], str(comm["name"]), frame,
                            None if by_area else tuple(households) if households else None,  # type: ignore[arg-type]
                            replaced, kept, by_area)


def _describe(geoms: list[Polygon], b: gpd.GeoDataFrame, pts: np.ndarray, epsg: int,
              comm: dict[str, Any], used: list[str]) -> gpd.GeoDataFrame:
    arr = np.array(geoms, dtype=object)
    metric = gpd.GeoSeries(arr, crs=4490).to_crs(epsg)
    area, perim = metric.area.to_numpy(), metric.length.to_numpy()
    tree = shapely.STRtree(arr)
    pi, gi = tree.query(pts, predicate="within")
    owner = np.full(len(pts), -1)
    owner[pi] = gi
    hh = b["households"].fillna(0).to_numpy(dtype=int)
    households = np.bincount(owner[owner >= 0], weights=hh[owner >= 0], minlength=len(arr))
    count = np.bincount(owner[owner >= 0], minlength=len(arr))
    rep = shapely.point_on_surface(np.asarray(metric.array, dtype=object))
    order = reading_order(shapely.get_x(rep), shapely.get_y(rep), 150.0)
    code = comm["code"] if isinstance(comm["code"], str) and len(comm["code"]) == 12 else None
    codes: list[str | None] = []
    for _ in range(len(arr)):  # after every code the community ever used
        codes.append(str(next_grid_code(code, used + codes)) if code else None)  # type: ignore[operator]
    frame = pd.DataFrame({
        "seq": np.arange(1, len(arr) + 1),
        "code": codes,
        "name": [f"{comm['name']}第{s + 1}网格" for s in range(len(arr))],
        "households": households[order].astype(int),
        "buildings": count[order].astype(int),
        "area_m2": np.round(area[order], 1),
        "compactness": np.round(4 * np.pi * area[order] / np.maximum(perim[order] ** 2, 1e-9), 3),
    })
    return gpd.GeoDataFrame(frame, geometry=list(arr[order]), crs=4490)


def accept_division(session: Session, proposal: DivisionProposal, *,
                    accept_problems: bool = False, at: Any = None) -> EditResult:
    """Save the proposal via :func:`gridapp.services.grids.edit.save_edit`.

    The grids in ``proposal.replaced`` are closed and the proposed ones
    opened with the proposal's codes (continuing the community's numbering);
    kept special grids stay (a new version only if they gain a vertex where a
    new grid edge meets them).  Manager assignments of each old grid move to
    the new grid that overlaps it most.  Returns the
    :class:`~gridapp.services.grids.edit.EditResult`.
    """
    session.require("grid.edit")
    old = grid_queries.current_grids(session.store, proposal.community_id)
    if sorted(int(i) for i in old["id"]) != sorted(proposal.replaced + proposal.kept):
        raise ValidationError("社区的网格在生成方案后已被修改，请重新生成",
                              "The community's grids changed after the proposal was made; "
                              "propose again")
    old = old[old["id"].isin(proposal.replaced)]
    new = np.asarray(proposal.grids.geometry.array, dtype=object)
    heirs: dict[int, list[int]] = {k: [] for k in range(len(new))}
    for gid, g in zip(old["id"], old.geometry, strict=True):
        overlap = shapely.area(shapely.intersection(new, g))
        heirs[int(np.argmax(overlap))].append(int(gid))
    counted = not proposal.by_area or int(proposal.grids["buildings"].sum()) > 0
    drafts = [GridDraft(geometry=g, replaces=tuple(heirs[k]), code=r["code"], name=r["name"],
                        kind="basic", households=int(r["households"]) if counted else None,
                        population=None, notes="", community_id=proposal.community_id)
              for k, (g, r) in enumerate(zip(new, proposal.grids.to_dict("records"),
                                             strict=True))]
    leftover = [int(i) for i in old["id"] if not any(int(i) in d.replaces for d in drafts)]
    drafts = match_neighbours(session, drafts, closing=[int(i) for i in old["id"]])
    return save_edit(session, drafts, deleted=leftover, accept_problems=accept_problems,
                     action="divide", at=at,
                     note=f"auto-division of community {proposal.community_code}")
