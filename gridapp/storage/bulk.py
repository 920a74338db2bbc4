"""Bulk writes of feature rows with the spatial index built once at the end.

Per-row R-tree triggers dominate the cost of loading many features; like
GDAL, the triggers are dropped for the load and the tree is packed in one
pass (:mod:`rtree_pack`); secondary indexes are rebuilt once, sorted.  Two
entry points: :func:`insert_features` binds Python values inside the caller's
transaction; :func:`load_frame` lets pyogrio encode a GeoDataFrame into a
staging file and copies it with one ``INSERT ... SELECT`` in an audited
transaction.  Either way a failure leaves nothing behind.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely

from gridapp.domain.timeutil import now_iso
from gridapp.storage import geometry, gpkg, rtree_pack
from gridapp.storage.queries import search
from gridapp.storage.transaction import Transaction, _ident


class _Load:
    """The steps around a bulk load: triggers and indexes off, then rebuilt."""

    def __init__(self, tx: Transaction, table: str, n: int) -> None:
        self.tx, self.table, self.n = tx, table, n
        conn = tx.conn
        start = conn.execute(f"SELECT coalesce(max(id), 0) FROM {_ident(table)}").fetchone()[0] + 1
        seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
        if seq and seq[0] >= start:
            start = seq[0] + 1
        self.start = int(start)
        self.ids = np.arange(start, start + n)
        gpkg.drop_rtree_triggers(conn, table)
        # Full-text search indexes the rows later (a pending range), not row by row here.
        self.fts_trigger = search.suspend_indexing(conn, table)
        self.outside_trigger = suspend_outside_insert_trigger(conn, table)
        self.indexes = drop_indexes_for_load(conn, table, n)

    def finish(self, bounds: np.ndarray, summary: str) -> tuple[int, int]:
        conn, table, ids = self.tx.conn, self.table, self.ids
        ok = ~np.isnan(bounds).any(axis=1)
        rtree = f"rtree_{table}_geom"
        indexed = conn.execute(f'SELECT count(*) FROM "{rtree}_rowid"').fetchone()[0]
        if indexed < int(ok.sum()):
            # More new entries than old: packing the whole tree again once is
            # cheaper than inserting each new entry (about 15 µs with splits).
            old = np.array(conn.execute(
                f'SELECT id, minx, maxx, miny, maxy FROM "{rtree}"').fetchall(),
                dtype=np.float64).reshape(-1, 5)
            conn.execute(f'DELETE FROM "{rtree}_rowid"')
            conn.execute(f'DELETE FROM "{rtree}_parent"')
            rtree_pack.load_empty(
                conn, rtree, np.concatenate([old[:, 0].astype(np.int64), ids[ok]]),
                np.concatenate([old[:, 1], bounds[ok, 0]]),
                np.concatenate([old[:, 2], bounds[ok, 2]]),
                np.concatenate([old[:, 3], bounds[ok, 1]]),
                np.concatenate([old[:, 4], bounds[ok, 3]]))
        else:
            conn.executemany(
                f'INSERT INTO "{rtree}" VALUES (?, ?, ?, ?, ?)',
                zip(ids[ok].tolist(), bounds[ok, 0].tolist(), bounds[ok, 2].tolist(),
                    bounds[ok, 1].tolist(), bounds[ok, 3].tolist(), strict=False))
        gpkg.create_rtree_triggers(conn, table)
        search.resume_indexing(conn, self.fts_trigger, self.start, self.start + self.n - 1)
        resume_trigger(conn, self.outside_trigger)
        create_indexes(conn, self.indexes)
        update_extent(self.tx, table)
        self.tx.audit("bulk_insert", table, None,
                      {"rows": self.n, "first_id": self.start,
                       "last_id": self.start + self.n - 1, "summary": summary})
        return self.start, self.n


def insert_features(tx: Transaction, table: str, columns: Sequence[str],
                    values: Sequence[Sequence[Any]] | None, geoms: np.ndarray, *,
                    summary: str = "", srs_id: int = 4490,
                    column_values: Sequence[Sequence[Any]] | None = None) -> tuple[int, int]:
    """Insert rows with geometry; returns (first id, count).

    *values* holds one sequence per row matching *columns* (without ``id``
    and ``geom``), or *column_values* one sequence per column (faster: no
    per-row tuples are built); *geoms* the shapely geometries, one per row.
    """
    n = len(geoms)
    if column_values is None:
        if values is None or len(values) != n:
            raise ValueError("values and geoms differ in length")
        column_values = list(zip(*values, strict=False)) if n else [[] for _ in columns]
    if any(len(c) != n for c in column_values):
        raise ValueError("column values and geoms differ in length")
    if n == 0:
        return 0, 0
    geoms = geometry.conform(geoms, tx.store.feature_tables().get(table, "GEOMETRY"), table)
    if np.all(shapely.get_type_id(geoms) == 0):
        xy = shapely.get_coordinates(geoms)
        blobs = geometry.encode_points(xy[:, 0], xy[:, 1], srs_id) if len(xy) == n else \
            geometry.encode(geoms, srs_id)
    else:
        blobs = geometry.encode(geoms, srs_id)
    if getattr(tx.store, "schema", None):  # a street on a district server: COPY
        from gridapp.storage.postgis.bulk import insert_features as insert_features_pg

        return insert_features_pg(tx, table, columns, column_values, blobs)
    return _insert_blobs(tx, table, columns, blobs, column_values, shapely.bounds(geoms),
                         summary)


def insert_points(tx: Transaction, table: str, columns: Sequence[str], x: np.ndarray,
                  y: np.ndarray, *, column_values: Sequence[Sequence[Any]], summary: str = "",
                  srs_id: int = 4490) -> tuple[int, int]:
    """:func:`insert_features` for points given as coordinate arrays; (first id, count).

    The same rows, blobs and R-tree as ``insert_features(..., shapely.points(x, y))``
    without making a shapely geometry per row (a million points: ~130 MB and
    their creation, type and coordinate passes).  A table that does not take
    POINT as it is, or a district server, goes through :func:`insert_features`.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = len(x)
    if len(y) != n or any(len(c) != n for c in column_values):
        raise ValueError("column values and coordinates differ in length")
    declared = (tx.store.feature_tables().get(table, "GEOMETRY") or "GEOMETRY").upper()
    if n == 0 or getattr(tx.store, "schema", None) or declared not in ("POINT", "GEOMETRY") \
            or not (np.isfinite(x) & np.isfinite(y)).all():
        return insert_features(tx, table, columns, None, shapely.points(x, y), summary=summary,
                               srs_id=srs_id, column_values=column_values)
    return _insert_blobs(tx, table, columns, geometry.encode_points(x, y, srs_id),
                         column_values, np.column_stack([x, y, x, y]), summary)


def _insert_blobs(tx: Transaction, table: str, columns: Sequence[str], blobs: Sequence[bytes],
                  column_values: Sequence[Sequence[Any]], bounds: np.ndarray,
                  summary: str) -> tuple[int, int]:
    """(new id, geometry blob, *values) rows by :func:`insert_values`; the R-tree
    from *bounds* (minx, miny, maxx, maxy per row) and the audit entry by ``_Load``."""
    load = _Load(tx, table, len(blobs))
    insert_values(tx.conn, table, ["id", "geom", *columns],
                  [load.ids.tolist(), blobs, *column_values])
    return load.finish(bounds, summary)


# Rows per INSERT statement in insert_values.  One statement of many rows runs the
# per-statement work (bind loop set-up, step, reset, the connection mutex) once for
# all of them: report rows of the batch import, 200,000 at a time, load 2-4, process
# CPU of the inserts: 1 row per statement 0.99-1.54 s, 50 rows 1.06-1.22 s, 200 rows
# 0.75-1.10 s.
ROWS_PER_STATEMENT = 200


def insert_values(conn, table: str, columns: Sequence[str],
                  column_values: Sequence[Sequence[Any]]) -> int:
    """Insert the rows given column by column, many rows per ``INSERT`` statement.

    The rows go in in their order (ids given or taken go with it) through
    one ``executemany`` of ``INSERT ... VALUES (...), (...), ...`` and one
    more for the rows left over; the values are bound as they are, the same
    objects a row-by-row ``executemany`` binds.  Returns the number of rows.
    """
    n = len(column_values[0]) if column_values else 0
    width = len(columns)
    if n == 0 or width == 0:
        return 0
    per = max(1, min(ROWS_PER_STATEMENT,
                     conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    one = f"({', '.join('?' for _ in columns)})"
    head = f"INSERT INTO {_ident(table)} ({', '.join(_ident(c) for c in columns)}) VALUES "
    full = n - n % per
    chain = itertools.chain.from_iterable

    def statements(start: int, stop: int, step: int):
        for i in range(start, stop, step):
            yield list(chain(zip(*(c[i:i + step] for c in column_values), strict=True)))

    if full:
        conn.executemany(head + ", ".join([one] * per), statements(0, full, per))
    if full < n:
        conn.executemany(head + one, statements(full, n, 1))
    return n


def insert_rows(tx: Transaction, table: str, columns: Sequence[str],
                rows: Sequence[Sequence[Any]], *, summary: str = "") -> int:
    """Insert many attribute rows (no geometry) with one audit entry; returns the count.

    Like :meth:`Transaction.insert_many`, but a load larger than the table
    (and at least 10,000 rows) drops the table's secondary indexes and builds
    each once, sorted, afterwards.
    """
    conn = tx.conn
    n = len(rows)
    if n == 0:
        return 0
    indexes = drop_indexes_for_load(conn, table, n)
    outside = suspend_outside_insert_trigger(conn, table)
    cols = ", ".join(_ident(c) for c in columns)
    conn.executemany(f"INSERT INTO {_ident(table)} ({cols}) VALUES "
                     f"({', '.join('?' for _ in columns)})", rows)
    resume_trigger(conn, outside)
    create_indexes(conn, indexes)
    tx.audit("bulk_insert", table, None, {"rows": n, "summary": summary})
    return n


def suspend_outside_insert_trigger(conn, table: str) -> str | None:
    """Drop *table*'s outside-edit insert trigger for a bulk load; its SQL back (or None).

    The trigger stays quiet in GridApp's own writes (``gridapp_writer`` is
    marked), but SQLite still enters it for each row to test that: about as
    long as the insert itself (20,000 reports: 1.5-1.8 s with it, 0.75-0.8 s
    without, at load ~13).  Dropped and created again inside the same
    transaction, so no other connection ever sees the table without it, and a
    failed load rolls both back.
    """
    name = f"outside_edit_{table}_insert"
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                       (name,)).fetchone()
    if row is None:
        return None
    conn.execute(f"DROP TRIGGER {_ident(name)}")
    return str(row[0])


def resume_trigger(conn, sql: str | None) -> None:
    """Create again a trigger :func:`suspend_outside_insert_trigger` dropped."""
    if sql is not None:
        conn.execute(sql)


def drop_indexes_for_load(conn, table: str, n: int | None, *,
                          times: int = 1) -> list[tuple[str, str]]:
    """Drop *table*'s secondary indexes before a bulk load of *n* rows when building
    each once afterwards, sorted, is cheaper than updating every B-tree per row:
    at least 10,000 rows and more than *times* the rows the table holds (*n*
    None: always).  Returns what :func:`create_indexes` builds after the load."""
    if n is not None:
        existing = conn.execute(f"SELECT count(*) FROM {_ident(table)}").fetchone()[0]
        if n < 10_000 or n <= times * existing:
            return []
    indexes = _secondary_indexes(conn, table)
    for name, _sql in indexes:
        conn.execute(f"DROP INDEX {_ident(name)}")
    return indexes


def create_indexes(conn, indexes: Sequence[tuple[str, str]]) -> None:
    """Build again the indexes :func:`drop_indexes_for_load` dropped."""
    for _name, sql in indexes:
        conn.execute(sql)


def _secondary_indexes(conn, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes created explicitly on *table*."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
        " AND sql IS NOT NULL", (table,))]


def update_extent(tx: Transaction, table: str) -> None:
    """Refresh the table's extent and last_change in ``gpkg_contents``."""
    row = tx.conn.execute(
        f'SELECT min(minx), min(miny), max(maxx), max(maxy) FROM "rtree_{table}_geom"').fetchone()
    tx.conn.execute(
        "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?,"
        " last_change = ? WHERE table_name = ?",
        (*row, now_iso(), table))


STAGE = "gridapp_stage"


def load_frame(store, table: str, frame, *, actor: str | None = None,
               user_id: int | None = None, summary: str = "") -> tuple[int, int]:
    """Load a GeoDataFrame into *table* through a pyogrio-written staging file.

    pyogrio (GDAL, Arrow) encodes the rows into a temporary GeoPackage far
    faster than Python can bind them; the staging file is attached to the
    writer connection and copied with one ``INSERT ... SELECT`` inside an
    audited store transaction, so foreign keys, constraints and indexes are
    enforced by SQLite and a failure leaves the workspace unchanged.
    """
    if getattr(store, "schema", None):  # a street on a district server: COPY
        from gridapp.storage.postgis.bulk import load_frame as load_frame_pg

        return load_frame_pg(store, table, frame, actor=actor, user_id=user_id, summary=summary)
    import tempfile
    from pathlib import Path

    import pyogrio

    table_cols = set(store.table_columns(table))
    columns = [c for c in frame.columns if c in table_cols and c not in ("id", "geom")
               and c != frame.geometry.name]
    n = len(frame)
    if n == 0:
        return 0, 0
    frame = frame.to_crs(4490) if frame.crs is not None and frame.crs.to_epsg() != 4490 else frame
    frame = frame.set_geometry(geometry.conform(
        frame.geometry.values, store.feature_tables().get(table, "GEOMETRY"), table),
        crs=frame.crs)
    with tempfile.TemporaryDirectory(prefix="gridapp-load-") as tmp:
        staged = Path(tmp) / "stage.gpkg"
        _write_stage(pyogrio, frame[[*columns, frame.geometry.name]], staged)
        with store.transaction(actor, user_id, attach={STAGE: staged}) as tx:
            load = _Load(tx, table, n)
            cols = ", ".join(_ident(c) for c in columns)
            tx.conn.execute(
                f"INSERT INTO {_ident(table)} (id, geom, {cols})"
                f" SELECT fid - 1 + ?, geom, {cols} FROM {STAGE}.stage ORDER BY fid",
                (load.start,))
            return load.finish(shapely.bounds(frame.geometry.values), summary)


def _write_stage(pyogrio, frame, path) -> None:
    """pyogrio writes the staging file without fsync: it is read once, inside the
    same process, and deleted; only the workspace's own commit must be durable.
    (GDAL's config is process-wide: the previous value is put back at once.)"""
    key = "OGR_SQLITE_SYNCHRONOUS"
    before = pyogrio.get_gdal_config_option(key)
    pyogrio.set_gdal_config_options({key: "OFF"})
    try:
        pyogrio.write_dataframe(frame, path, layer="stage", use_arrow=True,
                                layer_options={"SPATIAL_INDEX": "NO"})
    finally:
        pyogrio.set_gdal_config_options({key: before})
