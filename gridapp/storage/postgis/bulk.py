"""Whole tables in and out of the server: (Geo)DataFrames over COPY and binary WKB.

:func:`read_table` returns what :func:`gridapp.storage.reading.read_table`
returns for a GeoPackage (an ``id`` column, DATETIME columns as UTC, geometry
in EPSG:4490).  :func:`load_frame` writes a frame with one COPY.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from gridapp.storage.postgis import dialect, schema
from gridapp.storage.postgis.search import TEXT_INDEX

if TYPE_CHECKING:
    from gridapp.storage.postgis.store import PostgisStore


def read_table(store: PostgisStore, table: str, where: str | None,
               params: Sequence[Any] | dict[str, Any], columns: Sequence[str] | None):
    import geopandas as gpd
    import pandas as pd
    import shapely

    from gridapp.storage.reading import _to_utc

    features = store.feature_tables()
    schema = store.table_schema(table)
    dt_cols = [name for name, kind in schema if kind == "DATETIME"]
    colnames = [name for name, _ in schema]
    if columns is not None:
        wanted = ["id", *[c for c in columns if c != "id"]]
        if table in features and "geom" not in wanted:
            wanted.append("geom")
        colnames = [c for c in colnames if c in wanted]
    select = ", ".join("ST_AsBinary(geom) AS geom" if c == "geom" and table in features
                       else f'"{c}"' for c in colnames)
    sql = f'SELECT {select} FROM "{table}"'
    if where:
        sql += f" WHERE {where}"
    sql += " ORDER BY id"
    text, args = dialect.prepare(sql, params)
    with store._lock:  # noqa: SLF001 - the store's own connection
        conn = store._conn()  # noqa: SLF001
        with conn.cursor(row_factory=_tuples, binary=True) as cur:
            cur.execute(text, args)
            rows = cur.fetchall()
    df = pd.DataFrame(rows, columns=colnames)
    for c in dt_cols:
        if c in df.columns:
            df[c] = _to_utc(df[c])
    if table in features:
        geoms = (shapely.from_wkb(np.asarray(df["geom"].tolist(), dtype=object)) if len(df)
                 else np.empty(0, dtype=object))
        df = gpd.GeoDataFrame(df.drop(columns="geom"), geometry=gpd.GeoSeries(geoms, crs=4490),
                              crs=4490)
    return df


def _tuples(cursor: Any):
    return tuple


def load_frame(store: PostgisStore, table: str, frame, *, actor: str | None = None,
               user_id: int | None = None, summary: str = "") -> tuple[int, int]:
    """COPY a GeoDataFrame into *table* in one audited transaction; ``(first id, rows)``.

    Ids are reserved from the table's identity sequence under a table lock, so
    the rows get one contiguous range as on a GeoPackage.  A load larger than
    the table drops its secondary indexes and foreign keys and puts them back
    after the copy (each built or checked once); reports' text index is not
    rebuilt then (``reports index`` does it, as on a GeoPackage).  Datetimes are
    written as GridApp's ISO-8601 text (UTC, milliseconds, ``Z``).
    """
    import pandas as pd
    import shapely

    from gridapp.storage import geometry

    table_cols = set(store.table_columns(table))
    gcol = frame.geometry.name
    columns = [c for c in frame.columns if c in table_cols and c not in ("id", "geom") and c != gcol]
    n = len(frame)
    if n == 0:
        return 0, 0
    frame = frame.to_crs(4490) if frame.crs is not None and frame.crs.to_epsg() != 4490 else frame
    geoms = geometry.conform(frame.geometry.values, store.feature_tables().get(table, "GEOMETRY"),
                             table)
    kinds = schema.final_tables()[table].column_types()
    out = pd.DataFrame(index=range(n))
    for c in columns:
        col = frame[c].reset_index(drop=True)
        if pd.api.types.is_datetime64_any_dtype(col):
            utc = col.dt.tz_convert("UTC") if col.dt.tz is not None else col.dt.tz_localize("UTC")
            col = utc.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3] + "Z"
        elif kinds.get(c) in ("bigint", "smallint") and not pd.api.types.is_object_dtype(col):
            col = col.astype("Int64")  # 2.0 → 2, NaN → empty (NULL)
        out[c] = col
    out["geom"] = shapely.to_wkb(shapely.set_srid(np.asarray(geoms), 4490), hex=True,
                                 include_srid=True, output_dimension=2)
    with store.transaction(actor, user_id) as tx:
        raw = tx.conn.raw
        raw.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
        seq = raw.execute("SELECT pg_get_serial_sequence(%s, 'id')", (f'"{table}"',)).fetchone()[0]
        first = int(raw.execute("SELECT nextval(%s)", (seq,)).fetchone()[0])
        raw.execute("SELECT setval(%s, %s)", (seq, first + n - 1))
        out.insert(0, "id", np.arange(first, first + n, dtype=np.int64))
        # More rows than the table holds: build the secondary indexes once,
        # sorted, after the copy (as the GeoPackage path does), not row by row.
        rebuild: list[Any] = []
        fks: list[Any] = []
        if n >= 10_000 and n > int(raw.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]):
            rebuild = raw.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_index x"
                " ON x.indexrelid = (quote_ident(i.schemaname) || '.' ||"
                " quote_ident(i.indexname))::regclass"
                " WHERE i.schemaname = current_schema() AND i.tablename = %s"
                " AND NOT x.indisunique AND NOT x.indisprimary", (table,)).fetchall()
            for name, _sql in rebuild:
                raw.execute(f'DROP INDEX "{name}"')
            # The references too: checked once per constraint by one join when it is
            # added back, not row by row through queued trigger events (7 per report).
            fks = raw.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                              " WHERE conrelid = %s::regclass AND contype = 'f'",
                              (f'"{table}"',)).fetchall()
            for name, _sql in fks:
                raw.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            # Room to sort and gather in memory (the text index's trigrams above all).
            raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
        copy_frame(raw, table, out)
        if rebuild:
            raw.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no trigger events left pending
            for name, sql in fks:
                raw.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {sql}')
        for name, sql in rebuild:
            # Reports' text index is left for later, as a GeoPackage leaves a bulk
            # load's rows out of its text index: searches read every report until
            # 'reports index' builds it again (storage.postgis.search).
            if name != TEXT_INDEX:
                raw.execute(sql)
        if summary:
            tx.audit("bulk_load", table, None, {"rows": n, "first_id": first,
                                               "last_id": first + n - 1, "summary": summary})
    return first, n


class _CopyWriter:
    """What pandas writes CSV into: each chunk goes to the server at once, so the
    server parses rows while the next chunk is written."""

    def __init__(self, copy: Any) -> None:
        self.copy = copy

    def write(self, text: str) -> int:
        self.copy.write(text)
        return len(text)


def copy_frame(raw: Any, table: str, df) -> int:
    """COPY a DataFrame (columns named as the table's) as CSV written by pandas (C speed).

    Empty cells are NULL; text is quoted, so an empty string stays one.
    """
    import csv

    cols = ", ".join(f'"{c}"' for c in df.columns)
    with raw.cursor() as cur, cur.copy(
            f'COPY "{table}" ({cols}) FROM STDIN WITH (FORMAT csv)') as copy:
        df.to_csv(_CopyWriter(copy), index=False, header=False, na_rep="",
                  quoting=csv.QUOTE_MINIMAL, chunksize=COPY_CHUNK)
    return len(df)


COPY_CHUNK = 10_000  # rows of CSV per write to the server


def insert_features(tx: Any, table: str, columns: Sequence[str],
                    column_values: Sequence[Sequence[Any]], blobs: Sequence[Any]) -> tuple[int, int]:
    """:func:`gridapp.storage.bulk.insert_features` on the server: one COPY with ids
    ``first .. first + n - 1`` taken together (the table is locked against other
    writers until commit, so the range is whole); the server's insert trigger audits
    the rows as one ``bulk_insert``.  Returns ``(first id, count)``."""
    from gridapp.storage.postgis.transaction import copy_rows

    raw = tx.conn.raw
    n = len(blobs)
    raw.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
    seq = f"pg_get_serial_sequence('\"{table}\"', 'id')"
    first = int(raw.execute(
        f'SELECT greatest((SELECT coalesce(max(id), 0) FROM "{table}") + 1, nextval({seq}))'
    ).fetchone()[0])
    raw.execute(f"SELECT setval({seq}, %s)", (first + n - 1,))
    rows = zip(range(first, first + n), blobs, *column_values, strict=False)
    copy_rows(raw, table, ["id", "geom", *columns], rows)
    return first, n
