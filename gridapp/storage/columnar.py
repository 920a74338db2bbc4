"""Reading a large table column by column, without a Python object per cell.

:func:`gridapp.storage.reading.read_table`'s row reader asks ``sqlite3`` for
the rows: one Python object per cell, then a transpose.  On a million
reports that is most of the read.  Here SQLite does the per-cell work in C
instead, one aggregate query per chunk of rowids:

* each row becomes one text, ``printf('%s<US>%s…', …)`` of its columns (ASCII
  unit separator 0x1F between fields), and ``group_concat`` joins the rows
  with the record separator 0x1E;
* the geometry blobs are joined end to end (``group_concat(geom, '')``), with
  each row's blob length as one of its text fields;
* whether a nullable TEXT value is NULL or '' travels as a bit mask field;
* columns with no value in the first chunk are left out of the following
  chunks' text, and one ``coalesce(…) IS NOT NULL`` per row says whether a
  chunk holds a value in one of them after all (it is then read again with
  every column).

numpy finds the separators and parses the INTEGER and DATETIME fields in
place (digits weighed by powers of ten; ``datetime64`` for the timestamps),
Arrow takes the TEXT fields into column order, and
:func:`gridapp.storage.geometry.decode_packed` decodes the blobs.  REAL,
BLOB and other columns come from a plain ``SELECT`` of those columns over the
same chunk.

The columns are those the row reader gives, or none: :class:`NotApplicable`
is raised as soon as a chunk holds a value this encoding cannot carry
exactly — a separator character inside text, a REAL or TEXT value in an
INTEGER column, a DATETIME not written as GridApp's writers write them
(``YYYY-MM-DDTHH:MM:SS.sssZ`` or ``…:SSZ``), text that is not UTF-8 — and the
caller reads with the row reader; so is a BLOB in any of those columns (the
greatest value of each row: BLOB sorts above text and numbers).  One
difference is left, for a value GridApp never writes: ``printf`` ends a text
at an embedded NUL character (as readers of C strings, GDAL's among them, do).

Only Python's own ``sqlite3`` connections are used (never GDAL's SQLite; see
:mod:`gridapp.storage.reading`), and all chunks are read in one read
transaction, so the frame is one snapshot of the file, as one ``SELECT`` is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

    from gridapp.storage.store import GeoPackageStore

#: Rows per aggregate query: ~15 MB of text for a chunk of reports.
CHUNK_ROWS = 100_000
#: Below this many rowids the row reader is as quick, and simpler.
MIN_ROWS = 20_000
_MAX_FIELDS = 100  # SQLite's printf takes at most SQLITE_MAX_FUNCTION_ARG (127) arguments
_US, _RS = 0x1F, 0x1E


class NotApplicable(Exception):
    """This read cannot be done column-wise exactly; use the row reader."""


def _arrow_types() -> dict[str, Any]:
    import pyarrow as pa

    return {"int": pa.int64(), "text": pa.string(), "datetime": pa.timestamp("ms", tz="UTC")}


@dataclass
class _Layout:
    """The columns read, how each travels, and the SQL that renders them."""

    table: str
    columns: list[tuple[str, str]] = field(default_factory=list)  # (kind, column), in order
    nullable: set[str] = field(default_factory=set)
    others: list[str] = field(default_factory=list)  # read with a plain SELECT
    geom: str | None = None

    def render(self, dead: frozenset[str], probe: bool) -> _Render:
        """The chunk query leaving out the *dead* columns (NULL in every row so far).

        A dead column costs SQLite one ``IS NOT NULL`` per row instead of a
        printf field; the query's last value says whether any of them holds a
        value in the chunk (then the chunk is read again with all columns).
        With *probe*, the query also counts each nullable column's values.
        """
        live = [(k, c) for k, c in self.columns if c not in dead]
        nullable_text = [c for k, c in live if k == "text" and c in self.nullable]
        masks = [nullable_text[i:i + 62] for i in range(0, len(nullable_text), 62)]
        fields = ([("geomlen", self.geom)] if self.geom else [])
        fields += [("mask", str(i)) for i in range(len(masks))] + live
        if len(fields) > _MAX_FIELDS:
            raise NotApplicable
        exprs, formats = [], []
        for kind, col in fields:
            # %d renders an integer without SQLite's text conversion, but also a
            # REAL or TEXT value as an integer: only for the masks (ours).  Under
            # %s, NULL is ''.
            formats.append("%d" if kind == "mask" else "%s")
            if kind == "geomlen":
                exprs.append(f'length("{col}")')
            elif kind == "mask":
                exprs.append("(" + " | ".join(f'(("{c}" IS NULL) << {b})' for b, c in
                                              enumerate(masks[int(col)])) + ")")
            else:
                exprs.append(f'"{col}"')
        sql = (f"SELECT count(*), CAST(group_concat(printf('{chr(31).join(formats)}',"
               f" {', '.join(exprs)}), char(30)) AS BLOB)")
        sql += f", CAST(group_concat(\"{self.geom}\", '') AS BLOB)" if self.geom else ", NULL"
        if dead:  # coalesce: SQLite stops at the first value, cheaper than an OR chain
            sql += (", max(coalesce(" + ", ".join(f'"{c}"' for c in sorted(dead))
                    + ", NULL) IS NOT NULL)")
        else:
            sql += ", 0"
        # A BLOB in an INTEGER, TEXT or DATETIME column would travel as its bytes;
        # BLOB sorts above every other value, so the greatest value of each row
        # (NULL as '') is a BLOB exactly when the row holds one.
        plain = [f'ifnull("{c}", \'\')' for k, c in live]
        sql += f", typeof(max(max({', '.join(plain)}, '')))" if plain else ", NULL"
        counted = sorted(self.nullable) if probe else []
        sql += "".join(f', count("{c}")' for c in counted)
        sql += f' FROM "{self.table}" WHERE rowid > ? AND rowid <= ?'
        return _Render(fields, masks, dead, counted, sql)

    def others_sql(self) -> str:
        cols = ", ".join(f'"{c}"' for c in self.others)
        return f'SELECT {cols} FROM "{self.table}" WHERE rowid > ? AND rowid <= ?'


@dataclass(frozen=True)
class _Render:
    fields: list[tuple[str, str]]  # (kind, column or mask number) of each text field
    masks: list[list[str]]  # the nullable TEXT columns of each mask field
    dead: frozenset[str]
    counted: list[str]
    sql: str


def _kind(decl: str) -> str:
    """How a column of this declared type travels (SQLite's affinity rules)."""
    if "INT" in decl or decl == "BOOLEAN":
        return "int"  # INTEGER affinity; BOOLEAN (NUMERIC) holds 0/1
    if any(t in decl for t in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if decl == "DATETIME":
        return "datetime"
    return "other"


def _layout(store: GeoPackageStore, table: str, colnames: Sequence[str],
            geom: str | None) -> _Layout:
    schema = dict(store.table_schema(table))
    notnull = _not_null_columns(store, table)
    lay = _Layout(table, geom=geom)
    for col in colnames:
        if col == geom:
            continue
        kind = _kind(schema[col])
        if kind == "other":
            lay.others.append(col)
            continue
        if col not in notnull:
            lay.nullable.add(col)
        lay.columns.append((kind, col))
    return lay


def _not_null_columns(store: GeoPackageStore, table: str) -> set[str]:
    cache: dict[str, set[str]] = store.__dict__.setdefault("_notnull", {})
    if table not in cache:
        cache[table] = {r[0] for r in store.query(
            'SELECT name FROM pragma_table_info(?) WHERE "notnull"', (table,))}
    return cache[table]


def read_columns(store: GeoPackageStore, table: str, colnames: Sequence[str],
                 geom: str | None) -> dict[str, Any] | None:
    """The columns of ``SELECT <colnames> FROM table``, in its row order.

    Returns ``None`` when the table is small or is not read in rowid order
    (a covering index, a virtual table): the row reader is then the reader.
    Values are Arrow arrays (ChunkedArray), the geometry an object array of
    shapely geometries, other columns lists of Python values.  Raises
    :class:`NotApplicable` when a value cannot travel this way.
    """
    conn = store._reader()
    try:
        kind = conn.execute('SELECT type, wr FROM pragma_table_list WHERE name = ? AND schema = ?',
                            (table, "main")).fetchone()
    except sqlite3.OperationalError:  # SQLite before 3.37
        return None
    if kind is None or tuple(kind) != ("table", 0):  # views, virtual and WITHOUT ROWID tables
        return None
    select = f'SELECT {", ".join(chr(34) + c + chr(34) for c in colnames)} FROM "{table}"'
    plan = [r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {select}").fetchall()]
    if plan not in ([f"SCAN {table}"], [f"SCAN TABLE {table}"]):
        return None  # e.g. a covering index: not rowid order
    lay = _layout(store, table, colnames, geom)
    own_txn = not conn.in_transaction
    if own_txn:
        conn.execute("BEGIN")  # one snapshot for every chunk, as one SELECT has
    try:
        lo, hi = conn.execute(f'SELECT min(rowid), max(rowid) FROM "{table}"').fetchone()
        if lo is None or hi - lo + 1 < MIN_ROWS:
            return None
        return _read_chunks(conn, lay, colnames, lo - 1, hi)
    finally:
        if own_txn:
            conn.execute("COMMIT")


def _read_chunks(conn: sqlite3.Connection, lay: _Layout, colnames: Sequence[str],
                 after: int, last: int) -> dict[str, Any]:
    import pyarrow as pa

    kinds = {c: k for k, c in lay.columns}
    parts: dict[str, list[pa.Array]] = {c: [] for c in kinds}
    others: dict[str, list[Any]] = {c: [] for c in lay.others}
    geoms: list[np.ndarray] = []
    chunks = _chunks(conn, lay, after, last)
    try:
        for render, n, text, blob, other_rows in chunks:
            cols, geom = _parse_chunk(lay, render, n, text, blob)
            for name in render.dead:
                cols[name] = pa.nulls(n, _arrow_types()[kinds[name]])
            for name, arr in cols.items():
                parts[name].append(arr)
            if geom is not None:
                geoms.append(geom)
            if other_rows is not None:
                for name, values in zip(lay.others, zip(*other_rows, strict=True), strict=True):
                    others[name].extend(values)
    finally:
        # the helper thread has stopped before the caller ends the read
        # transaction, also when a chunk raised (not when the traceback goes)
        chunks.close()
    out: dict[str, Any] = {}
    for name in colnames:
        if name == lay.geom:
            out[name] = np.concatenate(geoms) if geoms else np.empty(0, dtype=object)
        elif name in others:
            out[name] = others[name]
        else:
            out[name] = _column(pa, parts[name], kinds[name] == "datetime")
    return out


def _chunks(conn: sqlite3.Connection, lay: _Layout, after: int, last: int):
    """(render, rows, row texts, geometry blobs, other columns' rows) of each rowid range.

    A helper thread runs the queries (``sqlite3`` lets go of the GIL while
    SQLite works) while the caller decodes the chunk before, on the same
    connection and so in the same read transaction; the caller's thread does
    not touch the connection until the helper has stopped.  The first chunk
    counts each nullable column's values; columns with none are left out of
    the following chunks' text until a chunk finds a value in one.
    """
    import queue
    import threading

    others_sql = lay.others_sql() if lay.others else None
    results: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def query(render: _Render, lo: int, hi: int):
        cur = conn.execute(render.sql, (lo, hi))
        cur.row_factory = None
        return cur.fetchone()

    def run() -> None:
        lo, width = after, CHUNK_ROWS
        render = lay.render(frozenset(), probe=True)
        renders: dict[frozenset[str], _Render] = {}
        try:
            while lo < last and not stop.is_set():
                hi = min(lo + width, last)
                row = query(render, lo, hi)
                if row[3]:  # a value in a left-out column: again, counting
                    render = lay.render(frozenset(), probe=True)
                    row = query(render, lo, hi)
                n, text, blob = row[:3]
                if row[4] == "blob":
                    raise NotApplicable
                used = render
                if render.counted and n:
                    dead = frozenset(c for c, m in zip(render.counted, row[5:], strict=True)
                                     if not m)
                    render = renders.get(dead) or renders.setdefault(
                        dead, lay.render(dead, probe=False))
                rows = None
                if n and others_sql:
                    cur = conn.execute(others_sql, (lo, hi))
                    cur.row_factory = None
                    rows = cur.fetchall()
                if n:
                    results.put((used, n, text, blob, rows))
                if n < CHUNK_ROWS // 2:
                    width *= 2  # sparse rowids: wider ranges
                lo = hi
            results.put(None)
        except BaseException as exc:  # handed to the caller's thread
            results.put(exc)

    helper = threading.Thread(target=run, name="gridapp-columnar-read", daemon=True)
    helper.start()
    try:
        while (item := results.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            if item[4] is not None and len(item[4]) != item[1]:
                raise NotApplicable
            yield item
    finally:
        stop.set()
        while helper.is_alive():
            try:
                results.get(timeout=0.05)  # let a blocked put() finish
            except queue.Empty:
                pass
        helper.join()


def _column(pa, chunks: list[pa.Array], timestamps: bool):
    """One column; all NULL gives Arrow's null type, as ``pa.array([None, …])`` infers.

    Timestamps keep their type: read_table makes NaT of an all-NULL DATETIME column.
    """
    total = sum(len(c) for c in chunks)
    if not timestamps and sum(c.null_count for c in chunks) == total:
        return pa.nulls(total)
    return pa.chunked_array(chunks)


def _parse_chunk(lay: _Layout, render: _Render, n: int, text: bytes, geom_blob: bytes | None):
    import pyarrow as pa

    k = len(render.fields)
    buf = np.frombuffer(text, dtype=np.uint8)
    is_rs = buf == _RS
    is_sep = is_rs | (buf == _US)
    pos = np.flatnonzero(is_sep)
    # Exactly k - 1 unit separators in each row and a record separator after
    # every k-th field: no text value holds either character.
    if len(pos) != n * k - 1 or int(np.count_nonzero(is_rs)) != n - 1:
        raise NotApplicable
    if not is_rs[pos[k - 1::k]].all():
        raise NotApplicable
    starts = np.empty(n * k, dtype=np.int64)
    starts[0] = 0
    starts[1:] = pos + 1
    ends = np.empty(n * k, dtype=np.int64)
    ends[:-1] = pos
    ends[-1] = len(buf)
    lengths = ends - starts
    at, size = starts.reshape(n, k), lengths.reshape(n, k)
    # zeros around the text, so that a window of up to _PAD bytes may start
    # before a field (right-aligned digits) or run past the end
    padded = np.zeros(len(buf) + 2 * _PAD, dtype=np.uint8)
    padded[_PAD:-_PAD] = buf

    null_masks: dict[str, np.ndarray] = {}
    cols: dict[str, pa.Array] = {}
    geom_lengths = None
    texts: list[tuple[int, str, np.ndarray | None]] = []
    for j, (kind, col) in enumerate(render.fields):
        if kind in ("geomlen", "mask", "int"):
            values, valid = _integers(padded, at[:, j], size[:, j])
            if kind == "geomlen":
                geom_lengths = np.where(valid, values, -1)
            elif kind == "mask":
                for b, c in enumerate(render.masks[int(col)]):
                    null_masks[c] = ((values >> b) & 1).astype(bool)
            elif valid.all():
                cols[col] = pa.array(values)
            else:
                cols[col] = pa.array(values, mask=~valid)
        elif kind == "text":
            nulls = null_masks.get(col)
            if nulls is not None and nulls.all():
                cols[col] = pa.nulls(n, pa.string())
            else:
                texts.append((j, col, nulls))
        else:
            cols[col] = _timestamps(pa, padded, at[:, j], size[:, j])
    if texts:
        cols.update(_strings(pa, buf, is_sep, lengths, n, k, texts))
    geom = None
    if lay.geom is not None:
        from gridapp.storage import geometry

        assert geom_lengths is not None
        try:
            geom = geometry.decode_packed(geom_blob or b"", geom_lengths)
        except ValueError as exc:
            raise NotApplicable from exc  # the row reader raises it with its own message
    return cols, geom


_POW10 = np.array([10**i for i in range(19, -1, -1)], dtype=np.uint64)  # 10^19 … 1


_PAD = 24


def _windows(padded: np.ndarray, at: np.ndarray, width: int) -> np.ndarray:
    """(len(at), width) bytes of the text starting at each of *at* (text offsets)."""
    view = np.lib.stride_tricks.sliding_window_view(padded, width)
    return view[at + _PAD]


def _integers(padded: np.ndarray, at: np.ndarray, size: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """int64 values of ``[-]digits`` fields ('' is NULL) and where they are valid.

    ``printf`` writes an INTEGER so; a REAL ('1.5', '1.0e+20') or TEXT value
    in the column has other characters and the read goes to the row reader.
    The digits are gathered right-aligned into an (n, width) matrix and
    weighed by powers of ten in one product.
    """
    n = len(at)
    valid = size > 0
    if not valid.any():
        return np.zeros(n, dtype=np.int64), valid
    width = int(size.max())
    if width > 20:
        raise NotApplicable
    lead = width - size  # padding before each field's first character
    raw = _windows(padded, at - lead, width)
    raw[np.arange(width) < lead[:, None]] = 0x30
    neg = valid & (padded[at + _PAD] == 0x2D)
    if neg.any():
        rows = np.flatnonzero(neg)
        raw[rows, lead[rows]] = 0x30
        if (size[rows] < 2).any():
            raise NotApplicable
    digits = raw - np.uint8(0x30)
    if (digits > 9).any():
        raise NotApplicable
    if width == 20:  # only '-' and 19 digits fit
        if (digits[:, 0] != 0).any():
            raise NotApplicable
        digits, width = digits[:, 1:], 19
    mag = digits.astype(np.uint64) @ _POW10[-width:]
    values = mag.view(np.int64)
    return np.where(neg, -values, values), valid


# The two forms GridApp's writers use (milliseconds are left out when zero).
_ISO = {len(f): np.frombuffer(f, dtype=np.uint8)
        for f in (b"dddd-dd-ddTdd:dd:dd.dddZ", b"dddd-dd-ddTdd:dd:ddZ")}
_FIRST, _LAST = np.datetime64("1678-01-01", "ms"), np.datetime64("2262-01-01", "ms")


def _timestamps(pa, padded: np.ndarray, at: np.ndarray, size: np.ndarray):
    """UTC millisecond timestamps of ``YYYY-MM-DDTHH:MM:SS[.sss]Z`` fields.

    '' and NULL are both NaT, as ``pandas.to_datetime`` makes of them.  numpy
    parses (and refuses a 30 February, a 24th hour, a 60th second, as pandas
    does); anything else goes to the row reader.
    """
    n = len(at)
    valid = size > 0
    out = np.zeros(n, dtype="datetime64[ms]")
    if not valid.any():
        return pa.nulls(n, pa.timestamp("ms", tz="UTC"))
    seen = 0
    for width, form in _ISO.items():
        rows_at = np.flatnonzero(size == width)
        seen += len(rows_at)
        if not len(rows_at):
            continue
        if not (padded[at[rows_at] + _PAD + width - 1] == ord("Z")).all():
            raise NotApplicable
        rows = _windows(padded, at[rows_at], width - 1)  # without the Z
        head = form[:-1]
        digit = head == ord("d")
        if np.where(digit, (rows - np.uint8(0x30)) > 9, rows != head).any():
            raise NotApplicable
        text = rows.view(f"S{width - 1}")[:, 0]
        try:
            out[rows_at] = text.astype("datetime64[ms]")
        except ValueError as exc:
            raise NotApplicable from exc
    if seen != int(np.count_nonzero(valid)):
        raise NotApplicable
    if ((out[valid] < _FIRST) | (out[valid] >= _LAST)).any():
        raise NotApplicable  # pandas' own range rules decide
    ms = out.view(np.int64)
    return pa.array(ms, type=pa.timestamp("ms", tz="UTC"), mask=None if valid.all() else ~valid)


def _strings(pa, buf: np.ndarray, is_sep: np.ndarray, lengths: np.ndarray, n: int, k: int,
             texts: list[tuple[int, str, np.ndarray | None]]) -> dict[str, pa.Array]:
    """The TEXT columns: the fields as one Arrow string array, taken into column order."""
    data = buf[~is_sep]
    if len(data) >= 2**31:
        raise NotApplicable
    offsets = np.zeros(n * k + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    fields = pa.Array.from_buffers(pa.string(), n * k,
                                   [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    js = np.array([j for j, _, _ in texts], dtype=np.int64)
    picked = fields.take(pa.array((js[:, None] + np.arange(n) * k).ravel()))
    p_offsets = np.frombuffer(picked.buffers()[1], dtype=np.int32)
    p_data = picked.buffers()[2]
    out = {}
    for i, (_, col, nulls) in enumerate(texts):
        offs = pa.py_buffer(p_offsets[i * n:(i + 1) * n + 1])
        if nulls is None:
            arr = pa.Array.from_buffers(pa.string(), n, [None, offs, p_data])
        else:
            bitmap = pa.py_buffer(np.packbits(~nulls, bitorder="little"))
            arr = pa.Array.from_buffers(pa.string(), n, [bitmap, offs, p_data],
                                        null_count=int(np.count_nonzero(nulls)))
        try:
            arr.validate(full=True)  # UTF-8, as sqlite3 decodes it
        except pa.ArrowInvalid as exc:
            raise NotApplicable from exc
        out[col] = arr
    return out
