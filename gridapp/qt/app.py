"""Start the window: arguments, language, login, main window.

``python main.py [PATH.gpkg] [--lang zh|en] [--user NAME --password-stdin]``.
``GRIDAPP_USER`` / ``GRIDAPP_PASSWORD`` log in without the dialog (tests,
screenshots); ``--screenshot PNG`` saves the window once the map is drawn and
quits; ``--quit-when-drawn`` quits after the first drawn map (startup timing).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import threading
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

    def authenticate(opened: Any) -> Any:
        return login(opened, username, password)

    authenticate.runs_off_thread = True  # type: ignore[attr-defined]  # no widget in it
    return authenticate


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


class LoggedIn:
    """The workspace opened and the user logged in before the window is built.

    ``opened`` is what :func:`gridapp.services.workspace.open_workspace`
    returned, ``session`` the session (``None``: the login was cancelled).
    The window takes both over (``MainWindow.open_workspace(..., logged_in=)``).
    Reading ``opened`` raises why the file could not be opened, reading
    ``session`` why the login failed: the window shows it as when it opens a
    file itself, without a second open or a second counted login attempt.
    """

    def __init__(self, opened: Any = None, session: Any = None, *,
                 open_error: Exception | None = None,
                 login_error: Exception | None = None) -> None:
        self._opened = opened
        self._session = session
        self._open_error = open_error
        self._login_error = login_error

    @property
    def opened(self) -> Any:
        if self._open_error is not None:
            raise self._open_error
        return self._opened

    @property
    def session(self) -> Any:
        if self._login_error is not None:
            raise self._login_error
        return self._session


def _open(path: str | Path) -> tuple[Any, Exception | None]:
    from gridapp.services import workspace as workspace_service

    try:
        return workspace_service.open_workspace(path), None
    except Exception as exc:  # noqa: BLE001 - the window says why
        return None, exc


def _open_and_authenticate(path: str | Path, authenticate: Any) -> LoggedIn:
    opened, error = _open(path)
    if error is not None:
        return LoggedIn(open_error=error)
    try:
        return LoggedIn(opened, authenticate(opened))
    except Exception as exc:  # noqa: BLE001 - the window closes it and says why
        return LoggedIn(opened, login_error=exc)


class _Background(threading.Thread):
    """Run ``fn()`` on a plain thread; ``result()`` waits and returns or raises."""

    def __init__(self, fn: Any) -> None:
        super().__init__(name="gridapp-start", daemon=True)
        self._fn = fn
        self._value: Any = None
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # noqa: BLE001 - handed to result()
            self._error = exc

    def result(self) -> Any:
        self.join()
        if self._error is not None:
            raise self._error
        return self._value


def warm_up() -> None:
    """Import what the window needs once logged in (runs beside the login dialog).

    The window imports ~800 modules (its panels, features, pandas, shapely,
    geopandas, pyproj): 1-2 s of CPU that used to come before the login
    dialog (issue 22).  Imports only: no widget is built off the GUI thread.
    """
    import gridapp.qt.features  # noqa: F401
    import gridapp.qt.layer_data  # noqa: F401
    import gridapp.qt.main_window  # noqa: F401


def log_in_first(path: str | Path, authenticate: Any) -> LoggedIn:
    """Open *path* and log in before the window is built (issue 22).

    With *authenticate* (``--user``) the open and the password check run on a
    thread while the window's modules are imported here; without it the login
    dialog shows as soon as the file is open, and the window's modules are
    imported on a thread while the user types.  A file that cannot be opened
    or a failed ``--user`` login is handed over too: the window says why.
    """
    from gridapp.errors import GridAppError

    if authenticate is not None:
        login = _Background(lambda: _open_and_authenticate(path, authenticate))
        login.start()
        with contextlib.suppress(Exception):  # the window imports them again, and fails there
            warm_up()
        return login.result()  # type: ignore[no-any-return]
    from PySide6.QtCore import QTimer

    from gridapp.qt.login_dialog import LoginDialog

    # the dialog's login: imported now, not while the warm-up thread imports beside it
    from gridapp.services.people import auth  # noqa: F401

    opened, error = _open(path)
    if error is not None:
        return LoggedIn(open_error=error)
    warming: list[_Background] = []

    def start_warm_up() -> None:
        if dialog.isVisible():  # the user is typing: import the window meanwhile
            warming.append(_Background(warm_up))
            warming[0].start()

    dialog = LoginDialog(opened, None, show_demo_users="demo" in Path(str(path)).name)
    QTimer.singleShot(0, start_warm_up)  # once the dialog's event loop runs
    try:
        session = dialog.session if dialog.exec() else None
    except GridAppError:
        session = None
    for thread in warming:
        with contextlib.suppress(Exception):
            thread.result()
    return LoggedIn(opened, session)


def collect_after_start() -> None:
    """Turn the cyclic garbage collector back on (off while the window starts).

    What is alive by the first drawn map (modules, classes, widgets, the first
    layers) is frozen out of its walks (``gc.freeze``).  Idempotent.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def run_gui(argv: list[str]) -> int:
    # The start creates about a million objects that live as long as the window;
    # the collector walked them again and again: 333 collections, 0.21-0.25 s of
    # the ~2 s of CPU to the drawn demo (issue 22).  Back on at the first drawn map.
    gc.disable()
    args = parse_args(argv)
    from PySide6.QtCore import QTimer

    quicker_pyside_module_check()  # before the window's ~800 modules are imported
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

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
    path: str | Path
    if args.path:
        # a district server's street (postgresql://…?street=CODE) stays an address
        path = args.path if args.path.startswith(("postgresql://", "postgres://")) else Path(args.path)
    else:
        from gridapp.services.demo.location import ensure_demo

        path = ensure_demo()
    # The login comes before the window: the window's modules are imported
    # meanwhile (issue 22: the login dialog in <= 1.5 s).
    logged_in = log_in_first(path, authenticate)

    from gridapp.qt.main_window import MainWindow

    window = MainWindow(settings, switcher, authenticate)
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
        collect_after_start()
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
    window.workspaceFailed.connect(lambda _t: collect_after_start())
    QTimer.singleShot(60_000, collect_after_start)  # a login left open, a map never drawn
    if args.screenshot or args.quit_when_drawn:
        window.workspaceFailed.connect(lambda _t: QTimer.singleShot(0, window.close))
    QTimer.singleShot(0, lambda: window.open_workspace(path, logged_in=logged_in))
    code = app.exec()
    return int(code)
