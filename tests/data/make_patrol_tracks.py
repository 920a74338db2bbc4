"""Write the KML, KMZ and XLSX patrol tracks the track-file tests import.

Provenance: synthetic, built by this script from the walks of
``make_patrol_gpx.py`` (no real person's walk; see its docstring for the
200 m square grid and the coverage worked out by hand).

* ``patrol_square.kml``: both walks as KML 2.2 ``gx:Track``s (one Placemark
  each, ``<when>`` in UTC), as Google Earth and 两步路 export them.  Coverage
  0.51, 400 m walked inside, 2 × 20 × 8 s inside.
* ``patrol_square.kmz``: the same KML zipped as ``doc.kml`` (fixed zip time).
* ``patrol_square.xlsx``: the west → east walk only (a table is one track), as
  a phone app's Excel export: 经度/纬度 in GCJ-02 (高德/腾讯 maps), 定位时间 as
  Beijing time without offset, 精度 5 m.  Imported with ``--crs gcj02``:
  coverage 200 × 60 / 40 000 = 0.30, 200 m walked inside, 20 × 8 s inside.

Run ``python tests/data/make_patrol_tracks.py [OUTDIR]``; the tests check the
committed files hold what this script writes (the XLSX cell by cell).
"""

from __future__ import annotations

import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pyproj import Transformer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_patrol_gpx as gpx  # noqa: E402

HERE = Path(__file__).resolve().parent
BEIJING = timezone(timedelta(hours=8))
ZIP_TIME = (2026, 11, 20, 8, 0, 0)
HEADERS = ("经度", "纬度", "定位时间", "精度")


def _deg(seg):
    to_deg = Transformer.from_crs(gpx.EPSG, 4490, always_xy=True)
    return [(*to_deg.transform(x, y), at) for x, y, at in seg]


def kml_text() -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<kml xmlns="http://www.opengis.net/kml/2.2"'
           ' xmlns:gx="http://www.google.com/kml/ext/2.2">',
           "  <Document><name>巡查 2026-11-20</name>"]
    for k, seg in enumerate(gpx.segments(), start=1):
        out.append(f"    <Placemark><name>第{k}段</name><gx:Track>")
        points = _deg(seg)
        out += [f"      <when>{at.strftime('%Y-%m-%dT%H:%M:%SZ')}</when>"
                for _lon, _lat, at in points]
        out += [f"      <gx:coord>{lon:.8f} {lat:.8f} 1100</gx:coord>"
                for lon, lat, _at in points]
        out.append("    </gx:Track></Placemark>")
    out += ["  </Document>", "</kml>", ""]
    return "\n".join(out)


def xlsx_rows() -> list[tuple]:
    """The XLSX's rows after the header: GCJ-02 degrees, naive Beijing time, accuracy."""
    from gridapp.domain import coords

    points = _deg(gpx.segments()[0])
    lon, lat = coords.wgs84_to_gcj02([p[0] for p in points], [p[1] for p in points])
    return [(round(float(x), 8), round(float(y), 8),
             at.astimezone(BEIJING).replace(tzinfo=None), 5)
            for x, y, (_lo, _la, at) in zip(lon, lat, points, strict=True)]


def write(outdir: Path) -> list[Path]:
    import openpyxl

    kml = outdir / "patrol_square.kml"
    kml.write_text(kml_text(), encoding="utf-8")
    kmz = outdir / "patrol_square.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("doc.kml", ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, kml_text().encode("utf-8"))
    xlsx = outdir / "patrol_square.xlsx"
    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = datetime(2026, 11, 20, 8, 0)
    sheet = book.active
    sheet.title = "轨迹"
    sheet.append(HEADERS)
    for row in xlsx_rows():
        sheet.append(row)
    book.save(xlsx)
    return [kml, kmz, xlsx]


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
