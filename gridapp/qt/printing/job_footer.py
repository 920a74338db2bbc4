"""The foot of a print or export dialog: its one file-writing job.

Every dialog here writes one file on a worker and says how it went in the
same way: progress with Cancel (:class:`~gridapp.qt.job_progress.JobProgress`),
a status line, the dialog's action button (off while the job runs) and Close.
The dialog builds the work and says what the status line reads; the footer
starts it, re-enables the button at its end, keeps the error text, emits
``finished(result or None)`` and stops the worker when the dialog closes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.qt.error_text import error_text
from gridapp.qt.job_progress import JobProgress

Work = Callable[..., Any]  # work(progress=, cancel=) -> result


class JobFooter(QWidget):
    """Progress and Cancel, a status line, the action button and Close.

    Parameters
    ----------
    dialog : QDialog
        Close rejects it; closing it cancels the job and waits for the worker.
    button_name : str
        Object name of the action button (the dialog titles it).
    action : callable
        What the action button does (it starts the job with :meth:`run`).
    written : callable
        ``written(result) -> str``: shows the result in the dialog (its print
        report, the file opened) and returns the status line.
    failed : callable
        ``failed(error_text) -> str``: the status line after it failed.
    cancelled : callable
        ``cancelled() -> str``: the status line after the user cancelled it.
    """

    finished = Signal(object)  # the result, or None when the job failed or was cancelled

    def __init__(self, dialog: QDialog, button_name: str, action: Callable[[], Any], *,
                 written: Callable[[Any], str], failed: Callable[[str], str],
                 cancelled: Callable[[], str]) -> None:
        super().__init__(dialog)
        self._written, self._failed, self._cancelled = written, failed, cancelled
        self.result: Any = None
        self.last_error = ""
        self.job = JobProgress(self)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.button = QPushButton(self)
        self.button.setObjectName(button_name)
        self.button.setDefault(True)
        self.button.clicked.connect(lambda: action())
        self.buttons = QDialogButtonBox(self)
        self.buttons.addButton(self.button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(dialog.reject)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.job)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.job.succeeded.connect(self._on_succeeded)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self._on_cancelled)
        dialog.finished.connect(lambda _code: self.job.shutdown())

    def retranslate(self) -> None:
        self.job.retranslate()

    @property
    def busy(self) -> bool:
        return self.job.busy

    def run(self, work: Work, out: Path) -> bool:
        """Start *work* writing *out* (False, and nothing started, while a job runs)."""
        if self.job.busy:
            return False
        self.button.setEnabled(False)
        self.status.setText("")
        self.job.run(work, label=self.tr("Writing {name}…").format(name=out.name))
        return True

    def _on_succeeded(self, result: Any) -> None:
        self.button.setEnabled(True)
        self.result = result
        self.status.setText(self._written(result))
        self.finished.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.last_error = error_text(exc)
        self.status.setText(self._failed(self.last_error))
        self.finished.emit(None)

    def _on_cancelled(self) -> None:
        self.button.setEnabled(True)
        self.status.setText(self._cancelled())
        self.finished.emit(None)


__all__ = ["JobFooter"]
