"""One SQLite per open workspace: nothing in the process opens it through another.

GDAL (pyogrio) links its own SQLite.  Opening the workspace through it while the
store's connections are open, then closing it, drops their POSIX locks and lets
GDAL's copy checkpoint and delete the -wal and -shm files under them: readers in
other threads then fail with "disk I/O error" and later commits go to a deleted
WAL and are lost when the store closes.  These tests hold the store the way the
window does (a writer and readers in several threads) and check that nothing of
that happens through the store's own reads.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest

from gridapp.storage import open_store


@pytest.fixture
def live(demo_file, tmp_path):
    path = tmp_path / "street.gpkg"
    shutil.copy(demo_file, path)
    store = open_store(path)
    yield store
    store.close()


def sidecars(path):  # type: ignore[no-untyped-def]
    return {p.name[len(path.name):] for p in path.parent.glob(path.name + "-*")}


def test_reading_every_layer_keeps_the_wal_and_a_later_commit_survives(live):
    path = live.path
    live.query("SELECT count(*) FROM grid")  # a reader holds the WAL open
    assert sidecars(path) == {"-wal", "-shm"}
    frames = {t: live.read_layer(t) for t in sorted(live.feature_tables())}
    assert len(frames["grid"]) > 0 and len(frames["report"]) > 0
    assert frames["report"].crs.to_epsg() == 4490
    assert sidecars(path) == {"-wal", "-shm"}, "the WAL was deleted under open connections"
    # readers in other threads (the window's workers) still open and read
    errors: list[BaseException] = []

    def read() -> None:
        try:
            live.read_layer("community")
            live.query("SELECT count(*) FROM report")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=read) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    # a commit after all that is in the file once the store is closed
    with live.transaction(actor="test") as tx:
        tx.set_setting("test.one_sqlite", "kept")
    live.close()
    conn = sqlite3.connect(path)
    try:
        value = conn.execute("SELECT value FROM setting WHERE key = 'test.one_sqlite'").fetchone()
    finally:
        conn.close()
    assert value is not None and "kept" in value[0]
