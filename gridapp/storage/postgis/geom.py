"""Geometry between GeoPackage blobs (what GridApp's code handles) and PostGIS EWKB.

Both are standard WKB behind a small header, so the conversion is a byte
splice, not a parse: a GeoPackage blob is ``GP``, version, flags, SRS id and an
optional envelope before the WKB; EWKB carries the SRID inside the WKB's type
word.  Rows read from the server therefore look exactly like rows read from a
GeoPackage, and :mod:`gridapp.storage.geometry` decodes both.
"""

from __future__ import annotations

import struct
from typing import Any

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_SRID_FLAG = 0x20000000
_Z_FLAG = 0x80000000
_M_FLAG = 0x40000000
SRID = 4490


def is_gpkg(blob: Any) -> bool:
    return len(blob) >= 8 and blob[0:2] == b"GP" and blob[2] == 0


def gpkg_to_ewkb(blob: bytes) -> bytes:
    """EWKB (with SRID) of a GeoPackage geometry blob."""
    flags = blob[3]
    srid = struct.unpack("<i" if flags & 1 else ">i", blob[4:8])[0] or SRID
    wkb = blob[8 + _ENVELOPE_BYTES.get((flags >> 1) & 7, 0):]
    fmt = "<I" if wkb[0] == 1 else ">I"
    kind = struct.unpack_from(fmt, wkb, 1)[0]
    if kind >= 1000:  # ISO Z/M codes: let shapely rewrite them as 2-D EWKB
        import shapely

        g = shapely.from_wkb(wkb)
        return shapely.to_wkb(shapely.set_srid(g, srid), include_srid=True, output_dimension=2)
    return wkb[:1] + struct.pack(fmt, kind | _SRID_FLAG) + struct.pack(fmt[0] + "i", srid) + wkb[5:]


def ewkb_to_gpkg(ewkb: bytes) -> bytes:
    """GeoPackage blob (no envelope) of an EWKB geometry."""
    fmt = "<I" if ewkb[0] == 1 else ">I"
    kind = struct.unpack_from(fmt, ewkb, 1)[0]
    srid = SRID
    if kind & _SRID_FLAG:
        srid = struct.unpack_from(fmt[0] + "i", ewkb, 5)[0]
        body = ewkb[9:]
    else:
        body = ewkb[5:]
    if kind & (_Z_FLAG | _M_FLAG):
        import shapely

        g = shapely.from_wkb(ewkb)
        wkb = shapely.to_wkb(g, output_dimension=2, byte_order=1, flavor="iso")
    else:
        wkb = ewkb[:1] + struct.pack(fmt, kind & 0x0FFFFFFF) + body
    empty = _is_empty(wkb)
    flags = 0x01 | (0x10 if empty else 0)
    return struct.pack("<2sBBi", b"GP", 0, flags, srid) + wkb


def _is_empty(wkb: bytes) -> bool:
    fmt = "<" if wkb[0] == 1 else ">"
    kind = struct.unpack_from(fmt + "I", wkb, 1)[0] % 1000
    if kind == 1:
        x, y = struct.unpack_from(fmt + "dd", wkb, 5)
        return x != x and y != y  # NaN coordinates: the empty point
    return len(wkb) >= 9 and struct.unpack_from(fmt + "I", wkb, 5)[0] == 0


def register(conn: Any) -> None:
    """Read PostGIS ``geometry`` columns on *conn* as GeoPackage blobs."""
    from psycopg.adapt import Loader
    from psycopg.types import TypeInfo

    info = TypeInfo.fetch(conn, "geometry")
    if info is None:
        return

    class GeometryLoader(Loader):
        def load(self, data: Any) -> bytes:
            return ewkb_to_gpkg(bytes.fromhex(bytes(data).decode("ascii")))

    class GeometryBinaryLoader(Loader):
        format = 1  # noqa: A003 - psycopg's attribute name

        def load(self, data: Any) -> bytes:
            return ewkb_to_gpkg(bytes(data))

    conn.adapters.register_loader(info.oid, GeometryLoader)
    conn.adapters.register_loader(info.oid, GeometryBinaryLoader)
