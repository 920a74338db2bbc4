"""Grid edit benchmark: one split or merge committed with its local check.

Target (issue 4): <= 50 ms median.  On a copy of the demo street (60 grids;
``--grids 5000`` generates a district-size street first, which takes a few
minutes, into bench/out/), each round splits a grid with a north-south line
through its centre (``split_grid``: read the neighbourhood, split, check_local,
one transaction, carry manager assignments over) and merges the two pieces
back (``merge_grids``); every call is timed end to end, in wall time (the
target) and in CPU time of the process (``time.process_time``: the work done,
steadier than wall time on a shared machine).

    /work/venv/bin/python bench/grid_edit.py [--rounds 20] [--grids 5000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from shapely.geometry import LineString

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
OUT = Path(__file__).resolve().parent / "out"


def workspace(grids: int, tmp: Path) -> Path:
    from gridapp.services.demo.street import DemoSpec, write_demo

    if grids == 60:
        src = tmp / "demo.gpkg"
        write_demo(src, DemoSpec(hash_rounds=2**10))
    else:
        OUT.mkdir(exist_ok=True)
        src = OUT / f"grid_edit_{grids}.gpkg"
        if not src.exists():
            t = time.perf_counter()
            write_demo(src, DemoSpec(grids=grids, reports=1000, hash_rounds=2**10))
            print(f"generated {src.name} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    dst = tmp / "work.gpkg"
    shutil.copy(src, dst)
    return dst


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--grids", type=int, default=60)
    args = ap.parse_args()
    from gridapp.services.grids import tools as grids_tools
    from gridapp.services.session import system_session
    from gridapp.storage import open_store

    with tempfile.TemporaryDirectory() as tmp:
        path = workspace(args.grids, Path(tmp))
        with open_store(path) as store:
            s = system_session(store)
            ids = [int(r[0]) for r in store.query(
                "SELECT id FROM grid WHERE valid_to IS NULL ORDER BY id")]
            split_t, merge_t, split_c, merge_c, problems = [], [], [], [], 0
            for k in range(args.rounds + 1):
                gid = ids[(k * 7) % len(ids)]
                g = store.get("grid", gid)["geom"]
                if g is None or store.scalar("SELECT valid_to FROM grid WHERE id = ?", (gid,)):
                    continue
                c = g.centroid
                line = LineString([(c.x, g.bounds[1] - 1e-3), (c.x, g.bounds[3] + 1e-3)])
                c, t = time.process_time(), time.perf_counter()
                res = grids_tools.split_grid(s, gid, line, accept_problems=True)
                t1, c1 = time.perf_counter(), time.process_time()
                pieces = [o for o, d in zip(res.opened, res.drafts, strict=True)
                          if d.replaces == (gid,)]
                c2, t2 = time.process_time(), time.perf_counter()
                res2 = grids_tools.merge_grids(s, pieces, accept_problems=True)
                t3, c3 = time.perf_counter(), time.process_time()
                problems += len(res.report.problems) + len(res2.report.problems)
                if k:  # the first round warms caches (imports, PROJ)
                    split_t.append(t1 - t)
                    merge_t.append(t3 - t2)
                    split_c.append(c1 - c)
                    merge_c.append(c3 - c2)
                ids = [int(r[0]) for r in store.query(
                    "SELECT id FROM grid WHERE valid_to IS NULL ORDER BY id")]
    ms = 1000.0
    print(f"grid edit on {args.grids} grids, {len(split_t)} rounds (target <= 50 ms median)")
    print(f"  split + local check + commit: median {statistics.median(split_t) * ms:.1f} ms, "
          f"max {max(split_t) * ms:.1f} ms, cpu {statistics.median(split_c) * ms:.1f} ms")
    print(f"  merge + local check + commit: median {statistics.median(merge_t) * ms:.1f} ms, "
          f"max {max(merge_t) * ms:.1f} ms, cpu {statistics.median(merge_c) * ms:.1f} ms")
    print(f"  coverage problems reported: {problems}")


if __name__ == "__main__":
    main()
