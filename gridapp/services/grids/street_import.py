"""Importing the street's own boundary (the outline ``init`` could not know).

``init`` records the street row (code, name, district) without geometry.  A
street boundary file completes that row (matched by code, or the only street
when the file has one feature without a code); a code the workspace does not
have yet adds a street (a district workspace).  When this is the workspace's
first boundary it decides the metric CRS (:mod:`gridapp.services.metric_crs`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from gridapp.services.importing.source import ImportProblem
from gridapp.services.metric_crs import settle_metric_crs
from gridapp.services.session import Session
from gridapp.services.workspace import record_street
from gridapp.storage import street as street_queries


def plan_street(session: Session, frame: gpd.GeoDataFrame
                ) -> tuple[gpd.GeoDataFrame, list[ImportProblem]]:
    """Fill in the street code of prepared street rows; rows to write and problems."""
    session.require("street.edit")
    out = frame.copy()
    problems: list[ImportProblem] = []
    only = street_queries.first_street(session.store)
    codes = list(out["code"])
    for k, code in enumerate(codes):
        if pd.notna(code) and str(code).strip():
            continue
        if len(out) == 1 and only is not None and only.get("code"):
            codes[k] = only["code"]  # one outline for the workspace's one street
        else:
            problems.append(ImportProblem(
                k, "no_code", f"要素 {k}：没有街道代码（文件有多个要素时每个都需要9位街道代码）",
                f"Feature {k}: no street code (a file with several features needs the "
                "9-digit street code of each)"))
    seen: set[str] = set()
    for k, code in enumerate(codes):
        if pd.notna(code) and str(code) in seen:
            problems.append(ImportProblem(k, "duplicate_code", f"要素 {k}：街道代码 {code} 重复",
                                          f"Feature {k}: street code {code} appears twice"))
        seen.add(str(code))
    out["code"] = codes
    return out, problems


def import_street(session: Session, frame: gpd.GeoDataFrame) -> list[int]:
    """Write the street outline(s) of a planned frame in one transaction; returns row ids."""
    session.require("street.edit")
    geoms = np.asarray(frame.geometry.array, dtype=object)
    ids = []
    with session.transaction() as tx:
        settle_metric_crs(tx, geoms)  # the street's first boundaries decide its GK zone
        for (_, row), geom in zip(frame.iterrows(), geoms, strict=True):
            values = {"code": str(row["code"]), "geom": geom}
            if pd.notna(row.get("name")) and str(row["name"]).strip():
                values["name"] = str(row["name"]).strip()
            elif street_queries.street_id_by_code(tx, str(row["code"])) is None:
                values["name"] = str(row["code"])  # name is required for a new street
            if len(str(row["code"])) == 9:
                values["district_code"] = str(row["code"])[:6]
            ids.append(record_street(tx, values))
    return ids
