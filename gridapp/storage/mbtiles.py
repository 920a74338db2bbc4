"""Read-only access to an MBTiles tile archive (a background map, not a workspace)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class MBTiles:
    """Tiles of an ``.mbtiles`` file, opened read-only and never written."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)

    def zoom_range(self) -> tuple[int, int]:
        row = self._connection().execute(
            "SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
        return int(row[0] or 0), int(row[1] or 0)

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The image bytes of tile *z/x/y* (XYZ numbering, rows from the north)."""
        row = self._connection().execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ?"
            " AND tile_row = ?", (z, x, (2**z - 1) - y)).fetchone()  # MBTiles rows count from the south
        return None if row is None else bytes(row[0])

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError(f"tile archive closed: {self.path}")
        return self._conn
