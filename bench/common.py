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
            write_demo(tmp, DemoSpec(grids=grids, reports=reports, hash_rounds=2**10),
                       progress=LineProgress(f"generating {path.name}"))
            tmp.rename(path)
            took = time.perf_counter() - t
            generation_record(path).write_text(f"{took:.1f}\n")
            print(f"generated {path.name} in {took:.0f} s", file=sys.stderr, flush=True)
    return path


def generation_record(path: Path) -> Path:
    """Where ``district_workspace`` keeps the seconds it took to generate *path*."""
    return path.with_suffix(".seconds")


def generation_seconds(path: Path) -> float | None:
    """Seconds the cached workspace *path* took to generate (None if not recorded)."""
    try:
        return float(generation_record(path).read_text())
    except (OSError, ValueError):
        return None


class LineProgress:
    """A progress reporter that prints whole lines to stderr (readable in a log, no
    terminal needed), at most one every *every* seconds and at each new step."""

    def __init__(self, label: str, every: float = 5.0) -> None:
        self.label, self.every = label, every
        self.start = self.last = time.perf_counter()
        self.message: str | None = None

    def __call__(self, done: float, total: float, message: str = "") -> None:
        now = time.perf_counter()
        if message == self.message and now - self.last < self.every and done < total:
            return
        self.last, self.message = now, message
        pct = 100.0 * done / total if total else 100.0
        print(f"{self.label}: {pct:5.1f}% {message} ({now - self.start:.0f} s)",
              file=sys.stderr, flush=True)


def median_time(fn, repeat: int = 5) -> float:
    """Median wall time of *fn* in seconds over *repeat* runs."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


class Result:
    """One benchmark against its anchor, measured in the same run.

    *ours* and *anchor* are wall times in seconds (one per repeat); the
    ratio compares their medians.  ``line()`` is the issue's format:
    ``BENCH <name> ratio=<x> goal=<y> ok|SLOW`` then absolute times and the
    process's peak RSS.
    """

    def __init__(self, name: str, ours: list[float], anchor: list[float], goal: float,
                 peak_mb: float, note: str = "", goal_mb: float | None = None) -> None:
        self.name, self.ours, self.anchor, self.goal = name, ours, anchor, goal
        self.peak_mb, self.note, self.goal_mb = peak_mb, note, goal_mb

    @property
    def ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.anchor)

    @property
    def ok(self) -> bool:
        mem_ok = self.goal_mb is None or self.peak_mb <= self.goal_mb
        return self.ratio <= self.goal and mem_ok

    def line(self) -> str:
        mem = f" peak_rss={self.peak_mb:.0f}MB"
        if self.goal_mb is not None:
            mem += f" (goal <= {self.goal_mb:.0f}MB)"
        return (f"BENCH {self.name} ratio={self.ratio:.2f} goal={self.goal:g} "
                f"{'ok' if self.ok else 'SLOW'}  ours={statistics.median(self.ours):.3f}s "
                f"anchor={statistics.median(self.anchor):.3f}s{mem}"
                + (f"  [{self.note}]" if self.note else ""))


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux: ru_maxrss is KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def refuse_debug_build() -> None:
    """Exit rather than print misleading ratios from a debug interpreter or asserts-off."""
    import sysconfig

    if hasattr(sys, "gettotalrefcount") or sysconfig.get_config_var("Py_DEBUG"):
        sys.exit("bench: refusing to run on a debug build of Python (ratios would mislead)")


def require_anchor(module: str) -> None:
    """Exit with a message when the anchor library is missing (no ratio without it)."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        sys.exit(f"bench: the anchor {module} is not installed; refusing to print a ratio")
