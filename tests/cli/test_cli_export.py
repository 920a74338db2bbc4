"""CLI: ``export webmap`` (logged in; ``export.data``)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from gridapp.cli import main

ROOT = Path(__file__).resolve().parents[2]
LEADER = ["--as", "lingdao", "--password-stdin"]


@pytest.fixture(autouse=True)
def _leader_password(monkeypatch):
    """Each ``main`` call reads one line: the leader's password unless a test says else."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("Leader-demo-2026\n" * 10))


def test_export_webmap_writes_the_file(demo_file, tmp_path, capsys):
    out = tmp_path / "maps" / "street.html"
    code = main(["export", "webmap", str(demo_file), str(out), "--days", "60",
                 "--community", "520102003004", *LEADER])
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "明珠社区网格分布与事件地图" in html
    assert "<script src=" not in html
    stdout = capsys.readouterr().out
    assert "已导出网页地图" in stdout and "8 个网格" in stdout


def test_export_webmap_bad_input(demo_file, tmp_path, capsys):
    out = tmp_path / "x.html"
    assert main(["--lang", "en", "export", "webmap", str(demo_file), str(out),
                 "--community", "999", *LEADER]) == 2
    assert "No community 999" in capsys.readouterr().err
    assert main(["export", "webmap", str(demo_file), str(out), "--days", "0", *LEADER]) == 2
    assert main(["export", "webmap", str(tmp_path / "missing.gpkg"), str(out),
                 *LEADER]) == 2
    assert not out.exists()


def test_export_webmap_needs_a_login_and_export_data(demo_file, tmp_path, capsys,
                                                     monkeypatch):
    out = tmp_path / "x.html"
    monkeypatch.setattr(sys, "stdin", io.StringIO("wrong\n"))
    assert main(["export", "webmap", str(demo_file), str(out), *LEADER]) == 2
    assert "登录失败" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("Manager-demo-2026\n"))
    assert main(["--lang", "en", "export", "webmap", str(demo_file), str(out),
                 "--as", "wgy01", "--password-stdin"]) == 1  # refused
    assert "export.data" in capsys.readouterr().err
    assert not out.exists()


def test_export_webmap_in_a_subprocess_loads_no_qt(demo_file, tmp_path):
    out = tmp_path / "sub.html"
    code = ("import sys; from gridapp.cli import main; "
            f"rc = main(['export', 'webmap', {str(demo_file)!r}, {str(out)!r}, '--no-heat', "
            "'--as', 'lingdao', '--password-stdin']); "
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt loaded'; "
            "sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, input="Leader-demo-2026\n")
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 100_000


def test_export_grids_then_import_them_gives_every_attribute(demo_file, tmp_path, capsys,
                                                             monkeypatch):
    """``export grids`` (Chinese headers) → ``import grids`` into a fresh workspace → ``check``."""
    import pyogrio

    from gridapp.services.grids.importer import import_file
    from gridapp.services.session import system_session
    from gridapp.services.workspace import StreetSpec, create_workspace

    out = tmp_path / "grids.geojson"
    assert main(["export", "grids", str(demo_file), str(out), "--headers", "zh", *LEADER]) == 0
    current = pyogrio.read_dataframe(demo_file, layer="grid", where="valid_to IS NULL",
                                     read_geometry=False)
    assert f"已导出 {len(current)} 个网格" in capsys.readouterr().out
    fresh = tmp_path / "fresh.gpkg"
    store = create_workspace(fresh, StreetSpec("520102", "520102003", "中华南路街道"),
                             admin_username="admin", admin_password="Admin-pass-2026")
    import_file(system_session(store), demo_file, "community", layer="community")
    store.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO("Admin-pass-2026\n"))
    assert main(["import", "grids", str(fresh), str(out), "--password-stdin"]) == 0
    assert main(["check", str(fresh)]) == 0
    cols = ["code", "name", "kind", "households", "population"]
    got = pyogrio.read_dataframe(fresh, layer="grid", read_geometry=False)
    assert (got[cols].sort_values("code").to_dict("records")
            == current[cols].sort_values("code").to_dict("records"))
