"""Issue 22: the start path does not import the heavy geodata libraries.

Each check runs a fresh interpreter (the test process has imported them all
already) and asserts which modules ended up in ``sys.modules`` — modules, not
time, so the test does not depend on the machine's load.

The last checks start the window itself, exactly as ``main.py WORKSPACE`` does
(offscreen), with ``QDialog.exec`` replaced by "write down ``sys.modules`` and
exit": the state at the moment the login dialog would appear.  The libraries a
user only needs once logged in and working (data frames, geometry, projections,
spreadsheets, the field server, PostgreSQL) must not be loaded yet; each costs
tens to hundreds of milliseconds of the start (``python -X importtime``).  A
hook at the front of ``sys.meta_path`` notes which GridApp lines first asked for
each, so a failure names the import to make lazy.  Modules still imported at
start by code outside the cold-start change are strict expected failures naming
that code: the mark must go (the test then fails as XPASS) once it is lazy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("geopandas", "pyogrio", "pandas", "shapely", "scipy", "sklearn", "pyproj")


def imported_after(code: str) -> set[str]:
    """The heavy modules imported by a fresh interpreter running *code*."""
    probe = (f"{code}\nimport json, sys\n"
             f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_probe_sees_a_heavy_import() -> None:
    # The probe itself works: importing geopandas is seen.
    assert "geopandas" in imported_after("import geopandas")


@pytest.mark.parametrize("code", [
    "import main",
    "import gridapp.launcher",
    "import gridapp.qt.app",
    "import gridapp.launcher as l; l._is_gui_call([])",
])
def test_launcher_imports_no_geodata_library(code: str) -> None:
    assert imported_after(code) == set()


def test_help_imports_no_geodata_library() -> None:
    # `main.py --help` builds every command's parser: no command may import a
    # geodata library at module level.
    out = imported_after(
        "import contextlib, io, main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main.main(['--help'])")
    assert out == set()


LOGIN_DRIVER = r"""
import json, os, sys, traceback
from pathlib import Path

WATCH = set(json.loads(sys.argv[2]))
FIRST = {}


class _Note:
    # Not a finder: notes who asks first, then lets the real finders answer.
    @staticmethod
    def find_spec(name, path=None, target=None):
        top = name.partition(".")[0]
        if top in WATCH and top not in FIRST:
            frames = [f for f in traceback.extract_stack()[:-1] if "gridapp" in f.filename]
            FIRST[top] = [f"{Path(f.filename).as_posix().split('/gridapp/', 1)[-1]}:{f.lineno}"
                          for f in frames[-4:]]
        return None


sys.meta_path.insert(0, _Note)

from PySide6.QtWidgets import QDialog


def _shown(self):
    loaded = sorted(m for m in WATCH if m in sys.modules)
    print("LOGIN " + json.dumps({"dialog": type(self).__name__, "loaded": loaded,
                                  "first": {m: FIRST.get(m, []) for m in loaded}}), flush=True)
    os._exit(0)


QDialog.exec = _shown
from gridapp.launcher import run

sys.exit(run([sys.argv[1]]))
"""

# Libraries that must wait until they are used.  Value: None when nothing on the
# start path may import it; else why it still is (a strict xfail until fixed).
LATER: dict[str, str | None] = {
    "numpy": None,
    "pandas": None,
    "geopandas": None,
    "shapely": None,
    "pyproj": None,
    "pyogrio": None,
    "PIL": None,
    "pyarrow": None,
    "cryptography": None,
    "openpyxl": None,
    "psycopg": None,
    "starlette": None,
    "uvicorn": None,
    "sklearn": None,
    "scipy": None,
    "matplotlib": None,
}


@pytest.fixture(scope="module")
def at_login(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What a fresh window had imported when its login dialog was about to show."""
    pytest.importorskip("PySide6")
    from gridapp.services.workspace import StreetSpec, create_workspace

    tmp = tmp_path_factory.mktemp("start")
    path = tmp / "start.gpkg"
    create_workspace(path, StreetSpec("520102", "520102003", "测试街道"),
                     admin_username="admin", admin_password="Admin-pass-2026").close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               GRIDAPP_SETTINGS=str(tmp / "settings.ini"))
    for name in ("GRIDAPP_USER", "GRIDAPP_PASSWORD"):
        env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, "-c", LOGIN_DRIVER, str(path), json.dumps(sorted(LATER))],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("LOGIN ")]
    assert lines, f"no login dialog (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    return json.loads(lines[0][len("LOGIN "):])


def test_the_dialog_is_the_login_dialog(at_login: dict) -> None:
    assert at_login["dialog"] == "LoginDialog"


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(m, marks=pytest.mark.xfail(strict=True, reason=f"still at start: {why}"))
        if why else m
        for m, why in LATER.items()
    ],
)
def test_not_imported_before_login(at_login: dict, module: str) -> None:
    assert module not in at_login["loaded"], (
        f"{module} is imported before the login dialog, first by "
        f"{' <- '.join(reversed(at_login['first'].get(module, [])))}"
    )
