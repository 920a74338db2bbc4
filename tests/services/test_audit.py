"""The audit log: every change traced, filters for the viewer, tampering detected."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import LOCAL_TZ, now_utc
from gridapp.errors import PermissionDenied
from gridapp.services.people import assignments as asg
from gridapp.services.people import audit_view, auth
from gridapp.services.people import managers as mgr
from tests.services.test_assignments import make_grids, make_session

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def busy(empty_workspace):
    """Changes by two people: the admin and an office clerk."""
    store = empty_workspace
    admin = auth.login(store, "admin", "Admin-pass-2026")
    office = make_session(store, Role.OFFICE, username="clerk")
    grids = make_grids(store, 2)
    mid = mgr.add_manager(office, name="张伟", phone="13812345678", staff_no="W001")
    mgr.update_manager(office, mid, phone="13812345679")
    asg.assign_grids(office, grids, mid)
    mgr.update_manager(admin, mid, notes="组长")
    return store, admin, office, mid


def test_every_change_is_traced_with_old_and_new_values(busy):
    store, admin, office, mid = busy
    history = audit_view.history_of(admin, "manager", mid)
    assert [(e.action, e.actor) for e in history] == [
        ("insert", "clerk"), ("update", "clerk"), ("update", "admin")]
    assert history[1].changes == {"phone": ["13812345678", "13812345679"]}
    assert history[0].user_id == office.user.id


def test_filters_by_person_date_table_and_object(busy):
    store, admin, office, mid = busy
    by_clerk = audit_view.query_audit(admin, actor="clerk")
    assert by_clerk and {e.actor for e in by_clerk} == {"clerk"}
    assert {e.table for e in by_clerk} == {"manager", "grid_assignment"}
    assert audit_view.query_audit(admin, user_id=office.user.id) == by_clerk
    today = now_utc().astimezone(LOCAL_TZ).date()
    assert len(audit_view.query_audit(admin, since=today, until=today)) == len(
        audit_view.query_audit(admin, limit=100_000))
    assert audit_view.query_audit(admin, until=today - timedelta(days=1)) == []
    assert audit_view.query_audit(admin, since=date(2100, 1, 1)) == []
    assert audit_view.query_audit(admin, since=now_utc() - timedelta(minutes=5))
    assigned = audit_view.query_audit(admin, table="grid_assignment", action="insert")
    assert len(assigned) == 2
    one = audit_view.query_audit(admin, table="manager", row_id=mid, limit=1)
    assert len(one) == 1 and one[0].actor == "admin"  # newest first
    assert "clerk" in audit_view.audit_actors(admin)
    assert "grid_assignment" in audit_view.audit_tables(admin)


def test_only_admin_and_leader_read_the_log(busy):
    store, admin, office, mid = busy
    leader = make_session(store, Role.LEADER)
    assert audit_view.query_audit(leader)
    with pytest.raises(PermissionDenied):
        audit_view.query_audit(office)
    with pytest.raises(PermissionDenied):
        audit_view.history_of(office, "manager", mid)


def test_the_guard_refuses_edits_through_sqlite(busy):
    store = busy[0]
    path = store.path
    store.close()
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = 'nobody' WHERE id = 5")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE id = 5")
    conn.close()


def _tamper(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute(sql)
    conn.commit()
    conn.close()


def _check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_check_reports_an_audit_row_changed_behind_the_apps_back(busy):
    store, admin, office, mid = busy
    assert audit_view.verify_chain(admin) == []
    path = store.path
    store.close()
    clean = _check(path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    conn = sqlite3.connect(path)
    (entry_id,) = conn.execute("SELECT min(id) FROM audit_log WHERE table_name = 'manager'"
                               " AND action = 'update'").fetchone()
    conn.close()
    forged = json.dumps({"phone": ["13800000000", "13812345679"]})
    _tamper(path, f"UPDATE audit_log SET changes = '{forged}' WHERE id = {entry_id}")
    result = _check(path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "审计" in result.stdout and f"第{entry_id}条" in result.stdout


@pytest.mark.parametrize("sql", [
    "DELETE FROM audit_log WHERE id = 3",
    "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
    "UPDATE audit_log SET actor = 'someone-else' WHERE id = 4",
])
def test_verify_chain_detects_deleted_and_changed_entries(busy, sql):
    from gridapp.storage import open_store

    store = busy[0]
    path = store.path
    store.close()
    _tamper(path, sql)
    with open_store(path) as reopened:
        admin = auth.login(reopened, "admin", "Admin-pass-2026")
        assert audit_view.verify_chain(admin)
