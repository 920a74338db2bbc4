"""Workspaces other programs read: GDAL/QGIS must not see "unique among current rows" as UNIQUE.

Partial unique indexes (``... WHERE valid_to IS NULL``) are read by GDAL and
QGIS as plain UNIQUE constraints, so ``ogr2ogr -f GPKG copy.gpkg
workspace.gpkg`` stopped at the second version of a grid code or the second
assignment of a grid.  The rules are triggers now (migration
0014_unique_current).  Copies are made with Debian's own ``ogr2ogr``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pyogrio
import pytest

from gridapp.domain.timeutil import now_iso
from gridapp.storage import open_store

OGR2OGR = shutil.which("ogr2ogr")
needs_ogr2ogr = pytest.mark.skipif(OGR2OGR is None, reason="Debian's gdal-bin (ogr2ogr) absent")

PARTIAL_UNIQUE = ("grid_current_code", "grid_current_code_unique", "assignment_one_primary",
                  "assignment_one_current")


def _ogr2ogr_copy(src: Path, dst: Path) -> subprocess.CompletedProcess:
    return subprocess.run([OGR2OGR, "-f", "GPKG", str(dst), str(src)], capture_output=True,
                          text=True, timeout=300)


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        conn.close()


def _unique_partial_indexes(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [row[1] for t in tables for row in conn.execute(f'PRAGMA index_list("{t}")')
                if row[2] and row[4]]  # unique and partial
    finally:
        conn.close()


def _edit_a_grid(store) -> tuple[int, str]:
    """A new version of one grid (same code) through GridApp's own editing service."""
    from gridapp.services.grids.edit import GridDraft, save_edit
    from gridapp.services.session import system_session

    row = store.query("SELECT id, code FROM grid WHERE valid_to IS NULL ORDER BY id LIMIT 1")[0]
    save_edit(system_session(store), [GridDraft(replaces=(row[0],), name="改过的名称")],
              check=False)
    return int(row[0]), str(row[1])


def test_no_partial_unique_index_is_left(demo_file: Path):
    assert _unique_partial_indexes(demo_file) == []


@needs_ogr2ogr
def test_ogr2ogr_copies_the_demo(demo_file: Path, tmp_path: Path):
    copy = tmp_path / "copy.gpkg"
    proc = _ogr2ogr_copy(demo_file, copy)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # every assignment, including the historical ones sharing a grid, arrived
    assert _count(copy, "grid_assignment") == _count(demo_file, "grid_assignment")
    assert _count(copy, "grid") == _count(demo_file, "grid")


@needs_ogr2ogr
def test_ogr2ogr_copies_a_workspace_after_a_grid_edit(demo_workspace, tmp_path: Path):
    _gid, code = _edit_a_grid(demo_workspace)
    versions = demo_workspace.scalar("SELECT count(*) FROM grid WHERE code = ?", (code,))
    assert versions == 2
    demo_workspace.close()
    copy = tmp_path / "copy.gpkg"
    proc = _ogr2ogr_copy(demo_workspace.path, copy)
    assert proc.returncode == 0, proc.stderr[-2000:]
    copied = pyogrio.read_dataframe(copy, layer="grid", read_geometry=False)
    assert (copied["code"] == code).sum() == 2


def test_gdal_sees_no_unique_field(demo_file: Path):
    # GDAL (pyogrio's) reports a UNIQUE constraint as the field's unique flag;
    # QGIS takes it from there.  None of these columns is unique on its own.
    for layer, column in (("grid", "code"), ("grid_assignment", "grid_id")):
        info = pyogrio.read_info(demo_file, layer=layer)
        assert column in list(info["fields"])
    conn = sqlite3.connect(f"file:{demo_file}?mode=ro", uri=True)
    try:
        for table, column in (("grid", "code"), ("grid_assignment", "grid_id")):
            for idx in conn.execute(f'PRAGMA index_list("{table}")').fetchall():
                cols = [r[2] for r in conn.execute(f'PRAGMA index_info("{idx[1]}")')]
                assert not (idx[2] and cols == [column]), idx
    finally:
        conn.close()


def test_current_codes_stay_unique(demo_workspace):
    row = demo_workspace.query(
        "SELECT code, community_id, valid_from FROM grid WHERE valid_to IS NULL LIMIT 1")[0]
    with pytest.raises(sqlite3.IntegrityError, match="grid.code"):
        with demo_workspace.transaction() as tx:
            tx.insert("grid", {"code": row[0], "community_id": row[1], "valid_from": row[2]})
    # a closed version may share the code; so may a new current one once the old is closed
    with demo_workspace.transaction() as tx:
        tx.insert("grid", {"code": row[0], "community_id": row[1], "valid_from": row[2],
                           "valid_to": row[2]})
    old = demo_workspace.scalar("SELECT id FROM grid WHERE code = ? AND valid_to IS NULL",
                                (row[0],))
    with demo_workspace.transaction() as tx:
        tx.update("grid", old, {"valid_to": now_iso()})
        tx.insert("grid", {"code": row[0], "community_id": row[1],
                           "valid_from": now_iso()})
    with pytest.raises(sqlite3.IntegrityError, match="grid.code"):  # reopening the old one
        with demo_workspace.transaction() as tx:
            tx.update("grid", old, {"valid_to": None})
    assert demo_workspace.scalar(
        "SELECT count(*) FROM grid WHERE code = ? AND valid_to IS NULL", (row[0],)) == 1


def test_one_current_primary_manager_per_grid(demo_workspace):
    row = demo_workspace.query(
        "SELECT grid_id, manager_id FROM grid_assignment WHERE valid_to IS NULL"
        " AND role = 'primary' LIMIT 1")[0]
    other = demo_workspace.scalar(
        "SELECT id FROM manager WHERE id NOT IN (SELECT manager_id FROM grid_assignment"
        " WHERE grid_id = ? AND valid_to IS NULL) LIMIT 1", (row[0],))
    with pytest.raises(sqlite3.IntegrityError, match="grid_assignment.grid_id"):
        with demo_workspace.transaction() as tx:
            tx.insert("grid_assignment", {"grid_id": row[0], "manager_id": other,
                                          "role": "primary", "valid_from": "2026-12-01"})
    with pytest.raises(sqlite3.IntegrityError, match="manager_id"):  # same pair twice
        with demo_workspace.transaction() as tx:
            tx.insert("grid_assignment", {"grid_id": row[0], "manager_id": row[1],
                                          "role": "backup", "valid_from": "2026-12-01"})
    with demo_workspace.transaction() as tx:  # a backup is fine
        tx.insert("grid_assignment", {"grid_id": row[0], "manager_id": other,
                                      "role": "backup", "valid_from": "2026-12-01"})


def test_an_existing_file_is_upgraded(empty_workspace):
    """A file from before 0014 (partial unique indexes) gets the triggers on open."""
    path = empty_workspace.path
    empty_workspace.close()
    conn = sqlite3.connect(path)
    for name in ("grid_current_code_insert", "grid_current_code_update",
                 "assignment_one_primary_insert", "assignment_one_primary_update",
                 "assignment_one_current_insert", "assignment_one_current_update"):
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("DROP INDEX grid_current_code")
    conn.execute("CREATE UNIQUE INDEX grid_current_code ON grid(code) WHERE valid_to IS NULL")
    conn.execute("CREATE UNIQUE INDEX assignment_one_primary ON grid_assignment(grid_id)"
                 " WHERE valid_to IS NULL AND role = 'primary'")
    conn.execute("DELETE FROM gridapp_migration WHERE name = '0014_unique_current'")
    conn.commit()
    conn.close()
    assert sorted(_unique_partial_indexes(path)) == ["assignment_one_primary",
                                                     "grid_current_code"]
    with open_store(path) as store:
        assert "0014_unique_current" in store.applied_migrations()
    assert _unique_partial_indexes(path) == []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    conn.close()
    assert {"grid_current_code_insert", "assignment_one_primary_insert"} <= triggers


@needs_ogr2ogr
def test_grid_attributes_survive_ogr2ogr_and_geojson(demo_workspace, tmp_path: Path):
    """Every grid attribute round-trips through GDAL: GPKG copy and QGIS-style GeoJSON."""
    _edit_a_grid(demo_workspace)  # two versions of one code
    demo_workspace.close()
    src = demo_workspace.path
    cols = ["code", "name", "kind", "households", "population", "valid_from", "valid_to"]
    conn = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    want = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM grid").fetchall(),
                  key=lambda r: (r[0], r[5]))
    conn.close()
    geojson = tmp_path / "grid.geojson"
    back = tmp_path / "back.gpkg"
    for cmd in ([OGR2OGR, "-f", "GeoJSON", "-lco", "RFC7946=NO", str(geojson), str(src), "grid"],
                [OGR2OGR, "-f", "GPKG", str(back), str(geojson), "-nln", "grid"]):
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
    frame = pyogrio.read_dataframe(back, layer="grid", read_geometry=False)
    got = sorted((tuple(None if (v != v or v is None) else v for v in row)
                  for row in frame[cols].itertuples(index=False)), key=lambda r: (r[0], r[5]))
    norm = [tuple(int(v) if isinstance(v, float) and v.is_integer() else v for v in r)
            for r in got]
    assert len(norm) == len(want)
    for a, b in zip(norm, want, strict=True):
        assert a[:5] == b[:5]
