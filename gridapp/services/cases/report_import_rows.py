"""Checking an import file's rows column by column (the fast path of the report import).

:func:`check_rows` gives every row the answer the former row-by-row loop
gave (same checks, same order, same messages) but does the costly parts
once per column: numbers are converted in one pass, coordinate ranges and
conversions are checked on whole arrays (only the rows they flag are checked
again one by one, for their message), and sources and times are parsed once
per distinct cell.  :class:`AcceptedRows` holds the accepted rows as columns
and builds a :class:`~gridapp.services.cases.report_import.PreparedRow` only
when one is looked at, so a million-row preview costs arrays, not objects.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Any

import numpy as np

from gridapp import i18n
from gridapp.domain import coords
from gridapp.domain.enums import ReportSource, Urgency
from gridapp.errors import GridAppError, ValidationError
from gridapp.progress import CancelToken, Progress
from gridapp.services.cases.drafts import position_from_text, to_storage_lonlat

OFFSET_CRS = ("gcj02", "bd09")
URGENT_WORDS = frozenset({"紧急", "是", "urgent", "yes", "y", "1", "true"})


@dataclass
class CheckedRows:
    """Rows that passed the per-row checks, as columns, and what was refused."""

    index: list[int]  # positions in the file's rows (row number = index + 2)
    lon: np.ndarray
    lat: np.ndarray
    category_id: np.ndarray
    external_id: list[str | None]
    source: list[str]
    urgent: np.ndarray
    reported_at: list[datetime | None]
    notes: dict[int, list[str]]  # by position in these columns
    rejected: list[tuple[int, GridAppError]]  # (file position, error)
    unknown: dict[str, int] = field(default_factory=dict)
    seen_ids: list[str] = field(default_factory=list)
    moves: dict[str, list[tuple[float, float, float, float]]] = field(default_factory=dict)


_GC_LOCK = threading.Lock()
_GC_PAUSES = [0, False]  # imports running, whether the collector was on before the first


def without_cyclic_gc(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run *fn* with Python's cyclic garbage collector paused.

    A file's rows are millions of live lists and strings; each full
    collection walks all of them again, so an import's collections grow
    faster than its rows (200,000 rows at load 9-16: 70.2 / 66.4 s with the
    collector, 56.6 / 40.0 s without; 11-13 full collections).  Reference
    counting still frees everything that forms no cycle.  Counted, so
    imports on two threads leave the collector as the first found it.
    """
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _GC_LOCK:
            if _GC_PAUSES[0] == 0:
                _GC_PAUSES[1] = gc.isenabled()
                gc.disable()
            _GC_PAUSES[0] += 1
        try:
            return fn(*args, **kwargs)
        finally:
            with _GC_LOCK:
                _GC_PAUSES[0] -= 1
                if _GC_PAUSES[0] == 0 and _GC_PAUSES[1]:
                    gc.enable()

    return run


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def epoch_us(times: Sequence[datetime]) -> np.ndarray:
    """Microseconds since 1970-01-01 UTC of aware datetimes, exact.

    Computed once per distinct object: a file's times come from a per-cell
    cache (:func:`cached`), so rows with the same cell share one datetime.
    """
    distinct = {id(t): t for t in times}
    us = {k: (t - _EPOCH) // _US for k, t in distinct.items()}
    return np.fromiter(map(us.__getitem__, map(id, times)), dtype=np.int64, count=len(times))


def iso_ms(ms: np.ndarray) -> np.ndarray:
    """``to_iso`` text (``YYYY-MM-DDTHH:MM:SS.mmmZ``) of milliseconds since 1970 UTC,
    as an object array; each distinct instant is formatted once."""
    keys, inv = np.unique(np.asarray(ms, dtype=np.int64), return_inverse=True)
    text = np.datetime_as_string(keys.astype("datetime64[ms]"), unit="ms").astype(object)
    return (text + "Z")[inv.reshape(-1)]


def column(rows: list[list[Any]], i: int | None) -> list[Any]:
    """Column *i* of ragged rows ("" where a row is short; all "" for no column)."""
    if i is None:
        return [""] * len(rows)
    try:
        return list(map(itemgetter(i), rows))  # every row long enough: taken in C
    except IndexError:
        return [r[i] if i < len(r) else "" for r in rows]


def text(value: Any) -> str:
    return str(value or "").strip()


def texts(values: list[Any]) -> list[str]:
    """:func:`text` of each value (cells read from a CSV are text already)."""
    return [v.strip() if type(v) is str else text(v) for v in values]


def external_id(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number in Excel
    t = str(value if value is not None else "").strip()
    return t or None


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _range_flags(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Rows :func:`coords.check_in_range` would refuse (checked one by one afterwards)."""
    bad = ~(np.isfinite(x) & np.isfinite(y))
    ok = ~bad
    fx, fy = x[ok], y[ok]
    flag = np.asarray(coords.detect_swapped(fx, fy)) | (np.abs(fx) > 180) | (np.abs(fy) > 90)
    flag |= np.asarray(coords.out_of_china(fx, fy))
    bad[np.flatnonzero(ok)[flag]] = True
    return bad


def _scalar_error(fn: Callable[[], Any]) -> GridAppError | None:
    try:
        fn()
    except GridAppError as exc:
        return exc
    return None


def cached(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """*fn* of a cell, computed once per distinct (type, value); errors are returned."""
    memo: dict[tuple[type, Any], Any] = {}

    def call(value: Any) -> Any:
        key = (type(value), value)
        try:
            return memo[key]
        except KeyError:
            pass
        except TypeError:  # unhashable cell
            key = None  # type: ignore[assignment]
        try:
            out = fn(value)
        except GridAppError as exc:
            out = exc
        if key is not None:
            memo[key] = out
        return out

    return call


def _xy_positions(lon_cells: list[Any], lat_cells: list[Any], candidates: list[int],
                  crs: str) -> dict[int, tuple[float, float] | GridAppError]:
    """Stored lon/lat (or the error) of rows given as two number columns."""
    out: dict[int, tuple[float, float] | GridAppError] = {}
    xs, ys, idx = [], [], []
    for k in candidates:
        x, y = _number(lon_cells[k]), _number(lat_cells[k])
        if x is None or y is None:
            out[k] = ValidationError("坐标不是数字：{x}, {y}", "Coordinates are not numbers: {x}, {y}",
                                     x=lon_cells[k], y=lat_cells[k])
            continue
        xs.append(x)
        ys.append(y)
        idx.append(k)
    x, y, ids = np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64), np.array(idx)
    if not crs.lower().startswith("epsg:"):
        bad = _range_flags(x, y)
        for j in np.flatnonzero(bad).tolist():
            exc = _scalar_error(lambda j=j: coords.check_in_range(float(x[j]), float(y[j])))
            if exc is not None:
                out[int(ids[j])] = exc
                continue
            bad[j] = False
        x, y, ids = x[~bad], y[~bad], ids[~bad]
    lon, lat = x, y
    if len(ids):
        try:
            lon, lat = (np.asarray(v, dtype=np.float64) for v in to_storage_lonlat(x, y, crs))
        except GridAppError as exc:  # an unsupported system: every such row says so
            out.update({int(k): exc for k in ids.tolist()})
            return out
    bad = _range_flags(lon, lat)
    for j in np.flatnonzero(bad).tolist():
        exc = _scalar_error(lambda j=j: coords.check_in_range(float(lon[j]), float(lat[j])))
        if exc is not None:
            out[int(ids[j])] = exc
            continue
        bad[j] = False
    for k, a, b, px, py in zip(ids[~bad].tolist(), lon[~bad].tolist(), lat[~bad].tolist(),
                               x[~bad].tolist(), y[~bad].tolist(), strict=True):
        out[k] = (a, b, px, py)  # type: ignore[assignment]
    return out


def check_rows(rows: list[list[Any]], columns: list[str], mapping: dict[str, str], crs: str,
               cats: dict[str, int], mapped: dict[str, int], source_of: Callable[[Any], Any],
               time_of: Callable[[Any], Any], progress: Progress,
               cancel: CancelToken) -> CheckedRows:
    """Every row checked in the former loop's order: id, category, position, source, time."""
    index = {c: i for i, c in enumerate(columns)}
    col = {f: column(rows, index[c]) for f, c in mapping.items()}
    total = len(rows)
    has_xy = "lon" in mapping and "lat" in mapping
    src_key = crs.strip().lower().replace("-", "").replace("_", "")
    ext_col = [external_id(v) for v in col["external_id"]] if "external_id" in col \
        else [None] * total
    cat_col = texts(col["category"])
    rejected: list[tuple[int, GridAppError]] = []
    unknown: dict[str, int] = {}
    seen: dict[str, int] = {}
    passed: list[int] = []
    cat_ids: list[int] = []
    for k in range(total):
        ext = ext_col[k]
        if ext is not None:
            if ext in seen:
                rejected.append((k, ValidationError(
                    "编号“{v}”在文件中重复（第 {first} 行已有）",
                    "Id '{v}' appears twice in the file (already on row {first})",
                    v=ext, first=seen[ext])))
                continue
            seen[ext] = k + 2
        cat_text = cat_col[k]
        cat_id = mapped.get(cat_text, cats.get(cat_text))
        if cat_id is None:
            unknown[cat_text] = unknown.get(cat_text, 0) + 1
            rejected.append((k, ValidationError(
                "未知的事件类别“{v}”；可在类别对应表（--category-map）中指定",
                "Unknown category '{v}'; map it in a category map (--category-map)",
                v=cat_text)))
            continue
        passed.append(k)
        cat_ids.append(cat_id)
    cancel.check()
    progress(total // 3, total, i18n.pick("读取行", "Reading rows"))
    # Positions: number columns checked and converted as arrays; position text per row.
    lon_c, lat_c = col.get("lon"), col.get("lat")
    pos_c = col.get("position")
    xy_rows = [k for k in passed if str(lon_c[k]).strip() and str(lat_c[k]).strip()] \
        if has_xy else []
    where: dict[int, Any] = _xy_positions(lon_c, lat_c, xy_rows, crs) if xy_rows else {}
    xy_set = set(xy_rows)
    notes: dict[int, list[str]] = {}
    moves: dict[str, list[tuple[float, float, float, float]]] = {}
    for k in passed:
        if k in xy_set:
            continue
        if pos_c is not None and text(pos_c[k]):
            try:
                lon, lat, parsed = position_from_text(
                    str(pos_c[k]), None if crs == "cgcs2000" else crs)
            except GridAppError as exc:
                where[k] = exc
                continue
            used = src_key if crs != "cgcs2000" else parsed.crs_hint or ""
            where[k] = (lon, lat, parsed.lon, parsed.lat, used)
        else:
            where[k] = ValidationError("缺少位置", "No position")
    cancel.check()
    progress(2 * total // 3, total, i18n.pick("读取行", "Reading rows"))
    urgent_c, src_c, time_c = col.get("urgency"), col.get("source"), col.get("reported_at")
    keep: list[int] = []
    out_cat, out_lon, out_lat, out_src, out_urg, out_at = [], [], [], [], [], []
    for k, cat_id in zip(passed, cat_ids, strict=True):
        pos = where[k]
        if isinstance(pos, GridAppError):
            rejected.append((k, pos))
            continue
        row_notes: list[str] = []
        if k in xy_set:
            lon, lat, px, py = pos
            if src_key in OFFSET_CRS:
                moves.setdefault(src_key, []).append((px, py, lon, lat))
        else:
            lon, lat, px, py, used = pos
            if used in OFFSET_CRS:
                moves.setdefault(used, []).append((px, py, lon, lat))
                if crs == "cgcs2000":
                    moved = coords.shift_summary(used, px, py, lon, lat)
                    row_notes.append(i18n.pick(
                        "按链接识别为 {s} 坐标，已移动 {m:.0f} 米",
                        "Read as {s} from the link; moved {m:.0f} m",
                        s=used.upper(), m=moved.max_m))
        src = source_of(src_c[k] if src_c is not None else None)
        if isinstance(src, GridAppError):
            rejected.append((k, src))
            continue
        at = time_of(time_c[k] if time_c is not None else None)
        if isinstance(at, GridAppError):
            rejected.append((k, at))
            continue
        if row_notes:
            notes[len(keep)] = row_notes
        keep.append(k)
        out_cat.append(cat_id)
        out_lon.append(lon)
        out_lat.append(lat)
        out_src.append(src.value if isinstance(src, ReportSource) else str(src))
        out_urg.append(urgent_c is not None and text(urgent_c[k]).lower() in URGENT_WORDS)
        out_at.append(at)
    return CheckedRows(
        keep, np.array(out_lon, dtype=np.float64), np.array(out_lat, dtype=np.float64),
        np.array(out_cat, dtype=np.int64), [ext_col[k] for k in keep], out_src,
        np.array(out_urg, dtype=bool), out_at, notes, rejected, unknown, list(seen), moves)


class AcceptedRows(Sequence[Any]):
    """The accepted rows of an import preview, kept as columns.

    Indexing or iterating builds ``PreparedRow`` objects on demand; the
    bulk write reads the columns directly.
    """

    def __init__(self, rows: list[list[Any]], columns: list[str], checked: CheckedRows,
                 fields: dict[str, list[Any]], placement: dict[str, Any],
                 duplicates: dict[int, list[Any]], make_row: Callable[..., Any]) -> None:
        self.raw, self.columns, self.checked = rows, columns, checked
        self.fields, self.placement, self.duplicates = fields, placement, duplicates
        self._make_row = make_row

    def __len__(self) -> int:
        return len(self.checked.index)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return self._make_row(self, i)

    def __iter__(self):  # type: ignore[override]
        return (self._make_row(self, i) for i in range(len(self)))

    def values_of(self, i: int) -> dict[str, Any]:
        cells = self.raw[self.checked.index[i]]
        return {c: (cells[j] if j < len(cells) else "") for j, c in enumerate(self.columns)}

    def urgency(self, i: int) -> Urgency:
        return Urgency.URGENT if self.checked.urgent[i] else Urgency.NORMAL
