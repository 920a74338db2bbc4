"""A workspace file sent by someone else: triggers and views GridApp did not create.

The attack: a trigger planted with plain sqlite3 that makes the leader an
administrator the moment the leader saves anything.  Before schema_guard the
leader's ``users passwd`` fired it and ``check`` passed.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from gridapp.services import integrity
from gridapp.services.integrity import check_workspace
from gridapp.services.people import auth
from gridapp.storage import open_store
from gridapp.storage.schema_guard import ForeignSchemaError, normalise

ROOT = Path(__file__).resolve().parents[2]
LEADER, LEADER_PW = "lingdao", "Leader-demo-2026"
ADMIN, ADMIN_PW = "admin", "Admin-demo-2026"
NEW_PW = "Brand-new-pass-2027"

RAISE_ROLE = """CREATE TRIGGER sync_profile AFTER UPDATE ON app_user
BEGIN UPDATE app_user SET role_id = (SELECT id FROM app_role WHERE name = 'admin')
WHERE username = 'lingdao'; END"""


@pytest.fixture(autouse=True)
def _config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDAPP_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def planted(demo_file: Path, tmp_path: Path) -> Path:
    """A demo copy carrying the role-raising trigger, planted with plain sqlite3."""
    path = tmp_path / "sent_by_someone.gpkg"
    path.write_bytes(demo_file.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute(RAISE_ROLE)
    conn.commit()
    conn.close()
    return path


def _role(path: Path, username: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT r.name FROM app_user u JOIN app_role r ON r.id = u.role_id"
                            " WHERE u.username = ?", (username,)).fetchone()[0]
    finally:
        conn.close()


def _hash(path: Path, username: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT password_hash FROM app_user WHERE username = ?",
                            (username,)).fetchone()[0]
    finally:
        conn.close()


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_leader_passwd_is_refused_and_the_role_is_unchanged(planted: Path):
    before = _hash(planted, LEADER)
    result = _cli("users", "passwd", str(planted), LEADER, "--as", LEADER, "--password-stdin",
                  stdin=f"{LEADER_PW}\n{NEW_PW}\n")
    assert result.returncode != 0, result.stdout + result.stderr
    assert "sync_profile" in result.stdout + result.stderr
    assert _role(planted, LEADER) == "leader"
    assert _hash(planted, LEADER) == before


def test_service_write_is_refused_with_the_trigger_named_in_both_languages(planted: Path):
    from gridapp import i18n

    with open_store(planted) as store:
        session = auth.login(store, LEADER, LEADER_PW)  # logging in alone writes nothing
        with pytest.raises(ForeignSchemaError) as err:
            auth.change_password(session, LEADER_PW, NEW_PW)
        assert "sync_profile" in err.value.message_in("zh")
        assert "不是 GridApp 创建" in err.value.message_in("zh")
        assert "GridApp did not create" in err.value.message_in("en")
        i18n.set_language("en")
        assert "sync_profile" in str(err.value)
    assert _role(planted, LEADER) == "leader"


def test_check_lists_the_trigger(planted: Path):
    with open_store(planted, readonly=True) as store:
        problems = [p for p in check_workspace(store) if p.check == "schema"]
    assert [p.severity for p in problems] == ["error"]
    assert "sync_profile" in problems[0].zh and problems[0].table == "app_user"
    result = _cli("check", str(planted))
    assert result.returncode == 1 and "sync_profile" in result.stdout


def test_administrator_removes_it_then_the_leader_may_save(planted: Path):
    result = _cli("check", str(planted), "--remove-foreign-schema", "--as", ADMIN,
                  "--password-stdin", stdin=f"{ADMIN_PW}\n")
    assert "sync_profile" in result.stdout, result.stdout + result.stderr
    with open_store(planted) as store:
        assert not store.query("SELECT 1 FROM sqlite_master WHERE name = 'sync_profile'")
        auth.change_password(auth.login(store, LEADER, LEADER_PW), LEADER_PW, NEW_PW)
        assert [p for p in check_workspace(store) if p.check == "schema"] == []
        removed = store.query("SELECT actor, changes FROM audit_log"
                              " WHERE action = 'schema_removed'")
        assert removed[0]["actor"] == ADMIN and "sync_profile" in removed[0]["changes"]
    assert _role(planted, LEADER) == "leader"


def test_only_an_administrator_may_remove_or_accept(planted: Path):
    from gridapp.errors import PermissionDenied

    with open_store(planted) as store:
        leader = auth.login(store, LEADER, LEADER_PW)
        for answer in (integrity.remove_foreign_schema, integrity.accept_foreign_schema):
            with pytest.raises(PermissionDenied):
                answer(leader)
        assert store.query("SELECT 1 FROM sqlite_master WHERE name = 'sync_profile'")


def test_an_accepted_trigger_is_foreign_again_once_its_body_changes(demo_file, tmp_path):
    path = tmp_path / "with_helper.gpkg"
    path.write_bytes(demo_file.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER note_place AFTER INSERT ON place"
                 " BEGIN UPDATE place SET kind = coalesce(kind, 'other') WHERE id = NEW.id; END")
    conn.commit()
    conn.close()
    with open_store(path) as store:
        admin = auth.login(store, ADMIN, ADMIN_PW)
        assert integrity.accept_foreign_schema(admin) == ["note_place"]
        store.set_setting("test.after_accept", 1)  # writes are allowed again
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER note_place")
    conn.execute("CREATE TRIGGER note_place AFTER INSERT ON place"
                 " BEGIN UPDATE app_user SET role_id = 1; END")
    conn.commit()
    conn.close()
    with open_store(path) as store:
        with pytest.raises(ForeignSchemaError, match="note_place"):
            store.set_setting("test.after_change", 1)
        assert store.setting("test.after_change") is None


def test_a_gridapp_trigger_name_with_another_body_is_foreign(demo_file, tmp_path):
    path = tmp_path / "swapped.gpkg"
    path.write_bytes(demo_file.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
                 " BEGIN UPDATE app_user SET role_id = 1; END")
    conn.commit()
    conn.close()
    with open_store(path) as store:
        with pytest.raises(ForeignSchemaError, match="audit_log_no_update"):
            store.set_setting("x", 1)


def test_dropped_gridapp_triggers_are_reported(demo_file, tmp_path):
    path = tmp_path / "unguarded.gpkg"
    path.write_bytes(demo_file.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DROP TRIGGER outside_edit_grid_update")
    conn.commit()
    conn.close()
    with open_store(path, readonly=True) as store:
        texts = [p.en for p in check_workspace(store) if p.check == "schema"]
    assert any("audit_log_no_delete" in t and "missing" in t for t in texts)
    assert any("outside_edit_grid_update" in t for t in texts)


def test_every_connection_distrusts_the_schema(demo_workspace):
    # Outside a checked write, the schema may not call GridApp's functions: a
    # view that does fails instead of running them.
    assert demo_workspace._reader().execute("PRAGMA trusted_schema").fetchone()[0] == 0
    path = demo_workspace.path
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIEW sneaky AS SELECT ST_MinX(geom) AS x FROM grid")
    conn.commit()
    conn.close()
    with pytest.raises(Exception, match="unsafe use of ST_MinX"):
        demo_workspace.query("SELECT x FROM sneaky")


def test_gdal_triggers_are_recognised(tmp_path):
    """A layer written by Debian's ogr2ogr carries R-tree and feature-count triggers."""
    import shutil

    if shutil.which("ogr2ogr") is None:
        pytest.skip("ogr2ogr is not installed")
    src = tmp_path / "pts.geojson"
    src.write_text('{"type":"FeatureCollection","features":[{"type":"Feature",'
                   '"properties":{"a":1},"geometry":{"type":"Point","coordinates":[106.7,26.6]}}]}',
                   encoding="utf-8")
    gpkg = tmp_path / "qgis.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(src), "-nln", "pts"], check=True,
                   capture_output=True)
    with open_store(gpkg, adopt=True) as store:
        names = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='trigger'")}
        assert {"rtree_pts_geom_insert", "trigger_insert_feature_count_pts"} <= names
        assert [p for p in check_workspace(store) if p.check == "schema"] == []
        store.set_setting("adopted", True)


def test_normalising_keeps_literals_and_folds_identifiers():
    assert normalise('CREATE TRIGGER "T" AFTER INSERT ON "x" BEGIN SELECT 1; END') == \
        normalise("create   trigger t after insert on X\n begin select 1; end;")
    assert normalise("SELECT 'Admin'") != normalise("SELECT 'admin'")
