"""GeoPackage geometry blobs: the binary header plus standard WKB (GeoPackage §2.1.3).

Encoding is vectorised for bulk writes (points are assembled directly with
numpy); decoding goes through shapely.  The ``ST_*`` SQL functions that the
R-tree triggers call are built on :func:`envelope`.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import MultiLineString, MultiPoint, MultiPolygon
from shapely.geometry.base import BaseGeometry

_MAGIC = b"GP"
# flags: bit 0 little-endian; bits 1-3 envelope code (1 = xy); bit 4 empty.
_FLAG_LE = 0x01
_ENV_XY = 0x02
_FLAG_EMPTY = 0x10
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}

_POINT_DTYPE = np.dtype(
    [
        ("magic", "S2"),
        ("version", "u1"),
        ("flags", "u1"),
        ("srs", "<i4"),
        ("order", "u1"),
        ("type", "<u4"),
        ("x", "<f8"),
        ("y", "<f8"),
    ]
)
assert _POINT_DTYPE.itemsize == 29


def encode_points(x: np.ndarray, y: np.ndarray, srs_id: int) -> list[bytes]:
    """GeoPackage blobs for 2-D points, built without per-point Python work."""
    n = len(x)
    rec = np.empty(n, dtype=_POINT_DTYPE)
    rec["magic"] = _MAGIC
    rec["version"] = 0
    empty = ~(np.isfinite(x) & np.isfinite(y))
    rec["flags"] = np.where(empty, _FLAG_LE | _FLAG_EMPTY, _FLAG_LE)
    rec["srs"] = srs_id
    rec["order"] = 1
    rec["type"] = 1
    rec["x"] = x
    rec["y"] = y
    buf = rec.tobytes()
    size = _POINT_DTYPE.itemsize
    return [buf[i : i + size] for i in range(0, n * size, size)]


def encode(geoms: Sequence[BaseGeometry | None] | np.ndarray, srs_id: int) -> list[bytes | None]:
    """GeoPackage blobs for any geometries (None stays None).

    Non-point geometries carry their xy envelope so readers and the R-tree
    triggers need not parse the WKB.
    """
    arr = np.asarray(geoms, dtype=object)
    out: list[bytes | None] = [None] * len(arr)
    present = np.array([g is not None for g in arr], dtype=bool)
    if not present.any():
        return out
    idx = np.flatnonzero(present)
    sub = arr[idx]
    types = shapely.get_type_id(sub)
    if np.all(types == 0):
        xy = shapely.get_coordinates(sub, include_z=False)
        if len(xy) == len(sub):  # no empty points
            blobs = encode_points(xy[:, 0], xy[:, 1], srs_id)
            for i, b in zip(idx, blobs, strict=False):
                out[i] = b
            return out
    wkbs = shapely.to_wkb(sub, byte_order=1, flavor="iso", output_dimension=2)
    bounds = shapely.bounds(sub)
    empty = shapely.is_empty(sub)
    for j, i in enumerate(idx):
        if empty[j]:
            head = struct.pack("<2sBBi", _MAGIC, 0, _FLAG_LE | _FLAG_EMPTY, srs_id)
            out[i] = head + wkbs[j]
        elif types[j] == 0:
            out[i] = struct.pack("<2sBBi", _MAGIC, 0, _FLAG_LE, srs_id) + wkbs[j]
        else:
            minx, miny, maxx, maxy = bounds[j]
            out[i] = (
                struct.pack("<2sBBi4d", _MAGIC, 0, _FLAG_LE | _ENV_XY, srs_id, minx, maxx, miny, maxy)
                + wkbs[j]
            )
    return out


def encode_one(geom: BaseGeometry | None, srs_id: int) -> bytes | None:
    return encode([geom], srs_id)[0]


def _header(blob: bytes) -> tuple[int, int, int]:
    """(flags, envelope code, header length) of a GeoPackage blob."""
    if len(blob) < 8 or blob[:2] != _MAGIC:
        raise ValueError("not a GeoPackage geometry blob")
    flags = blob[3]
    code = (flags >> 1) & 0x07
    return flags, code, 8 + _ENVELOPE_BYTES.get(code, 0)


def decode(blob: bytes | None) -> BaseGeometry | None:
    """Shapely geometry of one GeoPackage blob."""
    if blob is None:
        return None
    _, _, hlen = _header(blob)
    return shapely.from_wkb(bytes(blob[hlen:]))


def decode_many(blobs: Sequence[bytes | None]) -> np.ndarray:
    """Vectorised :func:`decode`: the headers are read with numpy, not per blob.

    The blobs are joined into one buffer and handed to :func:`decode_packed`.
    """
    arr = blobs if isinstance(blobs, np.ndarray) else np.array(list(blobs), dtype=object)
    n = len(arr)
    if n == 0:
        return np.full(0, None, dtype=object)
    present = np.fromiter((b is not None for b in arr), dtype=bool, count=n)
    lengths = np.full(n, -1, dtype=np.int64)
    sub = arr[present] if not present.all() else arr
    lengths[present] = np.fromiter(map(len, sub), dtype=np.int64, count=len(sub))
    return decode_packed(b"".join(sub), lengths)


def decode_packed(buf: bytes | np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Geometries of GeoPackage blobs laid end to end in *buf*.

    *lengths* gives each row's blob size in bytes, ``-1`` for NULL (None in
    the result).  Each blob's flags byte gives its envelope size and so where
    its WKB starts.  Points without an envelope (the reports: 29-byte blobs)
    are read straight into ``shapely.points``; anything else goes through
    ``shapely.from_wkb`` on the stripped WKB.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    n = len(lengths)
    out = np.full(n, None, dtype=object)
    present = lengths >= 0
    idx = np.flatnonzero(present)
    if not len(idx):
        return out
    sizes = lengths[idx]
    if sizes.min() < 8:
        raise ValueError("not a GeoPackage geometry blob")
    buf = np.frombuffer(buf, dtype=np.uint8) if not isinstance(buf, np.ndarray) else buf
    if len(buf) != sizes.sum():
        raise ValueError("not a GeoPackage geometry blob")
    starts = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    if not ((buf[starts] == 0x47) & (buf[starts + 1] == 0x50)).all():  # "GP"
        raise ValueError("not a GeoPackage geometry blob")
    flags = buf[starts + 3]
    env = np.array([_ENVELOPE_BYTES.get(c, 0) for c in range(8)], dtype=np.int64)
    wkb_at = starts + 8 + env[(flags >> 1) & 0x07]
    if (wkb_at >= starts + sizes).any():
        raise ValueError("not a GeoPackage geometry blob")
    simple = (sizes == 29) & (env[(flags >> 1) & 0x07] == 0) & ((flags & _FLAG_EMPTY) == 0)
    if simple.all():
        # 2-D little-endian WKB points: byte order 1, type 1, then x and y.
        rows = buf.reshape(-1, 29)
        gtype = np.ascontiguousarray(rows[:, 9:13]).view("<u4")[:, 0]
        if (rows[:, 8] == 1).all() and (gtype == 1).all():
            xy = np.ascontiguousarray(rows[:, 13:29]).view("<f8")
            out[idx] = shapely.points(xy[:, 0], xy[:, 1])
            return out
    raw = buf.tobytes()
    ends = starts + sizes
    wkbs = [raw[a:b] for a, b in zip(wkb_at.tolist(), ends.tolist(), strict=True)]
    out[idx] = shapely.from_wkb(np.array(wkbs, dtype=object))
    return out


def is_empty(blob: bytes | None) -> bool:
    if blob is None:
        return True
    flags, _, _ = _header(blob)
    if flags & _FLAG_EMPTY:
        return True
    return False


def envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) of a blob, from its header when it has one."""
    if blob is None:
        return None
    flags, code, hlen = _header(blob)
    if flags & _FLAG_EMPTY:
        return None
    if code:
        fmt = "<4d" if flags & _FLAG_LE else ">4d"
        return struct.unpack_from(fmt, blob, 8)
    # Point without envelope: read x, y straight from the WKB.
    order = "<" if blob[hlen] == 1 else ">"
    gtype = struct.unpack_from(order + "I", blob, hlen + 1)[0]
    if gtype % 1000 == 1:
        x, y = struct.unpack_from(order + "2d", blob, hlen + 5)
        return (x, x, y, y)
    g = shapely.from_wkb(bytes(blob[hlen:]))
    if g.is_empty:
        return None
    minx, miny, maxx, maxy = g.bounds
    return (minx, maxx, miny, maxy)


# What each declared GeoPackage geometry type accepts (GeoPackage Req 32 as GDAL's
# validator reads it), as shapely type ids; None: anything.
_POINT, _LINE, _RING, _POLY, _MPOINT, _MLINE, _MPOLY, _COLL = range(8)
_ACCEPTS: dict[str, frozenset[int] | None] = {
    "GEOMETRY": None,
    "POINT": frozenset({_POINT}),
    "LINESTRING": frozenset({_LINE, _RING}),
    "CURVE": frozenset({_LINE, _RING}),
    "POLYGON": frozenset({_POLY}),
    "CURVEPOLYGON": frozenset({_POLY}),
    "SURFACE": frozenset({_POLY}),
    "MULTIPOINT": frozenset({_MPOINT}),
    "MULTILINESTRING": frozenset({_MLINE}),
    "MULTICURVE": frozenset({_MLINE}),
    "MULTIPOLYGON": frozenset({_MPOLY}),
    "MULTISURFACE": frozenset({_MPOLY}),
    "GEOMETRYCOLLECTION": frozenset({_COLL, _MPOINT, _MLINE, _MPOLY}),
}
_MULTI_OF = {_POINT: _MPOINT, _LINE: _MLINE, _RING: _MLINE, _POLY: _MPOLY}
_SINGLE_OF = {_MPOINT: _POINT, _MLINE: _LINE, _MPOLY: _POLY}
_MAKE_MULTI = {_MPOINT: MultiPoint, _MLINE: MultiLineString, _MPOLY: MultiPolygon}


def conform(geoms: Sequence[BaseGeometry | None] | np.ndarray, declared: str,
            table: str = "") -> np.ndarray:
    """*geoms* in the geometry type *table* declares in ``gpkg_geometry_columns``.

    A layer holds one geometry type (GeoPackage Req 32): a polygon written to
    a MULTIPOLYGON column becomes a one-part multipolygon, a one-part
    multipolygon written to a POLYGON column its polygon (likewise points and
    lines).  Anything else is refused with :class:`~gridapp.errors.GeometryError`
    naming the table and both types, so nothing mismatched is stored.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> conform([box(0, 0, 1, 1)], "MULTIPOLYGON")[0].geom_type
    'MultiPolygon'
    """
    from gridapp.errors import GeometryError

    if isinstance(geoms, np.ndarray):
        arr = geoms.astype(object, copy=False)
    elif hasattr(geoms, "__array__"):  # a GeometryArray/GeoSeries: its array, not a loop
        arr = np.asarray(geoms, dtype=object)
    else:
        arr = np.array(list(geoms), dtype=object)
    accepts = _ACCEPTS.get((declared or "GEOMETRY").upper())
    if accepts is None or not len(arr):
        return arr
    types = shapely.get_type_id(arr)  # -1 for None
    present = types >= 0
    wrong = present & ~np.isin(types, list(accepts))
    if wrong.any():
        arr = arr.copy()  # never change the caller's geometries in place
    for i in np.flatnonzero(wrong):
        g, t = arr[i], int(types[i])
        if _MULTI_OF.get(t) in accepts:
            multi = _MULTI_OF[t]
            part = shapely.linestrings(g.coords) if t == _RING else g
            arr[i] = _MAKE_MULTI[multi]() if g.is_empty else _MAKE_MULTI[multi]([part])
        elif _SINGLE_OF.get(t) in accepts and shapely.get_num_geometries(g) <= 1:
            arr[i] = (g.geoms[0] if len(g.geoms) else
                      shapely.from_wkt(f"{g.geom_type[5:].upper()} EMPTY"))
        else:
            raise GeometryError(
                "图层 {table} 只能保存 {expected} 几何，不能保存 {actual}",
                "Layer {table} holds {expected} geometries only, not {actual}",
                table=table, expected=declared.upper(), actual=g.geom_type)
    return arr
