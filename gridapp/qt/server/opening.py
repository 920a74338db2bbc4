"""Opening a street of the district server in the main window.

The same steps as :meth:`~gridapp.qt.window_workspace.WorkspaceState.open_workspace`
(open on a worker while the window paints, log in to GridApp, hold the
session, load the layers) for a ``postgresql://…?street=CODE`` address.
``open_workspace`` itself turns its argument into a file path (which breaks
the ``//`` of an address) and adds it to the recent *files*; until it takes
addresses, this is the server's door.  Remembered connections are the
connection dialog's own list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop

from gridapp.errors import GridAppError
from gridapp.qt.worker import WorkerThread
from gridapp.services import workspace as workspace_service


def open_server(window: Any, url: str, title: str) -> bool:
    """Open the street at *url* in *window* (*title* stands for it in the window title).

    Returns whether it opened and the login succeeded; a failure leaves the
    window usable with the message shown, as for a file.
    """
    shown = Path(title)
    window.close_workspace()
    try:
        opened = _open_off_thread(window, url, title)
    except GridAppError as exc:
        return window._open_failed(shown, exc.message)
    except Exception as exc:  # noqa: BLE001 - the window must stay usable
        return window._open_failed(shown, window.messages.add_error(exc))
    try:
        session = window.authenticate(opened)
    except GridAppError as exc:
        opened.close()
        return window._open_failed(shown, exc.message)
    if session is None:
        opened.close()
        window.canvas.set_message(QCoreApplication.translate(
            "MainWindow", "Not logged in. Use File › Open."))
        return False
    window.session, window.path = session, shown
    window.status.set_user(f"{session.user.display_name} ({session.user.username})")
    window._update_title()
    window.loggedIn.emit()
    window._load_layers()
    return True


def _open_off_thread(window: Any, url: str, title: str) -> Any:
    window.canvas.set_message(QCoreApplication.translate(
        "MainWindow", "Opening {path}…").format(path=title))
    worker = WorkerThread(
        lambda progress, cancel: workspace_service.open_workspace(url), window)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    if not worker.isFinished():
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    worker.wait()
    worker.deleteLater()
    if worker.error is not None:
        raise worker.error
    return worker.result
