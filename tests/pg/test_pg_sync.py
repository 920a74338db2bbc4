"""Offline copies: checkout, edits on a laptop, checkin (issue 16).

Edits are made through GridApp's own stores on both sides (the offline copy
is an ordinary workspace file), so what is compared is what users do.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from gridapp.errors import WorkspaceOpenError
from gridapp.services.session import system_session
from gridapp.services.sync import district
from gridapp.storage import open_store, sqlfuncs

ROOT = Path(__file__).resolve().parents[2]


def _reports(store, n: int) -> list[int]:
    return [int(r[0]) for r in store.query("SELECT id FROM report ORDER BY id LIMIT ?", (n,))]


@pytest.fixture
def server_and_copy(pg_demo_url, tmp_path):
    server = open_store(pg_demo_url)
    field = tmp_path / "field.gpkg"
    counts = district.checkout(system_session(server), field)
    assert counts["report"] == 3000
    yield server, field
    server.close()


def _edit(path: Path, table: str, row_id: int, changes: dict) -> None:
    with open_store(path) as store, store.transaction("laptop") as tx:
        tx.update(table, row_id, changes)


def test_edits_and_new_rows_come_back_and_a_second_checkin_is_a_noop(server_and_copy):
    server, field = server_and_copy
    rid, other = _reports(server, 2)
    _edit(field, "report", rid, {"description": "offline edit"})
    with open_store(field) as store, store.transaction("laptop") as tx:
        # A new case event for an existing report, and a new report with its own event:
        # the new report's id is given by the server and its event follows it.
        tx.insert("case_event", {"report_id": other, "action": "note", "to_status": "reported",
                                 "at": "2026-11-30T02:00:00Z", "actor": "laptop"})
        base = dict(store.get("report", other))
        new = {k: v for k, v in base.items() if k not in ("id",)}
        new["case_no"] = "OFFLINE-0001"
        new_id = tx.insert("report", new)
        tx.insert("case_event", {"report_id": new_id, "action": "file", "to_status": "reported",
                                 "at": "2026-11-30T02:01:00Z", "actor": "laptop"})
    events_before = server.scalar("SELECT count(*) FROM case_event")

    outcome = district.checkin(system_session(server), field)

    assert outcome.ok and not outcome.noop
    assert outcome.applied == {"report": 2, "case_event": 2}
    assert server.scalar("SELECT description FROM report WHERE id = ?", (rid,)) == "offline edit"
    server_new = server.scalar("SELECT id FROM report WHERE case_no = 'OFFLINE-0001'")
    assert server_new is not None
    assert server.scalar("SELECT count(*) FROM case_event WHERE report_id = ?",
                         (server_new,)) == 1
    assert server.scalar("SELECT count(*) FROM case_event") == events_before + 2
    # The server wrote audit entries for what the checkin changed.
    assert server.scalar("SELECT count(*) FROM audit_log WHERE table_name = 'report' AND"
                         " action = 'update' AND row_id = ?", (rid,)) == 1

    again = district.checkin(system_session(server), field)
    assert again.noop and again.applied == {}
    assert server.scalar("SELECT count(*) FROM report WHERE case_no = 'OFFLINE-0001'") == 1
    assert server.scalar("SELECT count(*) FROM case_event") == events_before + 2


def test_same_row_edited_offline_and_online_is_a_conflict_with_both_versions(server_and_copy):
    server, field = server_and_copy
    rid, other = _reports(server, 2)
    _edit(field, "report", rid, {"description": "offline version"})
    _edit(field, "report", other, {"description": "an edit without conflict"})
    with server.transaction("office") as tx:
        tx.update("report", rid, {"description": "online version"})

    outcome = district.checkin(system_session(server), field)

    assert not outcome.ok
    [c] = outcome.conflicts
    assert (c.table, c.row_id, c.columns) == ("report", rid, ["description"])
    assert c.offline["description"] == "offline version"
    assert c.online["description"] == "online version"
    # All or nothing: the edit without a conflict was not applied either, and both
    # versions are kept where they were.
    assert server.scalar("SELECT description FROM report WHERE id = ?", (rid,)) == "online version"
    assert server.scalar("SELECT description FROM report WHERE id = ?", (other,)) != \
        "an edit without conflict"
    with open_store(field, readonly=True) as store:
        assert store.get("report", rid)["description"] == "offline version"


def test_cli_lists_conflicts_side_by_side_and_exits_1(server_and_copy, pg_demo_url):
    server, field = server_and_copy
    rid = _reports(server, 1)[0]
    _edit(field, "report", rid, {"address": "离线地址"})
    with server.transaction("office") as tx:
        tx.update("report", rid, {"address": "在线地址"})
    db = pg_demo_url.split("?")[0]
    done = subprocess.run(
        [sys.executable, "main.py", "--lang", "en", "checkin", str(field), "--db", db,
         "--password-stdin"], input="Admin-demo-2026\n", capture_output=True, text=True,
        cwd=ROOT, timeout=120)
    assert done.returncode == 1, done.stderr
    assert f"report id={rid}" in done.stdout
    line = next(x for x in done.stdout.splitlines() if x.strip().startswith("address"))
    assert "离线地址" in line and "在线地址" in line


def test_checkin_killed_midway_applies_nothing(server_and_copy, pg_demo_url):
    server, field = server_and_copy
    ids = _reports(server, 40)
    with open_store(field) as store, store.transaction("laptop") as tx:
        for i in ids:
            tx.update("report", i, {"description": f"offline {i}"})
    before = server.scalar("SELECT count(*) FROM report WHERE description LIKE 'offline %'")
    audit_before = server.scalar("SELECT count(*) FROM audit_log WHERE table_name = 'report'")
    db = pg_demo_url.split("?")[0]
    env = {**os.environ, "GRIDAPP_SYNC_DIE_AFTER": "20"}
    done = subprocess.run(
        [sys.executable, "main.py", "checkin", str(field), "--db", db, "--password-stdin"],
        input="Admin-demo-2026\n", capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=120)
    assert done.returncode == -9  # killed (SIGKILL) after 20 of the 40 updates
    assert before == 0
    assert server.scalar("SELECT count(*) FROM report WHERE description LIKE 'offline %'") == 0
    assert server.scalar("SELECT count(*) FROM audit_log WHERE table_name = 'report'") == \
        audit_before
    # The copy is intact and checks in fully afterwards.
    outcome = district.checkin(system_session(server), field)
    assert outcome.applied == {"report": 40}
    assert server.scalar("SELECT count(*) FROM report WHERE description LIKE 'offline %'") == 40


def test_a_copy_edited_by_another_program_is_refused(server_and_copy):
    server, field = server_and_copy
    rid = _reports(server, 1)[0]
    conn = sqlite3.connect(field)  # QGIS or sqlite3: no GridApp in between
    sqlfuncs.register(conn)  # the ST_* functions GDAL and QGIS define on their connections
    conn.execute("UPDATE report SET description = 'by sqlite3' WHERE id = ?", (rid,))
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceOpenError) as info:
        district.checkin(system_session(server), field)
    assert "GridApp 之外" in str(info.value)
    assert server.scalar("SELECT description FROM report WHERE id = ?", (rid,)) != "by sqlite3"


def test_not_a_checkout_is_refused(server_and_copy, demo_file):
    server, _field = server_and_copy
    with pytest.raises(WorkspaceOpenError):
        district.checkin(system_session(server), demo_file)


def test_a_user_who_logged_in_on_both_sides_is_not_a_conflict(server_and_copy):
    server, field = server_and_copy
    first, second = [int(r[0]) for r in server.query(
        "SELECT id FROM app_user ORDER BY id LIMIT 2")]
    rid = _reports(server, 1)[0]
    # Each side records its own logins; the later time should survive on the server.
    _edit(field, "app_user", first, {"last_login": "2026-12-03T09:00:00.000Z"})
    _edit(field, "app_user", second, {"last_login": "2026-12-03T07:00:00.000Z"})
    _edit(field, "report", rid, {"description": "edited offline"})
    with server.transaction("office") as tx:
        tx.update("app_user", first, {"last_login": "2026-12-03T08:00:00.000Z"})
        tx.update("app_user", second, {"last_login": "2026-12-03T08:30:00.000Z"})

    outcome = district.checkin(system_session(server), field)

    assert outcome.ok, [(c.table, c.row_id, c.columns) for c in outcome.conflicts]
    assert server.scalar("SELECT last_login FROM app_user WHERE id = ?", (first,)) == \
        "2026-12-03T09:00:00.000Z"
    assert server.scalar("SELECT last_login FROM app_user WHERE id = ?", (second,)) == \
        "2026-12-03T08:30:00.000Z"
    assert server.scalar("SELECT description FROM report WHERE id = ?", (rid,)) == \
        "edited offline"


def test_a_user_edited_offline_and_logged_in_online_is_still_a_conflict(server_and_copy):
    server, field = server_and_copy
    uid = int(server.scalar("SELECT min(id) FROM app_user"))
    _edit(field, "app_user", uid, {"display_name": "离线改名"})
    with server.transaction("office") as tx:
        tx.update("app_user", uid, {"last_login": "2026-12-03T08:00:00.000Z"})

    outcome = district.checkin(system_session(server), field)

    assert not outcome.ok
    [c] = outcome.conflicts
    assert (c.table, c.row_id) == ("app_user", uid)
    assert "display_name" in c.columns
    assert server.scalar("SELECT display_name FROM app_user WHERE id = ?", (uid,)) != "离线改名"
