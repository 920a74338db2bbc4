"""Whole tables in and out of the server: (Geo)DataFrames over COPY and binary WKB.

:func:`read_table` returns what :func:`gridapp.storage.reading.read_table`
returns for a GeoPackage (an ``id`` column, DATETIME columns as UTC, geometry
in EPSG:4490).  :func:`load_frame` writes a frame with one COPY.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from gridapp.storage.postgis import dialect

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


def load_frame(store: PostgisStore, table: str, frame, *, actor: str | None = None) -> int:
    """COPY a (Geo)DataFrame's columns into *table* in one audited transaction."""
    import shapely

    from gridapp.storage.postgis.transaction import copy_rows

    cols = [c for c in frame.columns if c != frame.geometry.name] if hasattr(frame, "geometry") \
        else list(frame.columns)
    values = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in cols]
    names = list(cols)
    if hasattr(frame, "geometry"):
        hexes = shapely.to_wkb(shapely.set_srid(np.asarray(frame.geometry.values), 4490),
                               hex=True, include_srid=True, output_dimension=2)
        values.append(list(hexes))
        names.append("geom")
    with store.transaction(actor) as tx:
        return copy_rows(tx.conn.raw, table, names, zip(*values, strict=True))
