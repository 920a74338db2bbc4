"""Writing an import's accepted rows in one pass (the bulk half of the report import).

The same rows the former loop wrote with ``insert_report`` one at a time,
written as columns inside the caller's transaction: case numbers are taken
per day with one question (:func:`report_bulk.last_case_nos`), reports go
through :func:`gridapp.storage.bulk.insert_points` (``executemany``, the
R-tree packed once), their first case events with one ``INSERT … SELECT``.
The audit chain gets one entry per table written (rows, first and last id)
and the import's own entry, which carries a SHA-256 of every written
report's values: a later change to any imported row no longer matches it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from gridapp.domain.enums import CaseStatus, Role
from gridapp.domain.timeutil import LOCAL_TZ, to_iso
from gridapp.services.cases.report_import_rows import epoch_us, iso_ms
from gridapp.storage import bulk
from gridapp.storage.queries import report_bulk
from gridapp.storage.transaction import Transaction

# Asia/Shanghai has kept UTC+8 without daylight saving since 1991.
_FIXED_SINCE_MS = int(datetime(1992, 1, 1, tzinfo=UTC).timestamp()) * 1000
_EIGHT_HOURS_MS = 8 * 3600 * 1000


def iso_many(times: list[datetime]) -> tuple[np.ndarray, np.ndarray]:
    """``to_iso`` of each aware datetime, and its Beijing date as the integer ``YYYYMMDD``."""
    ms = epoch_us(times) // 1000
    iso = iso_ms(ms)
    local = (ms + _EIGHT_HOURS_MS).astype("datetime64[ms]").astype("datetime64[D]")
    year = local.astype("datetime64[Y]")
    month = local.astype("datetime64[M]")
    ymd = ((year.astype(np.int64) + 1970) * 10000
           + (month - year).astype(np.int64) * 100 + 100 + (local - month).astype(np.int64) + 1)
    old = np.flatnonzero(ms < _FIXED_SINCE_MS)
    for i in old.tolist():  # before 1992: ask the zone database (summer time 1986-1991)
        ymd[i] = int(f"{times[i].astimezone(LOCAL_TZ):%Y%m%d}")
        iso[i] = to_iso(times[i])
    return iso, ymd


def case_numbers(tx: Transaction, days: np.ndarray) -> list[str]:
    """The next case numbers, in row order, as ``next_case_no`` would give them one by one.

    *days* are Beijing dates as integers ``YYYYMMDD``; each day's rows are
    numbered in row order after the day's highest number already taken.
    """
    n = len(days)
    inv, keys = pd.factorize(np.asarray(days, dtype=np.int64))
    last = report_bulk.last_case_nos(tx.conn, [str(k) for k in keys.tolist()])
    first = np.array([int(v[8:13]) + 1 if (v := last.get(str(k), ""))[8:13].isdigit() else 1
                      for k in keys.tolist()], dtype=np.int64)
    rank = pd.Series(inv).groupby(inv).cumcount().to_numpy()  # row order within a day
    seq = first[inv] + rank
    if n and seq.max() > 99_999:  # a sixth digit: as the f-string writes it
        return [f"{d}{q:05d}" for d, q in zip(days.tolist(), seq.tolist(), strict=True)]
    return (keys[inv] * 100_000 + seq).astype(str).tolist()


def _digest(columns: list[str], values: list[Any]) -> str:
    """SHA-256 over every written value, column by column: a float array as its
    little-endian float64 bytes (exact, and ~100x faster than ``repr`` of a
    million floats), a column holding one text, integer or None on every row as
    ``count*repr(value)``, a column of texts as their lengths (int64) and then
    the texts joined (UTF-8), any other column as the ``repr`` of its list."""
    h = hashlib.sha256()
    for name, col in zip(columns, values, strict=True):
        h.update(name.encode("utf-8") + b"\x1e")
        if isinstance(col, np.ndarray) and col.dtype.kind == "f":
            h.update(np.ascontiguousarray(col, dtype="<f8").tobytes())
        elif isinstance(col, list) and col and type(col[0]) in (type(None), str, int) \
                and col.count(col[0]) == len(col) and set(map(type, col)) == {type(col[0])}:
            h.update(f"{len(col)}*{col[0]!r}".encode())  # one value on every row
        elif set(map(type, col)) == {str}:  # text: the lengths, then the texts joined
            h.update(np.fromiter(map(len, col), dtype="<i8", count=len(col)).tobytes())
            h.update("".join(col).encode("utf-8"))
        else:
            h.update(repr(list(col)).encode("utf-8"))
    return h.hexdigest()


def write_rows(tx: Transaction, user: Any, accepted: Any, hints: list[str],
               now: datetime, summary: str) -> tuple[list[int], list[str], str]:
    """Insert the accepted rows (an ``AcceptedRows``); returns ids, case numbers, digest."""
    c = accepted.checked
    n = len(c.index)
    fields = accepted.fields
    times = [t if t is not None else now for t in c.reported_at]
    reported_iso, days = iso_many(times)
    nos = case_numbers(tx, days)
    now_text = to_iso(now)
    address = [a or h or None for a, h in zip(fields["address"], hints, strict=True)]
    columns = ["case_no", "address", "category_id", "description", "source",
               "reporter_manager_id", "reporter_name", "reporter_phone", "grid_id",
               "community_id", "urgency", "status", "reported_at", "parent_id", "external_id",
               "reported_by_user_id", "updated_at"]
    manager = user.manager_id if user.role is Role.MANAGER else None
    place = accepted.placement
    values: list[list[Any]] = [
        nos, address, c.category_id.tolist(), fields["description"], c.source,
        [manager] * n, fields["reporter_name"], fields["reporter_phone"],
        place["grid_id"].tolist(), place["community_id"],
        list(map(("normal", "urgent").__getitem__, c.urgent.tolist())),  # two str objects
        [CaseStatus.REPORTED.value] * n,
        reported_iso.tolist(), [None] * n, c.external_id, [user.id] * n, [now_text] * n]
    digest = _digest(["lon", "lat", *columns], [c.lon, c.lat, *values])
    # Columns that are NULL on every row stay out of the INSERT (NULL is what they
    # get): a million fewer values bound for each.
    written = [j for j, col in enumerate(values) if col.count(None) < n]
    first, count = bulk.insert_points(
        tx, "report", [columns[j] for j in written], c.lon, c.lat,
        column_values=[values[j] for j in written], summary=f"{summary}; sha256 {digest}")
    ids = list(range(first, first + count))
    if count:
        report_bulk.insert_first_events(tx, first, first + count - 1,
                                        CaseStatus.REPORTED.value, user.username, user.id,
                                        now_text, summary)
    return ids, nos, digest
