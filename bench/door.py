"""Issue 15 benchmark: does the storage API ("one door to the data") cost anything?

What
----
Times each hot path with the code from *before* the services were moved and
the SQL moved into ``gridapp/storage/queries`` (commit 06c38e9) and with the
code *after* it (HEAD), in one run, on the same district-like workspace:

1. **write** N reports (default 1,000,000) through the bulk path the demo
   generator uses (before: ``gridapp.storage.bulk.insert_features`` as called by
   ``services/demo_reports.py``; after: ``storage.queries.workspace.insert_features``
   as called by ``services/demo/reports.py``), one transaction, commit included,
   into a copy of the demo workspace;
2. **read** every report: ``store.read_layer("report")`` (both);
3. **map**: the district map layers as the window loads them, offscreen, no
   window: ``qt.layer_data.load_workspace_layers`` for the first layers (with
   the grid colouring) and then for ``LATER_LAYERS`` (buildings, reports of the
   last 90 days) -- given the store before, the user's session after;
4. **case list**: what the case table does for a dispatcher: ``CaseQuery``,
   ``count()``, the first page and the next (``after``, 200 rows), over every
   case (``all``) and over the dispatcher's own work (``my_work``) -- before:
   ``services/case_query.py``, after: ``services/cases/query.py``.

How
---
Two git worktrees (``/tmp/bench-before`` at 06c38e9, ``/tmp/bench-after`` at
HEAD; removed at the end; /work/main's working tree is never touched).  The
workspace is generated once with the *after* code (``write_demo``, default
2,000 grids and 300,000 reports, ``hash_rounds=2**10``) and topped up with
clones of its reports to ``--read-n`` (default 1,000,000) through the same
bulk path; both files are cached in ``bench/out/`` (git-ignored) under the
last commit that changed the schema or the demo generator.  The old code must open that file; if it refuses (newer
schema), the workspace is generated with the old code instead and the new
code migrates its copy when it opens it, before anything is timed.

Then, per path, the two versions run alternately (before/after, then
after/before, ...) ``--repeat`` times, each run in its own subprocess of the
same interpreter (this venv's python) with ``PYTHONPATH`` at its worktree
(checked: ``gridapp`` must import from there), on its own fresh copy of the
workspace.  Inside a run, setup (opening, building rows, imports) is not
timed; read paths run once untimed to warm up, then ``--inner`` timed times
and more until ``--min-time`` seconds have passed (median: the case list takes
milliseconds, so it runs about a hundred times).  The table shows the median
over the runs of wall-clock seconds, and the ratio of the CPU seconds of the
timed part beside it.

Run:  ``.venv/bin/python bench/door.py [--grids 2000] [--reports 300000]
[--read-n 1000000] [--write-n 1000000] [--repeat 5] [--write-repeat 3]
[--inner 3] [--min-time 2] [--paths write read map cases_all cases_my_work]``

Ratio: after / before of the median wall times.  1.00 means the storage API
costs nothing; the goal (issue 15) is <= 1.05.  On a shared two-core machine
a few percent of noise is normal: look at the CPU ratio too, and run again
before believing a ratio just over the line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BEFORE_REV = "06c38e9"
TREES = {"before": Path("/tmp/bench-before"), "after": Path("/tmp/bench-after")}
GOAL = 1.05
PAGE = 200  # the case table's page (qt/reports/case_table_model.PAGE_SIZE)
# The report columns the demo writes (services/demo/reports.py), id and geom aside.
REPORT_COLUMNS = [
    "case_no", "address", "category_id", "description", "source", "reporter_manager_id",
    "reporter_name", "reporter_phone", "grid_id", "community_id", "urgency", "status",
    "handling", "department_id", "reported_at", "registered_at", "dispatched_at", "deadline",
    "closed_at"]
PATHS = ("write", "read", "map", "cases_all", "cases_my_work")


# -- the child: one timed run of one path with one version's code --------------------
def _layout(version: str) -> dict:
    """The functions each version's services use, by where they live there."""
    if version == "before":
        from gridapp.services.case_query import CaseFilter, CaseQuery, my_work

        from gridapp.qt.layer_data import grid_colours, load_workspace_layers
        from gridapp.qt.main_window import LATER_LAYERS
        from gridapp.services import demo_reports
        insert = demo_reports.bulk.insert_features
    else:
        from gridapp.qt.layer_data import grid_colours, load_workspace_layers
        from gridapp.qt.window_workspace import LATER_LAYERS
        from gridapp.services.cases.query import CaseFilter, CaseQuery, my_work
        from gridapp.services.demo import reports as demo_reports
        insert = demo_reports.queries.insert_features
    return {"insert": insert, "load_layers": load_workspace_layers, "colours": grid_colours,
            "later": tuple(LATER_LAYERS), "CaseFilter": CaseFilter, "CaseQuery": CaseQuery,
            "my_work": my_work}


def _clone_reports(store, n: int, tag: str):
    """*n* report rows cloned from the workspace's own (new case numbers), as the demo
    passes them: a list of row lists in REPORT_COLUMNS order and shapely points."""
    import numpy as np

    from gridapp.storage import geometry

    cols = ", ".join(REPORT_COLUMNS)
    rows = [tuple(r) for r in store.query(f"SELECT {cols}, geom FROM report ORDER BY id")]
    geoms = geometry.decode_many([r[-1] for r in rows])
    idx = np.arange(n) % len(rows)
    values = [[f"{tag}{i:011d}", *rows[j][1:-1]] for i, j in enumerate(idx.tolist())]
    return values, geoms[idx]


def _write(api, store, n: int, tag: str) -> int:
    values, geoms = _clone_reports(store, n, tag)
    t, c = time.perf_counter(), time.process_time()
    with store.transaction("bench") as tx:
        api["insert"](tx, "report", REPORT_COLUMNS, values, geoms, summary="bench reports")
    _emit(time.perf_counter() - t, time.process_time() - c, n)
    return n


def _emit(wall: float, cpu: float, check) -> None:
    print(json.dumps({"wall": wall, "cpu": cpu, "check": check}), flush=True)


def child(args: argparse.Namespace) -> None:
    import gridapp

    tree = Path(os.environ["PYTHONPATH"].split(os.pathsep)[0]).resolve()
    if not Path(gridapp.__file__).resolve().is_relative_to(tree):
        sys.exit(f"gridapp imported from {gridapp.__file__}, not from {tree}")
    from datetime import datetime

    from gridapp.domain.enums import Role
    from gridapp.services.session import Session, User
    from gridapp.storage.store import GeoPackageStore

    api = _layout(args.version)
    store = GeoPackageStore.open(args.workspace)
    if args.path == "write":
        _write(api, store, args.n, "B")
        store.close()
        return
    if args.path == "topup":  # setup, not a benchmark: grow the file to args.n reports
        have = store.read_layer("report", columns=["id"]).shape[0]
        if args.n > have:
            _write(api, store, args.n - have, "T")
        store.close()
        return
    session = Session(store, User(None, "bench", "bench", Role.DISPATCHER))
    now = datetime.fromisoformat(args.now).astimezone(UTC)
    if args.path == "read":
        def run():
            return len(store.read_layer("report"))
    elif args.path == "map":
        from PySide6.QtGui import QGuiApplication

        app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (Qt shapes)
        source = store if args.version == "before" else session
        from gridapp.qt.layer_data import SOURCES
        first = [s.name for s in SOURCES if s.name not in api["later"]]

        def run():
            a = api["load_layers"](source, colour_grids=api["colours"], names=first, now=now)
            b = api["load_layers"](source, names=api["later"], now=now)
            return {k: len(v.ids) for k, v in {**a.data, **b.data}.items()}
    else:
        def run():
            flt = api["CaseFilter"]()
            if args.path == "cases_my_work":
                flt = api["my_work"](session, flt)
            q = api["CaseQuery"](session, flt, now=now)
            total = q.count()
            first = q.after(None, PAGE)
            second = q.after(first[-1], PAGE) if first else []
            return [total, len(first), len(second)]
    check = run()  # warm up: imports inside the path, caches, page cache
    walls, cpus = [], []
    started = time.perf_counter()
    # At least --inner calls, and more of the fast ones: --min-time seconds in all.
    while len(walls) < args.inner or time.perf_counter() - started < args.min_time:
        t, c = time.perf_counter(), time.process_time()
        again = run()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
        assert again == check, (again, check)
    store.close()
    _emit(statistics.median(walls), statistics.median(cpus), check)


# -- the parent ------------------------------------------------------------------------
def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def add_trees() -> dict[str, str]:
    revs = {"before": git("rev-parse", BEFORE_REV), "after": git("rev-parse", "HEAD")}
    for version, tree in TREES.items():
        if tree.exists():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           capture_output=True)
            shutil.rmtree(tree, ignore_errors=True)
        git("worktree", "add", "--detach", str(tree), revs[version])
    return revs


def remove_trees() -> None:
    for tree in TREES.values():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                       capture_output=True)


def run_child(version: str, path: str, workspace: Path, args: argparse.Namespace,
              **extra) -> dict:
    env = {**os.environ, "PYTHONPATH": str(TREES[version]), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", path, "--version", version,
           "--workspace", str(workspace), "--now", args.now, "--inner", str(args.inner),
           "--min-time", str(args.min_time),
           "--n", str(extra.get("n", args.write_n))]
    proc = subprocess.run(cmd, env=env, cwd=TREES[version], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{version} {path} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def generate(version: str, path: Path, args: argparse.Namespace) -> None:
    code = ("import sys; from gridapp.services.demo.street import write_demo; "
            "from gridapp.services.demo.spec import DemoSpec; "
            if version == "after" else
            "import sys; from gridapp.services.demo import DemoSpec, write_demo; ")
    code += (f"write_demo(sys.argv[1], DemoSpec(grids={args.grids}, reports={args.reports},"
             " hash_rounds=2**10))")
    env = {**os.environ, "PYTHONPATH": str(TREES[version]), "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-c", code, str(path)], env=env, cwd=TREES[version],
                   check=True)


def opens(version: str, path: Path, scratch: Path) -> bool:
    """Whether *version*'s code opens (a copy of) the workspace at *path*."""
    probe = scratch / "probe.gpkg"
    shutil.copyfile(path, probe)
    code = ("import sys; from gridapp.storage.store import GeoPackageStore; "
            "GeoPackageStore.open(sys.argv[1]).close()")
    env = {**os.environ, "PYTHONPATH": str(TREES[version])}
    ok = subprocess.run([sys.executable, "-c", code, str(probe)], env=env, cwd=TREES[version],
                        capture_output=True).returncode == 0
    probe.unlink()
    return ok


def workspaces(args: argparse.Namespace, revs: dict[str, str], scratch: Path) -> tuple:
    """(demo workspace, the same topped up to --read-n reports, which code wrote them)."""
    OUT.mkdir(exist_ok=True)
    made_by = "after"
    for version in ("after", "before"):
        made_by = version
        # Cached under the last commit that changed the schema or the generator.
        key = git("log", "-1", "--format=%h", revs[version], "--", "gridapp/storage/migrations",
                  "gridapp/services/demo", "gridapp/services/demo.py",
                  "gridapp/services/demo_reports.py", "gridapp/services/demo_people.py",
                  "gridapp/services/demo_geometry.py")
        base = OUT / f"door_{key}_{args.grids}_{args.reports}.gpkg"
        if not base.exists():
            t = time.perf_counter()
            tmp = base.with_suffix(".part.gpkg")
            tmp.unlink(missing_ok=True)
            generate(version, tmp, args)
            tmp.rename(base)
            print(f"generated {base.name} with the {version} code in "
                  f"{time.perf_counter() - t:.0f} s", flush=True)
        if version == "before" or opens("before", base, scratch):
            break
        print("the before code refuses the workspace the after code wrote: "
              "generating it with the before code", flush=True)
    big = base.with_name(base.stem + f"_{args.read_n}.gpkg")
    if not big.exists():
        t = time.perf_counter()
        tmp = big.with_suffix(".part.gpkg")
        shutil.copyfile(base, tmp)
        run_child(made_by, "topup", tmp, args, n=args.read_n)
        tmp.rename(big)
        print(f"topped up to {args.read_n:,} reports: {big.name} in "
              f"{time.perf_counter() - t:.0f} s", flush=True)
    return base, big, made_by


def bench(args: argparse.Namespace) -> None:
    t_start = time.perf_counter()
    revs = add_trees()
    scratch = Path(tempfile.mkdtemp(prefix="bench-door-"))
    try:
        print(f"before {revs['before'][:7]} ({TREES['before']}), after {revs['after'][:7]} "
              f"(HEAD, {TREES['after']}); python {sys.executable}", flush=True)
        base, big, made_by = workspaces(args, revs, scratch)
        print(f"workspace: demo street, {args.grids:,} grids, {args.reports:,} demo reports "
              f"(written by the {made_by} code"
              + ("" if made_by == "after" else "; the after code migrates its copy on open")
              + f"), topped up to {args.read_n:,} reports for the read paths; "
              f"write adds {args.write_n:,} reports to the {args.reports:,}-report file",
              flush=True)
        if args.read_n < 1_000_000 or args.write_n < 1_000_000:
            print("note: scaled down from the issue's 1M reports", flush=True)
        results: dict[str, dict[str, list[dict]]] = {}
        for path in args.paths:
            src = base if path == "write" else big
            repeat = args.write_repeat if path == "write" else args.repeat
            results[path] = {"before": [], "after": []}
            for k in range(repeat):
                order = ("before", "after") if k % 2 == 0 else ("after", "before")
                for version in order:
                    ws = scratch / f"{version}.gpkg"
                    shutil.copyfile(src, ws)
                    r = run_child(version, path, ws, args)
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{ws}{suffix}").unlink(missing_ok=True)
                    results[path][version].append(r)
            checks = {v: results[path][v][0]["check"] for v in ("before", "after")}
            if checks["before"] != checks["after"]:
                print(f"warning: {path}: the versions' results differ: {checks}", flush=True)
            print(f"  {path}: done ({checks['after']})", flush=True)
        table(results, args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        remove_trees()
    print(f"total {time.perf_counter() - t_start:.0f} s")


LABELS = {
    "write": "write {write_n:,} reports (bulk)",
    "read": "read {read_n:,} reports",
    "map": "load district map",
    "cases_all": "case list, all (count+2 pages)",
    "cases_my_work": "case list, my work",
}


def table(results: dict, args: argparse.Namespace) -> None:
    print()
    print(f"{'hot path':<34} {'before s':>9} {'after s':>9} {'ratio':>6} {'cpu ratio':>9}  "
          f"within {GOAL}x")
    for path, runs in results.items():
        wall = {v: statistics.median(r["wall"] for r in runs[v]) for v in runs}
        cpu = {v: statistics.median(r["cpu"] for r in runs[v]) for v in runs}
        ratio, cpu_ratio = wall["after"] / wall["before"], cpu["after"] / cpu["before"]
        label = LABELS[path].format(write_n=args.write_n, read_n=args.read_n)
        print(f"{label:<34} {wall['before']:>9.3f} {wall['after']:>9.3f} {ratio:>6.3f} "
              f"{cpu_ratio:>9.3f}  {'yes' if ratio <= GOAL else 'NO'}")
    print(f"(median of {args.repeat} interleaved runs each, write {args.write_repeat}; read "
          f"paths: median of >= {args.inner} timed calls, >= {args.min_time:g} s, per run after"
          " one warm-up)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--grids", type=int, default=2000)
    ap.add_argument("--reports", type=int, default=300_000, help="demo reports generated")
    ap.add_argument("--read-n", type=int, default=1_000_000, help="reports in the read file")
    ap.add_argument("--write-n", type=int, default=1_000_000, help="reports written")
    ap.add_argument("--repeat", type=int, default=5, help="runs per version (read paths)")
    ap.add_argument("--write-repeat", type=int, default=3, help="runs per version (write)")
    ap.add_argument("--inner", type=int, default=3, help="timed calls per run (read paths)")
    ap.add_argument("--min-time", type=float, default=2.0,
                    help="and more calls until this many seconds per run (read paths)")
    ap.add_argument("--paths", nargs="+", default=list(PATHS), choices=PATHS)
    ap.add_argument("--now", default=None, help="ISO time the map and case list count from")
    # internal: one run in a subprocess
    ap.add_argument("--child", choices=(*PATHS, "topup"), help=argparse.SUPPRESS)
    ap.add_argument("--version", choices=tuple(TREES), help=argparse.SUPPRESS)
    ap.add_argument("--workspace", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        args.path = args.child
        child(args)
        return
    if args.now is None:
        from datetime import datetime
        args.now = datetime.now(UTC).isoformat(timespec="seconds")
    bench(args)


if __name__ == "__main__":
    main()
