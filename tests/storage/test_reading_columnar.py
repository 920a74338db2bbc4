"""The column-wise reader gives exactly the row reader's frames, or leaves the read to it.

Each read is done twice in one test, by the row reader (``columnar.MIN_ROWS`` too
high for the table) and by the column-wise reader (``MIN_ROWS = 0`` and chunks of a
few rows, so that every table crosses chunk boundaries), and the two frames are
compared with pandas' and geopandas' own equality checks.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from gridapp.storage import columnar, geometry, open_store, reading

SKIP = ("sqlite_", "rtree_")


def _tables(store) -> list[str]:
    return [r[0] for r in store.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if not r[0].startswith(SKIP)]


def _read(store, monkeypatch, table, *, columnwise, chunk=7, **kw):
    monkeypatch.setattr(columnar, "MIN_ROWS", 0 if columnwise else 10**18)
    monkeypatch.setattr(columnar, "CHUNK_ROWS", chunk)
    return store.read_layer(table, **kw)


def _used(monkeypatch) -> list[bool]:
    """Records, for each read, whether the column-wise reader gave the columns."""
    seen: list[bool] = []
    real = reading._read_columnwise

    def spy(*args, **kwargs):
        data = real(*args, **kwargs)
        seen.append(data is not None)
        return data

    monkeypatch.setattr(reading, "_read_columnwise", spy)
    return seen


def _same(new, old) -> None:
    if hasattr(old, "geometry"):
        assert_geodataframe_equal(new, old)
        assert new.crs == old.crs
    else:
        assert_frame_equal(new, old)
    assert list(new.columns) == list(old.columns)


def _both(store, monkeypatch, table, **kw):
    old = _read(store, monkeypatch, table, columnwise=False, **kw)
    new = _read(store, monkeypatch, table, columnwise=True, **kw)
    _same(new, old)
    return new


def _no_helper_left() -> bool:
    return not any(t.name == "gridapp-columnar-read" for t in threading.enumerate())


def test_every_demo_table_and_column_subset_reads_the_same(demo_file, monkeypatch):
    store = open_store(demo_file, readonly=True)
    try:
        used = _used(monkeypatch)
        read_columnwise = {}
        for table in _tables(store):
            used.clear()
            frame = _both(store, monkeypatch, table)
            read_columnwise[table] = used[-1]
            assert len(frame) == store.scalar(f'SELECT count(*) FROM "{table}"')
        # points, polygons, multipolygons, lines with a REAL column, BLOB columns:
        # all went through the column-wise reader, not back to the row reader
        for table in ("report", "building", "community", "grid", "patrol_track",
                      "case_event", "resident", "audit_log"):
            assert read_columnwise[table], table
        assert not read_columnwise["report_fts"]  # a virtual table: the row reader
        for cols in (["status"], ["address", "reported_at", "closed_at"], ["id"],
                     ["geom", "case_no"], ["grid_id", "category_id", "description"]):
            used.clear()
            frame = _both(store, monkeypatch, "report", columns=cols)
            assert used[-1]
            assert set(cols) - {"geom"} <= set(frame.columns)
        # a condition is read by the row reader
        used.clear()
        _both(store, monkeypatch, "report", where="status = ?", params=("closed",))
        assert used == [] or used[-1] is False
    finally:
        store.close()
    assert _no_helper_left()


@pytest.fixture
def varied(empty_workspace):
    """A table of awkward values, and reports with awkward texts and geometries."""
    store = empty_workspace
    rows = [
        # i, r, b, t, n, d, k, x
        (1, 0.1, b"\x00\x1f\x1e", "中文 文本", None, "2026-08-05T22:00:00.000Z", 1, 5),
        (None, -0.0, b"", "", "", None, 0, "five"),
        (2**63 - 1, 1e300, None, "line\nbreak\ttab 'quote' \"dq\" %s %d", "😀", "", None, 2.5),
        (-2**63, None, b"x", " lead and trail ", "\\", "2024-02-29T23:59:59Z", 1, None),
        (0, 3.0, b"\xff", "x" * 500, "NULL", "1999-12-31T23:59:59.999Z", 0, b"blob"),
    ] * 5
    reports = []
    points = [shapely.Point(106.5 + i / 100, 26.5) for i in range(20)]
    points[3] = None
    points[7] = shapely.Point()  # empty
    for i, g in enumerate(points):
        reports.append((geometry.encode_one(g, 4490), f"C{i:04d}",
                        [None, "", "青云路1号", "a\nb", "\u00e9\u0301"][i % 5],
                        ["巡查", None, "", "x", "y"][i % 5],
                        "2026-03-01T09:00:00.000Z" if i % 3 else "2026-03-01T09:00:01Z",
                        None if i % 4 else "2026-03-02T10:00:00.123Z",
                        i * 1000))
    with store._write() as conn:
        conn.execute('CREATE TABLE odd (id INTEGER PRIMARY KEY, i INTEGER, r REAL, b BLOB,'
                     ' t TEXT NOT NULL, n TEXT, d DATETIME, k BOOLEAN, x)')
        conn.executemany("INSERT INTO odd (i, r, b, t, n, d, k, x) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         rows)
        conn.executemany(
            "INSERT INTO report (geom, case_no, address, description, reported_at, closed_at,"
            " extension_count) VALUES (?, ?, ?, ?, ?, ?, ?)", reports)
        conn.execute("CREATE TABLE empty_one (id INTEGER PRIMARY KEY, t TEXT, d DATETIME)")
    return store


def test_awkward_values_read_the_same(varied, monkeypatch):
    used = _used(monkeypatch)
    odd = _both(varied, monkeypatch, "odd")
    assert used[-1]
    assert odd["i"].isna().sum() == 5 and odd["i"].dtype == np.float64  # ints with NULL
    assert odd.loc[1, "t"] == "" and odd.loc[1, "n"] == ""  # '' stays '', not NULL
    assert odd["n"].isna().sum() == 5
    assert odd.loc[4, "b"] == b"\xff" and odd.loc[1, "b"] == b""
    reports = _both(varied, monkeypatch, "report")
    assert used[-1]
    assert reports.geometry.isna().sum() == 1 and reports.geometry.is_empty.sum() == 1
    assert set(reports["address"].dropna()) == {"", "青云路1号", "a\nb", "\u00e9\u0301"}
    assert str(reports["reported_at"].dtype) == "datetime64[ms, UTC]"
    assert reports["closed_at"].notna().sum() == 5
    for chunk in (1, 2, 1000):
        _both(varied, monkeypatch, "report", chunk=chunk)
        assert used[-1]
    _both(varied, monkeypatch, "empty_one")
    assert not used[-1]


@pytest.mark.parametrize(("sql", "params"), [
    ("UPDATE odd SET t = ? WHERE id = 3", ("unit\x1fseparator",)),
    ("UPDATE odd SET n = ? WHERE id = 4", ("record\x1eseparator",)),
    ("UPDATE odd SET i = ? WHERE id = 5", (1.5,)),  # a REAL in an INTEGER column
    ("UPDATE odd SET i = ? WHERE id = 6", ("0x1A",)),  # text Arrow would read as 26
    ("UPDATE odd SET i = ? WHERE id = 7", ("-",)),
    ("UPDATE odd SET k = ? WHERE id = 8", ("yes",)),
    ("UPDATE odd SET d = ? WHERE id = 9", ("2026-08-05 22:00:00",)),
    ("UPDATE odd SET d = ? WHERE id = 9", ("2026-08-05T22:00:00.000+08:00",)),
    ("UPDATE odd SET d = ? WHERE id = 9", ("2026-08-05T22:00:00+0800",)),
    ("UPDATE odd SET d = ? WHERE id = 10", (20260805,)),
    ("UPDATE odd SET d = ? WHERE id = 11", ("1500-01-01T00:00:00.000Z",)),
    ("UPDATE odd SET t = ? WHERE id = 12", (b"blob in a text column\xff",)),
    ("UPDATE odd SET n = ? WHERE id = 13", (b"a UTF-8 blob in a text column",)),
    ("UPDATE odd SET i = ? WHERE id = 14", (b"12",)),
])
def test_values_that_cannot_travel_column_wise_go_to_the_row_reader(
        varied, monkeypatch, sql, params):
    with varied._write() as conn:
        conn.execute(sql, params)
    used = _used(monkeypatch)
    _both(varied, monkeypatch, "odd")
    assert used[-1] is False
    assert _no_helper_left()


@pytest.mark.parametrize("bad", ["2026-02-30T00:00:00.000Z", "2026-01-01T24:00:00.000Z",
                                 b"2026-08-05T22:00:00.000Z"])  # a BLOB
def test_an_impossible_date_fails_the_same_way(varied, monkeypatch, bad):
    with varied._write() as conn:
        conn.execute("UPDATE odd SET d = ? WHERE id = 2", (bad,))
    with pytest.raises(Exception) as old:
        _read(varied, monkeypatch, "odd", columnwise=False)
    with pytest.raises(Exception) as new:
        _read(varied, monkeypatch, "odd", columnwise=True)
    assert type(new.value) is type(old.value) and str(new.value) == str(old.value)
    assert _no_helper_left()


def test_a_column_empty_at_first_and_filled_later(varied, monkeypatch):
    # the first chunk finds no value in n, r's neighbours: n is left out of the
    # following chunks' text until a chunk holds one
    with varied._write() as conn:
        conn.execute("UPDATE odd SET n = NULL, i = NULL, d = NULL WHERE id <= 12")
    used = _used(monkeypatch)
    frame = _both(varied, monkeypatch, "odd", chunk=4)
    assert used[-1]
    assert frame["n"].notna().sum() > 0 and frame["n"].iloc[:12].isna().all()


def test_sparse_rowids_and_chunk_boundaries(varied, monkeypatch):
    with varied._write() as conn:
        conn.execute("INSERT INTO odd (id, t) VALUES (?, 'far'), (?, 'farther')",
                     (10**9, 2**62))
    used = _used(monkeypatch)
    frame = _both(varied, monkeypatch, "odd", chunk=3)
    assert used[-1]
    assert frame["id"].iloc[-1] == 2**62


def test_one_snapshot_and_no_thread_left_behind(varied, monkeypatch):
    """All chunks are read in one read transaction, which is over afterwards."""
    conn = varied._reader()
    _read(varied, monkeypatch, "odd", columnwise=True, chunk=2)
    assert not conn.in_transaction
    assert _no_helper_left()
    conn.execute("BEGIN")  # a caller's own read transaction is left as it was
    try:
        _read(varied, monkeypatch, "odd", columnwise=True, chunk=2)
        assert conn.in_transaction
    finally:
        conn.execute("COMMIT")


def test_the_helper_has_stopped_before_the_read_transaction_ends(varied, monkeypatch):
    """A chunk that cannot travel column-wise stops the helper thread first: it
    shares the caller's connection, which then commits and reads row-wise."""
    real_conn = varied._reader()

    class Watch:
        helper_alive_at_commit: bool | None = None

        def execute(self, sql, *args):
            if sql == "COMMIT":
                Watch.helper_alive_at_commit = not _no_helper_left()
            return real_conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(real_conn, name)

    monkeypatch.setattr(varied, "_reader", lambda: Watch())
    real_parse = columnar._parse_chunk
    calls = []

    def parse_then_refuse(*args):
        calls.append(1)
        if len(calls) == 2:
            raise columnar.NotApplicable
        return real_parse(*args)

    monkeypatch.setattr(columnar, "_parse_chunk", parse_then_refuse)
    used = _used(monkeypatch)
    frame = _read(varied, monkeypatch, "odd", columnwise=True, chunk=3)
    assert used[-1] is False and len(frame) == 25
    assert Watch.helper_alive_at_commit is False
    assert _no_helper_left()
