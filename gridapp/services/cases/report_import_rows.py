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
import pandas as pd

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
    # The file's cells of each mapped field, every row (read once, for the text fields).
    cells: dict[str, list[Any]] = field(default_factory=dict)


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
    if set(map(type, values)) <= {str}:
        return list(map(str.strip, values))
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


def _pick(cells: list[Any], rows: list[int]) -> list[Any]:
    """The cells of *rows* (ascending file positions): the column itself when that is
    every row."""
    return cells if len(rows) == len(cells) else [cells[k] for k in rows]


def _numbers(cells: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """``float()`` of each cell (NaN where it fails) and where it failed.

    numpy's conversion of an object array calls ``float()`` on each cell, so a
    column that converts whole gives the same numbers; one that does not is
    converted cell by cell for the failures.
    """
    try:
        if None not in cells:  # numpy would make None a NaN
            return np.array(cells, dtype=object).astype(np.float64), np.zeros(len(cells), bool)
    except (TypeError, ValueError):
        pass
    values = [_number(v) for v in cells]
    bad = np.array([v is None for v in values], dtype=bool)
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64), bad


def _xy_positions(lon_cells: list[Any], lat_cells: list[Any], candidates: np.ndarray,
                  crs: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                     np.ndarray, dict[int, GridAppError]]:
    """Rows given as two number columns: (rows, lon, lat, file x, file y) of those
    placed, and the error of each row refused."""
    errors: dict[int, GridAppError] = {}
    cand = candidates.tolist()
    x, bad_x = _numbers(_pick(lon_cells, cand))
    y, bad_y = _numbers(_pick(lat_cells, cand))
    nan_cells = bad_x | bad_y
    for j in np.flatnonzero(nan_cells).tolist():
        k = cand[j]
        errors[k] = ValidationError("坐标不是数字：{x}, {y}",
                                    "Coordinates are not numbers: {x}, {y}",
                                    x=lon_cells[k], y=lat_cells[k])
    ids = candidates[~nan_cells]
    x, y = x[~nan_cells], y[~nan_cells]
    if not crs.lower().startswith("epsg:"):
        bad = _range_flags(x, y)
        for j in np.flatnonzero(bad).tolist():
            exc = _scalar_error(lambda j=j: coords.check_in_range(float(x[j]), float(y[j])))
            if exc is not None:
                errors[int(ids[j])] = exc
                continue
            bad[j] = False
        x, y, ids = x[~bad], y[~bad], ids[~bad]
    lon, lat = x, y
    if len(ids):
        try:
            lon, lat = (np.asarray(v, dtype=np.float64) for v in to_storage_lonlat(x, y, crs))
        except GridAppError as exc:  # an unsupported system: every such row says so
            errors.update({int(k): exc for k in ids.tolist()})
            empty = np.empty(0)
            return ids[:0], empty, empty, empty, empty, errors
    bad = _range_flags(lon, lat)
    for j in np.flatnonzero(bad).tolist():
        exc = _scalar_error(lambda j=j: coords.check_in_range(float(lon[j]), float(lat[j])))
        if exc is not None:
            errors[int(ids[j])] = exc
            continue
        bad[j] = False
    ok = ~bad
    return ids[ok], lon[ok], lat[ok], x[ok], y[ok], errors


def _all_text(cells: list[Any]) -> bool:
    return set(map(type, cells)) <= {str}


def _per_distinct(fn: Callable[[Any], Any], cells: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """``fn`` of each distinct cell (an object array) and each cell's index into it.

    Cells are grouped by equal text only when all are text (equal cells of other
    types may differ: 1, 1.0 and True are one key); otherwise each is its own.
    """
    if _all_text(cells):
        codes, uniques = pd.factorize(np.array(cells, dtype=object), use_na_sentinel=False)
        return np.fromiter(map(fn, uniques), dtype=object, count=len(uniques)), codes
    return np.fromiter(map(fn, cells), dtype=object, count=len(cells)), np.arange(len(cells))


def _has_text(cells: list[Any]) -> np.ndarray:
    """Where ``str(cell).strip()`` is not empty."""
    strip = str.strip if _all_text(cells) else (lambda v: str(v).strip())
    return np.fromiter(map(bool, map(strip, cells)), dtype=bool, count=len(cells))


def _errors(results: np.ndarray) -> np.ndarray:
    return np.fromiter((isinstance(r, GridAppError) for r in results), dtype=bool,
                       count=len(results))


def _external_ids(cells: list[Any]) -> list[str | None]:
    """:func:`external_id` of each cell."""
    if not _all_text(cells):
        return [external_id(v) for v in cells]
    out: list[Any] = list(map(str.strip, cells))
    return [v or None for v in out] if "" in out else out


def _first_rows(ext_col: list[str | None]) -> tuple[list[str], dict[int, int]]:
    """The distinct ids in file order, and each repeated row's first row number."""
    given = len(ext_col) - ext_col.count(None)
    distinct = set(ext_col)  # a set: ~3x faster than a dict for a million new texts
    distinct.discard(None)
    if len(distinct) == given:
        return ([e for e in ext_col if e is not None] if given < len(ext_col)
                else list(ext_col)), {}
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for k, ext in enumerate(ext_col):
        if ext is not None:
            if ext in first:
                repeats[k] = first[ext]
            else:
                first[ext] = k + 2
    return list(first), repeats


def check_rows(rows: list[list[Any]], columns: list[str], mapping: dict[str, str], crs: str,
               cats: dict[str, int], mapped: dict[str, int], source_of: Callable[[Any], Any],
               time_of: Callable[[Any], Any], progress: Progress,
               cancel: CancelToken) -> CheckedRows:
    """Every row checked in the former loop's order: id, category, position, source, time.

    Each row gets the first refusal the loop gave it; the checks run on whole
    columns (cells converted once per distinct text), only refused rows one by one.
    """
    index = {c: i for i, c in enumerate(columns)}
    col = {f: column(rows, index[c]) for f, c in mapping.items()}
    total = len(rows)
    has_xy = "lon" in mapping and "lat" in mapping
    src_key = crs.strip().lower().replace("-", "").replace("_", "")
    ext_col = _external_ids(col["external_id"]) if "external_id" in col else [None] * total
    cat_col = texts(col["category"])
    rejected: list[tuple[int, GridAppError]] = []
    unknown: dict[str, int] = {}
    seen, repeats = _first_rows(ext_col)
    for k, first in repeats.items():
        rejected.append((k, ValidationError(
            "编号“{v}”在文件中重复（第 {first} 行已有）",
            "Id '{v}' appears twice in the file (already on row {first})",
            v=ext_col[k], first=first)))
    lookup = {t: mapped.get(t, cats.get(t)) for t in dict.fromkeys(cat_col)}
    cat_all = np.fromiter((-1 if v is None else v for v in map(lookup.__getitem__, cat_col)),
                          dtype=np.int64, count=total)
    open_row = np.ones(total, dtype=bool)
    if repeats:
        open_row[list(repeats)] = False
    for k in np.flatnonzero(open_row & (cat_all < 0)).tolist():
        cat_text = cat_col[k]
        unknown[cat_text] = unknown.get(cat_text, 0) + 1
        rejected.append((k, ValidationError(
            "未知的事件类别“{v}”；可在类别对应表（--category-map）中指定",
            "Unknown category '{v}'; map it in a category map (--category-map)",
            v=cat_text)))
    passed = np.flatnonzero(open_row & (cat_all >= 0))
    cancel.check()
    progress(total // 3, total, i18n.pick("读取行", "Reading rows"))
    # Positions: number columns checked and converted as arrays; position text per row.
    lon_c, lat_c = col.get("lon"), col.get("lat")
    pos_c = col.get("position")
    if has_xy:
        filled = _has_text(lon_c) & _has_text(lat_c)  # type: ignore[arg-type]
        xy_rows = passed[filled[passed]]
    else:
        xy_rows = passed[:0]
    n_all = total
    lon_all = np.full(n_all, np.nan)
    lat_all = np.full(n_all, np.nan)
    px_all = np.full(n_all, np.nan)
    py_all = np.full(n_all, np.nan)
    placed = np.zeros(n_all, dtype=bool)
    moved_by = np.full(n_all, "", dtype=object)  # the offset system a position came in
    errors: dict[int, GridAppError] = {}
    if len(xy_rows):
        ids, lon, lat, px, py, errors = _xy_positions(lon_c, lat_c, xy_rows, crs)  # type: ignore[arg-type]
        lon_all[ids], lat_all[ids], px_all[ids], py_all[ids] = lon, lat, px, py
        placed[ids] = True
        if src_key in OFFSET_CRS:
            moved_by[ids] = src_key
    notes_by_row: dict[int, list[str]] = {}
    is_xy = np.zeros(n_all, dtype=bool)
    is_xy[xy_rows] = True
    for k in passed[~is_xy[passed]].tolist():
        if pos_c is not None and text(pos_c[k]):
            try:
                lon1, lat1, parsed = position_from_text(
                    str(pos_c[k]), None if crs == "cgcs2000" else crs)
            except GridAppError as exc:
                errors[k] = exc
                continue
            used = src_key if crs != "cgcs2000" else parsed.crs_hint or ""
            lon_all[k], lat_all[k], px_all[k], py_all[k] = lon1, lat1, parsed.lon, parsed.lat
            placed[k] = True
            if used in OFFSET_CRS:
                moved_by[k] = used
                if crs == "cgcs2000":
                    moved = coords.shift_summary(used, parsed.lon, parsed.lat, lon1, lat1)
                    notes_by_row[k] = [i18n.pick(
                        "按链接识别为 {s} 坐标，已移动 {m:.0f} 米",
                        "Read as {s} from the link; moved {m:.0f} m",
                        s=used.upper(), m=moved.max_m)]
        else:
            errors[k] = ValidationError("缺少位置", "No position")
    cancel.check()
    progress(2 * total // 3, total, i18n.pick("读取行", "Reading rows"))
    moves: dict[str, list[tuple[float, float, float, float]]] = {}
    read = passed[placed[passed]]
    for key in OFFSET_CRS:
        at = read[moved_by[read] == key]
        if len(at):
            moves[key] = list(zip(px_all[at].tolist(), py_all[at].tolist(),
                                  lon_all[at].tolist(), lat_all[at].tolist(), strict=True))
    for k in passed[~placed[passed]].tolist():
        rejected.append((k, errors[k]))
    urgent_c, src_c, time_c = col.get("urgency"), col.get("source"), col.get("reported_at")
    read_list = read.tolist()
    one = np.zeros(len(read_list), dtype=np.int64)
    src_u, src_i = _per_distinct(source_of, _pick(src_c, read_list)) \
        if src_c is not None else (np.array([source_of(None)], dtype=object), one)
    time_u, time_i = _per_distinct(time_of, _pick(time_c, read_list)) \
        if time_c is not None else (np.array([time_of(None)], dtype=object), one)
    bad_src = _errors(src_u)[src_i]
    bad_time = _errors(time_u)[time_i] & ~bad_src
    for j in np.flatnonzero(bad_src | bad_time).tolist():
        rejected.append((read_list[j], src_u[src_i[j]] if bad_src[j] else time_u[time_i[j]]))
    ok = ~(bad_src | bad_time)
    kept = read[ok]
    keep = kept.tolist()
    src_text = np.array([r.value if isinstance(r, ReportSource) else str(r) for r in src_u],
                        dtype=object)
    out_src = src_text[src_i[ok]].tolist()
    out_at = time_u[time_i[ok]].tolist()
    if urgent_c is not None:
        urg_u, urg_i = _per_distinct(lambda v: text(v).lower() in URGENT_WORDS,
                                     _pick(urgent_c, keep))
        out_urg = urg_u.astype(bool)[urg_i]
    else:
        out_urg = np.zeros(len(keep), dtype=bool)
    notes = {i: notes_by_row[k] for i, k in enumerate(keep) if k in notes_by_row} \
        if notes_by_row else {}
    return CheckedRows(
        keep, lon_all[kept], lat_all[kept], cat_all[kept], _pick(ext_col, keep), out_src,
        out_urg, out_at, notes, rejected, unknown, seen, moves, col)


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
