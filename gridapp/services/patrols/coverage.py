"""How well each grid was walked (巡查覆盖率), per day or period (issue 18).

Coverage of a grid = the share of its area within *distance_m* (30 m) of
the period's tracks: ``area(grid ∩ ⋃ buffer(track, 30 m)) / area(grid)``,
computed in the workspace's metric CRS.  The issue prefers the share of
streets and building fronts; the workspace has no street (road) layer yet,
so the area is the measure, and :attr:`GridCoverage.basis` says so.

Besides coverage: metres walked inside the grid, minutes inside (each step
counted in the grid holding its midpoint), the tracks that touched it, and
the places (重点场所) in the grid passed within *distance_m*.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import shapely

from gridapp.domain.timeutil import LOCAL_TZ, to_iso
from gridapp.services.session import Session
from gridapp.storage.queries import grids as grid_queries
from gridapp.storage.queries import patrols as queries

DISTANCE_M = 30.0


@dataclass(frozen=True)
class GridCoverage:
    grid_id: int
    code: str
    name: str | None
    coverage: float  # 0..1
    walked_m: float
    minutes_inside: float
    tracks: int
    places_visited: tuple[str, ...]
    basis: str = "area"


def coverage_shares(grids: np.ndarray, lines: np.ndarray, distance_m: float
                    ) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Share of each grid polygon within *distance_m* of any line (metric coordinates).

    Returns the shares and ``{grid index: [indexes of lines within distance]}``.
    Only the parts of the lines near a grid can cover it, so each line is
    clipped to the grid's box grown by *distance_m*, the pieces near one grid
    are buffered together and intersected with it: local work, instead of one
    union of every buffer in the district (``bench/patrol_coverage.py``).
    """
    shares = np.zeros(len(grids))
    touching: dict[int, list[int]] = defaultdict(list)
    if len(grids) == 0 or len(lines) == 0:
        return shares, touching
    tree = shapely.STRtree(lines)
    g_idx, l_idx = tree.query(grids, predicate="dwithin", distance=distance_m)
    if len(g_idx) == 0:
        return shares, touching
    for g, li in zip(g_idx.tolist(), l_idx.tolist(), strict=True):
        touching[g].append(li)
    b = shapely.bounds(grids)
    pad = distance_m + 1.0
    boxes = shapely.box(b[:, 0] - pad, b[:, 1] - pad, b[:, 2] + pad, b[:, 3] + pad)
    order = np.argsort(g_idx, kind="stable")
    g_sorted, l_sorted = g_idx[order], l_idx[order]
    pieces = shapely.intersection(lines[l_sorted], boxes[g_sorted])
    starts = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1]])
    ends = np.r_[starts[1:], len(g_sorted)]
    near = np.empty(len(starts), dtype=object)
    for k, (s, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        parts = shapely.get_parts(pieces[s:e])
        near[k] = shapely.multilinestrings(parts[shapely.get_type_id(parts) == 1])
    covered = shapely.buffer(near, distance_m, quad_segs=8)
    gi = g_sorted[starts]
    areas = shapely.area(grids[gi])
    with np.errstate(invalid="ignore", divide="ignore"):
        share = shapely.area(shapely.intersection(grids[gi], covered)) / areas
    shares[gi] = np.clip(np.nan_to_num(share), 0.0, 1.0)
    return shares, touching


def _minutes_inside(grid: Any, line: Any, times: list[str]) -> float:
    """Minutes of the track's steps whose midpoint lies in *grid*."""
    xy = np.asarray(line.coords)
    if len(xy) < 2 or len(times) != len(xy):
        return 0.0
    mid = (xy[1:] + xy[:-1]) / 2
    inside = shapely.contains_xy(grid, mid[:, 0], mid[:, 1])
    stamps = np.array([datetime.fromisoformat(t).timestamp() for t in times])
    return float(np.diff(stamps)[inside].sum() / 60.0)


def day_bounds(day: date | str, days: int = 1) -> tuple[str, str]:
    """ISO UTC bounds of *days* Beijing days starting on *day*."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    start = datetime.combine(day, time(0), LOCAL_TZ)
    return to_iso(start), to_iso(start + timedelta(days=days))  # type: ignore[return-value]


def grid_coverage(session: Session, day: date | str, *, days: int = 1,
                  distance_m: float = DISTANCE_M, manager_id: int | None = None
                  ) -> list[GridCoverage]:
    """One row per current grid for the tracks started in the *days* Beijing days
    from *day* (a week: ``days=7``), optionally of one manager.

    Examples
    --------
    ``grid_coverage(session, "2026-11-20")`` → ``[GridCoverage(grid_id=1, code=…,
    coverage=0.42, walked_m=1830.0, minutes_inside=61.5, tracks=2, …), …]``
    """
    session.require("workspace.read")
    start, end = day_bounds(day, days)
    epsg = session.store.metric_epsg
    grids = grid_queries.current_grids(session.store)
    tracks = queries.tracks_between(session.store, start, end, manager_id)
    if grids.empty:
        return []
    grid_m = np.asarray(grids.to_crs(epsg).geometry.values, dtype=object)
    lines_m = (np.asarray(tracks.to_crs(epsg).geometry.values, dtype=object)
               if len(tracks) else np.empty(0, dtype=object))
    shares, touching = coverage_shares(grid_m, lines_m, distance_m)
    places = queries.places(session.store)
    place_m = (np.asarray(places.to_crs(epsg).geometry.values, dtype=object)
               if len(places) else np.empty(0, dtype=object))
    out = []
    for g in range(len(grids)):
        members = touching.get(g, [])
        walked = float(shapely.length(shapely.intersection(lines_m[members], grid_m[g]))
                       .sum()) if members else 0.0
        minutes = sum(_minutes_inside(grid_m[g], lines_m[m], _times(tracks, m))
                      for m in members)
        visited: tuple[str, ...] = ()
        if members and len(place_m):
            near = shapely.union_all(lines_m[members]).buffer(distance_m)
            hit = shapely.within(place_m, grid_m[g]) & shapely.intersects(place_m, near)
            visited = tuple(str(n) for n in places["name"].to_numpy()[hit])
        row = grids.iloc[g]
        out.append(GridCoverage(int(row["id"]), str(row["code"]), row.get("name"),
                                round(float(shares[g]), 4), round(walked, 1),
                                round(minutes, 1), len(members), visited))
    return out


def _times(tracks: Any, index: int) -> list[str]:
    import json

    text = tracks["point_times"].iloc[index]
    return json.loads(text) if isinstance(text, str) and text else []
