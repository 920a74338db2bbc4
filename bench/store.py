"""Issue 2 benchmarks: the store against pyogrio, and `info` on a district.

1. Write N reports (default 1,000,000) through the store (one audited transaction, R-tree
   built once) vs ``pyogrio.write_dataframe`` of the same GeoDataFrame to a fresh
   GeoPackage.  Goal: ratio <= 1.5.
2. Read them back: ``store.read_layer("report")`` vs ``pyogrio.read_dataframe`` of a
   copy of the same file (GDAL must not open the live workspace).
   Goal: ratio <= 1.2.
3. ``python main.py info`` on the district workspace (5,000 grids, 1,000,000 reports):
   wall time (goal <= 1 s) and peak memory.

Run: ``.venv/bin/python bench/store.py [--n 1000000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import district_workspace  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def make_reports(n: int, seed: int = 1):
    import geopandas as gpd
    import pandas as pd
    import shapely

    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp("2022-01-01", tz="UTC")
    reported = t0 + pd.to_timedelta(rng.uniform(0, 5 * 365 * 86400, n), unit="s")
    return gpd.GeoDataFrame({
        "case_no": [f"{i:012d}" for i in range(n)],
        "address": rng.choice(["青云路12号附近", "翠微巷3号附近", "南湖路88号附近"], n),
        "category_id": rng.integers(2, 40, n),
        "description": rng.choice(["摊贩占用人行道经营", "路边垃圾桶满溢", "电动车在楼道内充电"], n),
        "source": rng.choice(["patrol", "resident", "hotline"], n),
        "grid_id": None,  # no grids in the fresh workspace (foreign keys are checked)
        "community_id": None,
        "urgency": "normal",
        "status": rng.choice(["closed", "in_progress", "dispatched"], n),
        "reported_at": reported.floor("ms"),
    }, geometry=shapely.points(rng.uniform(106.5, 106.9, n), rng.uniform(26.4, 26.7, n)),
        crs=4490)


def bench_write_read(n: int, repeat: int, only: str | None = None) -> None:
    """*only* 'write' leaves out the reads; 'read' times the reads only (the store
    still writes the reports it reads back; pyogrio writes nothing)."""
    import resource

    import pyogrio

    from gridapp.services.workspace import StreetSpec, create_workspace
    from gridapp.storage import bulk

    frame = make_reports(n)
    # Peak RSS (MB) before the first write and after each side's write: what the
    # store's write adds on top of the frame (Linux: ru_maxrss in KiB).
    def peak() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    peak_frame, peak_store, peak_ogr = peak(), [], []
    tmp = Path(tempfile.mkdtemp(prefix="gridapp-bench-"))
    w_store, w_ogr, r_store, r_ogr, w_idx = [], [], [], [], []
    rc_store: list[float] = []  # process CPU of each read (the store's helper thread too)
    rc_ogr: list[float] = []
    # Process CPU seconds of each side (load-proof; SQLite's sorter threads and
    # GDAL run in this process; leaves out waiting for fsync).
    c_store: list[float] = []
    c_ogr: list[float] = []
    indexes: list[str] = []
    for k in range(repeat):
        ws = create_workspace(tmp / f"ws{k}.gpkg", StreetSpec("520102", "520102003", "基准街道"))
        t, c = time.perf_counter(), time.process_time()
        bulk.load_frame(ws, "report", frame, actor="bench", summary="bench")
        w_store.append(time.perf_counter() - t)
        c_store.append(time.process_time() - c)
        peak_store.append(peak())
        if only != "read":
            t, c = time.perf_counter(), time.process_time()
            pyogrio.write_dataframe(frame, tmp / f"ogr{k}.gpkg", layer="report", use_arrow=True)
            w_ogr.append(time.perf_counter() - t)
            c_ogr.append(time.process_time() - c)
            peak_ogr.append(peak())
            # For the record, not the goal: the anchor has none of report's secondary
            # indexes; build those on the columns it wrote, as the store builds them.
            written = set(frame.columns)
            indexes = [sql for (sql,) in ws.query(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'report'"
                " AND sql IS NOT NULL")
                if all(c.strip() in written for c in sql[sql.index("(") + 1:-1].split(","))]
            t = time.perf_counter()
            con = sqlite3.connect(tmp / f"ogr{k}.gpkg")
            for sql in indexes:
                con.execute(sql)
            con.commit()
            con.close()
            w_idx.append(w_ogr[-1] + time.perf_counter() - t)
        if only == "write":
            ws.close()
            for f in tmp.glob(f"*{k}.gpkg*"):
                f.unlink()
            continue
        # pyogrio reads a copy of the workspace, never the open file: GDAL's own
        # SQLite would drop this process's locks and delete the -wal/-shm files
        # under the store's connections (commit b0e4736).
        copy = tmp / f"copy{k}.gpkg"
        src = sqlite3.connect(ws.path)
        dst = sqlite3.connect(copy)
        src.backup(dst)
        dst.close()
        src.close()
        # Reads: warm the page cache once, then alternate which reader goes
        # first (whoever reads first pays for the cold cache).
        ws.read_layer("report")
        pyogrio.read_dataframe(copy, layer="report", use_arrow=True)
        for first_store in (True, False):
            for reader in ("store", "ogr") if first_store else ("ogr", "store"):
                t, c = time.perf_counter(), time.process_time()
                if reader == "store":
                    back = ws.read_layer("report")
                    r_store.append(time.perf_counter() - t)
                    rc_store.append(time.process_time() - c)
                else:
                    back = pyogrio.read_dataframe(copy, layer="report", use_arrow=True)
                    r_ogr.append(time.perf_counter() - t)
                    rc_ogr.append(time.process_time() - c)
                assert len(back) == n
        ws.close()
        for f in tmp.glob(f"*{k}.gpkg*"):  # this round's files (1M reports: ~1 GB)
            f.unlink()
    shutil.rmtree(tmp, ignore_errors=True)
    if only != "read":
        ms, mo = statistics.median(w_store), statistics.median(w_ogr)
        cs, co = statistics.median(c_store), statistics.median(c_ogr)
        print(f"write {n:,} reports: store {ms:.2f} s, pyogrio {mo:.2f} s, ratio {ms / mo:.2f}"
              f" (goal <= 1.5); cpu {cs:.2f} s vs {co:.2f} s, cpu ratio {cs / co:.2f}")
        print(f"write peak RSS: {peak_frame:.0f} MB with the frame, {max(peak_store):.0f} MB"
              f" after the store's write (+{max(peak_store) - peak_frame:.0f} MB),"
              f" {max(peak_ogr):.0f} MB after pyogrio's, which writes second")
    if only != "write":
        rs, ro = statistics.median(r_store), statistics.median(r_ogr)
        rcs, rco = statistics.median(rc_store), statistics.median(rc_ogr)
        print(f"read  {n:,} reports: store {rs:.2f} s, pyogrio {ro:.2f} s, ratio {rs / ro:.2f}"
              f" (goal <= 1.2); cpu {rcs:.2f} s vs {rco:.2f} s, cpu ratio {rcs / rco:.2f}")
    if only != "read":
        mi = statistics.median(w_idx)
        print(f"(for the record) pyogrio write + {len(indexes)} of report's indexes {mi:.2f} s:"
              f" store/that {ms / mi:.2f}")


def bench_info(repeat: int) -> None:
    import os

    path = district_workspace()
    times, peaks = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "info", str(path)],
                                stdout=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - t)
        assert status == 0
        peaks.append(usage.ru_maxrss / 1024)
    print(f"info on {path.name}: median {statistics.median(times):.2f} s (goal <= 1 s),"
          f" peak memory {max(peaks):.0f} MB")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-info", action="store_true")
    ap.add_argument("--only", choices=("read", "write"),
                    help="time only the store's reads or only its writes (no info either)")
    args = ap.parse_args()
    if not args.skip_info and not args.only:
        # First, while this process is small: a forked child's peak memory
        # counts the parent's pages until it execs.
        bench_info(args.repeat)
    bench_write_read(args.n, args.repeat, args.only)
