"""Progress bar and cancel button for the one long task running at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from gridapp.qt.worker import WorkerThread


class TaskProgress(QWidget):
    """Runs long work through :class:`WorkerThread`, showing progress and cancel.

    Starting a new task cancels the previous one; results of a cancelled or
    replaced task are dropped (stale), never applied.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton(self)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.current: WorkerThread | None = None
        self._threads: list[WorkerThread] = []
        self.retranslate()
        self.setVisible(False)

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))

    @property
    def busy(self) -> bool:
        return self.current is not None

    def run(
        self,
        fn: Callable[..., Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        label: str = "",
    ) -> WorkerThread:
        self.cancel()
        worker = WorkerThread(fn, self)
        self.current = worker
        self._threads.append(worker)
        worker.progressed.connect(
            lambda d, t, m, w=worker: self._on_progress(w, d, t, m)
        )
        worker.succeeded.connect(lambda r, w=worker: self._on_end(w) and on_done(r))
        worker.failed.connect(lambda e, w=worker: self._on_end(w) and on_error(e))
        worker.finished.connect(lambda w=worker: self._reap(w))
        self.label.setText(label)
        self.bar.setRange(0, 0)
        self.setVisible(True)
        worker.start()
        return worker

    def _on_progress(
        self, worker: WorkerThread, done: int, total: int, message: str
    ) -> None:
        if worker is self.current:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)

    def _on_end(self, worker: WorkerThread) -> bool:
        if worker is not self.current or worker.token.cancelled:
            return False  # stale: cancelled or replaced
        self.current = None
        self.setVisible(False)
        return True

    def _reap(self, worker: WorkerThread) -> None:
        if worker in self._threads:
            self._threads.remove(worker)
        worker.deleteLater()

    def cancel(self) -> None:
        if self.current is not None:
            self.current.cancel()
            self.current = None
        self.setVisible(False)

    def shutdown(self) -> None:
        """Cancel and wait for every thread (window closing)."""
        self.cancel()
        for worker in list(self._threads):
            worker.stop()
        self._threads.clear()
