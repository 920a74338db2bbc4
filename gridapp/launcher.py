"""Decide between the window and a headless command; find the demo workspace."""

from __future__ import annotations

from pathlib import Path

from gridapp.services.demo import location
from gridapp.services.demo.location import demo_path

__all__ = ["GUI_OPTIONS", "GUI_SWITCHES", "demo_path", "ensure_demo", "run"]

# Window options: those that take a value, and plain switches.
GUI_OPTIONS = {"--lang", "--user", "--screenshot"}
GUI_SWITCHES = {"--password-stdin", "--quit-when-drawn"}
# Switches only commands take (gridapp.cli.common): ``main.py --json tasks list ...``.
CLI_SWITCHES = ("--json", "--progress", "--quiet", "-q")


def ensure_demo() -> Path:
    """The demo workspace, written with a text progress bar if it is missing."""
    from gridapp.cli.progress import TextProgress

    return location.ensure_demo(progress=TextProgress())


def _is_gui_call(argv: list[str]) -> bool:
    """The window opens unless a headless command (or --help/--version) is named."""
    rest = list(argv)
    while rest and (rest[0] in GUI_OPTIONS | GUI_SWITCHES or rest[0].split("=")[0] in GUI_OPTIONS):
        takes_value = rest[0] in GUI_OPTIONS
        rest = rest[2:] if takes_value else rest[1:]
    if not rest:
        return True
    first = rest[0]
    if first.endswith(".gpkg") or first.startswith(("postgresql://", "postgres://")):
        return True  # a workspace file or a district server's street
    return first.startswith("-") and first not in ("-h", "--help", "--version", *CLI_SWITCHES)


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
