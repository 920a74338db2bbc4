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

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from gridapp.errors import GridAppError
from gridapp.qt.layer_data import (
    DEFAULT_REPORT_DAYS,
    SOURCES,
    WorkspaceLayers,
    grid_colours,
    load_workspace_layers,
)
from gridapp.qt.layer_tree_model import layer_title
from gridapp.qt.worker import WorkerThread
from gridapp.services import workspace as workspace_service

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
    workspaceFailed: Any
    workspaceClosed: Any

    def _login_dialog(self, opened: Any) -> Any:
        from gridapp.qt.login_dialog import LoginDialog

        is_demo = "demo" in Path(opened.path).name
        dialog = LoginDialog(opened, self, show_demo_users=is_demo)
        return dialog.session if dialog.exec() else None


    def open_workspace(self, path: str | Path) -> bool:
        """Open *path*, log in and start loading its layers (on a worker)."""
        path = Path(path)
        self.close_workspace()
        try:
            opened = workspace_service.open_workspace(path)
        except GridAppError as exc:
            return self._open_failed(path, exc.message)
        except Exception as exc:  # noqa: BLE001 - the window must stay usable
            return self._open_failed(path, self.messages.add_error(exc))
        try:
            session = self.authenticate(opened)
        except GridAppError as exc:
            opened.close()
            return self._open_failed(path, exc.message)
        if session is None:
            opened.close()
            self.canvas.set_message(QCoreApplication.translate("MainWindow", "Not logged in. Use File › Open."))
            return False
        self.session, self.path = session, path
        self.status.set_user(f"{session.user.display_name} ({session.user.username})")
        self._add_recent(path)
        self._update_title()
        self._load_layers()
        return True

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
        self._on_current_layer_changed(self.layer_panel.current_layer() or "grid")
        self.actions.update_enabled()
        session, now = self.session, workspace.report_since

        def work(progress: Any, cancel: Any) -> WorkspaceLayers:
            return load_workspace_layers(
                session,
                progress=progress,
                cancel=cancel,
                names=LATER_LAYERS,
                now=None if now is None else now + timedelta(days=DEFAULT_REPORT_DAYS),
            )

        self.progress.run(
            work,
            self._on_later_layers_loaded,
            self._on_load_failed,
            QCoreApplication.translate("MainWindow", "Loading buildings and reports"),
        )

    def _on_later_layers_loaded(self, later: WorkspaceLayers) -> None:
        if self.canvas.workspace is None:
            return
        self.layer_model.merge_layers(later)
        self._report_bad(later)
        self.canvas.layers_changed()
        self.load_seconds = time.perf_counter() - self._load_started
        self.loaded = True
        self.actions.update_enabled()
        self.status.showMessage(
            QCoreApplication.translate("MainWindow", "Loaded in {s:.2f} s").format(s=self.load_seconds), 5000
        )
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

    def reload(self) -> None:
        if self.session is not None:
            self._save_view()
            self._load_layers()

    def close_workspace(self) -> None:
        self.progress.shutdown()
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
        self.session = self.path = None
        self.loaded = False
        self._update_title()
        self.status.set_user("")
        self.status.clearMessage()  # a message about the closed workspace (and its timer) goes
        self.messages.clear()  # so do the messages about its layers and work (issue 21)
        self.canvas.set_message(QCoreApplication.translate("MainWindow", "No workspace open. Use File › Open."))
        self.actions.update_enabled()
        self.workspaceClosed.emit()

