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

from gridapp.domain import masking
from gridapp.domain.enums import CaseStatus
from gridapp.services.cases.query import CaseFilter, CaseQuery
from gridapp.services.export_files import file_format, write_frame
from gridapp.services.people.personal_data import personal_export_columns
from gridapp.services.session import Session
from gridapp.storage.queries import cases as queries

__all__ = ["case_export_frame", "export_cases"]

# Shapefile field names are at most 10 characters: the same short names everywhere.
COLUMNS = ("id", "case_no", "ext_id", "status", "status_zh", "category", "grid", "dept",
           "address", "descr", "urgency", "reported", "deadline", "due_state")
PERSONAL = {"reporter_name": "rep_name", "reporter_phone": "rep_phone"}
_PAGE = 5000


def _not_cases() -> tuple[str, ...]:
    return (CaseStatus.REPORTED.value, CaseStatus.REJECTED.value)


def case_export_frame(session: Session, *, cases_only: bool = False,
                      flt: CaseFilter | None = None,
                      include_personal: bool = False) -> gpd.GeoDataFrame:
    """The visible reports (or registered cases only) as a frame in EPSG:4490.

    Raises
    ------
    PermissionDenied
        The role may not export, or asked for personal data it may not export.
    """
    session.require("export.data")
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
    return gpd.GeoDataFrame(
        data, geometry=gpd.points_from_xy([r.lon for r in rows], [r.lat for r in rows]),
        crs="EPSG:4490")


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
    file_format(path)  # refused before anything is read
    frame = case_export_frame(session, cases_only=cases_only, flt=flt,
                              include_personal=include_personal)
    write_frame(frame, path, crs=crs, encoding=encoding,
                layer=layer or ("cases" if cases_only else "reports"))
    return len(frame)
