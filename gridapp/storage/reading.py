"""Reading whole tables or filtered rows into (Geo)DataFrames.

Rows are read through the store's own SQLite connections and the geometry
blobs decoded with shapely: an ``id`` column, DATETIME columns as
timezone-aware UTC, geometry in EPSG:4490.

Never through GDAL (pyogrio) on the open workspace: GDAL carries its own copy
of SQLite, which cannot see this process's connections; closing its dataset
drops their POSIX locks and, finding no other reader, it checkpoints and
deletes the -wal and -shm files under them.  Later commits then go to a
deleted WAL and are lost (tests/storage/test_one_sqlite.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from gridapp.storage.store import GeoPackageStore


def read_table(store: GeoPackageStore, table: str, where: str | None,
               params: Sequence[Any] | dict[str, Any], columns: Sequence[str] | None):
    import geopandas as gpd
    import pandas as pd

    features = store.feature_tables()
    schema = store.table_schema(table)
    dt_cols = [name for name, kind in schema if kind == "DATETIME"]
    colnames = [name for name, _ in schema]
    if columns is not None:
        wanted = ["id", *[c for c in columns if c != "id"]]
        if table in features and "geom" not in wanted:
            wanted.append("geom")
        colnames = [c for c in colnames if c in wanted]
    sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in colnames)} FROM "{table}"'
    if where:
        sql += f" WHERE {where}"
    rows = store.query(sql, params)
    df = pd.DataFrame([tuple(r) for r in rows], columns=colnames)
    for c in dt_cols:
        if c in df.columns:
            df[c] = _to_utc(df[c])
    if table in features:
        from gridapp.storage import geometry

        geoms = (geometry.decode_many(df["geom"].tolist()) if len(df)
                 else np.empty(0, dtype=object))
        df = gpd.GeoDataFrame(df.drop(columns="geom"), geometry=gpd.GeoSeries(geoms, crs=4490),
                              crs=4490)
    return df


def _to_utc(series):
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series):
        if getattr(series.dt, "tz", None) is None:
            series = series.dt.tz_localize("UTC")
        else:
            series = series.dt.tz_convert("UTC")
    elif series.isna().all():  # e.g. closed_at before anything closed: skip parsing
        return pd.Series(pd.NaT, index=series.index, dtype="datetime64[ms, UTC]",
                         name=series.name)
    else:
        series = pd.to_datetime(series, utc=True, format="ISO8601")
    # One resolution whichever reader was used (GeoPackage stores milliseconds).
    return series.astype("datetime64[ms, UTC]")
