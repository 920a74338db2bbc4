"""Progress that is never silent for long (the district generator, issue 22).

A few steps of writing a district are one long SQLite statement or a commit
(the million reports and their indexes, the case events' indexes): nothing
calls progress for a minute or more on a loaded machine, and a log looks
stuck.  :class:`Keepalive` passes every call on and, from a helper thread,
repeats the last step with the seconds it has been running when no call came
for *every* seconds.  (SQLite releases the GIL while it works, so the helper
gets to run.)  Reporters must accept calls from another thread: the GUI's
emits a signal, the CLI's and the benchmarks' print lines.
"""

from __future__ import annotations

import threading
import time

from gridapp.progress import Progress


class Keepalive:
    """Wrap *progress*; use as a context manager around the work."""

    def __init__(self, progress: Progress, every: float = 10.0) -> None:
        self.progress, self.every = progress, every
        self._lock = threading.Lock()
        self._last: tuple[float, float, str] = (0, 1, "")
        self._since = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="progress-keepalive",
                                        daemon=True)

    def __call__(self, done: float, total: float, message: str = "") -> None:
        with self._lock:
            self._last, self._since = (done, total, message), time.monotonic()
        self.progress(done, total, message)  # type: ignore[arg-type]

    def beat(self, now: float) -> bool:
        """Repeat the last step if it has been silent for *every* seconds at *now*
        (a :func:`time.monotonic` instant); whether it did."""
        with self._lock:
            (done, total, message), quiet = self._last, now - self._since
        if quiet < self.every:
            return False
        self.progress(done, total, f"{message} … {quiet:.0f} s")  # type: ignore[arg-type]
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.every / 2):
            self.beat(time.monotonic())

    def __enter__(self) -> Keepalive:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
