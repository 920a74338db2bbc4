"""Edits made outside GridApp are recorded, shown by ``check``, and accepted or reverted.

The outside editors are Python's plain :mod:`sqlite3` (nothing of GridApp's
registered; for feature tables only the five GeoPackage ``ST_*`` functions
every GeoPackage program provides, here written out with struct) and Debian's
``ogrinfo -sql``.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from gridapp.domain.enums import Role
from gridapp.errors import PermissionDenied
from gridapp.services import outside_edits
from gridapp.services.integrity import check_workspace
from gridapp.services.session import Session, User, system_session
from gridapp.storage import audit, geometry, open_store

OGRINFO = shutil.which("ogrinfo")
ROOT = Path(__file__).resolve().parents[2]


def _envelope(blob: bytes | None) -> tuple[float, ...] | None:
    """The envelope of a GeoPackage blob, read from its header (independent of GridApp)."""
    if blob is None:
        return None
    flags = blob[3]
    kind = (flags >> 1) & 7
    if flags & 0x10 or kind == 0:  # empty or no envelope: fall back to shapely
        g = shapely.from_wkb(blob[8 + (0, 32, 48, 48, 64)[kind]:])
        return None if g.is_empty else (g.bounds[0], g.bounds[2], g.bounds[1], g.bounds[3])
    order = "<" if flags & 1 else ">"
    return struct.unpack(order + "4d", blob[8:40])


def _outside(path: Path) -> sqlite3.Connection:
    """A connection like QGIS's: the GeoPackage ST_* functions, nothing else."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("ST_IsEmpty", 1, lambda b: None if b is None else int(_envelope(b) is None))
    for i, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        conn.create_function(name, 1, lambda b, i=i: None if _envelope(b) is None else _envelope(b)[i])
    return conn


def _edits(store) -> list:
    return outside_edits.pending_outside_edits(store)


def _reopen(store):
    path = store.path
    store.close()
    return open_store(path)


@pytest.fixture
def workspace(demo_workspace):
    return demo_workspace


def test_gridapp_own_writes_are_not_recorded(workspace):
    gid = workspace.scalar("SELECT id FROM grid WHERE valid_to IS NULL LIMIT 1")
    with workspace.transaction() as tx:
        tx.update("grid", gid, {"name": "GridApp 自己改的"})
        tx.update("report", 1, {"address": "GridApp 自己改的地址"})
    assert _edits(workspace) == []
    assert workspace.scalar("SELECT count(*) FROM gridapp_writer") == 0  # marker never committed


def test_plain_sqlite3_edits_are_recorded_and_checked(workspace):
    gid, old_name = workspace.query(
        "SELECT id, name FROM grid WHERE valid_to IS NULL ORDER BY id LIMIT 1")[0]
    event = workspace.query("SELECT id, note FROM case_event ORDER BY id LIMIT 1")[0]
    path = workspace.path
    workspace.close()
    conn = _outside(path)
    conn.execute("UPDATE grid SET name = '外部改名' WHERE id = ?", (gid,))
    conn.execute("UPDATE case_event SET note = '外部备注' WHERE id = ?", (event[0],))
    conn.execute("DELETE FROM case_event WHERE id = ?", (event[0],))
    conn.close()
    with open_store(path) as store:
        edits = _edits(store)
        assert [(e.table, e.row_id, e.action) for e in edits] == [
            ("grid", gid, "update"), ("case_event", event[0], "update"),
            ("case_event", event[0], "delete")]
        assert edits[0].before["name"] == old_name and edits[0].after["name"] == "外部改名"
        assert edits[0].changed_columns() == ["name"]
        problems = [p for p in check_workspace(store) if p.check == "outside_edit"]
        errors = [p for p in problems if p.severity == "error"]
        assert len(errors) == 3
        assert f"{old_name!r} → '外部改名'" in errors[0].message
        assert "GridApp 之外" in errors[0].message


def test_accept_takes_a_grid_edit_into_history_and_audit(workspace):
    gid, code, old_name, old_geom = workspace.query(
        "SELECT id, code, name, geom FROM grid WHERE valid_to IS NULL ORDER BY id LIMIT 1")[0]
    moved = shapely.affinity.translate(geometry.decode(old_geom), 0.0001, 0)
    path = workspace.path
    audit_before = workspace.scalar("SELECT count(*) FROM audit_log")
    workspace.close()
    conn = _outside(path)
    conn.execute("UPDATE grid SET name = '外部改名', geom = ? WHERE id = ?",
                 (geometry.encode_one(moved, 4490), gid))
    conn.close()
    with open_store(path) as store:
        assert outside_edits.accept_outside_edits(system_session(store)) == 1
        assert _edits(store) == []
        # the row keeps its id and new values; its old values are a closed version
        now = store.get("grid", gid)
        assert now["name"] == "外部改名" and now["valid_to"] is None
        assert now["geom"].equals_exact(moved, 1e-9)
        hist = store.get("grid", now["previous_id"])
        assert hist["name"] == old_name and hist["code"] == code
        assert hist["valid_to"] == now["valid_from"]
        assert hist["geom"].equals_exact(geometry.decode(old_geom), 1e-9)
        entries = store.query("SELECT action, table_name, row_id, changes FROM audit_log"
                              " WHERE id > ? ORDER BY id", (audit_before,))
        assert [(e[0], e[1], e[2]) for e in entries] == [("outside_update", "grid", gid),
                                                         ("grid_history", "grid", gid)]
        assert "外部改名" in entries[0][3] and old_name in entries[0][3]
        assert audit.verify(store._reader()) == []
        assert [p for p in check_workspace(store) if p.severity == "error"] == []


def test_revert_undoes_insert_update_and_delete(workspace):
    gid, old_name = workspace.query(
        "SELECT id, name FROM grid WHERE valid_to IS NULL ORDER BY id LIMIT 1")[0]
    comm = dict(workspace.query("SELECT * FROM community ORDER BY id LIMIT 1")[0])
    before_counts = {t: workspace.scalar(f"SELECT count(*) FROM {t}")
                     for t in ("grid", "community", "report")}
    path = workspace.path
    workspace.close()
    conn = _outside(path)
    conn.execute("UPDATE grid SET name = '外部改名' WHERE id = ?", (gid,))
    conn.execute("UPDATE grid SET name = '再改一次' WHERE id = ?", (gid,))
    conn.execute("INSERT INTO community (name, code) VALUES ('外来社区', '999')")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM community WHERE id = ?", (comm["id"],))
    conn.close()
    with open_store(path) as store:
        assert len(_edits(store)) == 4
        assert outside_edits.revert_outside_edits(system_session(store)) == 4
        assert _edits(store) == []
        assert store.get("grid", gid)["name"] == old_name
        back = dict(store.query("SELECT * FROM community WHERE id = ?", (comm["id"],))[0])
        assert back == comm
        assert {t: store.scalar(f"SELECT count(*) FROM {t}") for t in before_counts} == before_counts
        actions = [r[0] for r in store.query(
            "SELECT action FROM audit_log ORDER BY id DESC LIMIT 4")]
        assert actions == ["revert_outside_edit"] * 4
        assert audit.verify(store._reader()) == []
        assert [p for p in check_workspace(store) if p.severity == "error"] == []


def test_accept_of_a_deleted_grid_ends_it_instead(workspace):
    gid, code = workspace.query(
        "SELECT id, code FROM grid WHERE valid_to IS NULL ORDER BY id DESC LIMIT 1")[0]
    path = workspace.path
    workspace.close()
    conn = _outside(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM grid WHERE id = ?", (gid,))
    conn.close()
    with open_store(path) as store:
        outside_edits.accept_outside_edits(system_session(store))
        row = store.get("grid", gid)
        assert row["code"] == code and row["valid_to"] is not None


def test_only_an_administrator_resolves_outside_edits(workspace):
    path = workspace.path
    workspace.close()
    conn = _outside(path)
    conn.execute("UPDATE report SET address = '外部地址' WHERE id = 1")
    conn.close()
    with open_store(path) as store:
        office = Session(store, User(None, "office", "科员", Role.OFFICE))
        for act in (outside_edits.accept_outside_edits, outside_edits.revert_outside_edits):
            with pytest.raises(PermissionDenied):
                act(office)
        assert len(_edits(store)) == 1
        assert store.get("report", 1)["address"] == "外部地址"


@pytest.mark.skipif(OGRINFO is None, reason="Debian's gdal-bin (ogrinfo) absent")
def test_gdal_edits_are_recorded_and_revert_through_the_cli(workspace):
    gid, old_name = workspace.query(
        "SELECT id, name FROM grid WHERE valid_to IS NULL ORDER BY id LIMIT 1")[0]
    path = workspace.path
    workspace.close()
    for sql in (f"UPDATE grid SET name = 'GDAL 改名' WHERE id = {gid}",
                "UPDATE report SET address = 'GDAL 地址' WHERE id = 2"):
        proc = subprocess.run([OGRINFO, str(path), "-sql", sql, "-q"], capture_output=True,
                              text=True, timeout=120)
        assert "ERROR" not in proc.stderr, proc.stderr
    main = [sys.executable, str(ROOT / "main.py")]
    check = subprocess.run([*main, "check", str(path)], capture_output=True, text=True,
                           cwd=ROOT, timeout=300)
    assert check.returncode == 1
    assert "GDAL 改名" in check.stdout and "GDAL 地址" in check.stdout
    from gridapp.services.demo.street import DEMO_USERS

    office = next(u for u in DEMO_USERS if u[2] is Role.OFFICE)
    refused = subprocess.run([*main, "check", str(path), "--revert-outside-edits", "--as",
                              office[0], "--password-stdin"], input=office[1] + "\n",
                             capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert refused.returncode != 0 and "GDAL 改名" not in refused.stdout
    admin = next(u for u in DEMO_USERS if u[2] is Role.ADMIN)
    fixed = subprocess.run([*main, "check", str(path), "--revert-outside-edits", "--as",
                            admin[0], "--password-stdin"], input=admin[1] + "\n",
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert fixed.returncode == 0, fixed.stdout[-3000:] + fixed.stderr[-2000:]
    assert "2" in fixed.stdout.splitlines()[0]
    with open_store(path) as store:
        assert store.get("grid", gid)["name"] == old_name
        assert store.get("report", 2)["address"] != "GDAL 地址"
        assert _edits(store) == []
