"""Bulk writes of feature rows with the spatial index built once at the end.

Per-row R-tree triggers dominate the cost of loading many features; like
GDAL, the triggers are dropped for the load, the index rows are inserted from
envelopes computed in one vectorised pass, and the triggers are recreated, all
inside the caller's transaction (so a failure leaves nothing behind).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely

from gridapp.storage import geometry, gpkg, rtree_pack
from gridapp.storage.transaction import Transaction, _ident


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
        column_values = list(zip(*values)) if n else [[] for _ in columns]
    if any(len(c) != n for c in column_values):
        raise ValueError("column values and geoms differ in length")
    if n == 0:
        return 0, 0
    conn = tx.conn
    start = (conn.execute(f"SELECT coalesce(max(id), 0) FROM {_ident(table)}").fetchone()[0]
             + 1)
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    if seq and seq[0] >= start:
        start = seq[0] + 1
    ids = np.arange(start, start + n)
    geoms = np.asarray(geoms, dtype=object)
    if np.all(shapely.get_type_id(geoms) == 0):
        xy = shapely.get_coordinates(geoms)
        blobs = geometry.encode_points(xy[:, 0], xy[:, 1], srs_id) if len(xy) == n else \
            geometry.encode(geoms, srs_id)
    else:
        blobs = geometry.encode(geoms, srs_id)
    gpkg.drop_rtree_triggers(conn, table)
    existing = conn.execute(f"SELECT count(*) FROM {_ident(table)}").fetchone()[0]
    # Loading more rows than the table holds: building secondary indexes once,
    # sorted, is several times faster than updating a dozen B-trees per row.
    indexes = _secondary_indexes(conn, table) if n >= 10_000 and n > existing else []
    for name, _sql in indexes:
        conn.execute(f"DROP INDEX {_ident(name)}")
    cols = ["id", "geom", *columns]
    marks = ", ".join("?" for _ in cols)
    conn.executemany(
        f"INSERT INTO {_ident(table)} ({', '.join(_ident(c) for c in cols)}) VALUES ({marks})",
        zip(ids.tolist(), blobs, *column_values))
    bounds = shapely.bounds(geoms)
    ok = ~np.isnan(bounds).any(axis=1)
    rtree = f"rtree_{table}_geom"
    if conn.execute(f'SELECT count(*) FROM "{rtree}_rowid"').fetchone()[0] == 0:
        rtree_pack.load_empty(conn, rtree, ids[ok], bounds[ok, 0], bounds[ok, 2],
                              bounds[ok, 1], bounds[ok, 3])
    else:
        conn.executemany(
            f'INSERT INTO "{rtree}" VALUES (?, ?, ?, ?, ?)',
            zip(ids[ok].tolist(), bounds[ok, 0].tolist(), bounds[ok, 2].tolist(),
                bounds[ok, 1].tolist(), bounds[ok, 3].tolist()))
    gpkg.create_rtree_triggers(conn, table)
    for _name, sql in indexes:
        conn.execute(sql)
    update_extent(tx, table)
    tx.audit("bulk_insert", table, None,
             {"rows": n, "first_id": int(start), "last_id": int(start + n - 1),
              "summary": summary})
    return int(start), n


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
        " last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?",
        (*row, table))


def insert_frame(tx: Transaction, table: str, frame, *, summary: str = "") -> tuple[int, int]:
    """Insert a GeoDataFrame's rows (its geometry column and the table's columns).

    Datetime columns become GeoPackage DATETIME text; missing values become NULL.
    """
    import pandas as pd

    table_cols = {r[1] for r in tx.conn.execute(f'PRAGMA table_info("{table}")')}
    columns = [c for c in frame.columns if c in table_cols and c not in ("id", "geom")]
    data = []
    for c in columns:
        s = frame[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.tz_convert("UTC") if s.dt.tz is not None else s.dt.tz_localize("UTC")
            raw = s.dt.tz_localize(None).to_numpy().astype("datetime64[ms]")
            text = np.char.add(np.datetime_as_string(raw, unit="ms"), "Z").astype(object)
            text[np.isnat(raw)] = None
            data.append(text.tolist())
        else:
            arr = s.astype(object).where(s.notna(), None)
            data.append(arr.tolist())
    return insert_features(tx, table, columns, None, frame.geometry.values, summary=summary,
                           column_values=data)
