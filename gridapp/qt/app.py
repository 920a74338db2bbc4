"""Start the window: arguments, language, login, main window.

``python main.py [PATH.gpkg] [--lang zh|en] [--user NAME --password-stdin]``.
``GRIDAPP_USER`` / ``GRIDAPP_PASSWORD`` log in without the dialog (tests,
screenshots); ``--screenshot PNG`` saves the window once the map is drawn and
quits; ``--quit-when-drawn`` quits after the first drawn map (startup timing).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

T0 = time.perf_counter()


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="gridapp", description="GridApp map window")
    p.add_argument("path", nargs="?", help="workspace .gpkg or postgresql://…?street=CODE (default: the demo street)")
    p.add_argument("--lang", choices=("zh", "en"), default=None)
    p.add_argument("--user", default=os.environ.get("GRIDAPP_USER"))
    p.add_argument("--password-stdin", action="store_true")
    p.add_argument("--screenshot", default=None, help=argparse.SUPPRESS)
    p.add_argument("--quit-when-drawn", action="store_true", help=argparse.SUPPRESS)
    p.add_argument(
        "--settings", default=os.environ.get("GRIDAPP_SETTINGS"), help=argparse.SUPPRESS
    )
    return p.parse_args(argv)


def make_settings(path: str | None = None) -> Any:
    from PySide6.QtCore import QSettings

    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("GridApp", "GridApp")


def direct_login(username: str, password: str):  # type: ignore[no-untyped-def]
    """An ``authenticate`` callback that logs in without a dialog."""
    from gridapp.services.people.auth import login

    return lambda opened: login(opened, username, password)


def quicker_pyside_module_check() -> bool:
    """Let PySide6 tell its modules from others without ``inspect.getsource``.

    Once PySide6 is imported, it asks of every module imported after it whether
    the module uses PySide6 (for ``from __feature__ import ...``), by reading its
    whole source through ``inspect.getsource``: 865 modules before the login
    dialog, 0.35-0.67 s of the start measured (issue 22).  The same question,
    "does the file contain 'PySide6'", answered from the file's bytes takes a
    quarter of that.  Modules without a ``.py`` file, or whose file cannot be
    read, get PySide6's own answer.  Returns False (and changes nothing) where
    this PySide6 has no such check.
    """
    try:
        from shibokensupport import feature  # type: ignore[import-not-found]
    except ImportError:
        return False
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "gridapp_quicker", False):
        return original is not None

    def uses_pyside(module: Any) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as f:
                    return b"PySide6" in f.read()
            except OSError:
                pass
        return bool(original(module))

    uses_pyside.gridapp_quicker = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside
    return True


def run_gui(argv: list[str]) -> int:
    args = parse_args(argv)
    from PySide6.QtCore import QTimer

    quicker_pyside_module_check()  # before the window's ~800 modules are imported
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from gridapp.qt.main_window import MainWindow
    from gridapp.qt.translator import LanguageSwitcher

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("GridApp")
    app.setOrganizationName("GridApp")
    font = QFont("Noto Sans CJK SC")
    font.setPointSize(10)
    app.setFont(font)
    settings = make_settings(args.settings)
    lang = args.lang or str(settings.value("ui/language", "zh"))
    switcher = LanguageSwitcher()
    switcher.apply(lang if lang in ("zh", "en") else "zh")

    authenticate = None
    if args.user:
        password = (
            sys.stdin.readline().rstrip("\n")
            if args.password_stdin
            else os.environ.get("GRIDAPP_PASSWORD", "")
        )
        authenticate = direct_login(args.user, password)
    window = MainWindow(settings, switcher, authenticate)
    if args.path:
        # a district server's street (postgresql://…?street=CODE) stays an address
        path = args.path if args.path.startswith(("postgresql://", "postgres://")) else Path(args.path)
    else:
        from gridapp.services.demo.location import ensure_demo

        path = ensure_demo()
    window.show()

    first_frame = []

    def on_drawn(ms: float) -> None:
        if window.canvas.workspace is not None and not first_frame:
            # The first frame with the workspace's first layers (grids, streets):
            # the map is there; buildings and reports follow (issue 22).
            first_frame.append(time.perf_counter() - T0)
            print(
                f"startup to first map frame: {first_frame[0]:.2f} s "
                f"(cpu {time.process_time():.2f} s)",
                file=sys.stderr,
            )
        if not window.loaded:
            return
        window.canvas.rendered.disconnect(on_drawn)
        print(
            f"startup to drawn map: {time.perf_counter() - T0:.2f} s "
            f"(cpu {time.process_time():.2f} s; "
            f"layers {window.load_seconds:.2f} s, render {ms:.0f} ms)",
            file=sys.stderr,
        )
        if args.screenshot:
            QTimer.singleShot(
                300, lambda: (window.grab().save(args.screenshot), window.close())
            )
        elif args.quit_when_drawn:
            QTimer.singleShot(0, window.close)

    window.canvas.rendered.connect(on_drawn)
    if args.screenshot or args.quit_when_drawn:
        window.workspaceFailed.connect(lambda _t: QTimer.singleShot(0, window.close))
    QTimer.singleShot(0, lambda: window.open_workspace(path))
    code = app.exec()
    return int(code)
