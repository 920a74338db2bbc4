"""A text progress bar for long commands (writes to stderr, only on a terminal)."""

from __future__ import annotations

import sys


class TextProgress:
    def __init__(self, stream=None) -> None:
        # Looked up now, not at import: pytest and others swap sys.stderr.
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self._last = -1

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if not self.tty or total <= 0:
            return
        pct = int(100 * done / total)
        if pct == self._last and done < total:
            return
        self._last = pct
        bar = "#" * (pct // 4)
        self.stream.write(f"\r[{bar:<25}] {pct:3d}% {message[:40]:<40}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
