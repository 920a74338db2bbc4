"""Tampering with plain SQL that the unkeyed chain let through, now detected.

Each attack is made with Python's plain sqlite3 on a closed workspace, as
someone holding only the file would; the expected hashes an attacker would
compute are derived here from the documented formula, not from GridApp.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from gridapp.services.integrity import check_workspace
from gridapp.services.people import auth, users
from gridapp.storage import open_store

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PW = "Admin-pass-2026"


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("GRIDAPP_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def workspace(empty_workspace) -> Path:
    """A closed workspace with an admin and a leader, written by GridApp."""
    admin = auth.login(empty_workspace, "admin", ADMIN_PW)
    users.add_user(admin, "lingdao", "Leader-pass-2026", "leader", display_name="领导")
    path = empty_workspace.path
    empty_workspace.close()
    return path


def _errors(path: Path, check: str = "audit") -> list[str]:
    with open_store(path, readonly=True) as store:
        return [p.en for p in check_workspace(store) if p.check == check
                and p.severity == "error"]


def _sql(path: Path, *statements: str, unguard: bool = True) -> None:
    conn = sqlite3.connect(path)
    if unguard:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
    for sql in statements:
        conn.execute(sql)
    if unguard:  # the attacker puts the guards back, so only the chain can tell
        conn.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
                     "    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
        conn.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
                     "    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    conn.commit()
    conn.close()


def _sha_chain_from(path: Path, first: int) -> None:
    """Recompute every hash from entry *first* on with the old, unkeyed formula."""
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT id, at, actor, user_id, action, table_name, row_id, changes"
                        " FROM audit_log ORDER BY id").fetchall()
    prev = "0" * 64
    fixed = []
    for id_, *fields in rows:
        if id_ >= first:
            digest = hashlib.sha256(json.dumps([prev, *fields], ensure_ascii=False,
                                               separators=(",", ":")).encode()).hexdigest()
            fixed.append((prev, digest, id_))
        else:
            digest = conn.execute("SELECT hash FROM audit_log WHERE id = ?",
                                  (id_,)).fetchone()[0]
        prev = digest
    conn.close()
    _sql(path, *[f"UPDATE audit_log SET prev_hash = '{p}', hash = '{h}' WHERE id = {i}"
                 for p, h, i in fixed])


def test_a_clean_workspace_passes_and_its_key_is_private(workspace, config):
    assert _errors(workspace) == []
    keys = list((config / "keys").glob("*.key"))
    assert len(keys) == 1
    assert stat.S_IMODE(keys[0].stat().st_mode) == 0o600
    key = bytes.fromhex(keys[0].read_text().split()[0])
    with open_store(workspace, readonly=True) as store:
        assert key.hex() not in " ".join(str(tuple(r)) for r in store.query(
            "SELECT * FROM audit_log")) + " ".join(str(tuple(r)) for r in store.query(
                "SELECT * FROM setting"))


def test_edited_row_with_recomputed_chain_is_detected(workspace):
    conn = sqlite3.connect(workspace)
    (entry,) = conn.execute("SELECT min(id) FROM audit_log WHERE table_name = 'app_user'"
                            " AND action = 'insert'").fetchone()
    conn.close()
    _sql(workspace, f"UPDATE audit_log SET actor = 'someone-else' WHERE id = {entry}")
    _sha_chain_from(workspace, entry)
    errors = _errors(workspace)
    assert any(f"audit entry {entry}" in e for e in errors), errors


def test_truncated_tail_with_reset_sequence_is_detected_by_the_anchor(workspace):
    conn = sqlite3.connect(workspace)
    (last,) = conn.execute("SELECT max(id) FROM audit_log").fetchone()
    conn.close()
    _sql(workspace, f"DELETE FROM audit_log WHERE id > {last - 3}",
         f"UPDATE sqlite_sequence SET seq = {last - 3} WHERE name = 'audit_log'")
    errors = _errors(workspace)
    assert any("truncated or rewritten" in e and str(last) in e for e in errors), errors


def test_dropped_audit_triggers_are_detected(workspace):
    _sql(workspace, "DROP TRIGGER audit_log_no_update", unguard=False)
    errors = _errors(workspace, "schema")
    assert any("audit_log_no_update" in e for e in errors), errors


def test_role_edited_with_sql_is_detected_even_after_more_work(workspace):
    _sql(workspace, "UPDATE app_user SET role_id = (SELECT id FROM app_role"
                    " WHERE name = 'admin') WHERE username = 'lingdao'", unguard=False)
    errors = _errors(workspace)
    assert any("lingdao" in e and "last audited state" in e for e in errors), errors
    with open_store(workspace) as store:  # the next GridApp write does not bless it
        store.set_setting("later.work", 1)
    errors = _errors(workspace)
    assert any("lingdao" in e and "changed outside GridApp" in e for e in errors), errors


def test_password_hash_swap_is_detected(workspace):
    _sql(workspace, "UPDATE app_user SET password_hash = (SELECT password_hash FROM app_user"
                    " WHERE username = 'lingdao') WHERE username = 'admin'", unguard=False)
    errors = _errors(workspace)
    assert any("admin" in e and "last audited state" in e for e in errors), errors


def test_a_file_on_another_computer_warns_then_verifies_with_the_imported_key(
        workspace, config, tmp_path, monkeypatch):
    elsewhere = tmp_path / "other-pc"
    monkeypatch.setenv("GRIDAPP_CONFIG_DIR", str(elsewhere))
    with open_store(workspace, readonly=True) as store:
        problems = [p for p in check_workspace(store) if p.check == "audit"]
    assert problems and all(p.severity == "warning" for p in problems)
    assert "import-key" in problems[0].en
    with open_store(workspace) as store:  # working here starts a segment with a new key
        store.set_setting("work.elsewhere", 1)
        assert store.query("SELECT count(*) FROM audit_log"
                           " WHERE action = 'audit_keyed_segment'")[0][0] == 2
    (key_file,) = (config / "keys").glob("*.key")
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(workspace),
                             "--import-key", str(key_file)], capture_output=True, text=True,
                            cwd=ROOT, timeout=300, env={**os.environ})
    assert result.returncode == 0, result.stdout + result.stderr
    with open_store(workspace, readonly=True) as store:
        assert [p for p in check_workspace(store) if p.check == "audit"] == []


def test_moving_the_file_keeps_it_verifiable(workspace, tmp_path):
    moved = tmp_path / "moved" / "street.gpkg"
    moved.parent.mkdir()
    shutil.move(workspace, moved)
    assert _errors(moved) == []


def test_info_prints_the_chain_head(workspace):
    conn = sqlite3.connect(workspace)
    last, digest = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC").fetchone()
    conn.close()
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "info", str(workspace)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert f"#{last} {digest}" in result.stdout, result.stdout + result.stderr


def test_a_transaction_reads_its_audit_key_once_and_its_chain_verifies(workspace, monkeypatch):
    """Many audited writes in one transaction ask the key file once, not once per entry
    (the field server writes ~5 entries per phone report, ~18 reports per commit)."""
    from gridapp.storage import keystore

    reads: list[str] = []
    real = keystore.load_keys
    monkeypatch.setattr(keystore, "load_keys", lambda uuid: reads.append(uuid) or real(uuid))
    with open_store(workspace) as store:
        before = len(reads)
        with store.transaction("test") as tx:
            for i in range(20):
                tx.insert("department", {"code": f"T{i:02d}", "name": f"科室{i}"})
        in_tx = len(reads) - before
    assert in_tx <= 3, in_tx  # once for the entries (+ the digest checks around the commit)
    assert _errors(workspace) == []
