"""Issue 22: cold start — ``main.py --help``, the window to its login dialog, to a drawn demo.

Three wall times, each a fresh interpreter (``subprocess``), median of ``--repeat``:

1. ``python main.py --help`` (the command line; also ``-X importtime``'s own sum of
   top-level imports, to show what the interpreter spends importing);
2. ``python main.py`` offscreen until the login dialog would be shown: a small
   driver replaces ``QDialog.exec`` with "print the time and exit", then calls
   ``gridapp.launcher.run([])`` exactly as ``main.py`` does.  It also lists which
   heavy libraries (pandas, geopandas, shapely, pyogrio, scipy, sklearn) were
   already imported at that moment.  Goal <= 1.5 s;
3. ``python main.py --quit-when-drawn DEMO --user admin`` to the first drawn demo
   map.  Goal <= 3 s.

The demo workspace is written before anything is timed.  Absolute goals (no
anchor program): the BENCH line's ratio is time / goal.

Run: ``.venv/bin/python bench/startup.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, Result, peak_rss_mb  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "geopandas", "shapely", "pyogrio", "pyproj", "scipy", "sklearn")
LOGIN_GOAL_S = 1.5
DRAWN_GOAL_S = 3.0

DRIVER = r"""
import os, sys, time
from PySide6.QtWidgets import QDialog

def _shown(self):
    mods = [m for m in HEAVY if m in sys.modules]
    print("LOGIN " + ",".join(mods), flush=True)
    os._exit(0)

QDialog.exec = _shown
sys.argv = ["main.py"]
from gridapp.launcher import run
sys.exit(run([]))
""".replace("HEAVY", repr(HEAVY))


def env() -> dict[str, str]:
    OUT.mkdir(exist_ok=True)
    return dict(os.environ, QT_QPA_PLATFORM="offscreen",
                GRIDAPP_SETTINGS=str(OUT / "startup_settings.ini"),
                GRIDAPP_PASSWORD="Admin-demo-2026")


def help_seconds() -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--help"], cwd=ROOT, env=env(),
                   check=True, capture_output=True)
    return time.perf_counter() - t


def importtime_ms() -> float:
    """Sum of the top-level imports' cumulative times of ``main.py --help`` (ms)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "main.py"), "--help"],
                          cwd=ROOT, env=env(), check=True, capture_output=True, text=True)
    total = 0
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line.split(":", 1)[1].split("|")
        if not name.startswith("  "):  # depth 0: what the program itself imported
            total += int(cumulative)
    return total / 1000


def login_seconds() -> tuple[float, str]:
    """Wall time from spawning the window until its login dialog would show."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", DRIVER], cwd=ROOT, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("LOGIN"):
            took = time.perf_counter() - t
            proc.wait()
            return took, line.split(" ", 1)[1].strip() if " " in line else ""
    proc.wait()
    raise RuntimeError(f"the window exited ({proc.returncode}) without a login dialog")


def drawn_seconds(demo: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--quit-when-drawn", str(demo),
                    "--user", "admin"], cwd=ROOT, env=env(), check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from gridapp.services.demo.location import ensure_demo

    demo = ensure_demo()  # untimed: the first start writes it
    helps = [help_seconds() for _ in range(args.repeat)]
    imports = importtime_ms()
    logins, heavy = [], ""
    for _ in range(args.repeat):
        took, heavy = login_seconds()
        logins.append(took)
    drawn = [drawn_seconds(demo) for _ in range(args.repeat)]
    print(f"main.py --help: median {statistics.median(helps):.2f} s; "
          f"-X importtime top-level sum {imports:.0f} ms")
    print(f"to the login dialog: median {statistics.median(logins):.2f} s "
          f"(runs {', '.join(f'{x:.2f}' for x in logins)}); heavy modules already imported: "
          f"{heavy or 'none'}")
    print(f"to the drawn demo map: median {statistics.median(drawn):.2f} s")
    print(Result("startup_login", logins, [LOGIN_GOAL_S], 1.0, peak_rss_mb(),
                 f"time / {LOGIN_GOAL_S} s goal (absolute)").line())
    print(Result("startup_drawn_demo", drawn, [DRAWN_GOAL_S], 1.0, peak_rss_mb(),
                 f"time / {DRAWN_GOAL_S} s goal (absolute)").line())


if __name__ == "__main__":
    main()
