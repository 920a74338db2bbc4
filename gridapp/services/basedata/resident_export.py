"""Exporting residents (居民台账) to CSV or XLSX, masked unless asked otherwise (issue 18).

An export masks names, ID numbers and phones (张*, 520***********1234,
138****5678) and leaves notes out, for every role.  ``full=True`` writes the
clear values; it needs ``personal_data.view`` (refused before anything is
read or written otherwise) and is audited as one ``view_personal`` entry
naming the rows (``what: resident_export``), never their values.  A masked
export is audited too (action ``export``: count only).  The columns are the
ones ``residents import`` reads (姓名, 身份证号码, 联系电话, 楼栋, 门牌, 人员类别,
备注), plus 网格 and the building's position (x/y, EPSG:4490).
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import shapely

from gridapp.domain import masking
from gridapp.errors import ValidationError
from gridapp.services.basedata.residents import COLUMNS
from gridapp.services.export_files import file_format, write_frame
from gridapp.services.people.personal_data import log_full_view
from gridapp.services.session import Session, own_grid_ids
from gridapp.storage.queries import basedata as q
from gridapp.storage.queries import grids as grid_queries

EXPORT = "export.data"
FORMATS = (".csv", ".xlsx")
HEADERS = {"name": "姓名", "id_number": "身份证号码", "phone": "联系电话",
           "building_name": "楼栋", "door": "门牌", "categories": "人员类别",
           "notes": "备注", "grid": "网格"}


def resident_export_frame(session: Session, *, full: bool = False,
                          grid_id: int | None = None) -> gpd.GeoDataFrame:
    """The residents this user may export, masked unless *full* (checked, not audited)."""
    session.require(EXPORT)
    if full:
        masking.must_mask(session.user.role, export=True, include_personal=True)  # may raise
    own = own_grid_ids(session)
    grids = None if grid_id is None else [grid_id]
    if own is not None:
        grids = sorted(own if grid_id is None else own & {grid_id})
    rows = q.residents(session.store, grid_ids=grids)
    names = {c["code"]: c["name"] for c in q.categories(session.store)}
    codes = dict(zip(*[grid_queries.current_grids(session.store)[k].tolist()
                       for k in ("id", "code")], strict=True))
    buildings = q.base_frame(session.store, "building")
    where = dict(zip(buildings["id"].tolist(),
                     shapely.point_on_surface(buildings.geometry.values), strict=True))
    shown = rows if full else masking.mask_records(rows, COLUMNS)
    data = {
        HEADERS["name"]: [r["name"] for r in shown],
        HEADERS["id_number"]: [r["id_number"] for r in shown],
        HEADERS["phone"]: [r["phone"] for r in shown],
        HEADERS["grid"]: [codes.get(r["grid_id"]) for r in shown],
        HEADERS["building_name"]: [r["building_name"] for r in shown],
        HEADERS["door"]: [r["door"] for r in shown],
        HEADERS["categories"]: ["、".join(names.get(c, c) for c in r["categories"])
                                for r in shown],
        HEADERS["notes"]: [r["notes"] if full else None for r in shown],
    }
    frame = gpd.GeoDataFrame(data, geometry=[where.get(r["building_id"]) for r in shown],
                             crs="EPSG:4490")
    frame.attrs["ids"] = [int(r["id"]) for r in rows]
    return frame


def export_residents(session: Session, path: str | os.PathLike, *, full: bool = False,
                     grid_id: int | None = None, encoding: str = "UTF-8") -> int:
    """Write the residents to *path* (.csv or .xlsx); returns how many rows were written.

    Raises
    ------
    PermissionDenied
        The role may not export, or asked for *full* values without
        ``personal_data.view``; nothing is read or written then.
    """
    session.require(EXPORT)
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        file_format(path)  # names the formats GridApp writes at all, for a wrong suffix
        raise ValidationError("居民只能导出为 .csv 或 .xlsx 表格",
                              "Residents are exported to .csv or .xlsx sheets only")
    frame = resident_export_frame(session, full=full, grid_id=grid_id)
    ids = frame.attrs.pop("ids")
    if full:
        if not log_full_view(session, "resident", ids, "resident_export"):
            raise ValidationError("工作区只读：无法记录完整导出，未导出",
                                  "The workspace is read-only: a full export cannot be"
                                  " audited, nothing was exported")
    elif not session.store.readonly:
        with session.transaction() as tx:
            tx.audit("export", "resident", None, {"what": "resident_export", "masked": True,
                                                  "count": len(ids),
                                                  "role": session.user.role.value})
    write_frame(frame, path, encoding=encoding, layer="residents")
    return len(frame)
