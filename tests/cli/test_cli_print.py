"""CLI: ``print poster`` and ``print atlas`` (logged in; ``print.maps``)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gridapp.cli import main

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
LEADER = ["--as", "lingdao", "--password-stdin"]


@pytest.fixture(autouse=True)
def _leader_password(monkeypatch):
    """Each ``main`` call reads one line: the leader's password unless a test says else."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("Leader-demo-2026\n" * 10))


def test_print_poster_pdf_and_png(demo_file, tmp_path, capsys):
    pdf = tmp_path / "poster.pdf"
    assert main(["print", "poster", str(demo_file), "--community", "520102003001",
                 "--paper", "a2", "--orientation", "portrait", "--format", "pdf",
                 "-o", str(pdf), *LEADER]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"
    captured = capsys.readouterr()
    assert "青云社区网格分布图" in captured.out and "A2 portrait" in captured.out
    assert "没有照片" in captured.err  # the print report
    png = tmp_path / "poster.png"
    assert main(["print", "poster", str(demo_file), "--community", "青云社区", "--paper",
                 "A4", "--dpi", "72", "-o", str(png), *LEADER]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_print_atlas(demo_file, tmp_path, capsys):
    out = tmp_path / "atlas.pdf"
    assert main(["print", "atlas", str(demo_file), "--community", "520102003002",
                 "-o", str(out), *LEADER]) == 0
    assert "6 页" in capsys.readouterr().out
    assert out.stat().st_size > 10_000


def test_print_bad_input(demo_file, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["--lang", "en", "print", "poster", str(demo_file), "--community", "nope",
                 "-o", str(out), *LEADER]) == 2
    assert "No community nope" in capsys.readouterr().err
    assert main(["print", "poster", str(demo_file), "--dpi", "5", "-o", str(out),
                 *LEADER]) == 2
    assert main(["print", "atlas", str(demo_file), "-o", str(tmp_path / "a.png"),
                 *LEADER]) == 2
    assert main(["print", "poster", str(demo_file), "--template",
                 str(tmp_path / "missing.toml"), "-o", str(out), *LEADER]) == 2
    with pytest.raises(SystemExit):
        main(["print", "poster", str(demo_file), "--paper", "B5", "-o", str(out)])
    assert not out.exists()


def test_print_needs_a_login_and_print_maps(demo_file, tmp_path, capsys, monkeypatch):
    out = tmp_path / "x.pdf"
    # a wrong password: the generic refusal, nothing written
    monkeypatch.setattr(sys, "stdin", io.StringIO("wrong\n"))
    assert main(["print", "poster", str(demo_file), "-o", str(out), *LEADER]) == 2
    assert "登录失败" in capsys.readouterr().err
    # a grid manager's role does not hold print.maps
    for what in ("poster", "atlas"):
        monkeypatch.setattr(sys, "stdin", io.StringIO("Manager-demo-2026\n"))
        assert main(["--lang", "en", "print", what, str(demo_file), "-o", str(out),
                     "--as", "wgy01", "--password-stdin"]) == 1  # refused
        assert "print.maps" in capsys.readouterr().err
    # the default user is admin
    monkeypatch.setattr(sys, "stdin", io.StringIO("Admin-demo-2026\n"))
    assert main(["print", "poster", str(demo_file), "--community", "520102003001",
                 "--paper", "A4", "--dpi", "72", "-o", str(tmp_path / "a.png"),
                 "--password-stdin"]) == 0
    assert not out.exists()


def test_importing_the_cli_and_services_loads_no_qt():
    code = ("import sys, gridapp.services.maps_out.printing, gridapp.cli.cmd_print, gridapp.cli; "
            "gridapp.cli.build_parser(); "
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt loaded'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
