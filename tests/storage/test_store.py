"""The workspace file: GeoPackage validity, transactions, bad files, crashes."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely

from gridapp.errors import (
    ClosedStoreError,
    DiskFullError,
    NotFoundError,
    ReadOnlyWorkspaceError,
    SchemaVersionError,
    WorkspaceOpenError,
)
from gridapp.storage import NotAWorkspaceError, audit, bulk, create_store, open_store

ROOT = Path(__file__).resolve().parents[2]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_passes_gdal_validator(demo_file: Path):
    proc = subprocess.run([sys.executable, "-m", "osgeo_utils.samples.validate_gpkg", str(demo_file)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pyogrio_reads_every_feature_layer_with_crs_and_counts(demo_file: Path):
    layers = dict(pyogrio.list_layers(demo_file))
    expected = {"street", "community", "grid", "building", "place", "report", "patrol_track",
                "joint_task"}
    assert expected <= {k for k, v in layers.items() if v is not None}
    con = sqlite3.connect(demo_file)
    for layer in expected:
        info = pyogrio.read_info(demo_file, layer=layer)
        assert info["crs"] == "EPSG:4490", layer
        n = con.execute(f'SELECT count(*) FROM "{layer}"').fetchone()[0]
        assert info["features"] == n
        df = pyogrio.read_dataframe(demo_file, layer=layer)
        assert len(df) == n
    con.close()
    assert pyogrio.read_info(demo_file, layer="report")["features"] == 3000


def test_attribute_update_on_feature_table_needs_st_functions(demo_workspace):
    """The ST_* trap: plain sqlite3 fails, the store succeeds and keeps the index right."""
    raw = sqlite3.connect(demo_workspace.path)
    with pytest.raises(sqlite3.OperationalError, match="ST_IsEmpty|ST_M"):
        raw.execute("UPDATE grid SET geom = geom WHERE id = 1")
    raw.close()
    with demo_workspace.transaction("tester") as tx:
        diff = tx.update("grid", 1, {"name": "改名后的网格"})
        moved = shapely.box(106.70, 26.50, 106.701, 26.501)
        tx.update("grid", 2, {"geom": moved})
    assert diff == {"name": [diff["name"][0], "改名后的网格"]}
    assert demo_workspace.get("grid", 1)["name"] == "改名后的网格"
    minx, maxx, miny, maxy = demo_workspace.query(
        "SELECT minx, maxx, miny, maxy FROM rtree_grid_geom WHERE id = 2")[0]
    assert minx == pytest.approx(106.70, abs=1e-4) and maxy == pytest.approx(26.501, abs=1e-4)
    last = demo_workspace.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 2")
    assert {r["table_name"] for r in last} == {"grid"} and last[1]["row_id"] == 1


def test_failed_transaction_writes_nothing_and_no_audit(empty_workspace):
    before = empty_workspace.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(RuntimeError):
        with empty_workspace.transaction("tester") as tx:
            tx.insert("manager", {"name": "甲", "staff_no": "X1"})
            raise RuntimeError("boom")
    assert empty_workspace.scalar("SELECT count(*) FROM manager") == 0
    assert empty_workspace.scalar("SELECT count(*) FROM audit_log") == before


def test_every_change_is_audited_and_chain_verifies(empty_workspace):
    with empty_workspace.transaction("张三") as tx:
        mid = tx.insert("manager", {"name": "李四", "staff_no": "S1", "phone": "13800000000"})
        tx.update("manager", mid, {"phone": "13900000000"})
    rows = empty_workspace.query(
        "SELECT actor, action, row_id, changes FROM audit_log WHERE table_name='manager'")
    assert [(r["actor"], r["action"], r["row_id"]) for r in rows] == [
        ("张三", "insert", mid), ("张三", "update", mid)]
    assert '"phone": ["13800000000", "13900000000"]' in rows[1]["changes"]
    assert audit.verify(empty_workspace._reader()) == []


def test_password_hash_never_reaches_the_audit_log(empty_workspace):
    text = " ".join(r[0] or "" for r in empty_workspace.query("SELECT changes FROM audit_log"))
    stored = empty_workspace.scalar("SELECT password_hash FROM app_user")
    assert stored.startswith("scrypt$")
    assert stored not in text and "scrypt$" not in text


def test_tampered_audit_entry_breaks_chain(empty_workspace):
    path = empty_workspace.path
    empty_workspace.close()
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
    con.commit()
    problems = audit.verify(con)
    con.close()
    assert [p.entry_id for p in problems] == [3]


def test_audit_log_refuses_update_and_delete(empty_workspace):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with empty_workspace.transaction() as tx:
            tx.execute("DELETE FROM audit_log WHERE id = 1")


def test_open_refuses_bad_paths_clearly(tmp_path: Path):
    text = tmp_path / "notes.gpkg"
    text.write_text("这不是数据库")
    before = _sha(text)
    with pytest.raises(WorkspaceOpenError, match="不是 GeoPackage"):
        open_store(text)
    assert _sha(text) == before
    with pytest.raises(WorkspaceOpenError, match="不存在"):
        open_store(tmp_path / "missing.gpkg")
    with pytest.raises(WorkspaceOpenError, match="文件夹"):
        open_store(tmp_path)
    plain = tmp_path / "plain.sqlite"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(WorkspaceOpenError, match="不是 GeoPackage"):
        open_store(plain)


def test_gdal_geopackage_is_adopted_without_touching_its_layers(tmp_path: Path):
    import geopandas as gpd

    path = tmp_path / "qgis.gpkg"
    src = gpd.GeoDataFrame({"名称": ["甲", "乙"]}, geometry=[shapely.box(0, 0, 1, 1),
                                                          shapely.box(1, 0, 2, 1)], crs=4490)
    pyogrio.write_dataframe(src, path, layer="parcels")
    before = _sha(path)
    with pytest.raises(NotAWorkspaceError, match="parcels"):
        open_store(path)
    assert _sha(path) == before
    with open_store(path, adopt=True) as store:
        assert store.schema_version >= 1
    back = pyogrio.read_dataframe(path, layer="parcels")
    assert list(back["名称"]) == ["甲", "乙"]
    assert back.geometry.geom_equals(src.geometry).all()
    assert "grid" in dict(pyogrio.list_layers(path))


def test_adopt_renames_a_clashing_layer(tmp_path: Path):
    import geopandas as gpd

    path = tmp_path / "clash.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.box(0, 0, 1, 1)],
                                             crs=4490), path, layer="grid")
    with open_store(path, adopt=True) as store:
        assert store.adopt_renamed == {"grid": "grid_imported"}
        assert store.scalar("SELECT count(*) FROM grid") == 0
    assert list(pyogrio.read_dataframe(path, layer="grid_imported")["a"]) == [1]


def test_newer_schema_is_refused_and_file_unchanged(empty_workspace):
    path = empty_workspace.path
    empty_workspace.close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO gridapp_migration (name, version, applied_at)"
                " VALUES ('0099_future', 99, '2030-01-01T00:00:00.000Z')")
    con.commit()
    con.close()
    before = _sha(path)
    with pytest.raises(SchemaVersionError, match="更新版本"):
        open_store(path)
    assert _sha(path) == before


def test_readonly_workspace_reads_but_refuses_writes(empty_workspace, monkeypatch):
    path = empty_workspace.path
    empty_workspace.close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if (
        Path(p) == path and mode == os.W_OK) else real_access(p, mode, **kw))
    with open_store(path) as store:
        assert store.readonly
        assert store.scalar("SELECT count(*) FROM department") > 5
        with pytest.raises(ReadOnlyWorkspaceError, match="只读"):
            with store.transaction() as tx:
                tx.insert("manager", {"name": "甲", "staff_no": "X"})


def test_full_disk_rolls_back_and_keeps_file_valid(empty_workspace):
    path = empty_workspace.path
    conn = empty_workspace._writer_conn()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    rng = np.random.default_rng(1)
    pts = shapely.points(rng.uniform(106.7, 106.72, 20000), rng.uniform(26.56, 26.58, 20000))
    with pytest.raises(DiskFullError, match="磁盘已满"):
        with empty_workspace.transaction("tester") as tx:
            bulk.insert_features(tx, "place", ["name"], [(f"p{i}",) for i in range(20000)], pts)
    empty_workspace.close()
    with open_store(path) as store:
        assert store.scalar("SELECT count(*) FROM place") == 0
        assert store.scalar("PRAGMA integrity_check") == "ok"
        # triggers dropped for the bulk load came back with the rollback
        assert store.scalar("SELECT count(*) FROM sqlite_master WHERE type='trigger'"
                            " AND name LIKE 'rtree_place_geom_%'") == 7


_CRASH_SCRIPT = """
import os, sys, shapely
from gridapp.storage import open_store
store = open_store(sys.argv[1])
with store.transaction("before-crash") as tx:
    tx.insert("place", {"name": "已提交", "geom": shapely.Point(106.71, 26.57)})
cm = store._write()  # keep a reference: the transaction stays open
cm.__enter__()
conn = store._writer
for i in range(5000):
    conn.execute("INSERT INTO manager (name, staff_no) VALUES (?, ?)", ("x", f"S{i}"))
os._exit(9)   # power cut in the middle of a transaction
"""


def test_crash_mid_write_keeps_committed_changes(empty_workspace):
    path = empty_workspace.path
    empty_workspace.close()
    proc = subprocess.run([sys.executable, "-c", _CRASH_SCRIPT, str(path)], cwd=ROOT)
    assert proc.returncode == 9
    with open_store(path) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert [r[0] for r in store.query("SELECT name FROM place")] == ["已提交"]
        assert store.scalar("SELECT count(*) FROM manager") == 0
        assert audit.verify(store._reader()) == []


def test_reader_threads_see_committed_data_while_writer_works(empty_workspace):
    with empty_workspace.transaction() as tx:
        tx.insert("manager", {"name": "甲", "staff_no": "A"})
    seen = []

    def read():
        seen.append(empty_workspace.scalar("SELECT count(*) FROM manager"))

    with empty_workspace.transaction() as tx:
        tx.insert("manager", {"name": "乙", "staff_no": "B"})
        t = threading.Thread(target=read)
        t.start()
        t.join()
    assert seen == [1]  # the uncommitted row is invisible to other readers
    assert empty_workspace.scalar("SELECT count(*) FROM manager") == 2


def test_close_is_idempotent_and_closed_store_raises(tmp_path: Path):
    store = create_store(tmp_path / "c.gpkg")
    store.close()
    store.close()
    with pytest.raises(ClosedStoreError):
        store.query("SELECT 1")
    # closing leaves a plain rollback-journal file other programs can open
    assert not Path(str(tmp_path / "c.gpkg") + "-wal").exists()


def test_create_refuses_existing_file(tmp_path: Path):
    path = tmp_path / "x.gpkg"
    path.write_bytes(b"keep me")
    with pytest.raises(WorkspaceOpenError, match="已存在"):
        create_store(path)
    assert path.read_bytes() == b"keep me"


def test_filtered_and_full_reads_agree(demo_file: Path):
    with open_store(demo_file, readonly=True) as store:
        full = store.read_layer("report")
        part = store.read_layer("report", "status = ?", ["closed"])
    closed = full[full.status == "closed"].sort_values("id").reset_index(drop=True)
    part = part.sort_values("id").reset_index(drop=True)
    assert len(part) == len(closed) > 0
    assert (part["case_no"] == closed["case_no"]).all()
    assert shapely.equals_exact(part.geometry.values, closed.geometry.values, 1e-12).all()
    assert str(part["reported_at"].dtype) == str(closed["reported_at"].dtype)
    assert (part["reported_at"] == closed["reported_at"]).all()


def test_full_reads_see_the_latest_commit(empty_workspace):
    """Whole-table reads go through GDAL; they must see what was just written."""
    for k in range(3):
        with empty_workspace.transaction() as tx:
            tx.insert("place", {"name": f"p{k}", "geom": shapely.Point(106.71, 26.57)})
        assert len(empty_workspace.read_layer("place")) == k + 1


def test_second_store_on_the_same_file_does_not_break_the_first(empty_workspace):
    other = open_store(empty_workspace.path)
    with other.transaction() as tx:
        tx.insert("manager", {"name": "甲", "staff_no": "A"})
    other.close()
    with empty_workspace.transaction() as tx:
        tx.insert("manager", {"name": "乙", "staff_no": "B"})
    assert empty_workspace.scalar("SELECT count(*) FROM manager") == 2


def test_table_schema_is_read_once_and_refuses_unknown_tables(empty_workspace):
    schema = dict(empty_workspace.table_schema("report"))
    assert schema["reported_at"] == "DATETIME" and schema["geom"] == "POINT"
    assert empty_workspace.table_schema("report") is empty_workspace.table_schema("report")
    with pytest.raises(NotFoundError, match='x" OR 1=1'):
        empty_workspace.read_layer('x" OR 1=1 --')
