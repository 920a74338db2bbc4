"""The fixed cost of a write transaction, and the guarantees it must keep.

A write checks the schema for foreign triggers and views and the users for
changes made with plain SQL only when another connection committed something
since its last check (``PRAGMA data_version``) or the schema cookie moved (it
still folds every commit into the file: GDAL reads the open workspace when a
layer of an adopted GeoPackage is imported into it).  These tests hold the store
open while another connection (plain sqlite3, as another program would) edits
the file, and kill a writer process right after its commit.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gridapp.storage import audit, keystore, open_store
from gridapp.storage.schema_guard import ForeignSchemaError

ROOT = Path(__file__).resolve().parents[2]

PLANTED = """CREATE TRIGGER sync_profile AFTER UPDATE ON app_user
BEGIN UPDATE app_user SET role_id = (SELECT id FROM app_role WHERE name = 'admin'); END"""


@pytest.fixture(autouse=True)
def _config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDAPP_CONFIG_DIR", str(tmp_path / "config"))


def _other(path: Path, sql: str) -> None:
    """Another program's committed change, while the store stays open."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(sql)
    finally:
        conn.close()


def _statements(store) -> list[str]:
    seen: list[str] = []
    store._writer_conn().set_trace_callback(seen.append)
    return seen


def test_a_trigger_planted_by_another_connection_after_a_write_is_still_refused(
        empty_workspace):
    store = empty_workspace
    for k in range(3):  # the guard has passed and is now skipped
        store.set_setting("work", k)
    _other(store.path, PLANTED)
    with pytest.raises(ForeignSchemaError, match="sync_profile"):
        store.set_setting("work", 99)
    assert store.setting("work") == 2


def test_a_trigger_planted_by_another_store_in_this_process_is_refused(empty_workspace):
    store = empty_workspace
    store.set_setting("work", 1)
    other = open_store(store.path)
    try:
        # GridApp's own write, through another connection, then a planted trigger
        # through that same writer connection (another program would use its own)
        other.set_setting("other", 1)
        with other._write(guard=False) as conn:
            conn.execute(PLANTED)
    finally:
        other.close()
    with pytest.raises(ForeignSchemaError, match="sync_profile"):
        store.set_setting("work", 2)


def test_users_changed_by_another_connection_are_noted_by_the_next_write(empty_workspace):
    store = empty_workspace
    store.set_setting("work", 1)
    store.set_setting("work", 2)
    _other(store.path, "UPDATE app_user SET active = 0 WHERE username = 'admin'")
    store.set_setting("work", 3)
    rows = store.query("SELECT changes FROM audit_log WHERE action = ?",
                       (audit.DIGEST_MISMATCH,))
    assert len(rows) == 1 and '"u' in rows[0][0]


def test_no_other_writer_no_schema_read(empty_workspace):
    """Counted, not timed: five writes read sqlite_master for the guard at most once."""
    store = empty_workspace
    seen = _statements(store)
    for k in range(5):
        store.set_setting("work", k)
    store._writer_conn().set_trace_callback(None)
    guard_reads = [s for s in seen if "sqlite_master" in s and "'trigger'" in s]
    assert len(guard_reads) <= 1, guard_reads
    # one passive checkpoint per commit (see store._write)
    assert sum("wal_checkpoint" in s.lower() for s in seen) == 5
    assert sum(s.startswith("COMMIT") for s in seen) == 5


def test_the_schema_is_checked_again_after_this_connection_changes_it(empty_workspace):
    store = empty_workspace
    store.set_setting("work", 1)
    with store._write(guard=False) as conn:  # e.g. an administrator's removal
        conn.execute(PLANTED)
    with pytest.raises(ForeignSchemaError, match="sync_profile"):
        store.set_setting("work", 2)


WRITER = """
import os, signal, sys
from gridapp.storage import open_store
store = open_store(sys.argv[1])
with store.transaction("killed") as tx:
    tx.set_setting("survives", 42)
print("committed", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_kill_9_right_after_a_commit_keeps_the_change_and_a_valid_chain(empty_workspace):
    path = empty_workspace.path
    empty_workspace.close()
    proc = subprocess.run([sys.executable, "-c", WRITER, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == -9, proc.stderr
    assert "committed" in proc.stdout
    conn = sqlite3.connect(path)  # recovers the WAL the killed writer left
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT value FROM setting WHERE key = 'survives'"
                            ).fetchone()[0] == "42"
        problems = audit.verify(conn, path)
        ws = audit.workspace_uuid(conn)
        last = conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    finally:
        conn.close()
    assert [p for p in problems if p.severity == "error"] == []
    # the anchor, written after the commit, is the killed writer's last entry or
    # one before it (killed before the anchor file was renamed into place)
    mine = keystore.anchors(ws).get(str(path.resolve()))
    assert mine is None or mine["seq"] <= last


def _head(path: Path) -> tuple[str, int, str]:
    conn = sqlite3.connect(path)
    try:
        ws, seq, digest = audit.head(conn)
    finally:
        conn.close()
    assert ws is not None
    return ws, seq, digest


def test_the_anchor_names_the_last_commit_once_flushed_and_the_writer_thread_ends(
        empty_workspace):
    store = empty_workspace
    for k in range(5):
        store.set_setting("work", k)
    audit.flush_anchors()
    ws, seq, digest = _head(store.path)
    assert keystore.anchors(ws)[str(store.path.resolve())] | {"at": None} == {
        "seq": seq, "head": digest, "at": None}
    assert not [t for t in threading.enumerate() if t.name == "gridapp-audit-anchor"]


def test_a_cut_tail_is_still_caught_by_the_anchor(empty_workspace):
    store = empty_workspace
    for k in range(3):
        store.set_setting("work", k)
    path = store.path
    store.close()  # writes the anchors
    ws, seq, _digest = _head(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:  # cut the last entry and hide it from sqlite_sequence, as an attacker would
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE id = ?", (seq,))
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'", (seq - 1,))
        problems = audit.verify(conn, path)
    finally:
        conn.close()
    assert any("truncated or rewritten" in p.reason_en and str(seq) in p.reason_en
               for p in problems), problems


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_a_forked_child_does_not_wait_for_the_parents_anchor_thread():
    import signal

    with audit._anchor_cv:  # as if the parent's thread were writing at the fork
        audit._anchor_worker = threading.Thread(target=lambda: None)  # never started
        pid = os.fork()
        if pid == 0:  # the child: flush must return (SIGALRM kills it otherwise)
            signal.alarm(30)
            try:
                audit.flush_anchors()
            finally:
                os._exit(0)
        audit._anchor_worker = None
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
