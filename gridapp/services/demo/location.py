"""Where the bundled demo street lives, and writing it there on first use.

Both faces start from here: the launcher (the command line's summary when
there is no window) and the window (:mod:`gridapp.qt.app`) open the demo
when no workspace is named, without importing each other.
"""

from __future__ import annotations

import os
from pathlib import Path

from gridapp.progress import Progress, no_progress
from gridapp.services.demo.spec import DemoSpec


def demo_path() -> Path:
    """Where the bundled demo street lives (generated on first use).

    ``GRIDAPP_DEMO`` names it; otherwise ``data/demo_street.gpkg`` in a
    writable source checkout, else the user's data directory.
    """
    env = os.environ.get("GRIDAPP_DEMO")
    if env:
        return Path(env)
    repo_data = Path(__file__).resolve().parents[3] / "data"
    if repo_data.is_dir() and os.access(repo_data, os.W_OK):
        return repo_data / "demo_street.gpkg"
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "gridapp" / "demo_street.gpkg"


def ensure_demo(progress: Progress = no_progress) -> Path:
    """The demo workspace, written with the default seed if it is missing."""
    path = demo_path()
    if not path.exists():
        # The generator pulls in numpy and shapely: only when the demo is written,
        # so starting the launcher stays cheap.
        from gridapp.services.demo.street import write_demo

        path.parent.mkdir(parents=True, exist_ok=True)
        write_demo(path, DemoSpec(), progress=progress)
    return path
