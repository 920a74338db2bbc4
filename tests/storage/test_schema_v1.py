"""A workspace written by schema version 1 migrates forward when opened.

``tests/data/schema_v1.gpkg`` was built once by ``tests/data/make_schema_v1.py``
with the first migration only (``gridapp/storage/migrations/m0001_initial.py``):
one street, one community, two grid versions, one report.  It stands for the
files users already have; it is copied to ``tmp_path`` before every test, so
the committed file stays at version 1.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from shapely.geometry import Point

from gridapp.services.integrity import check_workspace
from gridapp.services.workspace import open_workspace, workspace_info
from gridapp.storage.migrations import all_migrations

V1 = Path(__file__).resolve().parent.parent / "data" / "schema_v1.gpkg"


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    path = tmp_path / "old_street.gpkg"
    shutil.copyfile(V1, path)
    return path


def test_the_committed_file_is_at_schema_version_1() -> None:
    conn = sqlite3.connect(f"file:{V1}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, version FROM gridapp_migration").fetchall()
    finally:
        conn.close()
    assert rows == [("0001_initial", 1)]


def test_opening_applies_and_records_every_migration(v1_copy: Path) -> None:
    with open_workspace(v1_copy) as store:
        applied = store.applied_migrations()
        version = store.schema_version
    known = all_migrations()
    assert applied == [m.name for m in known]
    assert version == max(m.version for m in known)


def test_migrated_file_passes_check_and_keeps_its_data(v1_copy: Path) -> None:
    with open_workspace(v1_copy) as store:
        problems = check_workspace(store)
        info = workspace_info(store)
        grids = store.read_layer("grid")
        report = store.get("report", 1)
    assert [p for p in problems if p.severity == "error"] == []
    assert info.street == "示例街道" and info.street_code == "520102003"
    assert info.counts["grid"] == 2 and info.current_grids == 1
    assert info.counts["report"] == 1 and info.open_cases == 1
    assert info.metric_epsg == 4524  # zone 35 of 106.70°E, from the boundaries
    assert sorted(grids["households"].tolist()) == [210, 420]
    assert report["case_no"] == "SJ2026020001" and report["grid_id"] == 2
    assert report["geom"].equals(Point(106.702, 26.572))


def test_migrated_file_takes_audited_writes(v1_copy: Path) -> None:
    with open_workspace(v1_copy) as store:
        with store.transaction("test") as tx:
            tx.update("grid", 2, {"households": 230})
        assert store.get("grid", 2)["households"] == 230
        problems = check_workspace(store)
    assert [p for p in problems if p.severity == "error"] == []


def test_read_only_open_leaves_it_at_version_1(v1_copy: Path) -> None:
    with open_workspace(v1_copy, readonly=True) as store:
        pending = store.pending_migrations
        assert store.applied_migrations() == ["0001_initial"]
    assert pending == [m.name for m in all_migrations()][1:]
