"""Progress bar and cancel button for one background print job of a dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from gridapp.errors import Cancelled
from gridapp.qt.worker import WorkerThread


class JobBar(QWidget):
    """Runs ``fn(progress=, cancel=)`` on a :class:`WorkerThread`, with progress and cancel.

    Emits ``finished(result)`` on success, ``failed(exc)`` on an error and
    ``cancelled()`` when the user cancelled; all on the GUI thread.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("jobProgress")
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("jobCancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar, 2)
        layout.addWidget(self.cancel_button)
        self.worker: WorkerThread | None = None
        self._threads: list[WorkerThread] = []
        self.retranslate()
        self.setVisible(False)

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def run(self, fn: Callable[..., Any], label: str = "") -> WorkerThread:
        if self.worker is not None:
            raise RuntimeError("a job is already running")
        worker = WorkerThread(fn, self)
        self.worker = worker
        self._threads.append(worker)
        worker.progressed.connect(self._on_progress)
        worker.succeeded.connect(lambda r, w=worker: self._on_end(w, r, None))
        worker.failed.connect(lambda e, w=worker: self._on_end(w, None, e))
        worker.finished.connect(lambda w=worker: self._reap(w))
        self.label.setText(label)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.setVisible(True)
        worker.start()
        return worker

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.tr("Cancelling…"))

    def _on_progress(self, done: int, total: int, _message: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.progressed.emit(done, total)

    def _on_end(self, worker: WorkerThread, result: Any, error: BaseException | None) -> None:
        if worker is not self.worker:
            return
        self.worker = None
        self.setVisible(False)
        if isinstance(error, Cancelled):
            self.cancelled.emit()
        elif error is not None:
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)

    def _reap(self, worker: WorkerThread) -> None:
        if worker in self._threads and not worker.isRunning():
            self._threads.remove(worker)
            worker.deleteLater()

    def shutdown(self, timeout_ms: int = 60_000) -> None:
        """Cancel the job and wait for its thread (the dialog is closing)."""
        self.worker = None
        for worker in list(self._threads):
            worker.stop(timeout_ms)
        self._threads.clear()
        self.setVisible(False)
