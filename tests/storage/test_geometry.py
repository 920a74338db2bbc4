"""GeoPackage geometry blobs and the ST_* functions."""

from __future__ import annotations

import struct

import numpy as np
import shapely

from gridapp.storage import geometry, sqlfuncs


def test_point_blob_layout_follows_the_spec():
    blob = geometry.encode_points(np.array([106.5]), np.array([26.25]), 4490)[0]
    magic, version, flags, srs = struct.unpack_from("<2sBBi", blob)
    assert (magic, version, flags, srs) == (b"GP", 0, 1, 4490)
    assert shapely.from_wkb(blob[8:]).equals(shapely.Point(106.5, 26.25))


def test_polygon_blob_carries_envelope_and_round_trips():
    poly = shapely.Polygon([(0, 0), (4, 0), (4, 3), (0, 0)])
    blob = geometry.encode_one(poly, 4490)
    assert blob[3] == 0x03  # little endian + xy envelope
    assert struct.unpack_from("<4d", blob, 8) == (0.0, 4.0, 0.0, 3.0)
    assert geometry.decode(blob).equals(poly)
    assert geometry.envelope(blob) == (0.0, 4.0, 0.0, 3.0)


def test_empty_and_none_geometries():
    blobs = geometry.encode([None, shapely.Polygon()], 4490)
    assert blobs[0] is None
    assert blobs[1][3] & 0x10
    assert geometry.envelope(blobs[1]) is None
    assert sqlfuncs._st_is_empty(blobs[1]) == 1
    assert sqlfuncs._st_is_empty(None) is None


def test_st_functions_from_point_without_envelope():
    blob = geometry.encode_points(np.array([3.0]), np.array([-7.0]), 4490)[0]
    assert sqlfuncs._coord(0)(blob) == 3.0 and sqlfuncs._coord(3)(blob) == -7.0
    assert sqlfuncs._st_is_empty(blob) == 0


def test_decode_many_matches_inputs():
    geoms = [shapely.Point(1, 2), shapely.box(0, 0, 2, 2), shapely.LineString([(0, 0), (1, 1)])]
    back = geometry.decode_many(geometry.encode(geoms, 4490))
    assert all(a.equals(b) for a, b in zip(geoms, back, strict=False))
