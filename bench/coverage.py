"""Benchmark: grid coverage check and one editor edit on a 5,000-grid district.

Anchor: ``shapely.coverage_invalid_edges`` alone on the same polygons with the
same ``gap_width``.  Target (issue 4): ``check_coverage`` ≤ 1.2 × the anchor;
one split or merge with its local check ≤ 50 ms median (wall; CPU printed too).

The district is a seeded Voronoi coverage of 5,000 cells in a 20 km square in
EPSG:4524 (Guiyang's Gauss-Krüger zone), clipped to the square, and 25
communities made by unioning the cells whose seed lies in each 4 km block.
Timings interleave the contenders in the same run and report medians of wall
time (the target) and of CPU time over all threads (the work done: the check
runs the validator and the rest of its work on two threads, so its wall ratio
is close to 1 only when a second core is free).

Run: ``python bench/coverage.py [--repeat 15] [--grids 5000]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from gridapp.services.grids.coverage import check_coverage, check_local
from gridapp.services.grids.geometry_edits import merge_in_coverage, split_in_coverage

X0, Y0, SIZE = 36_360_000.0, 2_930_000.0, 20_000.0
GAP_WIDTH, SLIVER = 0.5, 1.0


def make_district(n: int, seed: int = 0) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    rng = np.random.default_rng(seed)
    seeds = rng.uniform(0, SIZE, (n, 2)) + (X0, Y0)
    frame = shapely.box(X0, Y0, X0 + SIZE, Y0 + SIZE)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    # Voronoi output order is not the seed order: find each cell's seed block.
    inner = shapely.get_coordinates(shapely.point_on_surface(cells))
    block = ((inner[:, 0] - X0) // 4000).astype(int) * 5 + ((inner[:, 1] - Y0) // 4000).astype(int)
    grids = gpd.GeoDataFrame({"code": np.arange(len(cells)), "block": block}, geometry=cells,
                             crs=4524)
    comms = grids.dissolve("block").reset_index()[["block", "geometry"]]
    comms["geometry"] = [shapely.coverage_union_all(grids.geometry[grids.block == b].values)
                         for b in comms.block]
    return grids, comms


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def interleave(
    fns: dict[str, Callable[[], object]], repeat: int
) -> dict[str, tuple[float, float]]:
    """Median wall and CPU (all threads) milliseconds of each contender."""
    wall: dict[str, list[float]] = {k: [] for k in fns}
    cpu: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            c, t = time.process_time(), time.perf_counter()
            fn()
            wall[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
    return {k: (median_ms(wall[k]), median_ms(cpu[k])) for k in fns}


def bench_check(grids: gpd.GeoDataFrame, comms: gpd.GeoDataFrame, repeat: int) -> None:
    polys = grids.geometry.values
    assert shapely.coverage_is_valid(polys)
    assert check_coverage(grids, comms).valid
    grids4490, comms4490 = grids.to_crs(4490), comms.to_crs(4490)
    t = interleave(
        {
            "anchor coverage_invalid_edges": lambda: shapely.coverage_invalid_edges(
                np.asarray(polys), gap_width=GAP_WIDTH),
            "check_coverage (no communities)": lambda: check_coverage(
                grids, None, gap_width=GAP_WIDTH, sliver_area=SLIVER),
            "check_coverage (25 communities)": lambda: check_coverage(
                grids, comms, gap_width=GAP_WIDTH, sliver_area=SLIVER),
            "check_coverage (25 communities, by attribute)": lambda: check_coverage(
                grids, comms, gap_width=GAP_WIDTH, sliver_area=SLIVER,
                community_id_field="block", community_field="block"),
            "check_coverage (EPSG:4490, reprojects)": lambda: check_coverage(
                grids4490, comms4490, gap_width=GAP_WIDTH, sliver_area=SLIVER),
        },
        repeat,
    )
    anchor, anchor_cpu = t["anchor coverage_invalid_edges"]
    print(f"{'':46s} {'wall':>8s}       ratio   {'cpu':>8s}       ratio")
    for name, (ms, cpu) in t.items():
        print(f"{name:46s} {ms:8.1f} ms   {ms / anchor:5.2f}   {cpu:8.1f} ms   "
              f"{cpu / anchor_cpu:5.2f}")


def bench_edits(grids: gpd.GeoDataFrame, comms: gpd.GeoDataFrame, repeat: int) -> None:
    rng = np.random.default_rng(1)
    polys = list(grids.geometry.values)
    split_ms, merge_ms, split_cpu, merge_cpu = [], [], [], []
    for _ in range(repeat):
        i = int(rng.integers(len(polys)))
        c = polys[i].centroid
        line = LineString([(c.x - 1000, c.y - 7), (c.x + 1000, c.y + 7)])
        c, t = time.process_time(), time.perf_counter()
        after = split_in_coverage(polys, i, line)
        changed = [i] + list(range(len(polys), len(after)))
        touched = [j for j, (a, b) in enumerate(zip(polys, after, strict=False)) if a is not b]
        new = pd.concat([grids, grids.iloc[[i] * (len(after) - len(polys))]], ignore_index=True)
        new = new.set_geometry(gpd.GeoSeries(after, crs=grids.crs))
        new["code"] = np.arange(len(new))
        report = check_local(new, sorted(set(changed + touched)), comms, id_field="code",
                             gap_width=GAP_WIDTH, sliver_area=SLIVER)
        split_ms.append(time.perf_counter() - t)
        split_cpu.append(time.process_time() - c)
        assert report.valid, report.problems[:3]

        c, t = time.process_time(), time.perf_counter()
        merged = merge_in_coverage(after, [i, len(polys)])
        back = new.drop(index=len(polys)).reset_index(drop=True)
        back = back.set_geometry(gpd.GeoSeries(merged, crs=grids.crs))
        report = check_local(back, [int(back["code"].iloc[i])], comms, id_field="code",
                             gap_width=GAP_WIDTH, sliver_area=SLIVER)
        merge_ms.append(time.perf_counter() - t)
        merge_cpu.append(time.process_time() - c)
        assert report.valid, report.problems[:3]
    print(f"{'split + local check (median)':46s} {median_ms(split_ms):8.1f} ms   "
          f"cpu {median_ms(split_cpu):8.1f} ms")
    print(f"{'merge + local check (median)':46s} {median_ms(merge_ms):8.1f} ms   "
          f"cpu {median_ms(merge_cpu):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    grids, comms = make_district(args.grids)
    print(f"{len(grids)} grids, {len(comms)} communities, "
          f"{shapely.get_num_coordinates(grids.geometry.values).sum()} vertices")
    bench_check(grids, comms, args.repeat)
    bench_edits(grids, comms, args.repeat)


if __name__ == "__main__":
    main()
