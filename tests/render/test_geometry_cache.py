from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QPainterPath, QPolygonF

from gridapp.render.geometry_cache import GeometryCacheError, PointArrays, PolygonArrays
from gridapp.render.qpolygons import (
    feature_shapes,
    polygon_from_array,
    polygons_from_rings,
)


def make_polygons() -> np.ndarray:
    square = shapely.box(1000, 2000, 1010, 2010)
    holed = shapely.box(1100, 2000, 1140, 2040).difference(shapely.box(1110, 2010, 1120, 2020))
    multi = shapely.MultiPolygon([shapely.box(1200, 2000, 1210, 2010),
                                  shapely.box(1300, 2000, 1310, 2010)])
    return np.array([square, holed, multi, shapely.Polygon(), None], dtype=object)


def test_polygon_offsets_rings_and_origin():
    arr = PolygonArrays.from_geometries(make_polygons())
    assert len(arr) == 5
    assert arr.origin == (1000.0, 2000.0)
    assert [len(arr.feature_rings(k)) for k in range(5)] == [1, 2, 2, 0, 0]
    rings = arr.feature_rings(1)
    assert [ext for *_, ext in rings] == [True, False]
    start, stop, _ = rings[1]
    hole = arr.coords[start:stop] + arr.origin
    assert hole[:, 0].min() == 1110 and hole[:, 1].max() == 2020


def test_query_returns_only_features_meeting_extent():
    arr = PolygonArrays.from_geometries(make_polygons())
    assert arr.query((1205, 2005, 1206, 2006)).tolist() == [2]
    assert arr.query((900, 1900, 1400, 2100)).tolist() == [0, 1, 2]
    assert arr.query((0, 0, 1, 1)).tolist() == []


def test_non_polygon_is_refused():
    with pytest.raises(GeometryCacheError):
        PolygonArrays.from_geometries(np.array([shapely.Point(0, 0)], dtype=object))
    with pytest.raises(GeometryCacheError):
        PointArrays.from_geometries(np.array([shapely.box(0, 0, 1, 1)], dtype=object))


def test_point_query_matches_brute_force():
    rng = np.random.default_rng(3)
    x, y = rng.random(5000) * 1000, rng.random(5000) * 1000
    pts = PointArrays.from_xy(x, y)
    ext = (200.0, 300.0, 450.0, 700.0)
    got = np.sort(pts.order[pts.query(ext)])
    want = np.flatnonzero((x >= 200) & (x <= 450) & (y >= 300) & (y <= 700))
    assert got.tolist() == want.tolist()


def test_qpolygons_round_trip_exactly():
    rng = np.random.default_rng(1)
    coords = rng.random((30, 2)) * 1e7
    offsets = np.array([0, 3, 10, 30])
    polys = polygons_from_rings(coords, offsets)
    assert [p.size() for p in polys] == [3, 7, 20]
    assert polys[1].at(4).toTuple() == tuple(coords[7])
    assert polygon_from_array(coords[:4]).at(3).toTuple() == tuple(coords[3])


def test_feature_shapes_kinds():
    shapes = feature_shapes(PolygonArrays.from_geometries(make_polygons()))
    assert isinstance(shapes[0], QPolygonF)
    assert isinstance(shapes[1], QPainterPath) and isinstance(shapes[2], QPainterPath)
    assert shapes[3] is None and shapes[4] is None
    # the hole is not inside the path (local coordinates: origin at 1000, 2000)
    from PySide6.QtCore import QPointF
    assert shapes[1].contains(QPointF(105, 5)) and not shapes[1].contains(QPointF(115, 15))
