"""Headless commands: help, init, demo, info, check; and no Qt in services/CLI."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from gridapp.cli import main as cli_main
from gridapp.storage import geometry

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, input=stdin, cwd=ROOT, timeout=300)


def test_help_lists_the_headless_commands():
    proc = run("--help")
    assert proc.returncode == 0
    for cmd in ("init", "demo", "info", "check"):
        assert cmd in proc.stdout


def test_services_and_cli_import_without_qt():
    code = (
        "import importlib, pkgutil, sys\n"
        "import gridapp.services, gridapp.cli, gridapp.storage, gridapp.domain\n"
        "for pkg in (gridapp.services, gridapp.cli, gridapp.storage, gridapp.domain):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "gridapp.cli.build_parser()\n"
        "qt = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print(len(qt)); assert not qt, qt\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0"


def test_init_info_check_round_trip(tmp_path: Path):
    path = tmp_path / "new.gpkg"
    proc = run("init", str(path), "--district-code", "520102", "--street-code", "520102003",
               "--street-name", "测试街道", "--admin-password-stdin", stdin="Str0ng-pass!\n")
    assert proc.returncode == 0, proc.stderr
    info = run("info", str(path))
    assert info.returncode == 0
    assert "测试街道" in info.stdout and "EPSG:4490" in info.stdout
    assert "department" in info.stdout and "数据结构版本: " in info.stdout
    check = run("check", str(path))
    assert check.returncode == 0, check.stdout
    assert "检查通过" in check.stdout


def test_init_refuses_a_weak_password_and_writes_nothing(tmp_path: Path):
    path = tmp_path / "weak.gpkg"
    proc = run("init", str(path), "--district-code", "520102", "--street-code", "520102003",
               "--street-name", "测试街道", "--admin-password-stdin", stdin="123\n")
    assert proc.returncode == 2
    assert "密码" in proc.stderr
    assert not path.exists()


def test_init_refuses_invalid_codes(tmp_path: Path):
    proc = run("--lang", "en", "init", str(tmp_path / "x.gpkg"), "--district-code", "52010",
               "--street-code", "520102003", "--street-name", "x", "--admin-password-stdin",
               stdin="Str0ng-pass!\n")
    assert proc.returncode == 2
    assert "District code '52010' must be 6 digits" in proc.stderr


def test_check_lists_invalid_geometry_and_fails(empty_workspace, capsys):
    import shapely

    bowtie = shapely.Polygon([(106.70, 26.57), (106.71, 26.58), (106.71, 26.57),
                              (106.70, 26.58), (106.70, 26.57)])
    with empty_workspace.transaction() as tx:
        gid = tx.insert("grid", {"code": "520102003001001", "valid_from": "2026-01-01T00:00:00.000Z",
                                 "geom": bowtie})
    path = empty_workspace.path
    empty_workspace.close()
    rc = cli_main(["check", str(path)])
    out = capsys.readouterr().out
    assert rc == 1
    assert f"grid#{gid}" in out and "Self-intersection" in out


def test_check_reports_broken_foreign_key(empty_workspace, capsys):
    path = empty_workspace.path
    empty_workspace.close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO grid_assignment (manager_id, grid_id, valid_from)"
                " VALUES (999, 999, '2026-01-01')")
    con.commit()
    con.close()
    assert cli_main(["check", str(path)]) == 1
    assert "grid_assignment" in capsys.readouterr().out


def test_info_on_a_text_file_is_a_clear_error(tmp_path: Path):
    bad = tmp_path / "notes.gpkg"
    bad.write_text("hello")
    proc = run("--lang", "en", "info", str(bad))
    assert proc.returncode == 2
    assert "is not a GeoPackage (SQLite) file" in proc.stderr
    assert bad.read_text() == "hello"


def test_demo_command_writes_a_workspace(tmp_path: Path):
    path = tmp_path / "d.gpkg"
    proc = run("demo", str(path), "--grids", "15", "--reports", "300", "--seed", "7")
    assert proc.returncode == 0, proc.stderr
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM grid").fetchone()[0] == 15
    assert con.execute("SELECT count(*) FROM report").fetchone()[0] == 300
    con.close()
    again = run("demo", str(path))
    assert again.returncode == 2 and "已存在" in again.stderr


@pytest.mark.parametrize("lang,text", [("zh", "现行网格"), ("en", "Current grids")])
def test_info_speaks_the_chosen_language(demo_file, lang, text):
    proc = run("--lang", lang, "info", str(demo_file))
    assert proc.returncode == 0 and text in proc.stdout


def test_geometry_helper_is_used_for_blobs():
    # guards the test above: the bowtie really is invalid when decoded
    import shapely

    blob = geometry.encode_one(shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]), 4490)
    assert not geometry.decode(blob).is_valid


def test_init_adopt_adds_tables_to_a_qgis_geopackage(tmp_path: Path):
    import geopandas as gpd
    import pyogrio
    import shapely

    path = tmp_path / "qgis.gpkg"
    src = gpd.GeoDataFrame({"名称": ["甲"]}, geometry=[shapely.box(106.7, 26.5, 106.8, 26.6)],
                           crs=4490)
    pyogrio.write_dataframe(src, path, layer="parcels")
    refused = run("info", str(path))
    assert refused.returncode == 2 and "init --adopt" in refused.stderr
    proc = run("init", str(path), "--adopt", "--district-code", "520102", "--street-code",
               "520102003", "--street-name", "测试街道", "--admin-password-stdin",
               stdin="Str0ng-pass!\n")
    assert proc.returncode == 0, proc.stderr
    assert list(pyogrio.read_dataframe(path, layer="parcels")["名称"]) == ["甲"]
    assert run("check", str(path)).returncode == 0


def test_init_records_the_street_and_info_shows_the_zone_after_the_first_import(tmp_path: Path):
    """Urumqi: no made-up metric CRS after init; the street's own zone after the import."""
    import json

    from tests.services.test_metric_crs import (
        STREETS,
        write_boundaries,
        zone_epsg_by_pyproj,
    )

    path = tmp_path / "urumqi.gpkg"
    proc = run("init", str(path), "--district-code", "650102", "--street-code", "650102004",
               "--street-name", "八一街道", "--admin-password-stdin", stdin="Str0ng-pass!\n")
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, code, district_code, geom FROM street").fetchall()
    assert rows == [("八一街道", "650102004", "650102", None)]
    info = run("info", str(path))
    assert info.returncode == 0, info.stderr
    assert "街道: 八一街道（街道代码 650102004，区县代码 650102）" in info.stdout
    assert "米制坐标系: 尚未确定" in info.stdout and "4524" not in info.stdout
    assert run("check", str(path)).returncode == 0

    comm_file, _grids, _ = write_boundaries(tmp_path, "urumqi")
    imp = run("import", "communities", str(path), str(comm_file), "--name-field", "名称",
              "--code-field", "代码", "--password-stdin", stdin="Str0ng-pass!\n")
    assert imp.returncode == 0, imp.stderr
    epsg = zone_epsg_by_pyproj(STREETS["urumqi"][0][0])
    info = run("--lang", "en", "info", str(path))
    assert f"Metric CRS: EPSG:{epsg} CGCS2000 / 3-degree Gauss-Kruger zone 29 (recorded" \
        in info.stdout, info.stdout
    data = json.loads(run("info", str(path), "--json").stdout)
    assert (data["metric_epsg"], data["street_code"]) == (epsg, "650102004")


def test_import_street_gives_the_init_street_its_outline(tmp_path: Path):
    import geopandas as gpd

    from tests.services.test_metric_crs import STREETS, square, zone_epsg_by_pyproj

    (lon, lat), _ = STREETS["beijing"]
    path = tmp_path / "beijing.gpkg"
    assert run("init", str(path), "--district-code", "110101", "--street-code", "110101001",
               "--street-name", "东华门街道", "--admin-password-stdin",
               stdin="Str0ng-pass!\n").returncode == 0
    outline = tmp_path / "street.geojson"
    gpd.GeoDataFrame({"名称": ["东华门街道"]}, geometry=[square(lon, lat, 1000.0)],
                     crs=4490).to_file(outline)
    imp = run("import", "street", str(path), str(outline), "--name-field", "名称",
              "--password-stdin", stdin="Str0ng-pass!\n")
    assert imp.returncode == 0, imp.stderr
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT code, geom IS NOT NULL FROM street").fetchall()
    assert rows == [("110101001", 1)]
    assert f"EPSG:{zone_epsg_by_pyproj(lon)} " in run("info", str(path)).stdout


def _edit_outside(path: Path, n: int) -> None:
    """*n* case-event notes changed with plain sqlite3 (as QGIS or a script would)."""
    conn = sqlite3.connect(path, isolation_level=None)
    ids = [r[0] for r in conn.execute("SELECT id FROM case_event ORDER BY id LIMIT ?", (n,))]
    for i in ids:
        conn.execute("UPDATE case_event SET note = '外部改的' WHERE id = ?", (i,))
    conn.close()


@pytest.mark.parametrize(("lang", "line"), [
    ("zh", "2 处修改是在 GridApp 之外做的——请运行 check"),
    ("en", "2 edits made outside GridApp — run check"),
])
def test_info_names_the_outside_edits(demo_file, tmp_path: Path, lang, line):
    path = tmp_path / "street.gpkg"
    path.write_bytes(demo_file.read_bytes())
    before = run("--lang", lang, "info", str(path))
    assert before.returncode == 0 and "GridApp 之外" not in before.stdout
    assert "outside GridApp" not in before.stdout
    _edit_outside(path, 2)
    proc = run("--lang", lang, "info", str(path))
    assert proc.returncode == 0, proc.stderr
    assert line in proc.stdout.splitlines()
    as_json = run("info", str(path), "--json")
    assert '"outside_edits": 2' in as_json.stdout
    assert run("check", str(path)).returncode == 1  # check still lists them
