"""Benchmark: assign 1,000,000 report points to 5,000 Voronoi grids.

Compares :func:`gridapp.services.cases.spatial_join.assign_points_to_grids` with
``geopandas.sjoin(predicate="within")`` on the same data in the same run and
prints the ratio (goal ≤ 1.0).  ``python bench/assign_reports.py [--points N]
[--grids N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import geopandas as gpd
import numpy as np
import shapely

from gridapp.services.cases.spatial_join import assign_points_to_grids


def make_grids(n: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    x0, y0, w, h = 106.60, 26.50, 0.20, 0.15
    seeds = shapely.multipoints(
        np.column_stack([x0 + rng.random(n) * w, y0 + rng.random(n) * h])
    )
    frame = shapely.box(x0, y0, x0 + w, y0 + h)
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame))
    cells = shapely.intersection(cells, frame)
    return gpd.GeoDataFrame(
        {"id": np.arange(1, len(cells) + 1)}, geometry=cells, crs=4490
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--grids", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(20261123)
    grids = make_grids(args.grids, rng)
    # 2 % of the points fall outside every grid.
    x = 106.595 + rng.random(args.points) * 0.21
    y = 26.495 + rng.random(args.points) * 0.16

    ours, theirs, join_only = [], [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        got = assign_points_to_grids(x, y, grids, boundary=False)
        ours.append(time.perf_counter() - t)

        t = time.perf_counter()
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=4490)
        t2 = time.perf_counter()
        joined = gpd.sjoin(pts, grids, predicate="within", how="left")
        t3 = time.perf_counter()
        theirs.append(t3 - t)
        join_only.append(t3 - t2)

    ref = (
        joined[~joined.index.duplicated()]["id"].fillna(-1).astype(np.int64).to_numpy()
    )
    agree = float(np.mean(ref == got))
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"points={args.points:,} grids={len(grids):,} repeat={args.repeat}")
    print(f"assign_points_to_grids  median {a:.3f} s")
    c = statistics.median(join_only)
    print(f"geopandas.sjoin(within) median {b:.3f} s (points_from_xy included)")
    print(f"geopandas.sjoin(within) median {c:.3f} s (join only, points prebuilt)")
    print(f"agreement {agree:.6f}")
    print(f"ratio ours/sjoin = {a / b:.2f} (goal <= 1.0)")
    print(f"ratio ours/sjoin join only = {a / c:.2f} (goal <= 1.0)")


if __name__ == "__main__":
    main()
