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
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

from gridapp import i18n
from gridapp.domain import coords
from gridapp.domain.enums import ReportSource, Urgency
from gridapp.domain.masking import mask_record
from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.errors import GridAppError, ImportFileError, ValidationError
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.cases.drafts import (
    ReportDraft,
    position_from_text,
    to_storage_lonlat,
)
from gridapp.services.cases.placement import Placement, near_duplicates, place_hint
from gridapp.services.cases.reports import ReportCheck, insert_report
from gridapp.services.cases.spatial_join import NO_GRID, assign_points_to_grids
from gridapp.services.importing.text import MAX_FIELD_CHARS, decode_text, field_too_long
from gridapp.services.people.personal_data import personal_export_columns
from gridapp.services.session import Session
from gridapp.storage import report_ids
from gridapp.storage.queries import cases as queries

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
_OFFSET_CRS = ("gcj02", "bd09")
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
_URGENT_WORDS = {"紧急", "是", "urgent", "yes", "y", "1", "true"}


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
    reader = csv.reader(io.StringIO(text), dialect)
    old = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        return [r for r in reader if any(c.strip() for c in r)]
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


def _external_id(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number in Excel
    text = str(value if value is not None else "").strip()
    return text or None


def _refuse_known_ids(db: Any, ids: list[str]) -> None:
    known = report_ids.existing_external_ids(db, ids)
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
    index = {c: i for i, c in enumerate(table.columns)}
    cats = _category_lookup(store)
    mapped = resolve_category_map(store, category_map)
    unknown: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    moves: dict[str, list[tuple[float, float, float, float]]] = {}
    rejected: list[RejectedRow] = []
    staged: list[
        tuple[int, dict[str, Any], ReportDraft, float, float, int, list[str]]
    ] = []
    total = len(table.rows)
    for n, cells in enumerate(table.rows):
        if n % 500 == 0:
            cancel.check()
            progress(n, total, i18n.pick("读取行", "Reading rows"))
        row_no = n + 2
        row_notes: list[str] = []
        values = {c: (cells[i] if i < len(cells) else "") for c, i in index.items()}
        get = {f: values[c] for f, c in mapping.items()}
        try:
            ext = _external_id(get.get("external_id"))
            if ext is not None and ext in seen_ids:
                raise ValidationError(
                    "编号“{v}”在文件中重复（第 {first} 行已有）",
                    "Id '{v}' appears twice in the file (already on row {first})",
                    v=ext,
                    first=seen_ids[ext],
                )
            if ext is not None:
                seen_ids[ext] = row_no
            cat_text = str(get.get("category") or "").strip()
            cat_id = mapped.get(cat_text, cats.get(cat_text))
            if cat_id is None:
                unknown[cat_text] = unknown.get(cat_text, 0) + 1
                raise ValidationError(
                    "未知的事件类别“{v}”；可在类别对应表（--category-map）中指定",
                    "Unknown category '{v}'; map it in a category map (--category-map)",
                    v=cat_text,
                )
            src_key = crs.strip().lower().replace("-", "").replace("_", "")
            if has_xy and str(get["lon"]).strip() and str(get["lat"]).strip():
                try:
                    x, y = float(get["lon"]), float(get["lat"])
                except ValueError:
                    raise ValidationError(
                        "坐标不是数字：{x}, {y}",
                        "Coordinates are not numbers: {x}, {y}",
                        x=get["lon"],
                        y=get["lat"],
                    ) from None
                if not crs.lower().startswith("epsg:"):
                    coords.check_in_range(x, y)
                lon, lat = (float(v) for v in to_storage_lonlat(x, y, crs))
                coords.check_in_range(lon, lat)
                if src_key in _OFFSET_CRS:
                    moves.setdefault(src_key, []).append((x, y, lon, lat))
            elif str(get.get("position") or "").strip():
                lon, lat, parsed = position_from_text(
                    str(get["position"]), None if crs == "cgcs2000" else crs
                )
                used = src_key if crs != "cgcs2000" else parsed.crs_hint or ""
                if used in _OFFSET_CRS:
                    moves.setdefault(used, []).append(
                        (parsed.lon, parsed.lat, lon, lat)
                    )
                    if crs == "cgcs2000":
                        moved = coords.shift_summary(
                            used, parsed.lon, parsed.lat, lon, lat
                        )
                        row_notes.append(
                            i18n.pick(
                                "按链接识别为 {s} 坐标，已移动 {m:.0f} 米",
                                "Read as {s} from the link; moved {m:.0f} m",
                                s=used.upper(),
                                m=moved.max_m,
                            )
                        )
            else:
                raise ValidationError("缺少位置", "No position")
            urgent = str(get.get("urgency") or "").strip().lower() in _URGENT_WORDS
            draft = ReportDraft(
                category=cat_id,
                lon=lon,
                lat=lat,
                description=str(get.get("description") or "").strip(),
                urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
                source=_source(get.get("source")),
                reported_at=parse_time(get.get("reported_at")),
                address=str(get.get("address") or "").strip() or None,
                reporter_name=str(get.get("reporter_name") or "").strip() or None,
                reporter_phone=str(get.get("reporter_phone") or "").strip() or None,
                external_id=ext,
            )
        except GridAppError as exc:
            rejected.append(
                RejectedRow(row_no, values, exc.message_in("zh"), exc.message_in("en"))
            )
            continue
        staged.append((row_no, values, draft, lon, lat, cat_id, row_notes))
    _refuse_known_ids(store, list(seen_ids))
    accepted = _place(store, staged, rejected, cancel)
    rejected.sort(key=lambda r: r.row_no)
    shifts = [
        coords.shift_summary(key, *np.array(pts, dtype=np.float64).T)
        for key, pts in sorted(moves.items())
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
        dict(sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def _place(
    store: Any, staged: list[Any], rejected: list[RejectedRow], cancel: CancelToken
) -> list[PreparedRow]:
    """Grid and community of every staged row at once; rows in no grid are rejected."""
    if not staged:
        return []
    grids = queries.current_grid_frame(store)
    lon = np.array([s[3] for s in staged])
    lat = np.array([s[4] for s in staged])
    gid = assign_points_to_grids(lon, lat, grids)
    info = queries.current_grid_infos(store)
    out: list[PreparedRow] = []
    for (row_no, values, draft, x, y, cat_id, notes), g in zip(
        staged, gid, strict=True
    ):
        if g == NO_GRID:
            rejected.append(
                RejectedRow(
                    row_no,
                    values,
                    f"位置（经度{x:.6f}，纬度{y:.6f}）不在本街道的任何网格内",
                    f"Position (lon {x:.6f}, lat {y:.6f}) is not in any grid of the street",
                )
            )
            continue
        cancel.check() if len(out) % 500 == 0 else None
        r = info[int(g)]
        hint = "" if draft.address else place_hint(store, x, y)
        place = Placement(
            x,
            y,
            int(g),
            r["code"],
            r["name"] or "",
            r["community_id"],
            r["cname"] or "",
            hint,
        )
        dups = near_duplicates(store, x, y, cat_id, draft.reported_at)
        out.append(
            PreparedRow(
                row_no,
                values,
                draft,
                ReportCheck(place, cat_id, dups),
                [*notes, *(d.message for d in dups)],
            )
        )
    return out


@dataclass
class ImportResult:
    report_ids: list[int]
    case_nos: list[str]
    skipped: int


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
    ids, nos = [], []
    total = len(preview.accepted)
    with session.transaction() as tx:
        # Checked again inside the write: another import may have come first.
        _refuse_known_ids(
            tx, [r.draft.external_id for r in preview.accepted if r.draft.external_id]
        )
        for i, row in enumerate(preview.accepted):
            if i % 200 == 0:
                cancel.check()  # Cancelled rolls the whole import back
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
                "skipped": len(preview.rejected),
                "shifts": [s.message_in("en") for s in preview.shifts],
            },
        )
    progress(total, total, "")
    return ImportResult(ids, nos, len(preview.rejected))
