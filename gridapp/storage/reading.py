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
    is_layer = table in features and "geom" in colnames
    geoms = None
    data = _read_columnwise(store, table, colnames, is_layer) if not where else None
    if data is not None:
        if is_layer:
            geoms = data.pop("geom")
        df = _frame(pd, data)
    else:
        sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in colnames)} FROM "{table}"'
        if where:
            sql += f" WHERE {where}"
        columns_data = _fetch_columns(store, sql, params)
        blobs: Sequence[Any] = ()
        if columns_data is None:  # no rows: object columns, as pandas makes of an empty list
            df = pd.DataFrame([], columns=[c for c in colnames if c != "geom" or not is_layer])
        else:
            data = dict(zip(colnames, columns_data, strict=True))
            if is_layer:
                blobs = data.pop("geom")
            df = _frame(pd, data)
        if is_layer:
            from gridapp.storage import geometry

            geoms = geometry.decode_many(blobs) if len(blobs) else np.empty(0, dtype=object)
    for c in dt_cols:
        if c in df.columns and str(df[c].dtype) != _UTC_MS:
            df[c] = _to_utc(df[c])
    if is_layer:
        # copy=False: df is this function's own; geopandas would copy every column
        df = gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs=4490), crs=4490,
                              copy=False)
    return df


def _read_columnwise(store: GeoPackageStore, table: str, colnames: Sequence[str],
                     is_layer: bool) -> dict[str, Any] | None:
    """The whole table through :mod:`gridapp.storage.columnar`, or None.

    None when it does not apply (a small table, not read in rowid order) or a
    value cannot travel column-wise exactly; the row reader then reads.
    """
    from gridapp.storage import columnar
    from gridapp.storage.connection import translate_errors

    try:
        with translate_errors(store.path):
            return columnar.read_columns(store, table, colnames, "geom" if is_layer else None)
    except columnar.NotApplicable:
        return None


def _frame(pd, data: dict[str, Any]):
    """A DataFrame of the columns, with the dtypes pandas infers from the values.

    Each column goes through Arrow (``pyarrow.array`` infers the type in C:
    integers, integers with NULLs, text, all-NULL) and one ``to_pandas``
    turns them into int64, float64 with NaN, str and object columns as
    ``pandas.DataFrame`` would from the rows, without its per-value
    inference.  A column Arrow cannot type (mixed values, blobs) is built by
    pandas itself.
    """
    import pyarrow as pa

    arrays, names, odd = [], [], {}
    for name, values in data.items():
        if isinstance(values, pa.Array | pa.ChunkedArray):  # typed by the columnar reader
            arrays.append(values)
            names.append(name)
            continue
        try:
            arr = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            odd[name] = values
            continue
        if pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type):
            odd[name] = values  # pandas keeps bytes as objects
            continue
        arrays.append(arr)
        names.append(name)
    df = pa.Table.from_arrays(arrays, names=names).to_pandas() if arrays else \
        pd.DataFrame(index=pd.RangeIndex(len(next(iter(data.values()), ()))))
    for name, values in odd.items():
        df[name] = pd.Series(list(values), index=df.index)
    return df[list(data)]


def _fetch_columns(store: GeoPackageStore, sql: str, params: Any) -> list[tuple] | None:
    """The result of one SELECT as one tuple per column (None: no rows).

    The rows come back as plain tuples (no ``sqlite3.Row`` per row) and are
    transposed in C by ``zip``, so no per-row Python code runs.
    """
    from gridapp.storage.connection import translate_errors

    with translate_errors(store.path):
        cur = store._reader().execute(sql, params)
        cur.row_factory = None  # read when rows are fetched: plain tuples
        rows = cur.fetchall()
    if not rows:
        return None
    return list(zip(*rows, strict=True))


_UTC_MS = "datetime64[ms, UTC]"  # what every DATETIME column becomes (the columnar reader's own)


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
