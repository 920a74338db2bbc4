"""The current grids as the editor sees them: storage and map geometry side by side.

Tools work in the map's metric CRS; saving needs EPSG:4490.  Converting a
metric polygon back would move every untouched vertex by round-off, and a
shared vertex would then no longer match the neighbour that was not edited.
So :meth:`CurrentGrids.to_storage` gives every vertex that already exists its
stored coordinates exactly and converts only new ones (which convert the same
way in every polygon that shares them).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

from gridapp.domain.crs import STORAGE_EPSG, transformer

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


class CurrentGrids:
    """Ids, codes, stored (EPSG:4490) and metric polygons of the current grids."""

    def __init__(self, frame: Any, epsg: int) -> None:
        import shapely

        self.epsg = epsg
        frame = frame[~frame.geometry.isna()].reset_index(drop=True)
        self.frame = frame
        self.ids = np.asarray(frame["id"], dtype=np.int64)
        self.codes = {
            int(i): str(c) for i, c in zip(frame["id"], frame["code"], strict=True)
        }
        self.stored = np.asarray(frame.geometry.array, dtype=object)
        self._fwd = transformer(STORAGE_EPSG, epsg)
        self._back = transformer(epsg, STORAGE_EPSG)
        self.metric = self.to_metric_many(self.stored)
        self.tree = shapely.STRtree(self.metric)
        lon_lat = shapely.get_coordinates(self.stored)
        xy = shapely.get_coordinates(self.metric)
        self._exact = {
            (float(a), float(b)): (float(c), float(d))
            for (a, b), (c, d) in zip(xy, lon_lat, strict=True)
        }

    def __len__(self) -> int:
        return len(self.ids)

    # ------------------------------------------------------------ convert
    def to_metric_many(self, geoms: np.ndarray) -> np.ndarray:
        import shapely

        def fwd(c: np.ndarray) -> np.ndarray:
            x, y = self._fwd.transform(c[:, 0], c[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(np.asarray(geoms, dtype=object), fwd)

    def to_metric(self, geom: BaseGeometry) -> BaseGeometry:
        return self.to_metric_many(np.array([geom], dtype=object))[0]

    def to_storage(self, geom: BaseGeometry) -> BaseGeometry:
        """*geom* (metric) in EPSG:4490, existing vertices exactly as stored."""
        import shapely

        exact = self._exact

        def back(c: np.ndarray) -> np.ndarray:
            out = np.empty_like(c)
            todo = []
            for k, (x, y) in enumerate(c.tolist()):
                hit = exact.get((x, y))
                if hit is None:
                    todo.append(k)
                else:
                    out[k] = hit
            if todo:
                lon, lat = self._back.transform(c[todo, 0], c[todo, 1])
                out[todo, 0], out[todo, 1] = lon, lat
            return out

        return shapely.transform(geom, back)

    # ------------------------------------------------------------ lookup
    def index_of(self, grid_id: Hashable) -> int:
        hits = np.flatnonzero(self.ids == int(grid_id))  # type: ignore[call-overload]
        if not len(hits):
            raise KeyError(grid_id)
        return int(hits[0])

    def near(self, geom: BaseGeometry, distance: float = 0.0) -> np.ndarray:
        """Row positions of grids within *distance* metres of *geom*."""
        if distance > 0:
            return np.sort(
                self.tree.query(geom, predicate="dwithin", distance=distance)
            )
        return np.sort(self.tree.query(geom, predicate="intersects"))

    def at(self, x: float, y: float) -> int | None:
        """Row of the grid containing map point (x, y), or None."""
        import shapely

        hits = self.tree.query(shapely.Point(x, y), predicate="intersects")
        return int(hits[0]) if len(hits) else None

    def label(self, grid_id: Hashable) -> str:
        try:
            return self.codes.get(int(grid_id), str(grid_id))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return str(grid_id)
