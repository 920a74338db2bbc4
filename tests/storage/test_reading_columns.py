"""The column-wise reader: GeoPackage blobs decoded with numpy, frames built through
Arrow with pandas' own dtypes, and a fixed number of SQL calls whatever the size."""

from __future__ import annotations

import sqlite3
import struct

import numpy as np
import pandas as pd
import pytest
import shapely

from gridapp.storage import bulk, connection, geometry


def _blob(wkb: bytes, envelope: tuple[float, float, float, float] | None = None,
          empty: bool = False) -> bytes:
    """A GeoPackage blob written by hand from the spec (not by geometry.encode)."""
    flags = 0x01 | (0x10 if empty else 0) | (0x02 if envelope else 0)
    head = struct.pack("<2sBBi", b"GP", 0, flags, 4490)
    if envelope:
        head += struct.pack("<4d", *envelope)
    return head + wkb


def test_decode_many_reads_every_kind_of_blob():
    pt = struct.pack("<BIdd", 1, 1, 106.5, 26.25)
    pt_be = struct.pack(">BIdd", 0, 1, 106.75, 26.5)
    square = shapely.to_wkb(shapely.box(0, 0, 2, 1), byte_order=1)
    empty_pt = struct.pack("<BIdd", 1, 1, float("nan"), float("nan"))
    blobs = [_blob(pt), None, _blob(pt_be), _blob(square, (0, 2, 0, 1)),
             _blob(empty_pt, empty=True)]
    got = geometry.decode_many(blobs)
    assert got[0].equals(shapely.Point(106.5, 26.25))
    assert got[1] is None
    assert got[2].equals(shapely.Point(106.75, 26.5))
    assert got[3].equals(shapely.box(0, 0, 2, 1))
    assert got[4].is_empty and got[4].geom_type == "Point"


def test_decode_many_points_only_and_nulls():
    xs, ys = np.linspace(106, 107, 7), np.linspace(26, 27, 7)
    blobs: list[bytes | None] = [_blob(struct.pack("<BIdd", 1, 1, x, y)) for x, y in
                                 zip(xs, ys, strict=True)]
    blobs[3] = None
    got = geometry.decode_many(blobs)
    assert got[3] is None
    keep = [i for i in range(7) if i != 3]
    assert np.array_equal(shapely.get_x(got[keep]), xs[keep])
    assert np.array_equal(shapely.get_y(got[keep]), ys[keep])
    assert len(geometry.decode_many([])) == 0
    assert list(geometry.decode_many([None, None])) == [None, None]


@pytest.mark.parametrize("bad", [b"GP", b"XX" + bytes(30), _blob(b"")])
def test_decode_many_refuses_what_is_not_a_blob(bad):
    with pytest.raises(ValueError, match="GeoPackage"):
        geometry.decode_many([_blob(struct.pack("<BIdd", 1, 1, 1.0, 2.0)), bad])


class CountingConnection(sqlite3.Connection):
    """Counts the statements GridApp hands SQLite (an executemany is one call)."""

    calls = 0

    def execute(self, *args, **kwargs):  # noqa: D102
        CountingConnection.calls += 1
        return super().execute(*args, **kwargs)

    def executemany(self, *args, **kwargs):  # noqa: D102
        CountingConnection.calls += 1
        return super().executemany(*args, **kwargs)


def _reports(n: int):
    import geopandas as gpd

    rng = np.random.default_rng(n)
    return gpd.GeoDataFrame({
        "case_no": [f"{i:012d}" for i in range(n)],
        "address": [None if i % 3 == 0 else f"青云路{i}号" for i in range(n)],
        "category_id": rng.integers(2, 20, n),
        "description": rng.choice(["摊贩占道", "垃圾满溢"], n),
        "status": "reported",
        "reported_at": ["2026-03-01T09:00:00.000Z"] * n,
    }, geometry=shapely.points(rng.uniform(106.5, 106.9, n), rng.uniform(26.4, 26.7, n)),
        crs=4490)


def _counting(monkeypatch, tmp_path, name, n):
    """(statements to load n reports, statements to read them back, the frame read)."""
    from gridapp.services.workspace import StreetSpec, create_workspace

    real_connect = sqlite3.connect
    monkeypatch.setattr(connection.sqlite3, "connect",
                        lambda *a, **k: real_connect(*a, factory=CountingConnection, **k))
    store = create_workspace(tmp_path / f"{name}.gpkg",
                             StreetSpec("520102", "520102003", "测试街道"))
    try:
        frame = _reports(n)
        store.table_schema("report")
        store.feature_tables()
        CountingConnection.calls = 0
        bulk.load_frame(store, "report", frame, actor="loader", summary="t")
        writes = CountingConnection.calls
        store.query("SELECT 1")  # the reader connection exists before counting
        CountingConnection.calls = 0
        back = store.read_layer("report")
        reads = CountingConnection.calls
    finally:
        store.close()
        monkeypatch.setattr(connection.sqlite3, "connect", real_connect)
    return writes, reads, back


def test_write_and_read_statements_do_not_grow_with_rows(monkeypatch, tmp_path):
    # Both above the 10,000 rows from which secondary indexes are rebuilt once.
    w_small, r_small, _ = _counting(monkeypatch, tmp_path, "small", 10_000)
    w_large, r_large, back = _counting(monkeypatch, tmp_path, "large", 30_000)
    # The row reader (10,000 rows, under columnar.MIN_ROWS) and the column-wise
    # reader (30,000 rows: one chunk of columnar.CHUNK_ROWS) each ask a handful of
    # questions (table kind, query plan, rowid range, read transaction), not one
    # per row or per column.
    assert r_small == r_large <= 8
    assert w_large == w_small  # batches, not rows
    assert w_large <= 120  # the secondary indexes dropped and built once each, triggers, audit
    assert len(back) == 30_000
    # The frame has the dtypes pandas infers from the rows.
    assert back["id"].dtype == np.int64
    assert back["category_id"].dtype == np.int64
    assert back["reporter_manager_id"].dtype == object  # all NULL
    assert back["reporter_manager_id"].isna().all()
    assert isinstance(back["address"].dtype, pd.StringDtype)
    assert back["address"].isna().sum() == len(range(0, 30_000, 3))
    assert back.loc[back["case_no"] == "000000000001", "address"].item() == "青云路1号"
    assert str(back["reported_at"].dtype) == "datetime64[ms, UTC]"
    assert (back["reported_at"] == pd.Timestamp("2026-03-01T09:00:00Z")).all()
    expected = _reports(30_000).sort_values("case_no")
    got = back.sort_values("case_no")
    assert np.array_equal(shapely.get_x(got.geometry.values), shapely.get_x(expected.geometry.values))
