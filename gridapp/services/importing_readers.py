"""Reading source files for import: formats, text encodings and CRS detection.

Helpers behind :func:`gridapp.services.importing.read_source`.  Vector files
(GeoPackage, Shapefile, GeoJSON, KML) go through pyogrio/GDAL; CSV and XLSX
tables are read with pandas and their geometry is built from a WKT column or
from coordinate columns.  Everything here returns data in the *source* CRS;
reprojection to EPSG:4490 happens in the caller.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from gridapp.errors import CRSError, ImportFileError

# Names people give to columns, lower-cased, checked in order.
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "shape", "几何", "坐标串")
X_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "东坐标", "x坐标")
Y_NAMES = ("lat", "latitude", "y", "纬度", "北坐标", "y坐标")

# .cpg contents seen in the wild, mapped to Python codecs.
_CPG_ALIASES = {
    "65001": "utf-8",
    "utf8": "utf-8",
    "936": "gbk",
    "cp936": "gbk",
    "ansi 936": "gbk",
    "gb2312": "gbk",
    "54936": "gb18030",
}

# China (with a small margin) in longitude/latitude.
CHINA_LON = (73.0, 135.5)
CHINA_LAT = (3.5, 54.0)


def normalise_encoding(name: str) -> str:
    """Python codec name for an encoding label from a .cpg or the user."""
    label = name.strip().lower()
    label = _CPG_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        raise ImportFileError(
            "不认识的字符编码“{name}”；请选择 UTF-8 或 GBK",
            "Unknown text encoding '{name}'; choose UTF-8 or GBK",
            name=name,
        ) from None


def _sidecar(path: Path, suffix: str) -> Path | None:
    for candidate in path.parent.glob(path.stem + ".*"):
        if candidate.suffix.lower() == suffix:
            return candidate
    return None


def shapefile_encoding(path: Path, override: str | None) -> tuple[str, str]:
    """Encoding of a shapefile's attributes and how it was decided.

    The user's choice wins; then the ``.cpg`` file; otherwise the DBF bytes are
    decoded as UTF-8 and, when that fails, GBK is assumed.
    """
    if override:
        return normalise_encoding(override), "user"
    cpg = _sidecar(path, ".cpg")
    if cpg is not None:
        text = cpg.read_bytes().decode("ascii", errors="replace").strip()
        if text:
            return normalise_encoding(text), "cpg"
    dbf = _sidecar(path, ".dbf")
    if dbf is None:
        return "utf-8", "default"
    data = dbf.read_bytes()[32:]  # field descriptors and records
    try:
        data.decode("utf-8")
        return "utf-8", "detected"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gbk")
        return "gbk", "detected"
    except UnicodeDecodeError:
        return "gb18030", "detected"


def read_vector(
    path: Path, layer: str | int | None, encoding: str | None
) -> tuple[gpd.GeoDataFrame, str | None, str]:
    """Read a GDAL-readable vector file; returns (frame, encoding, how)."""
    how = "file"
    enc: str | None = None
    suffix = path.suffix.lower()
    if suffix == ".shp":
        enc, how = shapefile_encoding(path, encoding)
    elif encoding:
        enc, how = normalise_encoding(encoding), "user"
    kwargs: dict[str, object] = {}
    if suffix in (".kml", ".kmz"):
        drivers = {d for d in pyogrio.list_drivers()}
        # LIBKML reads styles, folders and ExtendedData; KML is the fallback.
        kwargs["driver"] = "LIBKML" if "LIBKML" in drivers else "KML"
    try:
        if layer is None and suffix in (".gpkg", ".kml", ".kmz"):
            layers = pyogrio.list_layers(path)
            with_geom = [str(n) for n, g in layers if g is not None]
            layer = with_geom[0] if with_geom else None
        frame = pyogrio.read_dataframe(
            path, layer=layer, encoding=enc, on_invalid="ignore", **kwargs
        )
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "属性文字不是 {enc} 编码；请换一种编码（如 GBK 或 UTF-8）",
            "The attribute text is not {enc}; choose another encoding (e.g. GBK or "
            "UTF-8)",
            enc=enc,
            problems=[],
        ) from exc
    except Exception as exc:  # GDAL reports broken files in many ways
        raise ImportFileError(
            "无法读取文件 {path}：{reason}",
            "Cannot read file {path}: {reason}",
            path=str(path),
            reason=str(exc),
            problems=[],
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise ImportFileError(
            "文件 {path} 没有几何图形", "File {path} has no geometry", path=str(path)
        )
    return frame, enc or "utf-8", how


def read_table(
    path: Path, encoding: str | None, sheet: str | int | None
) -> tuple[pd.DataFrame, str, str]:
    """Read a CSV or XLSX table; CSV tries UTF-8 (with or without BOM), then GBK."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            table = pd.read_excel(path, sheet_name=sheet or 0, dtype=str)
            return table, "utf-8", "file"
        if encoding:
            enc = normalise_encoding(encoding)
            return pd.read_csv(path, dtype=str, encoding=enc), enc, "user"
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gbk", "gb18030"):
            try:
                raw.decode(enc)
            except UnicodeDecodeError:
                continue
            return pd.read_csv(path, dtype=str, encoding=enc), enc, "detected"
        raise ValueError("neither UTF-8 nor GBK")
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(
            "无法读取表格 {path}：{reason}",
            "Cannot read table {path}: {reason}",
            path=str(path),
            reason=str(exc),
            problems=[],
        ) from exc


def _find_column(columns: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {str(c).strip().lower(): c for c in columns}
    for name in names:
        if name in lowered:
            return str(lowered[name])
    return None


def table_geometry(
    table: pd.DataFrame,
    wkt_field: str | None,
    x_field: str | None,
    y_field: str | None,
) -> tuple[np.ndarray, list[tuple[int, str, str]], list[str]]:
    """Build geometries from a WKT column or coordinate columns.

    Returns the geometry array, per-row problems ``(row, zh, en)`` for cells
    that do not parse, and the names of the columns used for geometry.
    """
    columns = [str(c) for c in table.columns]
    for given in (wkt_field, x_field, y_field):
        if given is not None and given not in columns:
            raise ImportFileError(
                "表格中没有列“{col}”", "The table has no column '{col}'", col=given
            )
    if wkt_field is None and x_field is None:
        wkt_field = _find_column(columns, WKT_NAMES)
        if wkt_field is None:
            x_field = _find_column(columns, X_NAMES)
            y_field = y_field or _find_column(columns, Y_NAMES)
    problems: list[tuple[int, str, str]] = []
    if wkt_field is not None:
        texts = table[wkt_field].fillna("").astype(str).to_numpy()
        geoms = shapely.from_wkt(texts, on_invalid="ignore")
        for i in np.flatnonzero(shapely.is_missing(geoms) & (texts != "")):
            problems.append((int(i), "WKT 无法解析", "WKT cannot be parsed"))
        return geoms, problems, [wkt_field]
    if x_field is None or y_field is None:
        raise ImportFileError(
            "找不到几何列：请指定 WKT 列，或经度（X）和纬度（Y）列",
            "No geometry column found: choose a WKT column, or longitude (X) and "
            "latitude (Y) columns",
            problems=[],
        )
    xs = pd.to_numeric(table[x_field], errors="coerce").to_numpy(dtype=float)
    ys = pd.to_numeric(table[y_field], errors="coerce").to_numpy(dtype=float)
    geoms = shapely.points(xs, ys)
    bad = ~(np.isfinite(xs) & np.isfinite(ys))
    geoms[bad] = None
    for i in np.flatnonzero(bad):
        problems.append((int(i), "坐标不是数字", "Coordinates are not numbers"))
    return geoms, problems, [x_field, y_field]


def infer_crs(
    bounds: np.ndarray, file_crs: CRS | None, source_crs: object | None
) -> tuple[CRS, str]:
    """The source CRS and how it was decided (user, file, zone prefix, range).

    Without a CRS in the file: longitude/latitude-sized numbers are taken as
    CGCS2000 geographic; Gauss-Krüger eastings with a zone prefix (e.g.
    36 512 345 m) give the zone; anything else is refused with advice.
    """
    if source_crs is not None:
        try:
            return CRS.from_user_input(source_crs), "user"
        except Exception as exc:
            raise CRSError(
                "PROJ 不认识坐标系“{crs}”", "PROJ does not know the CRS '{crs}'",
                crs=str(source_crs),
            ) from exc
    if file_crs is not None:
        return CRS.from_user_input(file_crs), "file"
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if not np.all(np.isfinite([minx, miny, maxx, maxy])):
        raise CRSError(
            "文件中没有可用的坐标，无法判断坐标系",
            "The file has no usable coordinates to tell its CRS",
        )
    if max(abs(minx), abs(maxx), abs(miny), abs(maxy)) <= 180:
        # Degrees; a swapped file (latitude first) is caught per feature later.
        return CRS.from_epsg(4490), "range"
    zone_lo, zone_hi = int(minx // 1_000_000), int(maxx // 1_000_000)
    if 25 <= zone_lo == zone_hi <= 45 and 0 < miny and maxy < 6_500_000:
        return CRS.from_epsg(4513 + zone_lo - 25), "zone_prefix"
    if 25 <= int(miny // 1_000_000) == int(maxy // 1_000_000) <= 45 and 0 < minx and maxx < 6_500_000:
        raise CRSError(
            "X 与 Y 似乎颠倒了：Y 列是带带号的高斯-克吕格东坐标（{y0:.0f}）；请交换 X/Y 列",
            "X and Y seem swapped: the Y values are zone-prefixed Gauss-Krüger eastings "
            "({y0:.0f}); swap the X/Y columns",
            y0=miny,
        )
    if 0 < minx and maxx < 1_000_000 and 0 < miny and maxy < 6_500_000:
        raise CRSError(
            "坐标像是不带带号的高斯-克吕格投影坐标，但文件没有坐标系（.prj）。请选择"
            "坐标系：CGCS2000 3度带不带带号为 EPSG:4534–4554（如中央经线108°E的贵阳为"
            " EPSG:4545），带带号为 EPSG:4513–4533",
            "The coordinates look like Gauss-Krüger eastings without a zone prefix and "
            "the file has no CRS (.prj). Choose the CRS: CGCS2000 3-degree GK without "
            "zone prefix is EPSG:4534–4554 (e.g. EPSG:4545 for central meridian 108°E, "
            "Guiyang); with zone prefix EPSG:4513–4533",
        )
    raise CRSError(
        "无法判断坐标系（坐标范围 {x0:.0f}–{x1:.0f}, {y0:.0f}–{y1:.0f}）；请选择坐标系，"
        "如 EPSG:4490（CGCS2000 经纬度）、EPSG:3857（Web 墨卡托）或高斯-克吕格投影",
        "Cannot tell the CRS (coordinates {x0:.0f}–{x1:.0f}, {y0:.0f}–{y1:.0f}); "
        "choose it, e.g. EPSG:4490 (CGCS2000 lon/lat), EPSG:3857 (Web Mercator) or a "
        "Gauss-Krüger zone",
        x0=minx, x1=maxx, y0=miny, y1=maxy,
    )
