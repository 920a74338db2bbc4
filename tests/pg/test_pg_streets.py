"""Two streets on one server: a street's login sees and writes nothing of the other.

The demo street is published twice, as streets ``a`` and ``b``; a login made
for a user of street A connects with ``psql`` (no GridApp in between) and is
refused every read and write of street B — reports, users, audit rows —
while it reads and edits its own street, whose audit entries the server
writes with the login's name.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import psycopg
import pytest

from gridapp.storage import open_store
from gridapp.storage.postgis import roles, sync

PASSWORD = "Street-A-pass-2026"


@pytest.fixture(scope="module")
def district(pg_server, demo_file):
    url = pg_server.create_database("district_ab")
    with open_store(demo_file, readonly=True) as src:
        sync.publish(src, url, "a")
        sync.publish(src, url, "b")
    role = roles.create_login(url, "a", "zhang.wei", PASSWORD)
    return url, role


def _psql(pg_server, role: str, sql: str) -> subprocess.CompletedProcess:
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql is not installed")
    env = {**os.environ, "PGPASSWORD": PASSWORD}
    return subprocess.run(
        [psql, "-X", "-v", "ON_ERROR_STOP=1", "-At", "-h", "127.0.0.1", "-p",
         str(pg_server.port), "-U", role, "-d", "district_ab", "-c", sql],
        capture_output=True, text=True, env=env, timeout=30)


@pytest.mark.parametrize("sql", [
    "SELECT count(*) FROM street_b.report",
    "SELECT count(*) FROM street_b.app_user",
    "SELECT count(*) FROM street_b.audit_log",
    "UPDATE street_b.report SET status = 'closed'",
    "DELETE FROM street_b.case_event",
    "INSERT INTO street_b.setting (key, value) VALUES ('x', '1')",
    "SELECT gridapp.audit_append('street_b', 'forged', NULL, NULL, NULL)",
])
def test_street_a_login_cannot_touch_street_b(district, pg_server, sql):
    _url, role = district
    done = _psql(pg_server, role, sql)
    assert done.returncode != 0
    assert "permission denied" in done.stderr


def test_street_a_login_reads_and_edits_its_own_street(district, pg_server):
    url, role = district
    before = psycopg.connect(pg_server.url("district_ab")).execute(
        "SELECT count(*) FROM street_b.report WHERE status = 'closed'").fetchone()[0]
    done = _psql(pg_server, role, "SELECT count(*) FROM street_a.report")
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) == 3000  # the demo's reports
    rid = _psql(pg_server, role, "SELECT min(id) FROM street_a.report").stdout.strip()
    edit = _psql(pg_server, role,
                 f"UPDATE street_a.report SET description = 'psql edit' WHERE id = {rid}")
    assert edit.returncode == 0, edit.stderr
    # The server wrote the audit entry itself, naming the login that connected.
    row = _psql(pg_server, role,
                "SELECT action || '|' || table_name || '|' || row_id || '|' || db_role"
                " FROM street_a.audit_log ORDER BY id DESC LIMIT 1").stdout.strip()
    assert row == f"update|report|{rid}|{role}"
    # Street B is as it was.
    with psycopg.connect(pg_server.url("district_ab")) as conn:
        assert conn.execute("SELECT count(*) FROM street_b.report WHERE status = 'closed'"
                            ).fetchone()[0] == before
        assert conn.execute("SELECT count(*) FROM street_b.report WHERE description ="
                            " 'psql edit'").fetchone()[0] == 0


@pytest.mark.parametrize("sql", [
    "UPDATE street_a.audit_log SET actor = 'someone else'",
    "DELETE FROM street_a.audit_log",
    "INSERT INTO street_a.audit_log (at, action, prev_hash, hash) VALUES ('x', 'x', 'x', 'x')",
])
def test_street_login_cannot_write_its_audit_log(district, pg_server, sql):
    _url, role = district
    done = _psql(pg_server, role, sql)
    assert done.returncode != 0
    assert "permission denied" in done.stderr


def test_gridapp_store_with_street_login(district, pg_server):
    """GridApp itself, logged in as the street's user: its street opens, the other does not."""
    from gridapp.errors import WorkspaceOpenError

    url, role = district
    login = pg_server.url("district_ab", user=role, password=PASSWORD)
    with open_store(login + "?street=a") as store:
        assert store.scalar("SELECT count(*) FROM report") == 3000
    with pytest.raises(Exception) as info:
        open_store(login + "?street=b")
    assert isinstance(info.value, WorkspaceOpenError) or "permission" in str(info.value)


def test_wrong_password_is_a_clear_message(district, pg_server):
    from gridapp.errors import WorkspaceOpenError

    _url, role = district
    bad = pg_server.url("district_ab", user=role, password="not-the-password")
    with pytest.raises(WorkspaceOpenError) as info:
        open_store(bad + "?street=a")
    assert "密码错误" in str(info.value)
