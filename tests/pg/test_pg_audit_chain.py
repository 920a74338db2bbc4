"""The server's audit chain with statement-level triggers (issue 16).

One UPDATE of many rows still writes one entry per row, chained; a rolled-back
transaction leaves no gap; an entry changed or deleted by a superuser is found;
``check`` on a server finds a dropped audit trigger and an invalid geometry.
"""

from __future__ import annotations

import json

import psycopg
import pytest

from gridapp.services.integrity import check_workspace
from gridapp.storage import open_store
from gridapp.storage.postgis import audit


def _raw(url: str):
    conn = psycopg.connect(url.split("?")[0])
    conn.execute('SET search_path = "street_520102003", gridapp, public')
    return conn


def test_one_statement_many_rows_one_entry_each_chained(pg_demo_url):
    with open_store(pg_demo_url) as store:
        ids = [r[0] for r in store.query("SELECT id FROM report ORDER BY id LIMIT 5")]
        before = store.scalar("SELECT max(id) FROM audit_log")
        with store.transaction("tester") as tx:
            tx.execute("UPDATE report SET description = 'x' || id WHERE id IN (?, ?, ?, ?, ?)",
                       ids)
        rows = store.query("SELECT row_id, action, actor, changes FROM audit_log WHERE id > ?"
                           " ORDER BY id", (before,))
        assert [r[0] for r in rows] == ids
        assert {r[1] for r in rows} == {"update"} and {r[2] for r in rows} == {"tester"}
        assert json.loads(rows[0][3])["description"][1] == f"x{ids[0]}"
        assert audit.verify(store) == []


def test_a_rolled_back_write_leaves_no_gap(pg_demo_url):
    with open_store(pg_demo_url) as store:
        rid = store.scalar("SELECT min(id) FROM report")
        with pytest.raises(RuntimeError), store.transaction("tester") as tx:
            tx.update("report", rid, {"description": "rolled back"})
            raise RuntimeError("stop")
        with store.transaction("tester") as tx:
            tx.update("report", rid, {"description": "kept"})
        assert audit.verify(store) == []


def test_a_changed_or_deleted_entry_is_found(pg_demo_url):
    with open_store(pg_demo_url) as store:
        with store.transaction("tester") as tx:
            tx.execute("UPDATE report SET description = 'y' WHERE id IN"
                       " (SELECT id FROM report ORDER BY id LIMIT 3)")
        last = store.scalar("SELECT max(id) FROM audit_log")
    conn = _raw(pg_demo_url)  # the superuser, guard trigger off: what only it could do
    conn.execute("ALTER TABLE audit_log DISABLE TRIGGER gridapp_audit_guard")
    conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE id = %s", (last,))
    conn.execute("DELETE FROM audit_log WHERE id = %s", (last - 1,))
    conn.commit()
    conn.close()
    with open_store(pg_demo_url, readonly=True) as store:
        problems = audit.verify(store)
    reasons = " ".join(p.reason_en for p in problems)
    assert f"{last - 1}–{last - 1} are missing" in reasons
    assert f"audit entry {last}: its content does not match" in reasons


def test_check_on_a_server_finds_a_dropped_trigger_and_a_bad_geometry(pg_demo_url):
    with open_store(pg_demo_url, readonly=True) as store:
        assert check_workspace(store) == []
    conn = _raw(pg_demo_url)
    conn.execute("DROP TRIGGER gridapp_audit_upd ON report")
    rid = conn.execute("SELECT min(id) FROM grid").fetchone()[0]
    conn.execute("UPDATE grid SET geom = ST_GeomFromText("
                 "'POLYGON((106.7 26.5, 106.71 26.51, 106.71 26.5, 106.7 26.51, 106.7 26.5))',"
                 " 4490) WHERE id = %s", (rid,))
    conn.commit()
    conn.close()
    with open_store(pg_demo_url, readonly=True) as store:
        found = {(p.check, p.table, p.row_id) for p in check_workspace(store)}
    assert ("schema", "report", None) in found
    assert ("geometry", "grid", rid) in found
