"""``init --adopt`` on GeoPackages written by other programs (GDAL 3.4+, QGIS).

Fixture files are written by Debian's own ``ogr2ogr`` (GDAL 3.6 writes
GeoPackage 1.2 by default, as QGIS 3.22 does) in every version it offers,
and by pyogrio's newer GDAL (1.4).  Validity is judged by GDAL's own
validator (``validate_gpkg`` from gdal-utils) through ``check``.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest

from gridapp.services.integrity import check_workspace
from gridapp.services.workspace import StreetSpec, create_workspace

OGR2OGR = shutil.which("ogr2ogr")
needs_ogr2ogr = pytest.mark.skipif(OGR2OGR is None, reason="Debian's gdal-bin (ogr2ogr) absent")
ROOT = Path(__file__).resolve().parents[2]
SPEC = StreetSpec("520102", "520102003", "测试街道")

PARCELS = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"名称": "甲地块", "code": "A1"},
     "geometry": {"type": "Polygon", "coordinates": [
         [[106.70, 26.50], [106.71, 26.50], [106.71, 26.51], [106.70, 26.51], [106.70, 26.50]]]}},
    {"type": "Feature", "properties": {"名称": "乙地块", "code": "A2"},
     "geometry": {"type": "Polygon", "coordinates": [
         [[106.71, 26.50], [106.72, 26.50], [106.72, 26.51], [106.71, 26.51], [106.71, 26.50]]]}},
]}


def _ogr2ogr_gpkg(tmp_path: Path, layer: str, version: str | None = None) -> Path:
    src = tmp_path / "src.geojson"
    src.write_text(json.dumps(PARCELS, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / f"{layer}-{version or 'default'}.gpkg"
    cmd = [OGR2OGR, "-f", "GPKG", str(out), str(src), "-nln", layer]
    if version:
        cmd += ["-dsco", f"VERSION={version}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


def _gpkg_version(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (conn.execute("PRAGMA application_id").fetchone()[0],
                conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _errors(store) -> list[str]:
    return [str(p) for p in check_workspace(store) if p.severity == "error"]


@needs_ogr2ogr
@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.3", None])
def test_adopted_gdal_geopackage_passes_check(tmp_path: Path, version: str | None):
    path = _ogr2ogr_gpkg(tmp_path, "parcels", version)
    before = _gpkg_version(path)
    store = create_workspace(path, SPEC, admin_password="Admin-pass-2026", adopt=True)
    try:
        assert _errors(store) == []
    finally:
        store.close()
    assert _gpkg_version(path) == before  # still the version the other program wrote
    parcels = pyogrio.read_dataframe(path, layer="parcels")
    assert sorted(parcels["名称"]) == ["乙地块", "甲地块"]


def test_adopted_geopackage_1_4_passes_check(tmp_path: Path):
    import geopandas as gpd

    path = tmp_path / "new.gpkg"
    frame = gpd.read_file(json.dumps(PARCELS))
    pyogrio.write_dataframe(frame.set_crs(4326, allow_override=True), path, layer="parcels")
    store = create_workspace(path, SPEC, admin_password="Admin-pass-2026", adopt=True)
    try:
        assert _errors(store) == []
    finally:
        store.close()


@needs_ogr2ogr
def test_adopted_file_stays_editable_by_gdal(tmp_path: Path):
    path = _ogr2ogr_gpkg(tmp_path, "parcels", "1.2")
    create_workspace(path, SPEC, admin_password="Admin-pass-2026", adopt=True).close()
    # GDAL edits GridApp's feature table and its own layer through the 1.2 triggers
    ogrinfo = shutil.which("ogrinfo")
    for sql in ("UPDATE parcels SET code = 'B1' WHERE code = 'A1'",
                "INSERT INTO community (name, code, geom) VALUES ('外来社区', '520102003001',"
                " (SELECT geom FROM parcels WHERE code = 'A2'))"):
        proc = subprocess.run([ogrinfo, str(path), "-sql", sql, "-q"], capture_output=True,
                              text=True, timeout=120)
        assert "ERROR" not in proc.stderr, proc.stderr
    comm = pyogrio.read_dataframe(path, layer="community", bbox=(106.711, 26.501, 106.712, 26.502))
    assert list(comm["name"]) == ["外来社区"]  # found through the spatial index


@needs_ogr2ogr
@pytest.mark.parametrize("layer", ["grid", "Community"])
def test_a_clashing_layer_is_renamed(tmp_path: Path, layer: str):
    path = _ogr2ogr_gpkg(tmp_path, layer, "1.2")
    store = create_workspace(path, SPEC, admin_password="Admin-pass-2026", adopt=True)
    try:
        expected = f"{layer.lower()}_imported"
        assert store.adopt_renamed == {layer: expected}
        assert store.scalar(f"SELECT count(*) FROM {layer.lower()}") == 0  # GridApp's, empty
        assert _errors(store) == []
    finally:
        store.close()
    kept = pyogrio.read_dataframe(path, layer=expected)
    assert sorted(kept["名称"]) == ["乙地块", "甲地块"]
    hit = pyogrio.read_dataframe(path, layer=expected, bbox=(106.701, 26.501, 106.702, 26.502))
    assert list(hit["code"]) == ["A1"]  # the renamed layer's spatial index still works
    assert expected in [name for name, _ in pyogrio.list_layers(path)]


@needs_ogr2ogr
def test_cli_adopt_says_what_was_renamed(tmp_path: Path):
    path = _ogr2ogr_gpkg(tmp_path, "grid", "1.2")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "init", str(path), "--adopt", "--district-code",
         "520102", "--street-code", "520102003", "--street-name", "测试街道",
         "--admin-password-stdin"], input="Str0ng-pass!\n", capture_output=True, text=True,
        cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "grid_imported" in proc.stdout and "grid" in proc.stdout
    check = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(path)],
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert check.returncode == 0, check.stdout[-3000:]
