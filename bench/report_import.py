"""Issue 22: batch import of reports against pyogrio read + write of the same rows.

A CSV of N reports (id, lon/lat, category, description, half with an address,
time, source, urgency) inside the demo street's grids is imported through the
services a dialog calls (``prepare_report_import`` then
``commit_report_import``: validation, grid assignment, address hints,
near-duplicate checks, audit), and the anchor reads the same CSV with
``pyogrio.read_dataframe`` (points from the lon/lat columns) and writes it to a
fresh GeoPackage with ``pyogrio.write_dataframe``.  Goal: ratio <= 2.

Run: ``.venv/bin/python bench/report_import.py [--n 20000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, Result, peak_rss_mb  # noqa: E402

GOAL = 2.0
CPU: dict[str, list[float]] = {"ours": [], "anchor": []}  # process CPU seconds per run


def demo_copy(dest: Path) -> Path:
    """A fresh copy of the cached demo street (60 grids, 3,000 reports)."""
    import shutil

    from gridapp.services.demo.street import DemoSpec, write_demo

    OUT.mkdir(exist_ok=True)
    cached = OUT / "import_demo.gpkg"
    if not cached.exists():
        write_demo(cached.with_suffix(".part.gpkg"),
                   DemoSpec(hash_rounds=2**10, as_of=date(2026, 11, 1)), overwrite=True)
        cached.with_suffix(".part.gpkg").rename(cached)
    shutil.copyfile(cached, dest)
    return dest


def write_csv(path: Path, ws: Path, n: int, seed: int = 7) -> None:
    """N rows whose positions lie in the workspace's grids."""
    import pyogrio
    import shapely

    grids = pyogrio.read_dataframe(ws, layer="grid", columns=["code"])
    cats = pyogrio.read_dataframe(ws, layer="category", read_geometry=False)
    names = cats["name"].tolist()
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = grids.total_bounds
    tree = shapely.STRtree(grids.geometry.values)
    xs, ys = np.empty(0), np.empty(0)
    while len(xs) < n:
        # As written (7 decimals), strictly inside a grid: a point rounded onto a
        # boundary or into a sliver between grids is in no grid (1M rows met 2).
        x = np.round(rng.uniform(minx, maxx, 2 * n), 7)
        y = np.round(rng.uniform(miny, maxy, 2 * n), 7)
        pi, _gi = tree.query(shapely.points(x, y), predicate="within")
        inside = np.zeros(len(x), dtype=bool)
        inside[pi] = True
        xs, ys = np.concatenate([xs, x[inside]]), np.concatenate([ys, y[inside]])
    words = ["摊贩占用人行道经营", "路边垃圾桶满溢", "电动车在楼道内充电", "井盖破损", "违规张贴小广告"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "经度", "纬度", "事件类型", "问题描述", "地址", "上报时间", "来源",
                    "紧急程度"])
        for i in range(n):
            w.writerow([f"B{i:08d}", f"{xs[i]:.7f}", f"{ys[i]:.7f}", names[i % len(names)],
                        words[i % len(words)], f"青云路{i % 300}号" if i % 2 else "",
                        f"2026-10-{1 + i % 28:02d} {8 + i % 10:02d}:{i % 60:02d}",
                        ("巡查", "居民", "12345")[i % 3], "紧急" if i % 17 == 0 else "一般"])


def run_import(ws: Path, src: Path) -> tuple[int, float]:
    """(rows written, seconds): the session is open (and has written, as a login
    does) before the clock starts, as in the window's import dialog."""
    from gridapp.domain.enums import Role
    from gridapp.services.cases.report_import import (
        commit_report_import,
        prepare_report_import,
    )
    from gridapp.services.session import Session, User
    from gridapp.services.workspace import open_workspace

    store = open_workspace(ws)
    try:
        session = Session(store, User(None, "bench", "bench", Role.OFFICE))
        with session.transaction():
            pass  # a login's write: the schema guard has seen this file
        t, cpu = time.perf_counter(), time.process_time()
        preview = prepare_report_import(session, src)
        assert not preview.rejected, preview.rejected[:3]
        n = len(commit_report_import(session, preview).report_ids)
        CPU["ours"].append(time.process_time() - cpu)
        return n, time.perf_counter() - t
    finally:
        store.close()


def run_anchor(src: Path, dest: Path) -> int:
    import pyogrio

    cpu = time.process_time()
    frame = pyogrio.read_dataframe(
        src, use_arrow=True, X_POSSIBLE_NAMES="经度", Y_POSSIBLE_NAMES="纬度",
        KEEP_GEOM_COLUMNS="NO", AUTODETECT_TYPE="YES")
    frame = frame.set_crs(4490, allow_override=True)
    pyogrio.write_dataframe(frame, dest, layer="report", use_arrow=True)
    CPU["anchor"].append(time.process_time() - cpu)
    return len(frame)


def bench(n: int, repeat: int) -> Result:
    tmp = Path(tempfile.mkdtemp(prefix="gridapp-bench-import-"))
    src = tmp / "reports.csv"
    base = demo_copy(tmp / "base.gpkg")
    write_csv(src, base, n)
    ours, anchor = [], []
    for k in range(repeat):
        ws = demo_copy(tmp / f"ws{k}.gpkg")
        # Alternate which side runs first so neither always gets the warm cache.
        for side in (("ours", "anchor") if k % 2 == 0 else ("anchor", "ours")):
            t = time.perf_counter()
            if side == "ours":
                written, took = run_import(ws, src)
                assert written == n
                ours.append(took)
            else:
                assert run_anchor(src, tmp / f"ogr{k}.gpkg") == n
                anchor.append(time.perf_counter() - t)
    cpu = statistics.median(CPU["ours"]) / statistics.median(CPU["anchor"])
    return Result(f"report_import_{n}", ours, anchor, GOAL, peak_rss_mb(),
                  "prepare+commit vs pyogrio read CSV + write GPKG;"
                  f" cpu ratio {cpu:.2f} (load-proof; leaves out waiting for fsync)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(bench(args.n, args.repeat).line())
