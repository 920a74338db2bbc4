"""Decide between the window and a headless command; find the demo workspace."""

from __future__ import annotations

import os
from pathlib import Path

# Window options: those that take a value, and plain switches.
GUI_OPTIONS = {"--lang", "--user", "--screenshot"}
GUI_SWITCHES = {"--password-stdin", "--quit-when-drawn"}


def demo_path() -> Path:
    """Where the bundled demo street lives (generated on first use)."""
    env = os.environ.get("GRIDAPP_DEMO")
    if env:
        return Path(env)
    repo_data = Path(__file__).resolve().parent.parent / "data"
    if repo_data.is_dir() and os.access(repo_data, os.W_OK):
        return repo_data / "demo_street.gpkg"
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "gridapp" / "demo_street.gpkg"


def ensure_demo() -> Path:
    """The demo workspace, written with the default seed if it is missing."""
    path = demo_path()
    if not path.exists():
        from gridapp.cli.progress import TextProgress
        from gridapp.services.demo.street import DemoSpec, write_demo

        path.parent.mkdir(parents=True, exist_ok=True)
        write_demo(path, DemoSpec(), progress=TextProgress())
    return path


def _is_gui_call(argv: list[str]) -> bool:
    """The window opens unless a headless command (or --help/--version) is named."""
    rest = list(argv)
    while rest and (rest[0] in GUI_OPTIONS | GUI_SWITCHES or rest[0].split("=")[0] in GUI_OPTIONS):
        takes_value = rest[0] in GUI_OPTIONS
        rest = rest[2:] if takes_value else rest[1:]
    if not rest:
        return True
    first = rest[0]
    return first.endswith(".gpkg") or (first.startswith("-") and first not in ("-h", "--help",
                                                                              "--version"))


def run(argv: list[str]) -> int:
    if not _is_gui_call(argv):
        from gridapp.cli import main

        return main(argv)
    try:
        from gridapp.qt.app import run_gui
    except ImportError as exc:  # no Qt, or the window is not built yet
        return _print_summary(argv, exc)
    return run_gui(argv)


def _print_summary(argv: list[str], reason: Exception) -> int:
    from gridapp.cli import main
    from gridapp.i18n import pick

    path = next((a for a in argv if a.endswith(".gpkg")), None) or str(ensure_demo())
    print(pick("（无法打开窗口：{r}；以下是工作空间概况）",
               "(cannot open the window: {r}; here is the workspace summary)", r=reason))
    return main(["info", path])
