"""Issue 22: the start path does not import the heavy geodata libraries.

Each check runs a fresh interpreter (the test process has imported them all
already) and asserts which modules ended up in ``sys.modules`` — modules, not
time, so the test does not depend on the machine's load.
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
