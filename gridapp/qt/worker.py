"""One helper for long work: run a service off the GUI thread.

The function gets ``progress`` and ``cancel`` keyword arguments (the service
convention of :mod:`gridapp.progress`); its result or exception comes back on
the GUI thread through queued signals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal

from gridapp.progress import CancelToken


class WorkerThread(QThread):
    """Runs ``fn(progress=..., cancel=...)`` once on its own thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[..., Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fn = fn
        self.token = CancelToken()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:  # worker thread
        try:
            self.result = self.fn(progress=self._progress, cancel=self.token)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.error = exc
            self.failed.emit(exc)
            return
        self.succeeded.emit(self.result)

    def _progress(self, done: int, total: int, message: str = "") -> None:
        self.progressed.emit(int(done), int(total), str(message))

    def cancel(self) -> None:
        self.token.cancel()

    def deleteLater(self) -> None:  # noqa: N802 - Qt's name
        """Delete once the thread has really ended.

        ``finished`` reaches the GUI thread while the thread is still winding
        down; deleting a QThread that runs aborts the process ("QThread:
        Destroyed while thread is still running"), so wait for it first (the
        run is over, so this takes microseconds).
        """
        self.wait()
        super().deleteLater()

    def stop(self, timeout_ms: int = 30_000) -> None:
        """Ask to cancel and wait for the thread to end."""
        self.cancel()
        self.wait(timeout_ms)


def run_off_thread(fn: Callable[[], Any], parent: QObject | None = None) -> WorkerThread:
    """Run ``fn()`` on a worker while this thread's event loop keeps painting.

    For short work a caller waits for (a login, opening a file): the window
    stays drawn and its timers run, user input waits (the caller disables
    what could start the work again).  Returns the finished worker with its
    ``result`` or ``error`` set.
    """
    worker = WorkerThread(lambda progress, cancel: fn(), parent)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    if not worker.isFinished():
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    worker.wait()
    worker.deleteLater()
    return worker
