"""A text progress bar for long commands, on stderr.

Shown when stderr is a terminal, unless ``--quiet``; ``--progress`` shows it
also without a terminal, one line per step of 10 % (for logs and for scripts
that wait for the work to start).  :func:`set_mode` is called by ``main()``.
"""

from __future__ import annotations

import sys

_MODE = "auto"  # auto | always | never


def set_mode(mode: str | None) -> None:
    global _MODE
    _MODE = mode or "auto"


class TextProgress:
    def __init__(self, stream=None) -> None:
        # Looked up now, not at import: pytest and others swap sys.stderr.
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.show = {"always": True, "never": False}.get(_MODE, self.tty)
        self._last = -1

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if not self.show or total <= 0:
            return
        pct = int(100 * done / total)
        if not self.tty:  # a log: whole lines, every 10 %
            step = pct // 10
            if step == self._last and done < total:
                return
            self._last = step
            self.stream.write(f"[{pct:3d}%] {message[:60]}\n")
            self.stream.flush()
            return
        if pct == self._last and done < total:
            return
        self._last = pct
        bar = "#" * (pct // 4)
        self.stream.write(f"\r[{bar:<25}] {pct:3d}% {message[:40]:<40}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
