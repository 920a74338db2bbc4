"""Export grids to a file other programs (and GridApp's own import) read.

:func:`export_grids` writes the current grids (or every version, with
``history=True``) with every attribute: code, name, kind, households,
population, the community's code, notes, and the version's dates.  The
format follows the file's suffix (``.gpkg``, ``.geojson``, ``.shp``).  Field
names are English (``code``, ``name``, ``kind``...) or, with
``headers='zh'``, the usual Chinese headers (网格编码, 网格名称, 类型 as
基础网格/专属网格, 户数, 人口, 所属社区, 备注).  Importing the file into a
workspace with the same communities gives the same grids back
(:func:`~gridapp.services.grids.importer.import_file`; closed versions are
skipped with a note).
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from gridapp.domain.enums import GridKind
from gridapp.errors import ValidationError
from gridapp.services.grids.history import current_grids
from gridapp.services.session import Session
from gridapp.storage.queries import grids as grid_queries

__all__ = ["DRIVERS", "EXPORT_COLUMNS", "ZH_HEADERS", "export_grids", "grid_export_frame"]

DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON",
           ".shp": "ESRI Shapefile"}
EXPORT_COLUMNS = ("code", "name", "kind", "households", "population", "community", "notes",
                  "valid_from", "valid_to")
ZH_HEADERS = {"code": "网格编码", "name": "网格名称", "kind": "类型", "households": "户数",
              "population": "人口", "community": "所属社区", "notes": "备注",
              "valid_from": "valid_from", "valid_to": "valid_to"}


def grid_export_frame(session: Session, *, history: bool = False,
                      headers: str = "en") -> gpd.GeoDataFrame:
    """The grids as they are exported (EPSG:4490), oldest code first."""
    session.require("export.data")
    if headers not in ("en", "zh"):
        raise ValueError(f"headers must be 'en' or 'zh', not {headers!r}")
    grids = grid_queries.all_grid_versions(session.store) if history \
        else current_grids(session)
    comms = grid_queries.communities(session.store, columns=["code"])
    code_of = dict(zip(comms["id"], comms["code"], strict=True))
    out = gpd.GeoDataFrame({
        "code": grids["code"].astype(object),
        "name": grids["name"].astype(object),
        "kind": grids["kind"].astype(object),
        "households": grids["households"].astype("Int64"),
        "population": grids["population"].astype("Int64"),
        "community": [code_of.get(c) if pd.notna(c) else None for c in grids["community_id"]],
        "notes": grids["notes"].astype(object),
        "valid_from": grids["valid_from"].astype(str),
        "valid_to": [None if pd.isna(v) else str(v) for v in grids["valid_to"]],
    }, geometry=grids.geometry.values, crs=grids.crs)
    if not history:
        out = out.drop(columns=["valid_to"])
    out = out.sort_values(["code", "valid_from"], kind="stable").reset_index(drop=True)
    if headers == "zh":
        out["kind"] = [GridKind(k).zh if k in set(GridKind) else k for k in out["kind"]]
        out = out.rename(columns=ZH_HEADERS)
    return out


def export_grids(session: Session, path: str | os.PathLike, *, history: bool = False,
                 headers: str = "en", layer: str = "grid") -> int:
    """Write the grids to *path*; returns how many rows were written.

    Examples
    --------
    >>> export_grids(session, "grids.geojson")  # doctest: +SKIP
    60
    """
    session.require("export.data")
    path = Path(path)
    driver = DRIVERS.get(path.suffix.lower())
    if driver is None:
        raise ValidationError(
            "不支持的导出格式“{suffix}”：请用 .gpkg、.geojson 或 .shp",
            "Cannot export to '{suffix}' files: use .gpkg, .geojson or .shp",
            suffix=path.suffix or path.name)
    frame = grid_export_frame(session, history=history, headers=headers)
    options = {"layer": layer} if driver == "GPKG" else {}
    if driver == "ESRI Shapefile":
        options["encoding"] = "UTF-8"  # with a .cpg saying so: Chinese names survive
    pyogrio.write_dataframe(frame, path, driver=driver, **options)
    return len(frame)
