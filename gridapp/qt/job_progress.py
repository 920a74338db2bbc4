"""One progress-and-cancel widget for long work: the window's status bar and the dialogs.

The work is a service call ``fn(progress=, cancel=)`` run on a
:class:`~gridapp.qt.worker.WorkerThread`; the widget shows its progress, offers
Cancel and hands the result back on the GUI thread, as signals and (if given)
callbacks.  Two policies, chosen when the widget is made:

* ``replace=False`` (a dialog's one job): starting while busy is an error;
  Cancel asks the worker to stop and ``cancelled`` is emitted when it has.
* ``replace=True`` (the window's one long task at a time): starting a new job
  cancels the running one; a cancelled or replaced job's result is stale and
  dropped, never applied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from gridapp.errors import Cancelled
from gridapp.qt.worker import WorkerThread

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class JobProgress(QWidget):
    """Runs long work on a worker thread, with a progress bar and a Cancel button.

    Emits ``succeeded(result)``, ``failed(exc)`` or ``cancelled()`` on the GUI
    thread (never for a stale job), and ``progressed(done, total)``.
    *compact* gives the narrow status-bar look.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None, *, replace: bool = False,
                 compact: bool = False) -> None:
        super().__init__(parent)
        self.replace = replace
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("jobProgress")
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("jobCancel")
        self.cancel_button.clicked.connect(self.cancel)
        if compact:
            self.bar.setMaximumWidth(160)
            self.bar.setTextVisible(False)
            layout.addWidget(self.label)
            layout.addWidget(self.bar)
        else:
            layout.addWidget(self.label, 1)
            layout.addWidget(self.bar, 2)
        layout.addWidget(self.cancel_button)
        self.worker: WorkerThread | None = None
        self._threads: list[WorkerThread] = []
        # The bar shows the latest step at most every 40 ms: QProgressBar.setValue
        # repaints at once, and a worker's queued steps arrive in bursts (issue 21).
        self._latest: tuple[int, int] | None = None
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(40)
        self._show_timer.timeout.connect(self._show_latest)
        self.retranslate()
        self.setVisible(False)

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def run(self, fn: Callable[..., Any], on_done: Done | None = None,
            on_error: Failed | None = None, label: str = "") -> WorkerThread:
        """Start ``fn(progress, cancel)`` on a worker; *on_done* / *on_error* get its end."""
        if self.worker is not None:
            if not self.replace:
                raise RuntimeError("a job is already running")
            self.cancel()
        worker = WorkerThread(fn, self)
        self.worker = worker
        self._threads.append(worker)
        worker.progressed.connect(lambda d, t, m, w=worker: self._on_progress(w, d, t, m))
        worker.succeeded.connect(
            lambda r, w=worker: self._on_end(w, r, None, on_done, on_error))
        worker.failed.connect(lambda e, w=worker: self._on_end(w, None, e, on_done, on_error))
        worker.finished.connect(lambda w=worker: self._reap(w))
        self.label.setText(label)
        self._latest = None
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.setVisible(True)
        worker.start()
        return worker

    def cancel(self) -> None:
        worker = self.worker
        if worker is None:
            if self.replace:
                self.setVisible(False)
            return
        worker.cancel()
        if self.replace:
            self.worker = None  # its result is stale from now on
            self._show_timer.stop()
            self.setVisible(False)
        else:
            self.cancel_button.setEnabled(False)
            self.label.setText(self.tr("Cancelling…"))

    def _on_progress(self, worker: WorkerThread, done: int, total: int, _message: str) -> None:
        if worker is not self.worker:
            return
        self._latest = (done, total)
        if not self._show_timer.isActive():
            self._show_timer.start()
        self.progressed.emit(done, total)

    def _show_latest(self) -> None:
        if self._latest is None or self.worker is None:
            return
        done, total = self._latest
        self._latest = None
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _on_end(self, worker: WorkerThread, result: Any, error: BaseException | None,
                on_done: Done | None, on_error: Failed | None) -> None:
        if worker is not self.worker or (self.replace and worker.token.cancelled):
            return  # stale: cancelled or replaced
        self.worker = None
        self._show_timer.stop()  # the bar is hidden: no step to show
        self.setVisible(False)
        if isinstance(error, Cancelled) and not self.replace:
            self.cancelled.emit()
        elif error is not None:
            self.failed.emit(error)
            if on_error is not None:
                on_error(error)
        else:
            self.succeeded.emit(result)
            if on_done is not None:
                on_done(result)

    def _reap(self, worker: WorkerThread) -> None:
        if worker in self._threads and not worker.isRunning():
            self._threads.remove(worker)
            worker.deleteLater()

    def shutdown(self, timeout_ms: int = 60_000) -> None:
        """Cancel the job and wait for every thread (the window or dialog is closing)."""
        if self.worker is not None:
            self.worker.cancel()
        self.worker = None
        self._show_timer.stop()
        for worker in list(self._threads):
            worker.stop(timeout_ms)
        self._threads.clear()
        self.setVisible(False)
