"""Progress reporting and cancellation for long work (Qt-free).

Services that take long accept ``progress`` and ``cancel`` arguments.  The CLI
passes a reporter that prints a bar; the GUI passes one that emits a signal and
a token its cancel button sets.
"""

from __future__ import annotations

import threading
from typing import Protocol

from gridapp.errors import Cancelled


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def no_progress(done: int, total: int, message: str = "") -> None:
    """A progress reporter that ignores everything."""


class CancelToken:
    """Set from any thread; checked by the worker between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`~gridapp.errors.Cancelled` if cancellation was asked."""
        if self._event.is_set():
            raise Cancelled()


NEVER_CANCELLED = CancelToken()
