"""CLI: import communities/grids, grids check, grids divide (gridapp.cli.main)."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import sqlite3
from pathlib import Path

import pytest

from gridapp.cli import main

_spec = importlib.util.spec_from_file_location(
    "make_files", Path(__file__).parents[1] / "data" / "make_files.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make.make_files(tmp_path_factory.mktemp("cli_grids"))


def _snapshot(path: str) -> str:
    con = sqlite3.connect(path)
    rows = con.execute("SELECT id, name, code, hex(geom) FROM community ORDER BY id").fetchall()
    rows += con.execute("SELECT count(*) FROM grid").fetchall()
    con.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _run(monkeypatch, argv, password=None):
    if password is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(argv)


def test_import_dry_run_then_import_then_refused(empty_workspace, files, monkeypatch, capsys):
    path = str(empty_workspace.path)
    empty_workspace.close()
    args = ["import", "communities", path, str(files["gk_gbk_nocpg"]), "--encoding", "GBK",
            "--password-stdin"]
    assert _run(monkeypatch, args + ["--dry-run"], "Admin-pass-2026") == 0
    out = capsys.readouterr().out
    assert "中华中路社区" in out and "EPSG:4524" in out
    assert sqlite3.connect(path).execute("SELECT count(*) FROM community").fetchone()[0] == 0
    assert _run(monkeypatch, args + ["--json"], "Admin-pass-2026") == 0
    data = json.loads(capsys.readouterr().out)
    assert [f["name"] for f in data["features"]] == [c[0] for c in make.COMMUNITIES]
    # The login itself records last_login, so compare the data, not the file.
    before = _snapshot(path)
    assert _run(monkeypatch, args, "Admin-pass-2026") == 2  # refused input is exit 2 (issue 14)
    err = capsys.readouterr().err
    assert "code_taken" in err and "520103001001" in err
    assert _snapshot(path) == before


def test_import_field_mapping_and_wrong_password(empty_workspace, files, monkeypatch, capsys):
    path = str(empty_workspace.path)
    empty_workspace.close()
    args = ["import", "communities", path, str(files["wkt_csv"]),
            "--name-field", "名称", "--code-field", "编码", "--password-stdin"]
    assert _run(monkeypatch, args, "wrong-password") == 2
    assert _run(monkeypatch, args, "Admin-pass-2026") == 0
    assert "已导入 3" in capsys.readouterr().out


def test_grids_check_and_divide(demo_workspace, monkeypatch, capsys):
    path = str(demo_workspace.path)
    demo_workspace.close()
    assert main(["grids", "check", path]) == 0
    assert "0 个问题" in capsys.readouterr().out
    args = ["grids", "divide", path, "--community", "520102003004", "--households", "300-500",
            "--as", "wgb", "--password-stdin"]
    con = sqlite3.connect(path)
    top = con.execute("SELECT max(code) FROM grid WHERE code LIKE '520102003004%'").fetchone()[0]
    con.close()
    assert _run(monkeypatch, args, "Office-demo-2026") == 0
    out = capsys.readouterr().out
    # New codes continue the community's numbering; none comes back.
    assert f"520102003004{int(top[12:]) + 1:03d}" in out and "未保存" in out
    assert "520102003004001" not in out
    assert _run(monkeypatch, args + ["--apply", "--json"], "Office-demo-2026") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["applied"] and data["stats"]["min"] >= 300 and data["stats"]["max"] <= 500
    assert main(["grids", "check", path]) == 0
    capsys.readouterr()
    # Without buildings to count, by area or by number; special grids are kept.
    area_args = ["grids", "divide", path, "--community", "520102003005", "--area", "40000",
                 "--json", "--as", "wgb", "--password-stdin"]
    assert _run(monkeypatch, area_args, "Office-demo-2026") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_area"] and len(data["kept"]) == 1 and not data["applied"]
    assert _run(monkeypatch, area_args[:-4] + ["--replace-special", "--json", "--as", "wgb",
                                                "--password-stdin"], "Office-demo-2026") == 0
    assert json.loads(capsys.readouterr().out)["kept"] == []
    # A manager may not divide: refused, exit 1 (issue 19's codes).
    assert _run(monkeypatch, args + ["--apply", "--as", "wgy01"], "Manager-demo-2026") == 1
    # Break the coverage: check exits 1 and names the problem.
    from gridapp.storage import open_store

    with open_store(path) as store, store.transaction() as tx:
        gid = store.scalar("SELECT max(id) FROM grid WHERE valid_to IS NULL")
        tx.update("grid", gid, {"valid_to": "2099-01-01T00:00:00.000Z"})
    capsys.readouterr()
    assert main(["grids", "check", path]) == 1
    assert "[gap]" in capsys.readouterr().out
