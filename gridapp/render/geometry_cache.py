"""Geometry as flat numpy arrays, ready to draw and to query by extent.

No Qt here.  Coordinates are kept relative to an *origin* (the lower-left
corner of the data) so that Gauss-Krüger eastings of 36 million metres keep
their centimetres when they reach single-precision code paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from gridapp.errors import GridAppError

if TYPE_CHECKING:  # shapely loads with the first layer, not with the window (issue 22)
    import shapely


class GeometryCacheError(GridAppError):
    """Geometry that the renderer cannot draw."""


Extent = tuple[float, float, float, float]


@dataclass
class PolygonArrays:
    """Polygons (and multipolygons) as one coordinate array with offsets.

    Attributes
    ----------
    coords : ndarray, shape (n, 2)
        All ring vertices, relative to *origin*.
    ring_offsets : ndarray
        Ring *i* is ``coords[ring_offsets[i]:ring_offsets[i+1]]``.
    part_offsets : ndarray
        Polygon part *j* has rings ``part_offsets[j]:part_offsets[j+1]``; the
        first is the exterior.
    feature_offsets : ndarray
        Feature *k* has parts ``feature_offsets[k]:feature_offsets[k+1]``.
    bounds : ndarray, shape (features, 4)
        Absolute ``xmin, ymin, xmax, ymax`` per feature (NaN when empty).
    anchors : ndarray, shape (features, 2)
        Absolute label anchor (a point on the surface) per feature.
    areas : ndarray
        Area per feature, for label priority.
    """

    coords: np.ndarray
    ring_offsets: np.ndarray
    part_offsets: np.ndarray
    feature_offsets: np.ndarray
    bounds: np.ndarray
    anchors: np.ndarray
    areas: np.ndarray
    origin: tuple[float, float] = (0.0, 0.0)
    tree: shapely.STRtree | None = field(default=None, repr=False)

    kind = "polygon"

    @classmethod
    def from_geometries(cls, geoms) -> PolygonArrays:  # type: ignore[no-untyped-def]
        """Build from a GeoSeries or an array of (multi)polygons in metres."""
        import shapely
        from shapely import GeometryType

        arr = np.asarray(getattr(geoms, "values", geoms), dtype=object)
        arr = np.where(shapely.is_missing(arr), shapely.Polygon(), arr)
        types = shapely.get_type_id(arr)
        ok = np.isin(types, [GeometryType.POLYGON, GeometryType.MULTIPOLYGON])
        if arr.size and not ok.all():
            bad = int(np.flatnonzero(~ok)[0])
            raise GeometryCacheError(
                "第{i}个要素不是面（{t}）", "Feature {i} is not a polygon ({t})",
                i=bad, t=shapely.get_type_id(arr[bad]),
            )
        bounds = shapely.bounds(arr) if arr.size else np.empty((0, 4))
        origin = (float(np.nanmin(bounds[:, 0])), float(np.nanmin(bounds[:, 1]))) \
            if arr.size and np.isfinite(bounds).any() else (0.0, 0.0)
        if arr.size:
            gtype, coords, offsets = shapely.to_ragged_array(arr, include_z=False)
            if gtype == GeometryType.POLYGON:  # one part per feature
                ring_off, part_off = offsets
                feat_off = np.arange(len(arr) + 1)
            else:  # mixed input is promoted to multipolygons
                ring_off, part_off, feat_off = offsets
        else:
            coords = np.empty((0, 2))
            ring_off = part_off = feat_off = np.zeros(1, dtype=np.int64)
        coords = np.ascontiguousarray(coords - np.asarray(origin), dtype=np.float64)
        nonempty = ~shapely.is_empty(arr)
        anchors = np.full((len(arr), 2), np.nan)
        if nonempty.any():
            anchors[nonempty] = shapely.get_coordinates(shapely.point_on_surface(arr[nonempty]))
        return cls(
            coords=coords,
            ring_offsets=np.asarray(ring_off, dtype=np.int64),
            part_offsets=np.asarray(part_off, dtype=np.int64),
            feature_offsets=np.asarray(feat_off, dtype=np.int64),
            bounds=bounds,
            anchors=anchors,
            areas=shapely.area(arr),
            origin=origin,
            tree=shapely.STRtree(shapely.box(*np.nan_to_num(bounds).T)) if arr.size else None,
        )

    def __len__(self) -> int:
        return len(self.bounds)

    @property
    def extent(self) -> Extent:
        """Union of all feature bounds."""
        return _union_bounds(self.bounds)

    def query(self, extent: Extent) -> np.ndarray:
        """Sorted indices of the features whose bounds meet *extent*."""
        if self.tree is None:
            return np.empty(0, dtype=np.int64)
        import shapely

        hits = self.tree.query(shapely.box(*extent))
        hits.sort()
        return hits[np.isfinite(self.bounds[hits, 0])]

    def feature_rings(self, k: int) -> list[tuple[int, int, bool]]:
        """``(start, stop, is_exterior)`` coordinate ranges of feature *k*."""
        out = []
        for part in range(self.feature_offsets[k], self.feature_offsets[k + 1]):
            r0, r1 = self.part_offsets[part], self.part_offsets[part + 1]
            for ring in range(r0, r1):
                out.append((int(self.ring_offsets[ring]), int(self.ring_offsets[ring + 1]), ring == r0))
        return out


@dataclass
class PointArrays:
    """Points as x/y arrays sorted by x, so an extent query is two bisections.

    Attributes
    ----------
    x, y : ndarray
        Absolute coordinates in metres, sorted by x.
    order : ndarray
        ``order[i]`` is the original row of sorted point *i*.
    """

    x: np.ndarray
    y: np.ndarray
    order: np.ndarray

    kind = "point"

    @classmethod
    def from_xy(cls, x: np.ndarray, y: np.ndarray) -> PointArrays:
        """Build from coordinate arrays (NaN rows are kept but never shown)."""
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        order = np.argsort(x, kind="stable")
        return cls(x=x[order], y=y[order], order=order)

    @classmethod
    def from_geometries(cls, geoms) -> PointArrays:  # type: ignore[no-untyped-def]
        """Build from a GeoSeries or an array of points in metres."""
        import shapely
        from shapely import GeometryType

        arr = np.asarray(getattr(geoms, "values", geoms), dtype=object)
        types = shapely.get_type_id(arr)
        if arr.size and not (types == GeometryType.POINT).all():
            bad = int(np.flatnonzero(types != GeometryType.POINT)[0])
            raise GeometryCacheError(
                "第{i}个要素不是点", "Feature {i} is not a point", i=bad
            )
        x = shapely.get_x(arr) if arr.size else np.empty(0)
        y = shapely.get_y(arr) if arr.size else np.empty(0)
        return cls.from_xy(x, y)

    def __len__(self) -> int:
        return len(self.x)

    @property
    def extent(self) -> Extent:
        """Bounds of all points."""
        if not len(self.x) or not np.isfinite(self.x).any():
            return (0.0, 0.0, 0.0, 0.0)
        return (float(np.nanmin(self.x)), float(np.nanmin(self.y)),
                float(np.nanmax(self.x)), float(np.nanmax(self.y)))

    def query(self, extent: Extent) -> np.ndarray:
        """Sorted-array indices of the points inside *extent*."""
        xmin, ymin, xmax, ymax = extent
        lo = int(np.searchsorted(self.x, xmin, side="left"))
        hi = int(np.searchsorted(self.x, xmax, side="right"))
        ys = self.y[lo:hi]
        return lo + np.flatnonzero((ys >= ymin) & (ys <= ymax))


def _union_bounds(bounds: np.ndarray) -> Extent:
    if not len(bounds) or not np.isfinite(bounds).any():
        return (0.0, 0.0, 0.0, 0.0)
    return (float(np.nanmin(bounds[:, 0])), float(np.nanmin(bounds[:, 1])),
            float(np.nanmax(bounds[:, 2])), float(np.nanmax(bounds[:, 3])))
