"""Importing buildings and places from files, with the boundary importer's guarantees.

Reading is :func:`gridapp.services.importing.source.read_source` (GeoPackage,
Shapefile in GBK or any encoding, GeoJSON, KML, CSV/XLSX with WKT or
coordinate columns; CRS inferred or given; GCJ-02/BD-09 converted): the
preview shows every feature and problem, nothing is written.  Importing
writes all features or none; problems go to a rejects file beside the source
(``<stem>.rejects.csv``).  Each feature is then linked to the grid and
community holding it (:mod:`gridapp.services.basedata.links`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import shapely

from gridapp.errors import ImportFileError
from gridapp.services.basedata.links import _relink_in
from gridapp.services.importing.checks import ImportProblem, check_lost_text
from gridapp.services.importing.rejects import default_rejects_path, write_problems_csv
from gridapp.services.importing.source import SourcePreview, read_source
from gridapp.services.session import Session
from gridapp.storage.queries import workspace as wq

BaseKind = Literal["building", "place"]
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "楼栋名称", "楼名", "场所名称", "店名", "name", "mc", "jzmc"),
    "kind": ("类型", "类别", "用途", "场所类型", "kind", "type", "lx"),
    "households": ("户数", "住户数", "households", "hs"),
    "floors": ("层数", "楼层", "floors", "cs"),
    "address": ("地址", "门牌地址", "address", "dz"),
    "contact_name": ("联系人", "负责人", "contact"),
    "contact_phone": ("联系电话", "电话", "phone"),
}
_COLUMNS = {"building": ("name", "kind", "households", "floors", "address"),
            "place": ("name", "kind", "address", "contact_name", "contact_phone")}
_PERMISSION = "building.edit"


def guess_fields(fields: list[str]) -> dict[str, str | None]:
    """Which of the file's fields hold name, kind, households, floors, address…"""
    low = {f.strip().lower(): f for f in fields}
    return {target: next((low[n.lower()] for n in names if n.lower() in low), None)
            for target, names in FIELDS.items()}


def preview_base_import(session: Session, path: str | Path, kind: BaseKind = "building",
                        **read_options: Any) -> SourcePreview:
    """Read *path* for a preview (nothing written); ``mapping`` holds the guessed fields."""
    session.require(_PERMISSION)
    preview = read_source(path, **read_options)
    preview.mapping = guess_fields(preview.fields)
    return preview


def _problems(preview: SourcePreview, kind: BaseKind, mapping: Mapping[str, str | None]
              ) -> list[ImportProblem]:
    problems = [p for p in preview.problems if p.blocking]
    problems += [p for p in check_lost_text(preview.frame) if p.blocking and p not in problems]
    geoms = np.asarray(preview.frame.geometry.array, dtype=object)
    types = shapely.get_type_id(geoms)
    want = (3, 6) if kind == "building" else (0,)
    for i in np.flatnonzero(~np.isin(types, want) & ~shapely.is_missing(geoms)).tolist():
        problems.append(ImportProblem(
            i, "wrong_type", f"要素 {i}：{'楼栋应为面' if kind == 'building' else '场所应为点'}",
            f"Feature {i}: a {kind} must be a {'polygon' if kind == 'building' else 'point'}"))
    for i in np.flatnonzero(shapely.is_missing(geoms) | shapely.is_empty(geoms)).tolist():
        problems.append(ImportProblem(i, "empty", f"要素 {i}：没有几何", f"Feature {i}: no geometry"))
    field = mapping.get("households")
    if field:
        values = pd.to_numeric(preview.frame[field], errors="coerce")
        bad = preview.frame[field].notna() & (values.isna() | (values < 0) | (values % 1 != 0))
        for i in np.flatnonzero(bad.to_numpy()).tolist():
            problems.append(ImportProblem(
                i, "bad_households", f"要素 {i}：户数“{preview.frame[field].iloc[i]}”不是非负整数",
                f"Feature {i}: households '{preview.frame[field].iloc[i]}' is not a whole"
                " number ≥ 0"))
    name = mapping.get("name")
    if kind == "place":
        if not name:
            problems.append(ImportProblem(None, "missing_name", "未指定名称字段",
                                          "No field is mapped to the name"))
        else:
            empty = preview.frame[name].isna() | (preview.frame[name].astype(str).str.strip()
                                                  == "")
            for i in np.flatnonzero(empty.to_numpy()).tolist():
                problems.append(ImportProblem(i, "missing_name", f"要素 {i}：名称为空",
                                              f"Feature {i}: no name"))
    return problems


def import_base_data(session: Session, source: SourcePreview | str | Path,
                     kind: BaseKind = "building", *,
                     mapping: Mapping[str, str | None] | None = None,
                     rejects: str | Path | None = None, **read_options: Any) -> int:
    """Import every feature of *source* as buildings or places, or none; returns the count.

    On any blocking problem raises :class:`ImportFileError` (``params['problems']``,
    ``params['rejects']`` the CSV written beside the source).
    """
    session.require(_PERMISSION)
    if kind not in _COLUMNS:
        raise ValueError(f"kind must be building or place, not {kind!r}")
    preview = source if isinstance(source, SourcePreview) else \
        preview_base_import(session, source, kind, **read_options)
    mapping = dict(preview.mapping if mapping is None else mapping)
    for target, column in mapping.items():
        if column and column not in preview.frame.columns:
            raise ImportFileError("字段“{col}”（用作{target}）不在文件中",
                                  "Field '{col}' (mapped to {target}) is not in the file",
                                  col=column, target=target)
    problems = _problems(preview, kind, mapping)
    if problems:
        out = Path(rejects) if rejects else default_rejects_path(preview.path)
        write_problems_csv(out, problems)
        raise ImportFileError("{n} 个问题，未导入任何要素；第一个：{first}（清单：{rejects}）",
                              "{n} problems, nothing was imported; first: {first}"
                              " (list: {rejects})", n=len(problems),
                              first=problems[0].message, problems=problems, rejects=str(out))
    frame = preview.frame
    columns = list(_COLUMNS[kind])
    values = []
    for col in columns:
        src = mapping.get(col)
        if not src:
            values.append([0 if col == "households" else None] * len(frame))
        elif col in ("households", "floors"):
            nums = pd.to_numeric(frame[src], errors="coerce")
            values.append([None if pd.isna(v) else int(v) for v in nums]
                          if col == "floors" else [0 if pd.isna(v) else int(v) for v in nums])
        else:
            values.append([None if pd.isna(v) else str(v).strip() for v in frame[src]])
    geoms = np.asarray(frame.geometry.array, dtype=object)
    with session.transaction() as tx:
        first, n = wq.insert_features(tx, kind, columns, None, geoms,
                                      column_values=values,
                                      summary=f"{kind} import {Path(preview.path).name}")
        _relink_in(session, tx, kind, list(range(first, first + n)), geoms)
    return n
