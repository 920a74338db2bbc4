"""A district server restarted while GridApp has the street open (issue 16).

The server is really restarted (``pg_ctl restart -m fast``: every session is
cut, as on a reboot).  A read reconnects and runs again; a write that had not
begun reconnects and begins once more; a write the restart cut in the middle
is rolled back by the server and reported as not saved, and the next write
works.  ``store.reconnects`` counts the reopened connections.
"""

from __future__ import annotations

import pytest

from gridapp.errors import StorageError
from gridapp.storage import open_store


@pytest.fixture
def store(pg_demo_url):
    s = open_store(pg_demo_url)
    yield s
    s.close()


def test_a_read_after_a_restart_reconnects_and_reads_again(store, pg_server):
    n = store.scalar("SELECT count(*) FROM report")
    assert n > 0
    pg_server.restart()
    assert store.scalar("SELECT count(*) FROM report") == n
    assert store.reconnects == 1


def test_a_write_after_a_restart_begins_again_on_a_new_connection(store, pg_server):
    rid = store.scalar("SELECT min(id) FROM report")
    with store.transaction("tester") as tx:  # the writer connection now exists
        tx.update("report", rid, {"description": "before the restart"})
    pg_server.restart()
    with store.transaction("tester") as tx:  # its old connection is dead: retried once
        tx.update("report", rid, {"description": "after the restart"})
    assert store.reconnects == 1  # the BEGIN, sent again (no read has run since)
    assert store.get("report", rid)["description"] == "after the restart"
    # Both writes were audited by the server, in one unbroken chain.
    rows = store.query("SELECT changes FROM audit_log WHERE table_name = 'report'"
                       " AND row_id = ? AND action = 'update' ORDER BY id", (rid,))
    texts = [r[0] for r in rows]
    assert any("before the restart" in t for t in texts)
    assert any("after the restart" in t for t in texts)
    from gridapp.storage.queries import audit

    assert audit.chain_problems(store) == []


def test_a_write_cut_by_a_restart_is_not_saved_and_the_next_one_is(store, pg_server):
    rid = store.scalar("SELECT min(id) FROM report")
    before = store.get("report", rid)["description"]
    with pytest.raises(StorageError) as info, store.transaction("tester") as tx:
        tx.update("report", rid, {"description": "half a change"})
        pg_server.restart()
        tx.update("report", rid, {"address": "never written"})
    assert "未保存" in str(info.value)
    row = store.get("report", rid)
    assert row["description"] == before and row["address"] != "never written"
    with store.transaction("tester") as tx:
        tx.update("report", rid, {"description": "written after"})
    assert store.get("report", rid)["description"] == "written after"
