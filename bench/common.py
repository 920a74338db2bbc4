"""Shared benchmark fixtures: the district-size workspace, generated once.

``district_workspace()`` returns ``bench/out/district.gpkg`` (5,000 grids,
1,000,000 reports), generating it with the demo generator on first use under
a file lock so concurrent benchmark scripts do not race.  bench/out/ is
git-ignored.
"""

from __future__ import annotations

import fcntl
import statistics
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def district_workspace(grids: int = 5000, reports: int = 1_000_000) -> Path:
    from gridapp.services.demo.street import DemoSpec, write_demo

    OUT.mkdir(exist_ok=True)
    path = OUT / f"district_{grids}_{reports}.gpkg"
    with open(OUT / ".district.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            t = time.perf_counter()
            tmp = path.with_suffix(".part.gpkg")
            tmp.unlink(missing_ok=True)
            write_demo(tmp, DemoSpec(grids=grids, reports=reports, hash_rounds=2**10))
            tmp.rename(path)
            print(f"generated {path.name} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return path


def median_time(fn, repeat: int = 5) -> float:
    """Median wall time of *fn* in seconds over *repeat* runs."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)
