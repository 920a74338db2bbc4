"""Issue 22: cold start — ``main.py --help``, the window to its login dialog, to a drawn demo.

Three wall times, each a fresh interpreter (``subprocess``), median of ``--repeat``:

1. ``python main.py --help`` (the command line; also ``-X importtime``'s own sum of
   top-level imports, to show what the interpreter spends importing);
2. ``python main.py`` offscreen until the login dialog would be shown: a small
   driver replaces ``QDialog.exec`` with "print the time and exit", then calls
   ``gridapp.launcher.run([])`` exactly as ``main.py`` does.  It also lists which
   heavy libraries (pandas, geopandas, shapely, pyogrio, scipy, sklearn) were
   already imported at that moment.  Goal <= 1.5 s;
3. ``python main.py --quit-when-drawn DEMO --user admin`` to the first frame of
   the demo map (its first layers: grids, communities, streets) and to the map
   with every layer drawn (the window prints both on stderr, with its CPU time),
   and to the process's exit.  Goal <= 3 s to every layer drawn;
4. the login dialog's path: the dialog (as in 2) is answered after
   ``TYPING_S`` as a user would, and the time from that answer to the drawn
   demo map is printed.  The window's modules are imported while the dialog
   waits (``gridapp.qt.app.warm_up``), so this is shorter than 3.

The demo workspace is written before anything is timed.  Absolute goals (no
anchor program): the BENCH line's ratio is time / goal.

Every figure is printed with the machine's load (``os.getloadavg``): on a shared
2-core machine wall time follows the load; CPU time much less.

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
TYPING_S = 3.0  # how long the user takes to type the password (path 4)

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


DIALOG_DRIVER = r"""
import sys, time
from PySide6.QtCore import QTimer
from gridapp.qt import login_dialog

_exec = login_dialog.LoginDialog.exec

def _answered(self):
    def answer():
        print(f"ANSWERED {time.perf_counter():.6f}", flush=True)
        self.password.setText("Admin-demo-2026")
        self.try_login()
    QTimer.singleShot(int(TYPING_S * 1000), answer)
    return _exec(self)

login_dialog.LoginDialog.exec = _answered
import gridapp.qt.app
print(f"T0 {gridapp.qt.app.T0:.6f}", flush=True)  # the window's "startup to ..." clock
from gridapp.launcher import run
sys.exit(run(["--quit-when-drawn", sys.argv[1]]))
""".replace("TYPING_S", repr(TYPING_S))


def env() -> dict[str, str]:
    """The children's environment: offscreen, fresh settings, and bytecode caching on.

    An installed GridApp has its .pyc files (pip compiles them); a session with
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile GridApp's ~300 modules on
    every start (1.5 s measured with cProfile).  The cache goes to bench/out/pycache
    (PYTHONPYCACHEPREFIX), not into the source tree; ``main`` warms it untimed.
    """
    OUT.mkdir(exist_ok=True)
    e = dict(os.environ, QT_QPA_PLATFORM="offscreen",
             GRIDAPP_SETTINGS=str(OUT / "startup_settings.ini"),
             GRIDAPP_PASSWORD="Admin-demo-2026", PYTHONPYCACHEPREFIX=str(OUT / "pycache"))
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    return e


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system) of running *cmd*."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[1:]} exited {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def help_seconds() -> tuple[float, float]:
    return timed([sys.executable, str(ROOT / "main.py"), "--help"])


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


def login_seconds() -> tuple[float, float, str]:
    """(wall, CPU, heavy modules) from spawning the window until its login dialog
    would show (the driver exits right there, so the child's CPU time is the start's)."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", DRIVER], cwd=ROOT, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    took, heavy = None, ""
    for line in proc.stdout:
        if line.startswith("LOGIN"):
            took = time.perf_counter() - t
            heavy = line.split(" ", 1)[1].strip() if " " in line else ""
            break
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if took is None:
        raise RuntimeError(f"the window exited ({proc.returncode}) without a login dialog")
    return took, usage.ru_utime + usage.ru_stime, heavy


def drawn_seconds(demo: Path) -> tuple[float, float, float, float, float, float]:
    """Wall and CPU from spawning the window to its first map frame, to the map with
    every layer drawn, and to the process's exit.

    The window prints "startup to first map frame: ... (cpu X s)" and "startup to
    drawn map: ... (cpu X s; ...)" on stderr (gridapp.qt.app); the wall times are
    taken here when those lines arrive, the CPU times are the child's own.
    """
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--quit-when-drawn",
                             str(demo), "--user", "admin"], cwd=ROOT, env=env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    seen: dict[str, tuple[float, float]] = {}
    for line in proc.stderr:
        for key in ("first map frame", "drawn map"):
            if line.startswith(f"startup to {key}:"):
                cpu = float(line.split("(cpu ", 1)[1].split(" s", 1)[0])
                seen[key] = (time.perf_counter() - t, cpu)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0 or len(seen) < 2:
        raise RuntimeError(f"the window exited ({os.waitstatus_to_exitcode(status)}) "
                           f"after {sorted(seen)}")
    return (*seen["first map frame"], *seen["drawn map"], wall,
            usage.ru_utime + usage.ru_stime)


def answered_to_drawn_seconds(demo: Path) -> float:
    """Wall time from answering the login dialog to the drawn demo map (path 4)."""
    e = env()
    e.pop("GRIDAPP_PASSWORD", None)
    proc = subprocess.Popen([sys.executable, "-c", DIALOG_DRIVER, str(demo)], cwd=ROOT,
                            env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=300)
    answered = [float(ln.split()[1]) for ln in out.splitlines() if ln.startswith("ANSWERED ")]
    drawn = [ln for ln in err.splitlines() if ln.startswith("startup to drawn map:")]
    if proc.returncode != 0 or not answered or not drawn:
        raise RuntimeError(f"the dialog path exited {proc.returncode}: {err[-2000:]}")
    # one clock, the child's perf_counter: "startup to drawn map" counts from T0
    t0 = [float(ln.split()[1]) for ln in out.splitlines() if ln.startswith("T0 ")][0]
    drawn_at = t0 + float(drawn[0].split(":", 1)[1].split(" s", 1)[0])
    return drawn_at - answered[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from gridapp.services.demo.location import ensure_demo

    demo = ensure_demo()  # untimed: the first start writes it
    help_seconds(), login_seconds(), drawn_seconds(demo)  # untimed: writes the bytecode cache
    load_before = os.getloadavg()[0]
    helps = [help_seconds() for _ in range(args.repeat)]
    imports = importtime_ms()
    logins = [login_seconds() for _ in range(args.repeat)]
    heavy = logins[-1][2]
    drawn = [drawn_seconds(demo) for _ in range(args.repeat)]
    answered = [answered_to_drawn_seconds(demo) for _ in range(args.repeat)]

    def med(runs: list[tuple], k: int) -> float:
        return statistics.median(r[k] for r in runs)

    print(f"load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"main.py --help: median {med(helps, 0):.2f} s (cpu {med(helps, 1):.2f} s); "
          f"-X importtime top-level sum {imports:.0f} ms")
    print(f"to the login dialog: median {med(logins, 0):.2f} s (cpu {med(logins, 1):.2f} s; "
          f"runs {', '.join(f'{r[0]:.2f}' for r in logins)}); "
          f"heavy modules already imported: {heavy or 'none'}")
    print(f"to the first frame of the demo map (grids, streets): median {med(drawn, 0):.2f} s "
          f"(cpu {med(drawn, 1):.2f} s)")
    # bench/run.py reads this line's first two figures.
    print(f"to the drawn demo map: median {med(drawn, 2):.2f} s (cpu {med(drawn, 3):.2f} s) "
          f"with every layer (runs {', '.join(f'{r[2]:.2f}' for r in drawn)}); "
          f"to the process's exit {med(drawn, 4):.2f} s (cpu {med(drawn, 5):.2f} s)")
    print(f"login dialog answered after {TYPING_S:.0f} s to the drawn demo map: median "
          f"{statistics.median(answered):.2f} s (runs {', '.join(f'{a:.2f}' for a in answered)})")
    print(Result("startup_login", [r[0] for r in logins], [LOGIN_GOAL_S], 1.0, peak_rss_mb(),
                 f"time / {LOGIN_GOAL_S} s goal (absolute)").line())
    print(Result("startup_drawn_demo", [r[2] for r in drawn], [DRAWN_GOAL_S], 1.0,
                 peak_rss_mb(), f"time / {DRAWN_GOAL_S} s goal (absolute)").line())

if __name__ == "__main__":
    main()
