"""Guard against a reference-count bug of PySide6 6.12.0 on Python 3.11.

With shiboken6 6.12.0 on CPython 3.11 every call of a C++ method that returns
``void`` (``QPainter.setBrush``, ``QImage.fill``, ``QPointF.setX`` …) releases
one reference to ``None`` that it never took.  ``None`` starts with a few
thousand references, so a process that draws a map dies after a few thousand
calls with ``Fatal Python error: none_dealloc``.  From Python 3.12 ``None`` is
immortal and the bug is harmless.

The real fix is a PySide6 release without the bug (6.11.x is fine) or Python
3.12+; until the project pins one, :func:`ensure_none_survives` detects the
bug and gives ``None`` a very large reference count, which makes it
effectively immortal as it is on newer Pythons.
"""

from __future__ import annotations

import ctypes
import sys

# Large enough that no session can release it, small enough to stay far from
# overflow of Py_ssize_t.
_TOP_UP = 1 << 40
_done = False


def pyside_drops_none() -> bool:
    """Whether void Qt calls release references to ``None`` they never took."""
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(64):
        point.setX(1.0)
    return sys.getrefcount(None) < before - 32


def ensure_none_survives() -> bool:
    """Make ``None`` immortal if this PySide6 would otherwise free it.

    Returns
    -------
    bool
        True if the bug was found and worked around (once per process).
    """
    global _done
    if _done or sys.version_info >= (3, 12):
        return False
    _done = True
    if not pyside_drops_none():
        return False
    refcnt = ctypes.c_ssize_t.from_address(id(None))
    refcnt.value += _TOP_UP
    return True
