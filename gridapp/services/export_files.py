"""Writing exported frames to the files people ask for, shared by every export.

:func:`write_frame` writes a GeoDataFrame as GeoPackage, Shapefile (with a
``.cpg`` naming its encoding: UTF-8, or GBK for old desktop GIS), GeoJSON, CSV or
XLSX (the last two carry x/y columns), choosing by the file's suffix;
:func:`target_crs` checks a CRS the user typed (``cgcs2000``, ``wgs84`` or
``EPSG:nnnn``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from gridapp.errors import CRSError, ValidationError

__all__ = ["FORMATS", "target_crs", "write_frame"]

FORMATS = {".gpkg": "GPKG", ".shp": "ESRI Shapefile", ".geojson": "GeoJSON",
           ".json": "GeoJSON", ".csv": "CSV", ".xlsx": "XLSX"}
CRS_NAMES = {"cgcs2000": "EPSG:4490", "wgs84": "EPSG:4326"}


def target_crs(crs: str | None) -> str:
    """The CRS to write in (default CGCS2000, EPSG:4490); unknown names are refused."""
    if not crs:
        return "EPSG:4490"
    name = CRS_NAMES.get(crs.strip().lower(), crs.strip())
    try:
        from pyproj import CRS

        CRS.from_user_input(name)
    except Exception:  # noqa: BLE001 — pyproj raises its own CRSError family
        raise CRSError("未知的坐标系“{crs}”：请用 cgcs2000、wgs84 或 EPSG:nnnn（如 EPSG:4545）",
                       "Unknown CRS '{crs}': use cgcs2000, wgs84 or EPSG:nnnn (e.g. EPSG:4545)",
                       crs=crs) from None
    return name


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValidationError(
            "不支持的导出格式“{suffix}”：请用 .gpkg、.shp、.geojson、.csv 或 .xlsx",
            "Cannot export to '{suffix}' files: use .gpkg, .shp, .geojson, .csv or .xlsx",
            suffix=path.suffix or path.name)
    return fmt


def _encoding(encoding: str) -> str:
    enc = encoding.upper().replace("UTF8", "UTF-8")
    if enc not in ("UTF-8", "GBK", "GB18030"):
        raise ValidationError("不支持的编码“{e}”：请用 UTF-8 或 GBK",
                              "Unsupported encoding '{e}': use UTF-8 or GBK", e=encoding)
    return enc


def _plain(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """CSV/XLSX: points as x and y columns, other shapes as WKT, in the frame's CRS."""
    out = pd.DataFrame(frame.drop(columns="geometry"))
    geom = frame.geometry
    if len(geom) and (geom.geom_type == "Point").all():
        out["x"] = geom.x.round(7)
        out["y"] = geom.y.round(7)
    else:
        out["wkt"] = geom.to_wkt(rounding_precision=7)
    return out


def write_frame(frame: gpd.GeoDataFrame, path: str | Path, *, crs: str | None = None,
                encoding: str = "UTF-8", layer: str = "data") -> None:
    """Write *frame* to *path* in the format of its suffix, reprojected to *crs*."""
    path = Path(path)
    fmt = file_format(path)
    enc = _encoding(encoding)
    target = target_crs(crs)
    if frame.crs is not None and target != "EPSG:4490":
        frame = frame.to_crs(target)
    if fmt == "CSV":
        _plain(frame).to_csv(path, index=False,
                             encoding="utf-8-sig" if enc == "UTF-8" else enc)
    elif fmt == "XLSX":
        _plain(frame).to_excel(path, index=False, sheet_name=layer[:31], engine="openpyxl")
    elif fmt == "ESRI Shapefile":
        # pyogrio passes the encoding to GDAL, which writes the .cpg beside the .dbf.
        pyogrio.write_dataframe(frame, path, driver=fmt, encoding=enc)
    else:
        options = {"layer": layer} if fmt == "GPKG" else {}
        pyogrio.write_dataframe(frame, path, driver=fmt, **options)
