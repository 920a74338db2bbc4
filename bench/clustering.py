"""Benchmark: cluster detection over 1,000,000 reports vs scikit-learn DBSCAN alone.

Anchor: ``sklearn.cluster.DBSCAN(eps, min_samples).fit`` on the same
projected, time-scaled points with the same parameters (the ``min_samples``
GridApp chose from the density), in the same run.  Target (issue 7): GridApp's
full detection (reading the reports from the workspace, projecting to the
Gauss-Krüger zone, the time axis, choosing ``min_samples``, DBSCAN, hulls,
categories, grids, departments, recurrence, ranking as proposals) ≤ 1.5× the
anchor.  Each GridApp round runs in a fresh process (``--ours-only``), so its
peak RSS (``resource.getrusage`` max RSS of that process) is GridApp's own,
not the anchor's: scikit-learn's DBSCAN alone takes a process past 1 GB at
1,000,000 reports.  Wall and CPU time of both are printed; on this shared
machine the CPU ratio is the steadier one.

Two sources:

* ``--workspace PATH``: a workspace written by
  ``gridapp.services.demo.street.write_demo(PATH, DemoSpec(grids=5000, reports=1_000_000))``
  (``--generate`` writes it first; about 10 minutes on one core);
* otherwise an in-memory GeoDataFrame (EPSG:4490) of ``--reports`` synthetic
  reports in a 20 km square of zone 36 (Guiyang): a uniform background over
  ``--days`` days plus dense planted spots; then the timed part starts from
  the GeoDataFrame (projection included) instead of the file.

Run: ``python bench/clustering.py --workspace /tmp/district.gpkg [--generate]``
or ``python bench/clustering.py [--reports 1000000]``
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time

import numpy as np


def rss_mb() -> float:
    """Peak RSS of this process (VmHWM: unlike ru_maxrss, not inherited from the parent
    that started it)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def synthetic(n: int, days: float, seed: int = 0):
    """GeoDataFrame of reports: uniform background + 1 % of spots with 5–10 % of reports."""
    import geopandas as gpd
    import pandas as pd

    from gridapp.domain.crs import to_storage

    rng = np.random.default_rng(seed)
    x0, y0, size, epsg = 36_360_000.0, 2_930_000.0, 20_000.0, 4524
    n_spot = max(10, n // 2500)
    per = max(20, int(n * 0.08) // n_spot)
    n_bg = n - n_spot * per
    cx, cy = rng.uniform(500, size - 500, (2, n_spot))
    ct = rng.uniform(0, days - 60, n_spot)
    x = np.concatenate([rng.uniform(0, size, n_bg), np.repeat(cx, per) + rng.normal(0, 15, n_spot * per)])
    y = np.concatenate([rng.uniform(0, size, n_bg), np.repeat(cy, per) + rng.normal(0, 15, n_spot * per)])
    t = np.concatenate([rng.uniform(0, days, n_bg), np.repeat(ct, per) + rng.uniform(0, 60, n_spot * per)])
    lon, lat = to_storage(x + x0, y + y0, epsg)
    t0 = pd.Timestamp("2021-01-01", tz="UTC")
    gdf = gpd.GeoDataFrame({
        "id": np.arange(1, n + 1), "category": rng.choice(["0401", "0403", "0101"], n),
        "reported_at": t0 + pd.to_timedelta(t, unit="D"),
        "grid_id": rng.integers(1, 5001, n)},
        geometry=gpd.points_from_xy(lon, lat), crs=4490)
    return gdf, epsg, n_spot


def points_from_gdf(gdf, epsg: int):
    from gridapp.domain.crs import to_metric
    from gridapp.services.joint.clustering import ReportPoints

    x, y = to_metric(gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy(), epsg)
    t = gdf["reported_at"].astype("int64").to_numpy() / 86_400e9
    n = len(gdf)
    return ReportPoints(gdf["id"].to_numpy(), np.asarray(x), np.asarray(y), t,
                        np.full(n, np.nan), gdf["category"].to_numpy(dtype=object),
                        gdf["grid_id"].to_numpy(), np.full(n, -1), epsg)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", help="demo district workspace (.gpkg)")
    ap.add_argument("--generate", action="store_true", help="write the workspace first")
    ap.add_argument("--reports", type=int, default=1_000_000)
    ap.add_argument("--days", type=float, default=5 * 365)
    ap.add_argument("--repeat", type=int, default=2, help="interleaved rounds (best is kept)")
    ap.add_argument("--ours-only", action="store_true",
                    help="one GridApp round in this process, print its times and peak RSS")
    args = ap.parse_args()
    if args.ours_only:
        return ours_only(args)

    from sklearn.cluster import DBSCAN

    from gridapp.services.joint.clustering import (
        ClusterParams,
        auto_min_samples,
        load_report_points,
        scaled_coordinates,
    )

    params = ClusterParams()
    if args.workspace:
        from gridapp.storage import open_store

        if args.generate or not os.path.exists(args.workspace):
            from gridapp.services.demo.street import DemoSpec, write_demo

            t = time.perf_counter()
            write_demo(args.workspace, DemoSpec(grids=5000, reports=1_000_000), overwrite=True)
            print(f"generated {args.workspace} in {time.perf_counter() - t:.0f} s")
        # Opened for writing once: pending migrations are applied, as the window
        # would (the duty list's area rules need migration 0023).
        open_store(args.workspace).close()
        from gridapp.services.session import system_session

        store = open_store(args.workspace, readonly=True)
        session = system_session(store)
        source = f"workspace {args.workspace}"
        # Anchor input: the same projected points (prepared untimed).
        pts = load_report_points(session)
    else:
        gdf, epsg, n_spot = synthetic(args.reports, args.days)
        source = f"in-memory GeoDataFrame, {len(gdf):,} reports, {n_spot} planted spots"
        pts = points_from_gdf(gdf, epsg)
        store = None

    print(f"source: {source}")
    print(f"points: {len(pts.ids):,}; memory before: {rss_mb():.0f} MB")
    k = auto_min_samples(pts.x, pts.y, pts.t, params)
    X = scaled_coordinates(pts.x, pts.y, pts.t, params)

    anchors, anchors_cpu, fulls, fulls_cpu, rss_ours = [], [], [], [], []
    # The machine is shared: interleave the contenders and keep each one's best round.
    for rnd in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        labels = DBSCAN(eps=params.eps_m, min_samples=k, algorithm="kd_tree",
                        n_jobs=1).fit_predict(X)
        anchors.append(time.perf_counter() - t)
        anchors_cpu.append(time.process_time() - c)
        n_anchor = int(labels.max()) + 1
        del labels
        print(f"[{rnd + 1}] sklearn DBSCAN alone: {anchors[-1]:.2f} s (cpu {anchors_cpu[-1]:.2f} s), "
              f"{n_anchor} clusters (eps {params.eps_m:g} m, min_samples {k}); "
              f"peak RSS {rss_mb():.0f} MB", flush=True)
        cmd = [sys.executable, __file__, "--ours-only", "--reports", str(args.reports),
               "--days", str(args.days)] + (["--workspace", args.workspace] if args.workspace
                                            else [])
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        print(out, end="", flush=True)
        m = re.search(r"^GridApp cluster detection: ([\d.]+) s \(cpu ([\d.]+) s\).*"
                      r"peak RSS (\d+) MB", out, re.M)
        fulls.append(float(m[1]))
        fulls_cpu.append(float(m[2]))
        rss_ours.append(int(m[3]))
    print(f"best: GridApp {min(fulls):.2f} s, DBSCAN alone {min(anchors):.2f} s; "
          f"ratio {min(fulls) / min(anchors):.2f} (goal <= 1.2); "
          f"peak RSS {max(rss_ours)} MB (GridApp's process; the anchor's {rss_mb():.0f} MB); "
          f"cpu ratio {min(fulls_cpu) / min(anchors_cpu):.2f} "
          f"(cpu {min(fulls_cpu):.2f} s vs {min(anchors_cpu):.2f} s)")
    if store is not None:
        store.close()


def ours_only(args) -> None:  # noqa: ANN001
    """One GridApp detection in this fresh process: times and this process's peak RSS."""
    from gridapp.services.joint import proposals
    from gridapp.services.joint.clustering import (
        ClusterParams,
        cluster_points,
        find_clusters,
    )

    params = ClusterParams()
    if args.workspace:
        from gridapp.services.session import system_session
        from gridapp.storage import open_store

        store = open_store(args.workspace, readonly=True)
        session = system_session(store)

        def full():
            res = find_clusters(session, params=params)
            return res, proposals.rank_clusters(session, res.clusters)
    else:
        gdf, epsg, _ = synthetic(args.reports, args.days)

        def full():
            return cluster_points(points_from_gdf(gdf, epsg), params), []
    import scipy.sparse.csgraph  # noqa: F401 - imports are not part of the timed detection
    import scipy.spatial  # noqa: F401
    import scipy.stats  # noqa: F401

    print(f"memory before: {rss_mb():.0f} MB")
    t, c = time.perf_counter(), time.process_time()
    res, ranked = full()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    print(f"GridApp cluster detection: {wall:.2f} s (cpu {cpu:.2f} s), {len(res.clusters)} "
          f"clusters, {len(ranked)} proposals (min_samples {res.min_samples_used}); "
          f"peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
