"""Batch import of reports from CSV/XLSX (a collection form's export, a hotline list).

Two steps, like every import in GridApp: :func:`prepare_report_import` reads
the file (UTF-8, UTF-8 with BOM or GBK/GB18030, detected or chosen), maps its
columns to report fields (:func:`guess_mapping` suggests a mapping from
Chinese or English headers), converts positions from the chosen coordinate
system, places every row in a grid and returns an :class:`ImportPreview`
with accepted rows and rejected rows with their reasons.  Nothing is written
until :func:`commit_report_import`, which writes every accepted row in one
transaction, or none: a file with rejected rows is refused unless the user
chose to skip them.

The source's own id (编号, field ``external_id``) is kept on the report; a
file whose ids were already imported is refused whole.  Category labels the
workspace does not know can be mapped to a GridApp category
(``category_map``, e.g. from :func:`read_category_map`) instead of being
rejected.  GCJ-02/BD-09 positions, chosen or recognised from map-app links,
are converted on the mainland only, and :attr:`ImportPreview.shifts` says
how far they moved.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from gridapp import i18n
from gridapp.domain import coords
from gridapp.domain.enums import ReportSource
from gridapp.domain.masking import mask_record
from gridapp.domain.timeutil import LOCAL_TZ, now_utc
from gridapp.errors import ImportFileError, ValidationError
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.cases.drafts import (
    ReportDraft,
)
from gridapp.services.cases.placement import Placement
from gridapp.services.cases.report_import_place import (
    address_hints,
    near_duplicates_many,
)
from gridapp.services.cases.report_import_rows import (
    AcceptedRows,
    CheckedRows,
    cached,
    check_rows,
    column,
    texts,
    without_cyclic_gc,
)
from gridapp.services.cases.report_import_write import write_rows
from gridapp.services.cases.reports import ReportCheck, insert_report
from gridapp.services.cases.spatial_join import NO_GRID, assign_points_to_grids
from gridapp.services.importing.text import MAX_FIELD_CHARS, decode_text, field_too_long
from gridapp.services.people.personal_data import personal_export_columns
from gridapp.services.session import Session
from gridapp.storage import report_ids
from gridapp.storage.queries import cases as queries
from gridapp.storage.queries import report_bulk

FIELDS = (
    "lon",
    "lat",
    "position",
    "category",
    "description",
    "address",
    "reported_at",
    "source",
    "urgency",
    "reporter_name",
    "reporter_phone",
    "external_id",
)
REQUIRED = ("category",)

_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "lon": ("经度", "lon", "lng", "longitude", "x", "东经"),
    "lat": ("纬度", "lat", "latitude", "y", "北纬"),
    "position": ("位置", "坐标", "position", "location", "定位"),
    "category": ("小类", "事件类型", "类别", "分类", "category", "type", "问题类型"),
    "description": ("描述", "问题描述", "内容", "description", "详情", "情况说明"),
    "address": ("地址", "address", "详细地址", "地点"),
    "reported_at": (
        "上报时间",
        "时间",
        "reported_at",
        "time",
        "date",
        "发现时间",
        "日期",
    ),
    "source": ("来源", "source"),
    "urgency": ("紧急程度", "urgency", "是否紧急"),
    "reporter_name": ("上报人", "姓名", "reporter", "name", "联系人"),
    "reporter_phone": ("电话", "手机", "phone", "联系电话", "mobile"),
    "external_id": (
        "编号",
        "id",
        "external_id",
        "工单号",
        "工单编号",
        "事件编号",
        "案件编号",
        "来电编号",
    ),
}
# How many duplicate ids or unknown labels a message names before "… N more".
MESSAGE_LIST_LIMIT = 10
_SOURCE_WORDS = {
    "巡查": "patrol",
    "网格员": "patrol",
    "居民": "resident",
    "热线": "hotline",
    "12345": "hotline",
    "视频": "video",
    "监控": "video",
}
_TIME_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[T\s]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?)?秒?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)


@dataclass
class RawTable:
    columns: list[str]
    rows: list[list[str]]
    encoding: str
    sheet: str | None = None


def _decode(raw: bytes, encoding: str | None) -> tuple[str, str]:
    """Text and encoding; damaged UTF-8 (e.g. a BOM and then GBK bytes) is refused
    with its lines (:func:`~gridapp.services.importing.text.decode_text`)."""
    enc = None
    if encoding:
        enc = {"gbk": "gb18030", "gb2312": "gb18030", "utf8": "utf-8"}.get(
            encoding.lower().replace("-", "").replace("_", ""), encoding
        )
    text, used, _how = decode_text(raw, enc, chinese=("gb18030",))
    return text, used


def _csv_rows(text: str, dialect: Any) -> list[list[str]]:
    """Non-blank rows; a cell over MAX_FIELD_CHARS is refused with its line."""
    reader = csv.reader(_lines(text), dialect)
    old = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        return _read_sharing(reader)
    except csv.Error as exc:
        if "field larger than field limit" not in str(exc):
            raise ImportFileError(
                "第 {line} 行无法按 CSV 读取：{err}",
                "Line {line} cannot be read as CSV: {err}",
                line=reader.line_num, err=str(exc), problems=[],
            ) from None
        raise field_too_long(reader.line_num) from None
    finally:
        csv.field_size_limit(old)


def _lines(text: str) -> Iterator[str]:
    """The lines of *text*, each with its "\\n", as ``io.StringIO(text)`` gives them.

    Not through ``StringIO``: it copies the text into a buffer of 4 bytes a
    character (a million-row file: ~400 MB more at the peak).
    """
    start, find, end_of_text = 0, text.find, len(text)
    while start < end_of_text:
        end = find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


# Rows read at a time; the first chunk's first rows decide which columns repeat (a
# file of less than one chunk is read as it is).
_CHUNK_ROWS = 50_000
_SHARE_SAMPLE = 2_000


def _read_sharing(reader: Iterator[list[str]]) -> list[list[str]]:
    """Non-blank rows of *reader*; in columns whose cells repeat, one ``str`` per text.

    The ``csv`` module makes a new ``str`` for every cell, so a million rows
    naming 40 categories, 3 sources and 2 urgencies would hold millions of
    equal strings (60-90 bytes each with Chinese text) for the whole import.
    Rows are read in chunks and each chunk's repeated cells are replaced by
    the first equal one before the next chunk is read, so the copies are
    freed while reading (memory freed later is rarely returned to the
    system).  A column is shared when fewer than half of the first rows'
    cells are distinct, and no longer once its distinct texts pass half of
    the rows read.  Values are unchanged (equal text).
    """
    rows: list[list[str]] = []
    memos: dict[int, dict[str, str]] | None = None
    while True:
        got = list(islice(reader, _CHUNK_ROWS))
        if not got:
            return rows
        # A row with any non-blank cell: its cells joined are non-blank (one C call).
        chunk = [r for r in got if "".join(r).strip()]
        whole_chunk = len(got) == _CHUNK_ROWS
        del got  # the cells replaced below are freed before the next chunk is read
        if memos is None:
            if not whole_chunk or len(chunk) < 2 * _SHARE_SAMPLE:
                rows.extend(chunk)  # a file of one chunk: too small to be worth it
                memos = {}
                continue
            head = chunk[:_SHARE_SAMPLE]
            width = min(map(len, head))
            memos = {j: {} for j in range(width)
                     if len({r[j] for r in head}) * 2 < len(head)}
        if memos:
            chunk = _shared(chunk, memos)
            for j in [j for j, m in memos.items() if len(m) * 2 > len(rows) + len(chunk)]:
                del memos[j]  # turned out mostly distinct
        rows.extend(chunk)


def _shared(chunk: list[list[str]], memos: dict[int, dict[str, str]]) -> list[list[str]]:
    """*chunk* with the cells of the memos' columns replaced by their first equal text.

    In place, row by row (0.49 µs a row for six shared columns, against 0.74
    for transposing the chunk into columns and back).
    """
    items = list(memos.items())
    if min(map(len, chunk)) > max(memos):
        for r in chunk:
            for j, memo in items:
                r[j] = memo.setdefault(r[j], r[j])
        return chunk
    for r in chunk:  # ragged rows (short lines)
        for j, memo in items:
            if j < len(r):
                r[j] = memo.setdefault(r[j], r[j])
    return chunk


def read_rows(
    path: str | Path, *, encoding: str | None = None, sheet: str | int | None = None
) -> RawTable:
    """Header and rows (as text) of a CSV or XLSX file."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(
            "找不到文件 {path}", "File not found: {path}", path=str(path)
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
            raise ImportFileError(
                "无法读取 Excel 文件 {path}：{err}",
                "Cannot read the Excel file {path}: {err}",
                path=str(path),
                err=str(exc),
            ) from None
        ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet or 0]
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        values = [r for r in values if any(v not in (None, "") for v in r)]
        if not values:
            raise ImportFileError("表格是空的", "The sheet is empty", path=str(path))
        cols = [
            str(c).strip() if c is not None else f"col{i + 1}"
            for i, c in enumerate(values[0])
        ]
        return RawTable(
            cols,
            [["" if v is None else v for v in r] for r in values[1:]],
            "xlsx",
            ws.title,
        )
    text, enc = _decode(path.read_bytes(), encoding)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = _csv_rows(text, dialect)
    if not rows:
        raise ImportFileError("文件是空的", "The file is empty", path=str(path))
    return RawTable([c.strip() for c in rows[0]], rows[1:], enc)


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Field → column suggested from the headers (exact words first, then contained)."""
    out: dict[str, str] = {}
    low = {c: c.strip().lower() for c in columns}
    for fld, words in _HEADER_WORDS.items():
        hit = next(
            (c for c in columns if low[c] in words and c not in out.values()), None
        )
        if hit is None:
            hit = next(
                (
                    c
                    for c in columns
                    if c not in out.values()
                    and any(w in low[c] for w in words if len(w) > 1)
                ),
                None,
            )
        if hit is not None:
            out[fld] = hit
    return out


@dataclass
class PreparedRow:
    row_no: int
    values: dict[str, Any]
    draft: ReportDraft
    check: ReportCheck
    warnings: list[str] = field(default_factory=list)


@dataclass
class RejectedRow:
    row_no: int
    values: dict[str, Any]
    reason_zh: str
    reason_en: str

    @property
    def reason(self) -> str:
        return i18n.pick(self.reason_zh, self.reason_en)


@dataclass
class ImportPreview:
    path: str
    encoding: str
    mapping: dict[str, str]
    crs: str
    accepted: list[PreparedRow]
    rejected: list[RejectedRow]
    # One summary per offset system converted from (gcj02, bd09), read rows only.
    shifts: list[coords.ShiftSummary] = field(default_factory=list)
    # Category labels of the file the workspace does not know, with row counts.
    unknown_categories: dict[str, int] = field(default_factory=dict)

    def shift_messages(self) -> list[str]:
        """How far converted positions moved, in the UI language."""
        return [s.message for s in self.shifts]

    def write_rejected(self, path: str | Path, *, session: Session | None = None,
                       include_personal: bool = False) -> None:
        """The rejected rows with a reason column, as UTF-8 CSV with BOM (opens in Excel).

        Reporters' names and phones are masked, as in every export, unless
        *include_personal* is asked for by a *session* whose role may see
        them (refused otherwise, nothing written); that export is logged.
        """
        personal = personal_export_columns(
            session, self.mapping, include_personal, [r.row_no for r in self.rejected],
            what="rejected_rows_csv")
        cols = list(self.rejected[0].values) if self.rejected else []
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow([i18n.pick("行号", "row"), *cols, i18n.pick("原因", "reason")])
            for r in self.rejected:
                values = mask_record(r.values, personal) if personal else r.values
                w.writerow([r.row_no, *[values.get(c, "") for c in cols], r.reason])


def parse_time(value: Any) -> datetime | None:
    """A time from a cell: datetime, date, or text (naive means Beijing time)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    else:
        m = _TIME_RE.match(str(value).strip())
        if not m:
            raise ValidationError(
                "无法识别的时间“{v}”", "Cannot read the time '{v}'", v=str(value)
            )
        y, mo, d, hh, mm, ss, tz = m.groups()
        try:
            dt = datetime(
                int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0)
            )
        except ValueError:
            raise ValidationError(
                "无效的时间“{v}”", "Invalid time '{v}'", v=str(value)
            ) from None
        if tz:
            if tz == "Z":
                dt = dt.replace(tzinfo=UTC)
            else:
                sign = -1 if tz[0] == "-" else 1
                t = tz[1:].replace(":", "")
                dt = dt.replace(
                    tzinfo=timezone(
                        sign * timedelta(hours=int(t[:2]), minutes=int(t[2:]))
                    )
                )
    return dt if dt.tzinfo else dt.replace(tzinfo=LOCAL_TZ)


def _source(value: Any) -> ReportSource:
    text = str(value or "").strip()
    if not text:
        return ReportSource.PATROL
    try:
        return ReportSource(text.lower())  # type: ignore[call-arg]
    except ValueError:
        for word, src in _SOURCE_WORDS.items():
            if word in text:
                return ReportSource(src)  # type: ignore[call-arg]
    raise ValidationError("无法识别的来源“{v}”", "Unknown source '{v}'", v=text)


def _category_lookup(store: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in report_ids.active_categories(store):
        out.setdefault(r["name"], r["id"])
        out[r["code"]] = r["id"]
    return out


def _bounded(items: list[str], limit: int = MESSAGE_LIST_LIMIT) -> dict[str, str]:
    """The first *limit* items, then how many more: ``{"zh": …, "en": …}``."""
    zh, en = "、".join(items[:limit]), ", ".join(items[:limit])
    if len(items) > limit:
        zh += f" 等共 {len(items)} 个"
        en += f" and {len(items) - limit} more"
    return {"zh": zh, "en": en}


def read_category_map(
    path: str | Path, *, encoding: str | None = None
) -> dict[str, str]:
    """Source label → GridApp category code or name, from a two-column CSV.

    The first column is the label as the file writes it, the second the
    GridApp category (code such as ``0401`` or ``B0101``, or name).  A first
    row whose second cell reads like a header (类别, category, 编码, …) is
    skipped.

    Raises
    ------
    ImportFileError
        Missing file, fewer than two columns, or a label mapped twice to
        different categories.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFileError(
            "找不到类别对应表 {path}", "Category map not found: {path}", path=str(path)
        )
    text, _ = _decode(path.read_bytes(), encoding)
    out: dict[str, str] = {}
    clashes: list[str] = []
    for n, row in enumerate(csv.reader(io.StringIO(text))):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise ImportFileError(
                "类别对应表 {path} 第 {n} 行应有两列：来源类别,GridApp 类别",
                "Category map {path}, line {n}: expected two columns: source label, "
                "GridApp category",
                path=str(path),
                n=n + 1,
            )
        if n == 0 and cells[1].lower() in _CATEGORY_MAP_HEADERS:
            continue
        if cells[0] in out and out[cells[0]] != cells[1]:
            clashes.append(cells[0])
        out[cells[0]] = cells[1]
    if clashes:
        raise ImportFileError(
            "类别对应表中同一来源类别对应了不同类别：{labels}",
            "The category map maps the same label to different categories: {labels_en}",
            labels=_bounded(clashes)["zh"],
            labels_en=_bounded(clashes)["en"],
        )
    return out


_CATEGORY_MAP_HEADERS = {
    "类别",
    "gridapp类别",
    "gridapp 类别",
    "目标类别",
    "category",
    "gridapp category",
    "target",
    "code",
    "编码",
}


def resolve_category_map(
    store: Any, category_map: Mapping[str, str] | None
) -> dict[str, int]:
    """Source label → category id; every target must be a known code or name."""
    if not category_map:
        return {}
    cats = _category_lookup(store)
    bad = sorted({t for t in category_map.values() if t.strip() not in cats})
    if bad:
        raise ImportFileError(
            "类别对应表中的类别在本工作空间中不存在：{names}（请填写类别编码如 0401、"
            "B0101，或类别名称）",
            "The category map names categories this workspace does not have: "
            "{names_en} (give a category code such as 0401 or B0101, or a name)",
            names=_bounded(bad)["zh"],
            names_en=_bounded(bad)["en"],
        )
    return {label: cats[t.strip()] for label, t in category_map.items()}


def _refuse_known_ids(db: Any, ids: list[str]) -> None:
    known = report_bulk.existing_external_ids(db, ids)
    if known:
        zh = _bounded([f"{i}（案件 {no}）" for i, no in sorted(known.items())])
        en = _bounded([f"{i} (case {no})" for i, no in sorted(known.items())])
        raise ImportFileError(
            "{n} 个编号已经导入过，未写入任何数据：{ids}",
            "{n} ids were imported before; nothing was written: {ids_en}",
            n=len(known),
            ids=zh["zh"],
            ids_en=en["en"],
            problems=[f"{i}: {no}" for i, no in sorted(known.items())],
        )


@without_cyclic_gc
def prepare_report_import(
    session: Session,
    path: str | Path,
    mapping: Mapping[str, str] | None = None,
    *,
    crs: str = "cgcs2000",
    encoding: str | None = None,
    sheet: str | int | None = None,
    category_map: Mapping[str, str] | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> ImportPreview:
    """Read, map, convert and place every row; write nothing.

    Parameters
    ----------
    mapping : dict, optional
        Report field → column header (fields in :data:`FIELDS`).  Default:
        :func:`guess_mapping`.  A position needs ``lon`` and ``lat`` columns
        or one ``position`` column of text.
    crs : str
        The coordinates' system: ``cgcs2000``, ``wgs84``, ``gcj02``,
        ``bd09`` or ``EPSG:nnnn`` (e.g. a Gauss-Krüger zone).  GCJ-02 and
        BD-09 positions outside mainland China are taken as they are.
    category_map : dict, optional
        Source category label → GridApp category code or name, for labels
        the workspace does not know (:func:`read_category_map`).

    Raises
    ------
    ImportFileError
        Bad column mapping, a category map naming unknown categories, or
        ids (``external_id``) that were imported before.
    """
    session.require("report.import")
    store = session.store
    table = read_rows(path, encoding=encoding, sheet=sheet)
    mapping = dict(mapping or guess_mapping(table.columns))
    bad = [f for f in mapping if f not in FIELDS] + [
        c for c in mapping.values() if c not in table.columns
    ]
    if bad:
        raise ImportFileError(
            "列对应关系有误：{names}（文件中的列：{cols}）",
            "Bad column mapping: {names} (the file's columns: {cols})",
            names=", ".join(map(str, bad)),
            cols=", ".join(table.columns),
        )
    has_xy = "lon" in mapping and "lat" in mapping
    if not has_xy and "position" not in mapping or "category" not in mapping:
        raise ImportFileError(
            "请指定位置列（经度和纬度，或一列位置文本）和事件类别列",
            "Map the position (longitude and latitude, or one position column) and the "
            "category columns",
            cols=", ".join(table.columns),
        )
    cats = _category_lookup(store)
    mapped = resolve_category_map(store, category_map)
    total = len(table.rows)
    progress(0, total, i18n.pick("读取行", "Reading rows"))
    checked = check_rows(table.rows, table.columns, mapping, crs, cats, mapped,
                         cached(_source), cached(parse_time), progress, cancel)
    _refuse_known_ids(store, checked.seen_ids)
    rejected = [RejectedRow(k + 2, _values(table, k), exc.message_in("zh"),
                            exc.message_in("en")) for k, exc in checked.rejected]
    accepted = _place(store, table, mapping, checked, rejected, cancel)
    rejected.sort(key=lambda r: r.row_no)
    shifts = [
        coords.shift_summary(key, *np.array(pts, dtype=np.float64).T)
        for key, pts in sorted(checked.moves.items())
    ]
    progress(total, total, "")
    return ImportPreview(
        str(path),
        table.encoding,
        mapping,
        crs,
        accepted,
        rejected,
        shifts,
        dict(sorted(checked.unknown.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def _values(table: RawTable, k: int) -> dict[str, Any]:
    cells = table.rows[k]
    return {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(table.columns)}


def _keep(checked: CheckedRows, mask: np.ndarray) -> CheckedRows:
    """The rows of *checked* where *mask* holds (notes renumbered)."""
    pos = np.flatnonzero(mask).tolist()
    renum = {old: new for new, old in enumerate(pos)}
    return dataclasses.replace(
        checked, index=[checked.index[i] for i in pos], lon=checked.lon[mask],
        lat=checked.lat[mask], category_id=checked.category_id[mask],
        external_id=[checked.external_id[i] for i in pos],
        source=[checked.source[i] for i in pos], urgent=checked.urgent[mask],
        reported_at=[checked.reported_at[i] for i in pos],
        notes={renum[i]: v for i, v in checked.notes.items() if i in renum})


def _place(store: Any, table: RawTable, mapping: dict[str, str], checked: CheckedRows,
           rejected: list[RejectedRow], cancel: CancelToken) -> AcceptedRows:
    """Grid, community, address hint and near-duplicates of every checked row at once;
    rows in no grid are rejected."""
    gid = assign_points_to_grids(checked.lon, checked.lat, queries.current_grid_frame(store)) \
        if len(checked.index) else np.empty(0, np.int64)
    outside = gid == NO_GRID
    for k, x, y in zip(np.array(checked.index, dtype=np.int64)[outside].tolist(),
                       checked.lon[outside].tolist(), checked.lat[outside].tolist(),
                       strict=True):
        rejected.append(RejectedRow(
            k + 2, _values(table, k),
            f"位置（经度{x:.6f}，纬度{y:.6f}）不在本街道的任何网格内",
            f"Position (lon {x:.6f}, lat {y:.6f}) is not in any grid of the street"))
    if outside.any():
        checked = _keep(checked, ~outside)
        gid = gid[~outside]
    cancel.check()
    fields = _text_fields(table, mapping, checked)
    checked.cells.clear()  # the preview keeps the rows; the columns were for this
    info = queries.current_grid_infos(store)
    keys = np.array(sorted(info), dtype=np.int64)
    at_grid = np.searchsorted(keys, gid)  # every gid is a current grid's id

    def per_grid(get: Any) -> list[Any]:
        return np.array([get(info[int(g)]) for g in keys] + [None], dtype=object)[
            at_grid].tolist()

    placement = {
        "grid_id": gid,
        "grid_code": per_grid(lambda r: r["code"]),
        "grid_name": per_grid(lambda r: r["name"] or ""),
        "community_id": per_grid(lambda r: r["community_id"]),
        "community_name": per_grid(lambda r: r["cname"] or ""),
    }
    need = np.fromiter((not a for a in fields["address"]), dtype=bool, count=len(gid))
    hints = np.full(len(gid), "", dtype=object)
    if need.any():
        hints[need] = address_hints(store, checked.lon[need], checked.lat[need])
    placement["hint"] = hints.tolist()
    cancel.check()
    at = checked.reported_at
    if None in at:
        at = [t or now_utc() for t in at]
    dups = near_duplicates_many(store, checked.lon, checked.lat, checked.category_id, at,
                                fields["description"])
    return AcceptedRows(table.rows, table.columns, checked, fields, placement, dups,
                        _prepared_row)


def _text_fields(table: RawTable, mapping: dict[str, str],
                 checked: CheckedRows) -> dict[str, list[Any]]:
    """Description, address and reporter of the kept rows, cleaned as the form cleans them."""
    index = {c: i for i, c in enumerate(table.columns)}
    kept = checked.index
    every_row = len(kept) == len(table.rows)  # kept rows are in file order: all of them
    out: dict[str, list[Any]] = {}
    for f in ("description", "address", "reporter_name", "reporter_phone"):
        cells = checked.cells.get(f)
        if cells is None:  # not read by check_rows: from the rows
            i = index.get(mapping[f]) if f in mapping else None
            cells = column([table.rows[k] for k in kept], i)
        elif not every_row:
            cells = [cells[k] for k in kept]
        vals = texts(cells)
        out[f] = vals if f == "description" else [v or None for v in vals]
    return out


def _prepared_row(acc: AcceptedRows, i: int) -> PreparedRow:
    c, p = acc.checked, acc.placement
    draft = ReportDraft(
        category=int(c.category_id[i]), lon=float(c.lon[i]), lat=float(c.lat[i]),
        description=acc.fields["description"][i], urgency=acc.urgency(i),
        source=ReportSource(c.source[i]),  # type: ignore[call-arg]
        reported_at=c.reported_at[i], address=acc.fields["address"][i],
        reporter_name=acc.fields["reporter_name"][i],
        reporter_phone=acc.fields["reporter_phone"][i], external_id=c.external_id[i])
    place = Placement(float(c.lon[i]), float(c.lat[i]), int(p["grid_id"][i]),
                      p["grid_code"][i], p["grid_name"][i], p["community_id"][i],
                      p["community_name"][i], p["hint"][i])
    dups = acc.duplicates.get(i, [])
    return PreparedRow(c.index[i] + 2, acc.values_of(i), draft,
                       ReportCheck(place, int(c.category_id[i]), dups),
                       [*c.notes.get(i, []), *(d.message for d in dups)])


@dataclass
class ImportResult:
    report_ids: list[int]
    case_nos: list[str]
    skipped: int


@without_cyclic_gc
def commit_report_import(
    session: Session,
    preview: ImportPreview,
    *,
    skip_rejected: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> ImportResult:
    """Write every accepted row in one transaction, or nothing.

    Raises
    ------
    ImportFileError
        The preview has rejected rows and *skip_rejected* is false;
        ``params['problems']`` lists "row N: reason".
    """
    session.require("report.import")
    if preview.rejected and not skip_rejected:
        problems = [f"{r.row_no}: {r.reason}" for r in preview.rejected]
        raise ImportFileError(
            "{n} 行无法导入，未写入任何数据（第 {first} 行：{reason}）",
            "{n} rows cannot be imported; nothing was written (row {first}: {reason})",
            n=len(problems),
            first=preview.rejected[0].row_no,
            reason=preview.rejected[0].reason,
            problems=problems,
        )
    if not preview.accepted:
        raise ImportFileError("没有可导入的行", "No rows to import")
    accepted = preview.accepted
    total = len(accepted)
    digest = None
    with session.transaction() as tx:
        # Checked again inside the write: another import may have come first.
        if isinstance(accepted, AcceptedRows):
            _refuse_known_ids(tx.conn, [e for e in accepted.checked.external_id if e])
            cancel.check()  # Cancelled rolls the whole import back
            progress(0, total, i18n.pick("写入上报", "Writing reports"))
            ids, nos, digest = write_rows(
                tx, session.user, accepted, accepted.placement["hint"], now_utc(),
                f"import {Path(preview.path).name}")
        else:  # rows a caller put together: written one by one
            _refuse_known_ids(
                tx, [r.draft.external_id for r in accepted if r.draft.external_id])
            ids, nos = [], []
            for i, row in enumerate(accepted):
                if i % 200 == 0:
                    cancel.check()
                    progress(i, total, i18n.pick("写入上报", "Writing reports"))
                rid, no = insert_report(tx, session, row.draft, row.check)
                ids.append(rid)
                nos.append(no)
        tx.audit(
            "import",
            "report",
            None,
            {
                "file": Path(preview.path).name,
                "rows": len(ids),
                "first_id": ids[0] if ids else None,
                "last_id": ids[-1] if ids else None,
                "sha256": digest,
                "skipped": len(preview.rejected),
                "shifts": [s.message_in("en") for s in preview.shifts],
            },
        )
    progress(total, total, "")
    return ImportResult(ids, nos, len(preview.rejected))
