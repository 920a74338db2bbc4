"""Benchmark: peak memory of an A0 poster PNG at 300 dpi (issue 22: goal ≤ 200 MB).

Writes the demo street's poster (A0 landscape at 300 dpi: 14043 × 9933 px)
with ``write_image`` in a fresh subprocess and prints the wall time and the
process's peak RSS (``ru_maxrss``) before the write (workspace open, print
data read) and after it; the figure judged is the growth, goal ≤ 200 MB.  ``--whole`` measures the former way (the page
drawn into one QImage and saved by Qt) for comparison.

``python bench/print_memory.py [--paper A0] [--dpi 300] [--whole]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_MB = 200.0

CHILD = r'''
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from gridapp.printing.qtapp import ensure_gui_app
from gridapp.printing.jobs import poster_spec
from gridapp.printing import output
from gridapp.services.maps_out.printing import PosterOptions, poster_job
from gridapp.services.session import system_session
from gridapp.storage import open_store
ws, out, paper, dpi, whole = sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), sys.argv[6] == "1"
ensure_gui_app()
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux
with open_store(ws, readonly=True) as store:
    job = poster_job(system_session(store), PosterOptions(street=True, paper=paper, dpi=dpi))
    spec = poster_spec(job)
    before = peak()
    t0 = time.perf_counter()
    if whole:
        image = output.render_image(spec)
        assert image.save(out, "PNG")
        del image
    else:
        output.write_image(out, spec, "png")
    wall = time.perf_counter() - t0
    print(json.dumps({"before_mb": before, "after_mb": peak(), "wall_s": wall,
                      "size_px": list(spec.size_px), "bytes": os.path.getsize(out)}))
'''


def measure(ws: Path, out: Path, paper: str, dpi: float, whole: bool) -> dict:
    """Run one write in a fresh interpreter; its peak RSS before/after and wall time."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(ws), str(out), paper,
                           str(dpi), "1" if whole else "0"], capture_output=True, text=True,
                          env=env, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paper", default="A0")
    ap.add_argument("--dpi", type=float, default=300.0)
    ap.add_argument("--whole", action="store_true", help="also measure the whole-page way")
    ap.add_argument("--workspace", type=Path, help="a demo workspace (default: write one)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_print_memory_"))
    ws = args.workspace
    if ws is None:
        sys.path.insert(0, str(ROOT))
        from gridapp.services.demo.street import DemoSpec, write_demo

        ws = work / "street.gpkg"
        write_demo(ws, DemoSpec(reports=200, hash_rounds=2**10))
    runs = [("strips", False)] + ([("whole", True)] if args.whole else [])
    for name, whole in runs:
        r = measure(ws, work / f"{name}.png", args.paper, args.dpi, whole)
        grow = r["after_mb"] - r["before_mb"]
        w, h = r["size_px"]
        ok = "ok" if grow <= GOAL_MB else "SLOW"
        print(f"{args.paper} {args.dpi:.0f} dpi PNG ({w}x{h}) {name:6s} wall {r['wall_s']:6.1f} s  "
              f"peak RSS before {r['before_mb']:6.0f} MB  after {r['after_mb']:6.0f} MB  "
              f"growth {grow:5.0f} MB (goal <= {GOAL_MB:.0f})  file {r['bytes'] / 1e6:.1f} MB")
        if name == "strips":
            print(f"BENCH print_png_memory ratio={grow / GOAL_MB:.2f} goal=1.0 {ok}")


if __name__ == "__main__":
    main()
