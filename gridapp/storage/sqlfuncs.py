"""The SQL functions GeoPackage R-tree triggers call (STYLE.md, Storage).

GDAL defines ``ST_IsEmpty``, ``ST_MinX``, ``ST_MaxX``, ``ST_MinY`` and
``ST_MaxY`` on its own connections; Python's :mod:`sqlite3` does not, so every
write to a feature table (even an attribute UPDATE) would fail with "no such
function: ST_IsEmpty".  :func:`register` adds them to a connection.
"""

from __future__ import annotations

import sqlite3
from typing import Any

# storage.geometry (numpy, shapely) is imported by the first trigger that runs,
# not with every connection: the window opens one before its login dialog,
# which needs neither (issue 22).
_envelope: Any = None


def _load_envelope() -> Any:
    global _envelope
    from gridapp.storage.geometry import envelope

    _envelope = envelope
    return envelope


def _st_is_empty(blob: bytes | None) -> int | None:
    if blob is None:
        return None
    try:
        return 1 if (_envelope or _load_envelope())(blob) is None else 0
    except ValueError:
        return None


def _coord(i: int):
    def f(blob: bytes | None) -> float | None:
        try:
            env = (_envelope or _load_envelope())(blob)
        except ValueError:
            return None
        return None if env is None else env[i]

    return f


def register(conn: sqlite3.Connection) -> None:
    """Register the five ``ST_*`` functions on *conn* (deterministic)."""
    kw = {"deterministic": True}
    conn.create_function("ST_IsEmpty", 1, _st_is_empty, **kw)
    conn.create_function("ST_MinX", 1, _coord(0), **kw)
    conn.create_function("ST_MaxX", 1, _coord(1), **kw)
    conn.create_function("ST_MinY", 1, _coord(2), **kw)
    conn.create_function("ST_MaxY", 1, _coord(3), **kw)
