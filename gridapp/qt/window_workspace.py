"""Opening and closing a workspace in the main window, and loading its layers.

A mixin of :class:`~gridapp.qt.main_window.MainWindow`.  The workspace is
opened through :func:`gridapp.services.workspace.open_workspace`; the user
logs in (``authenticate(opened) -> Session | None``, *opened* being the
handle the service returned, which the window only passes on), and from then
on the window holds the session alone: every read and write goes through a
service with it.  The layers are read
on a worker: everything but buildings and reports first, those after the
rest is on screen.  A workspace that fails to open leaves the window usable
with the message shown on the canvas and in the message list.
"""

from __future__ import annotations

import gc
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QCheckBox

from gridapp.errors import GridAppError
from gridapp.qt.layer_data import (
    DEFAULT_REPORT_DAYS,
    DENSITY,
    DETAIL_SCALE,
    SOURCES,
    WINDOW_ABOVE,
    WorkspaceLayers,
    grid_colours,
    load_view_layer,
    load_workspace_layers,
)
from gridapp.qt.layer_tree_model import LAYER_TITLES, layer_title
from gridapp.qt.worker import WorkerThread, run_off_thread
from gridapp.services import workspace as workspace_service

# The aggregate layer's title in the layer list (the list is layer_tree_model's).
LAYER_TITLES.setdefault(DENSITY, QT_TRANSLATE_NOOP("Layers", "Reports per grid"))
VIEW_SETTLE_MS = 250  # read the view's rows once the view has rested this long
LATER_LAYERS = ("building", "report")  # the big ones: read after the rest is on screen
BAD_REASONS = {
    "missing": QT_TRANSLATE_NOOP("MainWindow", "no geometry"),
    "empty": QT_TRANSLATE_NOOP("MainWindow", "empty geometry"),
    "type": QT_TRANSLATE_NOOP("MainWindow", "wrong geometry type"),
    "invalid": QT_TRANSLATE_NOOP("MainWindow", "invalid geometry (drawn)"),
}


class WorkspaceState:
    """The open workspace: the user's session, its path and its layers."""

    session: Any
    path: Path | None
    loaded: bool
    load_seconds: float
    _load_started: float
    authenticate: Any
    actions: Any
    canvas: Any
    layer_model: Any
    layer_panel: Any
    identify: Any
    messages: Any
    progress: Any
    status: Any
    table: Any
    workspaceLoaded: Any
    _load_hooks: list[Any]
    loggedIn: Any
    workspaceFailed: Any
    workspaceClosed: Any

    def _login_dialog(self, opened: Any) -> Any:
        from gridapp.qt.login_dialog import LoginDialog

        is_demo = "demo" in Path(opened.path).name
        dialog = LoginDialog(opened, self, show_demo_users=is_demo)
        return dialog.session if dialog.exec() else None


    def open_workspace(self, path: str | Path, title: str | None = None, *,
                       logged_in: Any = None) -> bool:
        """Open *path*, log in and start loading its layers (on a worker).

        *path* is a workspace file or a district server's street
        (``postgresql://…?street=CODE``); *title* names a server street in the
        window's title and messages (default: street @ host from the address).
        A server street is not added to the recent files.  *logged_in* (with
        ``opened`` and ``session``, :class:`gridapp.qt.app.LoggedIn`) is *path*
        already opened and logged in to, before the window was built (issue 22);
        a ``None`` session there is a cancelled login.
        """
        server = is_server_address(path)
        target: str | Path = str(path) if server else Path(path)
        shown = Path(title or server_title(str(path))) if server else Path(path)
        path = shown
        self.close_workspace()
        # Everything alive now (modules, classes, the window's widgets) lives as
        # long as the window: the cyclic collector need not walk it again.  Its
        # full collections walked ~120,000 such objects, 0.15-0.45 s with the
        # GIL held (the GUI thread stalled, whichever thread collected) four
        # times while a district loaded (issue 21).
        gc.freeze()
        try:
            opened = (logged_in.opened if logged_in is not None
                      else self._open_off_thread(target, shown.name))
        except GridAppError as exc:
            return self._open_failed(path, exc.message)
        except Exception as exc:  # noqa: BLE001 - the window must stay usable
            return self._open_failed(path, self.messages.add_error(exc))
        try:
            session = (logged_in.session if logged_in is not None
                       else self._authenticate(opened))
        except GridAppError as exc:
            opened.close()
            return self._open_failed(path, exc.message)
        if session is None:
            opened.close()
            self.canvas.set_message(QCoreApplication.translate("MainWindow", "Not logged in. Use File › Open."))
            return False
        self.session, self.path = session, path
        self.status.set_user(f"{session.user.display_name} ({session.user.username})")
        if not server:
            self._add_recent(path)
        self._update_title()
        self.loggedIn.emit()  # e.g. the role's panel layout, while the panels are still empty
        self._load_layers()
        return True

    def _open_off_thread(self, path: str | Path, label: str) -> Any:
        """Open *path* on a worker while the event loop runs (issue 21).

        Opening checks the file and upgrades an older schema, seconds for a
        district; the window keeps painting meanwhile.  The call still returns
        only when the file is open, so callers see no difference.
        """
        self.canvas.set_message(QCoreApplication.translate("MainWindow", "Opening {path}…").format(
            path=label))
        worker = run_off_thread(lambda: workspace_service.open_workspace(path), self)
        if worker.error is not None:
            raise worker.error
        return worker.result

    def _authenticate(self, opened: Any) -> Any:
        """Log in: the login dialog, or a callback that may run on a worker.

        A callback marked ``runs_off_thread`` (:func:`gridapp.qt.app.direct_login`)
        checks the password and writes the login on a worker, as the dialog
        does, so the window is not frozen meanwhile (issue 21).
        """
        if not getattr(self.authenticate, "runs_off_thread", False):
            return self.authenticate(opened)
        self.canvas.set_message(QCoreApplication.translate("MainWindow", "Logging in…"))
        worker = run_off_thread(lambda: self.authenticate(opened), self)
        if worker.error is not None:
            raise worker.error
        return worker.result

    def _open_failed(self, path: Path, message: str) -> bool:
        text = QCoreApplication.translate("MainWindow", "Cannot open workspace {path}: {error}").format(
            path=str(path), error=message
        )
        self.messages.add(text)
        self.canvas.set_message(text)
        self.show_error(text)
        self.workspaceFailed.emit(text)
        self.actions.update_enabled()
        return False

    def _load_layers(self) -> None:
        """Read the layers on a worker: all but reports first, then reports."""
        session = self.session
        self.loaded = False
        self._load_started = time.perf_counter()
        self.canvas.set_message(QCoreApplication.translate("MainWindow", "Loading layers…"))
        first = [s.name for s in SOURCES if s.name not in LATER_LAYERS]

        def work(progress: Any, cancel: Any) -> WorkspaceLayers:
            return load_workspace_layers(
                session,
                progress=progress,
                cancel=cancel,
                colour_grids=grid_colours,
                names=first,
            )

        self.progress.run(
            work,
            self._on_layers_loaded,
            self._on_load_failed,
            QCoreApplication.translate("MainWindow", "Loading layers"),
        )

    def _on_layers_loaded(self, workspace: WorkspaceLayers) -> None:
        self.status.epsg = workspace.epsg
        self.layer_model.set_workspace(workspace)
        self.canvas.set_workspace(workspace, self._saved_view())
        self._report_bad(workspace)
        # The attribute table after a turn of the event loop: the map and the
        # table each take ms of GUI thread at district scale, one block of
        # both was the window's longest freeze while loading (issue 21).
        self._after_a_turn(lambda ws=workspace: self._show_first_table(ws))
        session, now = self.session, workspace.report_since
        grids = workspace.data.get("grid")

        def work(progress: Any, cancel: Any) -> WorkspaceLayers:
            # Big layers (a district) are read by view: see MapViewLoader.
            return load_workspace_layers(
                session,
                progress=progress,
                cancel=cancel,
                names=LATER_LAYERS,
                now=None if now is None else now + timedelta(days=DEFAULT_REPORT_DAYS),
                window_above=WINDOW_ABOVE,
                grids=grids,
            )

        self.progress.run(
            work,
            self._on_later_layers_loaded,
            self._on_load_failed,
            QCoreApplication.translate("MainWindow", "Loading buildings and reports"),
        )

    def _show_first_table(self, workspace: WorkspaceLayers) -> None:
        if self.canvas.workspace is not workspace:
            return  # closed or replaced meanwhile
        self._on_current_layer_changed(self.layer_panel.current_layer() or "grid")
        self.actions.update_enabled()

    def _after_a_turn(self, fn: Any) -> None:
        """Call *fn* once the event loop has run what is due now (timers, paints).

        Not ``singleShot(0)``: that is a posted event, and Qt delivers posted
        events before the timers due in the same turn, so two blocks of GUI
        work chained that way were one freeze.  A 1 ms timer comes after the
        timers already due (issue 21).
        """
        QTimer.singleShot(1, self, fn)

    def _on_later_layers_loaded(self, later: WorkspaceLayers) -> None:
        ws = self.canvas.workspace
        if ws is None:
            return
        self.layer_model.merge_layers(later)
        ws.windowed.update(later.windowed)
        self.view_loader().workspace_merged()
        self._report_bad(later)
        self.canvas.layers_changed()
        # The panels read their part of the workspace (workspaceLoaded) in a
        # turn of their own, after the merged layers' repaint.
        started = self._load_started
        self._after_a_turn(lambda: self._finish_load(ws, started))

    def when_loaded(self, fn: Any) -> None:
        """Call *fn* each time a workspace has loaded, before ``workspaceLoaded``.

        Each panel's hook runs in a turn of the event loop of its own (in the
        order they were added), so the panels reading their part of a new
        workspace are several short blocks, not one long freeze (issue 21).
        ``workspaceLoaded`` is emitted after the last hook.
        """
        self._load_hooks.append(fn)

    def _finish_load(self, ws: WorkspaceLayers, started: float) -> None:
        if self.canvas.workspace is not ws or self._load_started != started:
            return  # closed, replaced or loading again meanwhile
        self.load_seconds = time.perf_counter() - self._load_started
        self.loaded = True
        self.actions.update_enabled()
        self.status.showMessage(
            QCoreApplication.translate("MainWindow", "Loaded in {s:.2f} s").format(s=self.load_seconds), 5000
        )
        self._run_load_hooks(ws, started, 0)

    def _run_load_hooks(self, ws: WorkspaceLayers, started: float, k: int) -> None:
        if self.canvas.workspace is not ws or self._load_started != started:
            return  # closed, replaced or loading again between two hooks
        if k < len(self._load_hooks):
            self._load_hooks[k]()
            self._after_a_turn(lambda: self._run_load_hooks(ws, started, k + 1))
            return
        self.workspaceLoaded.emit()

    def _report_bad(self, workspace: WorkspaceLayers) -> None:
        for name, data in workspace.data.items():
            if data.bad:
                shown = ", ".join(
                    f"id {b.fid} ({QCoreApplication.translate('MainWindow', BAD_REASONS[b.reason])})"
                    for b in data.bad[:20]
                )
                more = "" if len(data.bad) <= 20 else f" … (+{len(data.bad) - 20})"
                self.messages.add(
                    QCoreApplication.translate("MainWindow",
                        "Layer {layer}: {n} features with bad geometry: {list}"
                    ).format(
                        layer=layer_title(name), n=len(data.bad), list=shown + more
                    )
                )

    def _on_load_failed(self, exc: BaseException) -> None:
        text = (
            exc.message
            if isinstance(exc, GridAppError)
            else self.messages.add_error(exc)
        )
        self.canvas.set_message(
            QCoreApplication.translate("MainWindow", "The layers could not be loaded: {error}").format(error=text)
        )
        self.show_error(text)
        self.workspaceFailed.emit(text)

    def view_loader(self) -> MapViewLoader:
        """The reader of the layers read by view (made on first use)."""
        loader = getattr(self, "_view_loader", None)
        if loader is None:
            loader = self._view_loader = MapViewLoader(self)
        return loader

    def reload(self) -> None:
        if self.session is not None:
            self._save_view()
            self._load_layers()

    def close_workspace(self) -> None:
        self.progress.shutdown()
        if getattr(self, "_view_loader", None) is not None:
            self._view_loader.stop()
        self._save_view()
        self.canvas.set_workspace(None)
        self.layer_model.set_workspace(None)
        self.table.set_layer("", __import__("pandas").DataFrame())
        self.identify.show_hits([], None)
        if self.canvas.cache.background is not None:
            self.set_background(None)
        if self.session is not None:
            # Every worker reading through the session ends first: closing the store
            # closes the connections those threads are using (a crash, not an error).
            for worker in self.findChildren(WorkerThread):
                if worker.isRunning():
                    worker.stop()
            self.session.close()
            # What the closed workspace left in reference cycles can be collected
            # again: once, now, rather than frozen by the next open_workspace.
            gc.unfreeze()
            gc.collect()
        self.session = self.path = None
        self.loaded = False
        self._update_title()
        self.status.set_user("")
        self.status.clearMessage()  # a message about the closed workspace (and its timer) goes
        self.messages.clear()  # so do the messages about its layers and work (issue 21)
        self.canvas.set_message(QCoreApplication.translate("MainWindow", "No workspace open. Use File › Open."))
        self.actions.update_enabled()
        self.workspaceClosed.emit()



def _contains(outer: tuple[float, ...], inner: tuple[float, ...]) -> bool:
    return (outer[0] <= inner[0] and outer[1] <= inner[1]
            and outer[2] >= inner[2] and outer[3] >= inner[3])


def _grown(extent: tuple[float, ...]) -> tuple[float, float, float, float]:
    """*extent* with half its size added on every side (room to pan)."""
    x0, y0, x1, y1 = extent
    dx, dy = (x1 - x0) / 2, (y1 - y0) / 2
    return (x0 - dx, y0 - dy, x1 + dx, y1 + dy)


class _Switch(QCheckBox):
    """The 聚合显示 check box; follows the UI language."""

    def __init__(self, loader: MapViewLoader, parent: Any) -> None:
        super().__init__(parent)
        self.loader = loader

    def changeEvent(self, ev: Any) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(ev)
        if ev.type() == QEvent.Type.LanguageChange:
            self.loader.retranslate()


class MapViewLoader(QObject):
    """Reads the layers a district opens without (issue 22), for the view.

    ``canvas.workspace.windowed`` lists them (reports, buildings of a big
    workspace).  When the view rests and such a layer is in scale, its rows in
    and around the view are read on a worker (R-tree) and swapped in; nothing
    is read while the view stays inside what was read.  Zoomed out, reports are
    drawn as their per-grid aggregate (:data:`DENSITY`); the 聚合显示 switch
    under the layer list turns that off, and every report is then read.
    """

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("mapViewLoader")
        self.window = window
        self.canvas = window.canvas
        self.aggregate = True
        self.workers: dict[str, WorkerThread] = {}
        self.refused: dict[str, Any] = {}  # name -> extent with too many rows
        self.empty: dict[str, Any] = {}
        self.timer = QTimer(self)
        self.timer.setObjectName("viewLoadTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(VIEW_SETTLE_MS)
        self.timer.timeout.connect(self.load)
        self.canvas.viewChanged.connect(self._on_view_changed)
        self.switch = _Switch(self, window.layer_panel)
        self.switch.setObjectName("aggregateReports")
        self.switch.setChecked(True)
        self.switch.setEnabled(False)
        self.retranslate()
        layout = window.layer_panel.layout()
        if layout is not None:
            layout.addWidget(self.switch)
        self.switch.toggled.connect(self._on_switch)

    def retranslate(self) -> None:
        self.switch.setText(QCoreApplication.translate("MainWindow", "Aggregate reports"))
        self.switch.setToolTip(QCoreApplication.translate(
            "MainWindow",
            "Zoomed out, draw the reports as counts per grid; zoomed in, one by one."))

    # ------------------------------------------------------------ state
    def workspace_merged(self) -> None:
        """The later layers are in: set the scales and read the view."""
        ws = self.canvas.workspace
        # The empty layers the workspace opened with, to fall back to when
        # zoomed out (same columns, no rows).
        self.empty = {} if ws is None else {
            n: ws.data[n] for n in ws.windowed if n in ws.data and not len(ws.data[n].layer)}
        has_density = ws is not None and DENSITY in ws.data
        self.switch.setEnabled(has_density)
        if has_density:
            if not self.aggregate:
                ws.windowed.pop("report", None)
                self._start("report", None)
            self._apply_scales()
        self.timer.start()

    def _apply_scales(self) -> None:
        ws = self.canvas.workspace
        if ws is None or DENSITY not in ws.data:
            return
        if self.aggregate:
            self.canvas.max_scales["report"] = DETAIL_SCALE
            self.canvas.min_scales[DENSITY] = DETAIL_SCALE
        else:
            self.canvas.max_scales.pop("report", None)
            self.canvas.min_scales.pop(DENSITY, None)
        self.window.layer_model.set_visible(DENSITY, self.aggregate)

    def _on_switch(self, on: bool) -> None:
        self.aggregate = on
        ws = self.canvas.workspace
        if ws is None or DENSITY not in ws.data:
            return
        self._apply_scales()
        if on:
            ws.windowed["report"] = None
            self.timer.start()
        else:  # every report, one by one, at every scale
            ws.windowed.pop("report", None)
            self._start("report", None)
        self.canvas.layers_changed()

    def reread(self, name: str) -> None:
        """Read *name* again (its rows changed): in view, or whole when not by view."""
        ws = self.canvas.workspace
        if ws is None:
            return
        if name in ws.windowed:
            ws.windowed[name] = None
            self.refused.pop(name, None)
            self.timer.start()
        else:
            self._start(name, None)

    def _on_view_changed(self, _viewport: Any) -> None:
        ws = self.canvas.workspace
        if ws is not None and ws.windowed:
            self.timer.start()

    # ------------------------------------------------------------ reading
    def load(self) -> None:
        """Start reading every layer read by view that the view needs now."""
        ws, vp = self.canvas.workspace, self.canvas.viewport
        if ws is None or vp is None or self.window.session is None:
            return
        extent = vp.extent
        for name, covered in list(ws.windowed.items()):
            if name in self.workers:
                continue
            if not self.canvas.in_scale(name):
                if covered is not None and name in self.empty:
                    # Zoomed out past the detail: let the rows go (memory).
                    self.window.layer_model.replace_layer(name, self.empty[name])
                    ws.windowed[name] = None
                continue
            if covered is not None and _contains(covered, extent):
                continue
            refused = self.refused.get(name)
            if refused is not None and _contains(refused, extent):
                continue
            self._start(name, _grown(extent))

    def _start(self, name: str, extent: tuple[float, float, float, float] | None) -> None:
        ws, session = self.canvas.workspace, self.window.session
        if ws is None or session is None:
            return
        old = self.workers.pop(name, None)
        if old is not None:
            old.cancel()
        epsg, since = ws.epsg, ws.report_since

        def work(progress: Any, cancel: Any) -> Any:
            if extent is None:
                now = None if since is None else since + timedelta(days=DEFAULT_REPORT_DAYS)
                got = load_workspace_layers(session, names=(name,), now=now,
                                            progress=progress, cancel=cancel)
                return got.data.get(name)
            return load_view_layer(session, name, extent, epsg, since=since,
                                   progress=progress, cancel=cancel)

        worker = self.workers[name] = WorkerThread(work, self)
        worker.succeeded.connect(
            lambda data, w=worker: self._on_read(w, name, extent, ws, data))
        worker.failed.connect(lambda exc, w=worker: self._on_failed(w, exc))
        worker.finished.connect(lambda w=worker: self._on_finished(w, name))
        worker.start()

    def _on_read(self, worker: WorkerThread, name: str, extent: Any, ws: Any,
                 data: Any) -> None:
        if self.workers.get(name) is not worker or self.canvas.workspace is not ws:
            return  # stale: a newer read, or another workspace
        if (extent is None) == (name in ws.windowed):
            return  # the switch changed while reading
        if data is None:  # too many rows there to draw one by one: not again here
            self.refused[name] = extent
            return
        self.refused.pop(name, None)
        self.window.layer_model.replace_layer(name, data)
        if extent is not None:
            ws.windowed[name] = extent
        self.canvas.layers_changed()

    def _on_failed(self, worker: WorkerThread, exc: BaseException) -> None:
        from gridapp.qt.error_text import error_text

        if worker in self.workers.values():
            self.window.messages.add(error_text(exc))

    def _on_finished(self, worker: WorkerThread, name: str) -> None:
        if self.workers.get(name) is worker:
            del self.workers[name]
            self.timer.start()  # the view may have moved on meanwhile
        worker.deleteLater()

    def stop(self) -> None:
        """End every read (the workspace closes)."""
        self.timer.stop()
        for worker in list(self.workers.values()):
            worker.stop()
        self.workers.clear()
        self.refused.clear()
        self.empty.clear()
        self.switch.setEnabled(False)


SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_address(path: str | Path) -> bool:
    """Whether *path* names a district server's street rather than a file."""
    return isinstance(path, str) and path.startswith(SERVER_SCHEMES)


def server_title(url: str) -> str:
    """``street @ host`` for a server address, never its password."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    query = parse_qs(parts.query)
    street = (query.get("street") or [""])[0] or parts.path.strip("/") or "?"
    host = parts.hostname or (query.get("service") or ["localhost"])[0]
    return f"{street} @ {host}"
