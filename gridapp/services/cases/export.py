"""Export reports or cases to a file: GeoPackage, Shapefile, GeoJSON, CSV or XLSX.

:func:`case_export_frame` reads the rows the user may see (the case list's
record scope: a liaison their department's, a grid manager their grids') and
:func:`export_cases` writes them in the format of the file's suffix, in
CGCS2000 or any CRS asked for (``crs``).  The reporter's name and phone are
left out unless ``include_personal`` is asked for by a role that may export
personal data (the export is then logged, as in the window); otherwise they
are masked.  Shapefiles get a ``.cpg`` naming their encoding (UTF-8 by
default, GBK for old desktop GIS).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from gridapp.domain import masking
from gridapp.domain.enums import CaseStatus
from gridapp.errors import CRSError, ValidationError
from gridapp.services.cases.query import CaseFilter, CaseQuery
from gridapp.services.people.personal_data import personal_export_columns
from gridapp.services.session import Session
from gridapp.storage.queries import cases as queries

__all__ = ["FORMATS", "case_export_frame", "export_cases"]

FORMATS = {".gpkg": "GPKG", ".shp": "ESRI Shapefile", ".geojson": "GeoJSON",
           ".json": "GeoJSON", ".csv": "CSV", ".xlsx": "XLSX"}
# Shapefile field names are at most 10 characters: the same short names everywhere.
COLUMNS = ("id", "case_no", "ext_id", "status", "status_zh", "category", "grid", "dept",
           "address", "descr", "urgency", "reported", "deadline", "due_state")
PERSONAL = {"reporter_name": "rep_name", "reporter_phone": "rep_phone"}
CRS_NAMES = {"cgcs2000": "EPSG:4490", "wgs84": "EPSG:4326"}
_PAGE = 5000


def _not_cases() -> tuple[str, ...]:
    return (CaseStatus.REPORTED.value, CaseStatus.REJECTED.value)


def _target_crs(crs: str | None) -> str:
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


def case_export_frame(session: Session, *, cases_only: bool = False,
                      flt: CaseFilter | None = None, crs: str | None = None,
                      include_personal: bool = False) -> gpd.GeoDataFrame:
    """The visible reports (or registered cases only) as a frame in *crs*.

    Raises
    ------
    PermissionDenied
        The role may not export, or asked for personal data it may not export.
    CRSError
        An unknown *crs*.
    """
    session.require("export.data")
    target = _target_crs(crs)
    flt = flt or CaseFilter()
    if cases_only:
        wanted = [s.value for s in CaseStatus if s.value not in _not_cases()]
        flt = replace(flt, statuses=tuple(s for s in (flt.statuses or wanted) if s in wanted))
    query = CaseQuery(session, flt, sort="reported_at", descending=False)
    rows = []
    while True:
        page = query.page(len(rows), _PAGE)
        rows.extend(page)
        if len(page) < _PAGE:
            break
    data = {
        "id": [r.id for r in rows], "case_no": [r.case_no for r in rows],
        "ext_id": [r.external_id for r in rows], "status": [r.status.value for r in rows],
        "status_zh": [r.status.zh for r in rows], "category": [r.category for r in rows],
        "grid": [r.grid_code for r in rows], "dept": [r.department for r in rows],
        "address": [r.address for r in rows], "descr": [r.description for r in rows],
        "urgency": [r.urgency for r in rows],
        "reported": [r.reported_at.isoformat() for r in rows],
        "deadline": [r.deadline.isoformat() if r.deadline else None for r in rows],
        "due_state": [r.due_state for r in rows],
    }
    ids = [r.id for r in rows]
    mask = personal_export_columns(session, PERSONAL, include_personal, ids, what="case_export")
    if include_personal:
        details = {i: queries.report_detail(session.store, i) or {} for i in ids}
        for field, col in PERSONAL.items():
            values = [details[i].get(field) for i in ids]
            data[col] = [masking.mask_value(mask[col], v) if col in mask and v else v
                         for v in values]
    frame = gpd.GeoDataFrame(
        data, geometry=gpd.points_from_xy([r.lon for r in rows], [r.lat for r in rows]),
        crs="EPSG:4490")
    return frame.to_crs(target) if target != "EPSG:4490" else frame


def _plain(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """CSV/XLSX: the geometry as x and y columns in the frame's CRS."""
    out = pd.DataFrame(frame.drop(columns="geometry"))
    out["x"] = frame.geometry.x.round(7)
    out["y"] = frame.geometry.y.round(7)
    return out


def export_cases(session: Session, path: str | os.PathLike, *, cases_only: bool = False,
                 flt: CaseFilter | None = None, crs: str | None = None,
                 include_personal: bool = False, encoding: str = "UTF-8",
                 layer: str | None = None) -> int:
    """Write the rows to *path* (format from its suffix); returns how many were written.

    Examples
    --------
    >>> export_cases(session, "cases.shp", cases_only=True, encoding="GBK")  # doctest: +SKIP
    2871
    """
    session.require("export.data")
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValidationError(
            "不支持的导出格式“{suffix}”：请用 .gpkg、.shp、.geojson、.csv 或 .xlsx",
            "Cannot export to '{suffix}' files: use .gpkg, .shp, .geojson, .csv or .xlsx",
            suffix=path.suffix or path.name)
    enc = encoding.upper().replace("UTF8", "UTF-8")
    if enc not in ("UTF-8", "GBK", "GB18030"):
        raise ValidationError("不支持的编码“{e}”：请用 UTF-8 或 GBK",
                              "Unsupported encoding '{e}': use UTF-8 or GBK", e=encoding)
    frame = case_export_frame(session, cases_only=cases_only, flt=flt, crs=crs,
                              include_personal=include_personal)
    _write(frame, path, fmt, enc, layer or ("cases" if cases_only else "reports"))
    return len(frame)


def _write(frame: gpd.GeoDataFrame, path: Path, fmt: str, encoding: str, layer: str) -> None:
    if fmt == "CSV":
        _plain(frame).to_csv(path, index=False, encoding="utf-8-sig" if encoding == "UTF-8"
                             else encoding)
    elif fmt == "XLSX":
        _plain(frame).to_excel(path, index=False, sheet_name=layer, engine="openpyxl")
    elif fmt == "ESRI Shapefile":
        # pyogrio passes the encoding to GDAL, which writes the .cpg beside the .dbf.
        pyogrio.write_dataframe(frame, path, driver=fmt, encoding=encoding)
    else:
        options = {"layer": layer} if fmt == "GPKG" else {}
        pyogrio.write_dataframe(frame, path, driver=fmt, **options)

