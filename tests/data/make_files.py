"""Write the boundary files the import tests read.

Provenance: everything here is synthetic, built by this script.  The three
communities are rectangles of 0.004° × 0.003° side by side west to east in
central Guiyang (云岩区, around 106.70°E 26.57°N); their names are ordinary
community names of the kind found there, and the codes are well-formed
12-digit codes under district 520103 (not official).  Truth is
``COMMUNITIES`` (CGCS2000 longitude/latitude); every file is derived from it:

- ``gk_gbk.shp``: Gauss-Krüger zone 36 with zone prefix (EPSG:4524), GBK
  attributes, with ``.cpg`` and ``.prj``.
- ``gk_gbk_nocpg.shp``: the same without ``.cpg`` (encoding must be detected).
- ``gk_noprj.shp``: zone-prefixed eastings, no ``.prj`` and no ``.cpg``.
- ``gk_noprefix.shp``: EPSG:4545 eastings (no zone prefix), no ``.prj``.
- ``communities.geojson`` (WGS84), ``communities.kml``, ``communities.gpkg``.
- ``wkt_bom.csv``: UTF-8 with BOM, columns 名称, 编码, WKT.
- ``offices_gcj02.csv``: community office points as GCJ-02 经度/纬度, computed
  from ``OFFICES`` with the published WGS84→GCJ-02 formula below.
- ``offices_bd09.csv``: the same points as BD-09 ``name, lng, lat``, from
  GCJ-02 with Baidu's published GCJ-02→BD-09 formula below.
- ``communities.xlsx``: sheet 社区 with 社区名称, 社区代码, WKT.

Run ``python tests/data/make_files.py OUTDIR`` to look at them in QGIS.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

W0, S0, DX, DY = 106.694, 26.566, 0.004, 0.003
COMMUNITIES = [
    ("中华中路社区", "520103001001", box(W0, S0, W0 + DX, S0 + DY)),
    ("省府路社区", "520103001002", box(W0 + DX, S0, W0 + 2 * DX, S0 + DY)),
    ("箭道街社区", "520103001003", box(W0 + 2 * DX, S0, W0 + 3 * DX, S0 + DY)),
]
OFFICES = [("中华中路社区", 106.6960, 26.5675), ("省府路社区", 106.7001, 26.5672)]


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 → GCJ-02 by the widely published (eviltransform) formula."""
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2 / 3
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2 / 3
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2 / 3
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    radlat = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((a * (1 - ee)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (a / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 → BD-09 by the formula Baidu's own SDK documentation circulates."""
    xpi = math.pi * 3000.0 / 180.0
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * xpi)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * xpi)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def communities_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"名称": [c[0] for c in COMMUNITIES], "编码": [c[1] for c in COMMUNITIES]},
        geometry=[c[2] for c in COMMUNITIES],
        crs="EPSG:4490",
    )


def _drop(path: Path, suffix: str) -> None:
    path.with_suffix(suffix).unlink(missing_ok=True)


def make_files(out: str | Path) -> dict[str, Path]:
    """Write every test file into *out*; returns name → path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    frame = communities_frame()
    files: dict[str, Path] = {}

    gk = frame.to_crs("EPSG:4524")
    for name in ("gk_gbk", "gk_gbk_nocpg", "gk_noprj"):
        path = out / f"{name}.shp"
        gk.to_file(path, encoding="GBK", engine="pyogrio")
        files[name] = path
    _drop(files["gk_gbk_nocpg"], ".cpg")
    _drop(files["gk_noprj"], ".cpg")
    _drop(files["gk_noprj"], ".prj")
    if not files["gk_gbk"].with_suffix(".cpg").exists():
        files["gk_gbk"].with_suffix(".cpg").write_text("GBK")
    noprefix = out / "gk_noprefix.shp"
    frame.to_crs("EPSG:4545").to_file(noprefix, encoding="UTF-8", engine="pyogrio")
    _drop(noprefix, ".prj")
    files["gk_noprefix"] = noprefix

    files["geojson"] = out / "communities.geojson"
    frame.to_crs("EPSG:4326").to_file(files["geojson"], driver="GeoJSON", engine="pyogrio")
    files["kml"] = out / "communities.kml"
    kml = frame.rename(columns={"名称": "Name", "编码": "Description"}).to_crs("EPSG:4326")
    kml.to_file(files["kml"], driver="KML", engine="pyogrio")
    files["gpkg"] = out / "communities.gpkg"
    frame.to_file(files["gpkg"], layer="社区", driver="GPKG", engine="pyogrio")

    table = pd.DataFrame({"名称": frame["名称"], "编码": frame["编码"], "WKT": frame.geometry.to_wkt()})
    files["wkt_csv"] = out / "wkt_bom.csv"
    table.to_csv(files["wkt_csv"], index=False, encoding="utf-8-sig")
    gcj = [wgs84_to_gcj02(lon, lat) for _, lon, lat in OFFICES]
    offices = pd.DataFrame(
        {
            "名称": [o[0] for o in OFFICES],
            "经度": [f"{g[0]:.8f}" for g in gcj],
            "纬度": [f"{g[1]:.8f}" for g in gcj],
        }
    )
    files["gcj_csv"] = out / "offices_gcj02.csv"
    offices.to_csv(files["gcj_csv"], index=False, encoding="utf-8")
    bd = [gcj02_to_bd09(*g) for g in gcj]
    files["bd_csv"] = out / "offices_bd09.csv"
    pd.DataFrame(
        {
            "name": [o[0] for o in OFFICES],
            "lng": [f"{b[0]:.8f}" for b in bd],
            "lat": [f"{b[1]:.8f}" for b in bd],
        }
    ).to_csv(files["bd_csv"], index=False, encoding="utf-8")
    files["xlsx"] = out / "communities.xlsx"
    table.rename(columns={"名称": "社区名称", "编码": "社区代码"}).to_excel(
        files["xlsx"], sheet_name="社区", index=False
    )
    return files


def make_bad_csv(out: str | Path) -> Path:
    """A CSV whose rows show every per-feature problem, one per row.

    Rows: 0 good; 1 self-intersecting bow tie; 2 multipolygon; 3 empty;
    4 swapped lat/lon; 5 outside China (Paris); 6 unparsable WKT.
    """
    x0, y0 = W0, S0
    rows = [
        ("好社区", f"POLYGON (({x0} {y0}, {x0 + 0.002} {y0}, {x0 + 0.002} {y0 + 0.002}, {x0} {y0}))"),
        ("自相交", f"POLYGON (({x0} {y0}, {x0 + 0.002} {y0 + 0.002}, {x0 + 0.002} {y0}, {x0} {y0 + 0.002}, {x0} {y0}))"),
        ("多面", f"MULTIPOLYGON ((({x0} {y0}, {x0 + 0.001} {y0}, {x0} {y0 + 0.001}, {x0} {y0})), "
                 f"(({x0 + 0.003} {y0}, {x0 + 0.004} {y0}, {x0 + 0.003} {y0 + 0.001}, {x0 + 0.003} {y0})))"),
        ("空", "POLYGON EMPTY"),
        ("颠倒", f"POLYGON (({y0} {x0}, {y0 + 0.002} {x0}, {y0 + 0.002} {x0 + 0.002}, {y0} {x0}))"),
        ("巴黎", "POLYGON ((2.35 48.85, 2.36 48.85, 2.36 48.86, 2.35 48.85))"),
        ("坏", "POLYGON ((1 2, 3"),
    ]
    path = Path(out) / "bad.csv"
    pd.DataFrame(rows, columns=["名称", "WKT"]).to_csv(path, index=False, encoding="utf-8")
    return path


if __name__ == "__main__":
    for key, value in make_files(sys.argv[1] if len(sys.argv) > 1 else "testdata").items():
        print(key, value)
