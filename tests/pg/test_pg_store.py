"""The Store protocol on both backends: the same calls, the same answers.

``any_demo`` is the demo street as a GeoPackage copy and as a street published
to a real PostGIS server; each test runs on both and asserts the same things.
The server-only faults (newer schema, a restart mid-session, a broken
connection during a write) are at the end.
"""

from __future__ import annotations

import json

import psycopg
import pytest
import shapely

from gridapp.errors import SchemaVersionError, StorageError
from gridapp.storage import open_store
from gridapp.storage.api import Store
from gridapp.storage.migrations import all_migrations
from gridapp.storage.queries import cases as case_queries
from gridapp.storage.queries import workspace as ws_queries


def test_the_store_protocol(any_demo):
    assert isinstance(any_demo, Store)
    assert any_demo.schema_version == max(m.version for m in all_migrations())
    assert set(any_demo.applied_migrations()) == {m.name for m in all_migrations()}
    assert any_demo.feature_tables()["report"] == "POINT"
    assert any_demo.metric_crs() == (4524, "setting")  # the demo's Guiyang street


def test_rows_and_frames_are_the_same_on_both(any_demo, demo_file):
    with open_store(demo_file, readonly=True) as ref:
        rid = int(ref.query("SELECT min(id) FROM report")[0][0])
        want = ref.get("report", rid)
        frame_ref = ref.read_layer("report", "status = ?", ("closed",))
    got = any_demo.get("report", rid)
    assert got.keys() == want.keys()
    assert {k: v for k, v in got.items() if k != "geom"} == \
        {k: v for k, v in want.items() if k != "geom"}
    assert got["geom"].equals_exact(want["geom"], 1e-12)
    frame = any_demo.read_layer("report", "status = ?", ("closed",))
    assert len(frame) == len(frame_ref) > 0
    assert list(frame["id"]) == list(frame_ref["id"])
    assert (frame["reported_at"] == frame_ref["reported_at"]).all()
    assert shapely.equals_exact(frame.geometry.values, frame_ref.geometry.values, 1e-12).all()


def test_named_queries_answer_alike(any_demo, demo_file):
    with open_store(demo_file, readonly=True) as ref:
        for question in (
            lambda s: [tuple(r) for r in case_queries.active_subcategories(s)],
            lambda s: sorted(case_queries.bbox_ids(s, "grid", 106.71, 26.58, 0.01, 0.01)),
            lambda s: ws_queries.table_counts(s).get("report"),
            lambda s: ws_queries.first_street(s),
        ):
            assert question(any_demo) == question(ref)


def test_audited_writes_and_rollback(any_demo):
    store = any_demo
    with store.transaction("tester") as tx:
        did = tx.insert("department", {"code": "ZZ9", "name": "测试部门", "active": True})
        tx.update("department", did, {"name": "改名部门"})
    row = store.get("department", did)
    assert (row["name"], row["active"]) == ("改名部门", 1)
    actions = [(r[0], r[1]) for r in store.query(
        "SELECT action, actor FROM audit_log WHERE table_name = 'department' AND row_id = ?"
        " ORDER BY id", (did,))]
    assert actions == [("insert", "tester"), ("update", "tester")]
    changes = json.loads(store.query(
        "SELECT changes FROM audit_log WHERE table_name = 'department' AND row_id = ?"
        " AND action = 'update'", (did,))[0][0])
    assert changes == {"name": ["测试部门", "改名部门"]}
    with pytest.raises(RuntimeError), store.transaction("tester") as tx:
        tx.update("department", did, {"name": "不会保存"})
        raise RuntimeError("abort")
    assert store.get("department", did)["name"] == "改名部门"
    store.set_setting("bench.x", {"a": [1, 2]})
    assert store.setting("bench.x") == {"a": [1, 2]}


def test_geometry_round_trip(any_demo):
    poly = shapely.Polygon([(106.70, 26.57), (106.71, 26.57), (106.71, 26.58)])
    with any_demo.transaction("tester") as tx:
        bid = tx.insert("building", {"name": "测试楼", "geom": poly, "households": 3})
    back = any_demo.get("building", bid)["geom"]
    assert back.geom_type == "Polygon"
    assert back.equals_exact(poly, 1e-12)


# -- the server only ------------------------------------------------------------------
def test_a_newer_server_schema_is_refused(pg_demo_url, pg_server):
    store = open_store(pg_demo_url)
    store.close()
    db = pg_demo_url.split("/")[-1].split("?")[0]
    with psycopg.connect(pg_server.url(db), autocommit=True) as conn:
        conn.execute("INSERT INTO street_520102003.gridapp_migration (name, version, applied_at)"
                     " VALUES ('0999_from_the_future', 999, '2030-01-01T00:00:00Z')")
    with pytest.raises(SchemaVersionError) as info:
        open_store(pg_demo_url)
    assert "0999_from_the_future" in str(info.value)


def test_a_lost_connection_is_reopened_for_reads_and_a_write_says_not_saved(pg_demo_url,
                                                                            pg_server):
    store = open_store(pg_demo_url)
    try:
        n = store.scalar("SELECT count(*) FROM report")
        db = pg_demo_url.split("/")[-1].split("?")[0]
        # The server drops every session of this database (as a restart would).
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          " WHERE datname = %s AND pid <> pg_backend_pid()", (db,))
        assert store.scalar("SELECT count(*) FROM report") == n  # reconnected, read again
        rid = store.scalar("SELECT min(id) FROM report")
        with store.transaction("tester") as tx:  # the writer connects afresh
            tx.update("report", rid, {"description": "before the cut"})
        with pytest.raises(StorageError) as info, store.transaction("tester") as tx:
            tx.update("report", rid, {"description": "lost with the connection"})
            with psycopg.connect(pg_server.url(), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                              " WHERE datname = %s AND pid <> pg_backend_pid()", (db,))
            tx.update("report", rid, {"address": "x"})
        assert "未保存" in str(info.value)
        assert store.get("report", rid)["description"] == "before the cut"
        with store.transaction("tester") as tx:  # and the next write works again
            tx.update("report", rid, {"description": "after"})
        assert store.get("report", rid)["description"] == "after"
    finally:
        store.close()


def test_server_down_is_a_clear_message(pg_server):
    from gridapp.errors import WorkspaceOpenError

    with pytest.raises(WorkspaceOpenError) as info:
        open_store("postgresql://gridapp@127.0.0.1:1/nowhere?street=x")
    assert "无法连接数据库服务器" in str(info.value)


def test_info_shows_the_server_address_whole(pg_demo_url):
    """``info`` on a server names it by its URL (Path() collapsed '//' to '/')."""
    from gridapp.services.workspace import open_workspace, workspace_info

    with open_workspace(pg_demo_url, readonly=True) as store:
        info = workspace_info(store)
    assert info.path.startswith("postgresql://"), info.path
