"""Patrol coverage against plain shapely (issue 18).

Target: coverage of 1,000 tracks × 10,000 points against 5,000 grids in at most
1.5× the time of the same computation written directly with shapely (buffer
every track 30 m, union the buffers, intersect with every grid), in one run.
Synthetic and seeded: 5,000 square grids of 250 m (a 71 × 71 block, the last
row partial) and tracks that wander like a walk (1.4 m steps, turning
gently, bouncing off the district's edge).  GridApp's side is
:func:`gridapp.services.patrols.coverage.coverage_shares`; both sides start
from the same metric geometries; their results must agree to 1e-6.

    python bench/patrol_coverage.py [--tracks 1000] [--points 10000] [--grids 5000]

Measured 2026-12-03 at 1/10 of the issue's size on the shared 2-core machine
(load average 13 falling to 9; the full size was not run: the plain-shapely side
alone would take hours there): ``--tracks 100 --points 10000 --grids 5000``:
shapely 1086.1 s, GridApp 24.8 s, ratio 0.02 (target <= 1.5), results equal to
1e-6, mean coverage 0.225; 18 min 35 s wall for the run.
"""

from __future__ import annotations

import argparse
import time

import common  # noqa: F401  (puts the repository on sys.path)
import numpy as np
import shapely

from gridapp.services.patrols.coverage import DISTANCE_M, coverage_shares

CELL = 250.0


def make_grids(n: int) -> np.ndarray:
    side = int(np.ceil(np.sqrt(n)))
    k = np.arange(n)
    x, y = (k % side) * CELL, (k // side) * CELL
    return shapely.box(x, y, x + CELL, y + CELL), side * CELL


def make_tracks(rng: np.random.Generator, n: int, points: int, extent: float) -> np.ndarray:
    lines = []
    for _ in range(n):
        heading = np.cumsum(rng.normal(0, 0.08, points)) + rng.uniform(0, 2 * np.pi)
        step = np.column_stack([np.cos(heading), np.sin(heading)]) * 1.4
        xy = rng.uniform(0, extent, 2) + np.cumsum(step, axis=0)
        xy = np.abs(xy) % (2 * extent)
        xy = np.where(xy > extent, 2 * extent - xy, xy)  # bounce off the edge
        lines.append(shapely.linestrings(xy))
    return np.asarray(lines, dtype=object)


def plain_shapely(grids: np.ndarray, lines: np.ndarray, distance: float) -> np.ndarray:
    cover = shapely.union_all(shapely.buffer(lines, distance, quad_segs=8))
    return shapely.area(shapely.intersection(grids, cover)) / shapely.area(grids)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tracks", type=int, default=1000)
    ap.add_argument("--points", type=int, default=10000)
    ap.add_argument("--grids", type=int, default=5000)
    args = ap.parse_args()
    rng = np.random.default_rng(18)
    grids, extent = make_grids(args.grids)
    lines = make_tracks(rng, args.tracks, args.points, extent)
    t = time.perf_counter()
    base = plain_shapely(grids, lines, DISTANCE_M)
    t_base = time.perf_counter() - t
    t = time.perf_counter()
    ours, _touching = coverage_shares(grids, lines, DISTANCE_M)
    t_ours = time.perf_counter() - t
    assert np.allclose(ours, np.minimum(base, 1.0), atol=1e-6), float(np.abs(ours - base).max())
    print(f"{args.tracks} tracks x {args.points} points, {args.grids} grids:"
          f" shapely {t_base:.1f} s, GridApp {t_ours:.1f} s,"
          f" ratio {t_ours / t_base:.2f} (target <= 1.5); mean coverage {ours.mean():.3f}")


if __name__ == "__main__":
    main()
