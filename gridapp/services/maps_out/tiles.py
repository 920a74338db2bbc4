"""Local background tiles: the window asks here, storage reads the archive."""

from __future__ import annotations

from pathlib import Path

from gridapp.storage.mbtiles import MBTiles

__all__ = ["MBTiles", "open_tile_archive"]


def open_tile_archive(path: str | Path) -> MBTiles:
    """An ``.mbtiles`` file opened read-only (``zoom_range()``, ``tile(z, x, y)``)."""
    return MBTiles(path)
