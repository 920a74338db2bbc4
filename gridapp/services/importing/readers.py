"""Reading source files for import: formats, text encodings and CRS detection.

Helpers behind :func:`gridapp.services.importing.source.read_source`.  Vector files
(GeoPackage, Shapefile, GeoJSON, KML) go through pyogrio/GDAL; CSV and XLSX
tables are read with pandas and their geometry is built from a WKT column or
from coordinate columns.  Everything here returns data in the *source* CRS;
reprojection to EPSG:4490 happens in the caller.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from gridapp.errors import CRSError, GridAppError, ImportFileError
from gridapp.services.importing.text import check_field_sizes, decode_text
from gridapp.storage import source_probe

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


# Language driver ids in a DBF header (byte 29), as GDAL reads them.
_LDID = {0x57: "iso8859-1", 0x4D: "gbk", 0x7A: "gbk", 0x03: "cp1252", 0x01: "cp437"}
# Codecs that cannot hold Chinese: a file "declared" in one of them that has
# Chinese bytes was mislabelled (GDAL's default .cpg/LDID is ISO-8859-1).
_SINGLE_BYTE = ("latin-1", "iso8859-1", "cp1252", "ascii", "cp437", "iso8859-15")
# Records sampled from a DBF to recognise its encoding.
_SAMPLE_RECORDS = 20_000
# Default limit for the SQL behind one GeoPackage layer (a view) to finish.
READ_TIMEOUT_S = 10.0


def dbf_text(dbf: Path, limit: int = _SAMPLE_RECORDS) -> tuple[list[bytes], int]:
    """Raw bytes of the field names and text values of a DBF, and its LDID byte.

    Only the first *limit* records are read.  The DBF layout (dBASE III,
    what shapefiles use) is a 32-byte header, 32-byte field descriptors
    ended by 0x0D, then fixed-length records.
    """
    with dbf.open("rb") as f:
        head = f.read(32)
        if len(head) < 32:
            return [], 0
        n_records = int.from_bytes(head[4:8], "little")
        header_len = int.from_bytes(head[8:10], "little")
        record_len = int.from_bytes(head[10:12], "little")
        desc = f.read(max(header_len - 32, 0))
        fields: list[tuple[str, int]] = []
        values: list[bytes] = []
        for pos in range(0, len(desc) - 31, 32):
            if desc[pos] == 0x0D:
                break
            values.append(desc[pos:pos + 11].split(b"\0")[0])
            fields.append((chr(desc[pos + 11]), desc[pos + 16]))
        f.seek(header_len)
        n = min(n_records, limit)
        data = f.read(n * record_len) if record_len > 0 else b""
    for r in range(n):
        record = data[r * record_len:(r + 1) * record_len]
        p = 1  # deletion flag
        for ftype, length in fields:
            if ftype == "C":
                values.append(record[p:p + length].strip(b" \0"))
            p += length
    return values, head[29]


def declared_encoding(path: Path) -> tuple[str | None, str]:
    """The encoding a shapefile declares: ``.cpg`` first, then the DBF's LDID."""
    cpg = _sidecar(path, ".cpg")
    if cpg is not None:
        text = cpg.read_bytes().decode("ascii", errors="replace").strip()
        if text:
            return normalise_encoding(text), "cpg"
    dbf = _sidecar(path, ".dbf")
    if dbf is not None:
        with dbf.open("rb") as f:
            head = f.read(32)
        if len(head) == 32 and head[29] in _LDID:
            return _LDID[head[29]], "ldid"
    return None, "none"


def shapefile_encoding(path: Path, override: str | None) -> tuple[str, str]:
    """Encoding of a shapefile's attributes and how it was decided.

    The user's choice wins; then a ``.cpg`` naming UTF-8 or a Chinese
    codepage.  A ``.cpg`` or DBF language id naming a codepage that cannot
    hold Chinese (ISO-8859-1 is GDAL's default) is checked against the
    bytes: text that decodes as UTF-8, else GBK/GB18030, is read that way
    (``detected``; :func:`encoding_note` words the warning).
    """
    if override:
        return normalise_encoding(override), "user"
    declared, source = declared_encoding(path)
    if declared is not None and source == "cpg" and declared not in _SINGLE_BYTE:
        return declared, "cpg"
    dbf = _sidecar(path, ".dbf")
    values = dbf_text(dbf)[0] if dbf is not None else []
    data = b"\n".join(values)
    if data.isascii():
        if declared is not None and source == "cpg":
            return declared, "cpg"
        return "utf-8", "default"
    for enc in ("utf-8", "gbk", "gb18030"):
        try:
            data.decode(enc)
        except UnicodeDecodeError:
            continue
        return enc, "detected"
    return declared or "gb18030", "cpg" if source == "cpg" else "detected"


def encoding_note(path: Path, encoding: str, how: str) -> tuple[str, str] | None:
    """A warning (zh, en) when the shapefile said one encoding and was read as another."""
    if path.suffix.lower() != ".shp" or how != "detected":
        return None
    declared, source = declared_encoding(path)
    if declared is None or declared == encoding:
        return None
    where_zh = ".cpg 文件" if source == "cpg" else "DBF 文件头"
    where_en = "the .cpg file" if source == "cpg" else "the DBF header"
    declared = declared.upper().replace("ISO8859-", "ISO-8859-")
    encoding = encoding.upper()
    return (
        f"{where_zh}声明编码为 {declared}（无法表示中文），但属性文字实际是 {encoding}，"
        f"已按 {encoding} 读取；如不对，请指定编码",
        f"{where_en} declares {declared} (which cannot hold Chinese), but the attribute "
        f"text is {encoding}; read as {encoding}. If that is wrong, choose the encoding",
    )


def _layer_names(path: Path, suffix: str) -> list[str]:
    if suffix == ".gpkg":
        return [lay.name for lay in source_probe.gpkg_layers(path) if lay.data_type == "features"]
    return [str(n) for n, g in pyogrio.list_layers(path) if g is not None]


def several_layers(path: Path, names: list[str]) -> ImportFileError:
    """The refusal for a file with several layers and none chosen."""
    shown = "、".join(names[:10]) + ("……" if len(names) > 10 else "")
    shown_en = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
    return ImportFileError(
        "文件 {path} 有 {n} 个图层（{zh_names}）；请用 --layer 或在导入对话框中选择一个图层",
        "File {path} has {n} layers ({en_names}); choose one with --layer or in the "
        "import dialog",
        path=str(path), n=len(names), zh_names=shown, en_names=shown_en,
        layers=names, problems=[],
    )


def choose_layer(
    path: Path, layer: str | int | None, timeout: float = READ_TIMEOUT_S
) -> str | int | None:
    """The layer to read: the only one, or the one asked for (checked).

    Refuses a file with several layers when none is chosen (it used to take
    the first silently), a layer that is not there, and a GeoPackage view
    whose SQL does not finish within *timeout* seconds.
    """
    suffix = path.suffix.lower()
    if suffix not in (".gpkg", ".kml", ".kmz") and layer is None:
        return None
    names = _layer_names(path, suffix)
    if layer is None:
        if len(names) > 1:
            raise several_layers(path, names)
        layer = names[0] if names else None
    elif isinstance(layer, str) and layer not in names:
        raise ImportFileError(
            "文件中没有图层“{layer}”；共有 {n} 个图层，如：{some}",
            "The file has no layer '{layer}'; it has {n} layers, e.g. {some}",
            layer=layer, n=len(names), some=", ".join(names[:10]), layers=names, problems=[],
        )
    if suffix == ".gpkg" and isinstance(layer, str):
        views = {lay.name for lay in source_probe.gpkg_layers(path) if lay.is_view}
        if layer in views and not source_probe.view_finishes(path, layer, timeout):
            raise ImportFileError(
                "图层“{layer}”是一个视图，{seconds:g} 秒内没有读完（可能是没有终止条件的递归"
                "视图）；已停止读取。请在原软件中修正该视图，或选择其他图层",
                "Layer '{layer}' is a view that did not finish within {seconds:g} s (perhaps"
                " a recursive view without an end); reading was stopped. Fix the view in the"
                " program that made it, or choose another layer",
                layer=layer, seconds=timeout, problems=[],
            )
    return layer


def read_vector(
    path: Path, layer: str | int | None, encoding: str | None,
    timeout: float = READ_TIMEOUT_S,
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
        layer = choose_layer(path, layer, timeout)
    except GridAppError:
        raise
    except Exception as exc:  # GDAL reports broken files in many ways
        raise _unreadable(path, exc) from exc
    try:
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
        raise _unreadable(path, exc) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise ImportFileError(
            "文件 {path} 没有几何图形", "File {path} has no geometry", path=str(path)
        )
    check_field_sizes(pd.DataFrame(frame.drop(columns=frame.geometry.name)), first_line=0)
    return frame, enc or "utf-8", how


def read_table(
    path: Path, encoding: str | None, sheet: str | int | None
) -> tuple[pd.DataFrame, str, str]:
    """Read a CSV or XLSX table; CSV tries UTF-8 (with or without BOM), then GBK.

    A damaged UTF-8 file (a BOM and bytes that are not UTF-8) is refused
    with its lines instead of being read as GBK (see
    :func:`~gridapp.services.importing.text.decode_text`); cells over
    :data:`~gridapp.services.importing.text.MAX_FIELD_CHARS` are refused.
    """
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            table = pd.read_excel(path, sheet_name=sheet or 0, dtype=str)
            check_field_sizes(table)
            return table, "utf-8", "file"
        text, enc, how = decode_text(
            path.read_bytes(), normalise_encoding(encoding) if encoding else None
        )
        table = pd.read_csv(io.StringIO(text), dtype=str)
        check_field_sizes(table)
        return table, enc, how
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


def _unreadable(path: Path | str, exc: Exception) -> ImportFileError:
    """The refusal for a file GDAL cannot read (it reports broken files in many ways)."""
    return ImportFileError(
        "无法读取文件 {path}：{reason}",
        "Cannot read file {path}: {reason}",
        path=str(path),
        reason=str(exc),
        problems=[],
    )
