"""Import street, community and grid boundaries from files (issue 4).

Two steps, all or nothing:

1. :func:`read_source` reads a file (GeoPackage, Shapefile, GeoJSON, KML,
   CSV/XLSX with WKT or coordinate columns), decides its text encoding and
   CRS (saying how), reprojects to CGCS2000 (EPSG:4490), converts GCJ-02 /
   BD-09 when asked, guesses which fields hold name and code, and lists
   per-feature problems.  The result is a :class:`SourcePreview` for the
   preview dialog; nothing is written.
2. :func:`validate_for_import` adds the checks for what the features will
   become (street, community, grid) and :func:`prepare_import` returns the
   clean frame only when no problem blocks, otherwise raises
   :class:`~gridapp.errors.ImportFileError` with every problem.  The caller
   writes the returned frame in one transaction, so a bad file never leaves
   half its features behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from gridapp.domain.crs import STORAGE_CRS, STORAGE_EPSG
from gridapp.errors import CRSError, ImportFileError
from gridapp.services.importing import readers
from gridapp.services.importing.checks import (
    ImportProblem,
    check_attributes,
    check_geometries,
    check_lost_text,
    check_polygons,
    local_grid_codes,
)
from gridapp.storage import source_probe

__all__ = [
    "ImportProblem",
    "SourcePreview",
    "guess_mapping",
    "prepare_import",
    "read_source",
    "validate_for_import",
]

CoordSystem = Literal["auto", "gcj02", "bd09"]
Kind = Literal["street", "community", "grid"]

# Candidate field names per target, best first (compared lower-cased).
_NAME_FIELDS = (
    "名称", "社区名称", "网格名称", "街道名称", "社区名", "网格名", "街道名", "居委会",
    "名字", "name", "mc", "name_cn", "cname",
)
_CODE_FIELDS = (
    "编码", "代码", "社区编码", "社区代码", "网格编码", "网格代码", "街道编码", "街道代码",
    "区划代码", "统计代码", "code", "bm", "dm", "gb", "adcode",
)
_COMMUNITY_FIELDS = ("所属社区", "社区", "community", "sqmc")
_TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


@dataclass
class SourcePreview:
    """What a file would import, for the preview dialog.

    Attributes
    ----------
    frame : GeoDataFrame
        All features in EPSG:4490, attributes as read (index 0..n-1 = feature
        number used in problems).
    encoding, encoding_source : str
        Text encoding and how it was decided: ``user``, ``cpg``, ``detected``,
        ``file`` or ``default``.
    source_crs, crs_source : str
        The file's CRS (as ``EPSG:n`` when it has one, else WKT) and how it
        was decided: ``user``, ``file``, ``zone_prefix`` or ``range``.
    fields : list of str
        Attribute fields, in file order.
    mapping : dict
        Guessed field for ``name``, ``code`` and ``community`` (or None).
    problems : list of ImportProblem
        Per-feature problems found while reading.
    layers : list of str
        Every layer of the file (for a layer chooser); empty for tables.
    """

    path: Path
    layer: str | int | None
    frame: gpd.GeoDataFrame
    encoding: str
    encoding_source: str
    source_crs: str
    crs_source: str
    coord_system: str
    fields: list[str]
    mapping: dict[str, str | None]
    problems: list[ImportProblem] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.blocking]


# Words that name a feature's own level, and its parent's, in Chinese headers.
_OWN_WORDS = {"street": ("街道",), "community": ("社区", "居委"), "grid": ("网格",)}
_PARENT_WORDS = {"community": ("街道",), "grid": ("社区", "居委")}


def guess_mapping(fields: list[str], kind: Kind | None = None) -> dict[str, str | None]:
    """Guess which fields hold the name, code and community of each feature.

    With *kind*, a header naming that level wins (网格编码 for grids) and a
    header naming the parent level (社区代码 in a grid file) is not taken for
    the feature's own name or code; in a grid file it is the community.

    Examples
    --------
    >>> guess_mapping(["OBJECTID", "社区名称", "社区代码"])
    {'name': '社区名称', 'code': '社区代码', 'community': None}
    >>> guess_mapping(["社区代码", "网格名称", "网格编码"], "grid")
    {'name': '网格名称', 'code': '网格编码', 'community': '社区代码'}
    """
    parent_words = _PARENT_WORDS.get(kind, ()) if kind else ()
    own_words = _OWN_WORDS.get(kind, ()) if kind else ()
    parents = [f for f in fields if any(w in f for w in parent_words)]
    usable = [f for f in fields if f not in parents]
    lowered = {f.strip().lower(): f for f in usable}

    def pick(candidates: tuple[str, ...], contains: tuple[str, ...]) -> str | None:
        ranked = sorted(candidates, key=lambda c: not any(w in c for w in own_words))
        for c in ranked:
            if c in lowered:
                return lowered[c]
        for f in usable:
            if any(word in f.lower() for word in contains):
                return f
        return None

    name = pick(_NAME_FIELDS, ("名称", "name"))
    code = pick(_CODE_FIELDS, ("编码", "代码", "code"))
    community = None
    everything = {f.strip().lower(): f for f in fields}
    for c in _COMMUNITY_FIELDS:
        if c in everything and everything[c] not in (name, code):
            community = everything[c]
            break
    if community is None and kind == "grid" and parents:
        # 社区代码 before 社区名称: a code matches one community for sure
        coded = [f for f in parents if any(w in f for w in ("代码", "编码"))]
        community = (coded or parents)[0]
    return {"name": name, "code": code, "community": community}


def _crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


def _convert_offsets(geoms: np.ndarray, coord_system: str) -> np.ndarray:
    from gridapp.domain.coords import bd09_to_wgs84, gcj02_to_wgs84

    convert = gcj02_to_wgs84 if coord_system == "gcj02" else bd09_to_wgs84

    def apply(xy: np.ndarray) -> np.ndarray:
        lon, lat = convert(xy[:, 0], xy[:, 1])
        return np.column_stack([np.asarray(lon, float), np.asarray(lat, float)])

    return shapely.transform(geoms, apply)


def _read_any(
    path: Path,
    layer: str | int | None,
    encoding: str | None,
    sheet: str | int | None,
    x_field: str | None,
    y_field: str | None,
    wkt_field: str | None,
    timeout: float,
) -> tuple[pd.DataFrame, np.ndarray, CRS | None, str, str, list[ImportProblem]]:
    if path.suffix.lower() in _TABLE_SUFFIXES:
        table, enc, how = readers.read_table(path, encoding, sheet)
        geoms, raw, used = readers.table_geometry(table, wkt_field, x_field, y_field)
        problems = [ImportProblem(i, "unparsed", zh, en) for i, zh, en in raw]
        attrs = table.drop(columns=used).reset_index(drop=True)
        return attrs, geoms, None, enc, how, problems
    frame, venc, vhow = readers.read_vector(path, layer, encoding, timeout)
    file_crs = CRS.from_user_input(frame.crs) if frame.crs is not None else None
    geoms = np.asarray(frame.geometry.array, dtype=object)
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
    problems = []
    note = readers.encoding_note(path, venc or "utf-8", vhow)
    if note is not None:
        problems.append(ImportProblem(None, "encoding_guessed", *note, blocking=False))
    return attrs, geoms, file_crs, venc or "utf-8", vhow, problems


def _layers(path: Path) -> list[str]:
    if path.suffix.lower() in _TABLE_SUFFIXES:
        return []
    if path.suffix.lower() == ".gpkg":
        # GDAL opens every layer (and hangs on an endless view); SQLite does not.
        return [lay.name for lay in source_probe.gpkg_layers(path)]
    return [str(name) for name, _ in pyogrio.list_layers(path)]


def read_source(
    path: str | Path,
    *,
    layer: str | int | None = None,
    encoding: str | None = None,
    source_crs: object | None = None,
    coord_system: CoordSystem = "auto",
    x_field: str | None = None,
    y_field: str | None = None,
    wkt_field: str | None = None,
    sheet: str | int | None = None,
    timeout: float = readers.READ_TIMEOUT_S,
) -> SourcePreview:
    """Read a boundary file into a preview in EPSG:4490.

    Parameters
    ----------
    path : str or Path
        ``.gpkg``, ``.shp``, ``.geojson``/``.json``, ``.kml``, ``.csv``, ``.xlsx``.
    layer : str or int, optional
        Layer of a multi-layer file; required when the file has several.
    encoding : str, optional
        Text encoding of the attributes; overrides ``.cpg`` and detection.
    source_crs : anything pyproj accepts, optional
        CRS of the coordinates; overrides the file's own.
    coord_system : {'auto', 'gcj02', 'bd09'}
        ``gcj02`` (AMap, Tencent) or ``bd09`` (Baidu) longitude/latitude are
        converted to CGCS2000; ``auto`` takes the CRS as it is.
    x_field, y_field, wkt_field : str, optional
        Geometry columns of a CSV/XLSX table (guessed when not given).
    sheet : str or int, optional
        Sheet of an XLSX workbook (default: the first).
    timeout : float
        Seconds the SQL behind a GeoPackage view may take before reading is
        stopped (a view that never ends is refused, not waited for).

    Returns
    -------
    SourcePreview

    Raises
    ------
    ImportFileError
        The file cannot be read at all, damaged text, an oversized field,
        several layers and none chosen (``params['layers']``), or a view
        that does not finish.
    CRSError
        The CRS is unknown and cannot be inferred; the message says which to pick.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFileError("文件不存在：{path}", "File not found: {path}", path=str(path))
    if coord_system not in ("auto", "gcj02", "bd09"):
        raise ValueError(f"coord_system must be auto, gcj02 or bd09, not {coord_system!r}")
    attrs, geoms, file_crs, enc, enc_how, problems = _read_any(
        path, layer, encoding, sheet, x_field, y_field, wkt_field, timeout
    )
    problems += check_lost_text(attrs)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    bounds = (
        shapely.total_bounds(geoms[present]) if present.any() else np.full(4, np.nan)
    )
    crs, crs_how = readers.infer_crs(bounds, file_crs, source_crs)
    if coord_system != "auto" and not crs.is_geographic:
        raise CRSError(
            "GCJ-02/BD-09 是经纬度坐标，但文件坐标系是投影坐标（{name}）",
            "GCJ-02/BD-09 are longitude/latitude, but the file's CRS is projected "
            "({name})",
            name=crs.name,
        )
    if crs.is_geographic:
        # Swapped axes are recognised on the source numbers, before PROJ sees them.
        problems += check_geometries(geoms)
    if crs.to_epsg() != STORAGE_EPSG and not (crs.is_geographic and crs.to_epsg() == 4326):
        # WGS84 and CGCS2000 differ by centimetres (DESIGN §4): relabel, not shift.
        out = gpd.GeoSeries(geoms, crs=crs).to_crs(STORAGE_CRS)
        geoms = np.asarray(out.array, dtype=object)
    if coord_system != "auto":
        geoms = _convert_offsets(geoms, coord_system)
    if not crs.is_geographic:
        problems += check_geometries(geoms)
    frame = gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(geoms), crs=STORAGE_CRS)
    fields = [str(c) for c in attrs.columns]
    problems.sort(key=lambda p: (-1 if p.index is None else p.index, p.reason))
    return SourcePreview(
        path=path,
        layer=layer,
        frame=frame,
        encoding=enc,
        encoding_source=enc_how,
        source_crs=_crs_label(crs),
        crs_source=crs_how,
        coord_system=coord_system,
        fields=fields,
        mapping=guess_mapping(fields),
        problems=problems,
        layers=_layers(path),
    )


def validate_for_import(
    preview: SourcePreview,
    kind: Kind = "community",
    mapping: Mapping[str, str | None] | None = None,
) -> list[ImportProblem]:
    """Every problem that stops importing *preview* as *kind* features.

    Adds to the reading problems: not a polygon, multipolygon of several
    parts, missing names, malformed or duplicate codes for *kind*.
    """
    if kind not in ("street", "community", "grid"):
        raise ValueError(f"kind must be street, community or grid, not {kind!r}")
    mapping = dict(preview.mapping if mapping is None else mapping)
    for target, column in mapping.items():
        if column and column not in preview.frame.columns:
            raise ImportFileError(
                "字段“{col}”（用作{target}）不在文件中",
                "Field '{col}' (mapped to {target}) is not in the file",
                col=column, target=target,
            )
    geoms = np.asarray(preview.frame.geometry.array, dtype=object)
    problems = list(preview.problems)
    problems += check_polygons(geoms)
    problems += check_attributes(preview.frame, kind, mapping)
    problems.sort(key=lambda p: (-1 if p.index is None else p.index, p.reason))
    return problems


def prepare_import(
    preview: SourcePreview,
    kind: Kind = "community",
    mapping: Mapping[str, str | None] | None = None,
) -> gpd.GeoDataFrame:
    """The frame to write (``name``, ``code``[, ``community``], geometry), or raise.

    Single-part multipolygons become polygons.  Raises
    :class:`~gridapp.errors.ImportFileError` with ``params['problems']`` when
    any blocking problem exists, so nothing is half-imported.
    """
    mapping = dict(preview.mapping if mapping is None else mapping)
    problems = [p for p in validate_for_import(preview, kind, mapping) if p.blocking]
    if problems:
        raise ImportFileError(
            "{n} 个问题，未导入任何要素；第一个：{first}",
            "{n} problems, nothing was imported; first: {first}",
            n=len(problems),
            first=problems[0].message,
            problems=problems,
        )
    src = preview.frame
    out = pd.DataFrame(index=src.index)
    if kind == "grid" and mapping.get("code") and local_grid_codes(src[mapping["code"]]):
        mapping["code"] = None  # local numbers, not GB/T codes: numbered on import
    for target in ("name", "code", "community"):
        column = mapping.get(target)
        if column:
            out[target] = src[column].astype("string").str.strip()
        elif target != "community":
            out[target] = pd.Series(pd.NA, index=src.index, dtype="string")
    geoms = np.asarray(src.geometry.array, dtype=object)
    multi = shapely.get_type_id(geoms) == 6
    geoms[multi] = shapely.get_geometry(geoms[multi], 0)
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=src.index), crs=src.crs)
