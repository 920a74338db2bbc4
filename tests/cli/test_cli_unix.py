"""The command line behaves like a Unix tool (issue 19): real subprocesses for closed
pipes, a password asked for with no terminal, and Ctrl+C during a long import;
exit codes, ``--json`` everywhere, no duplicated usage lines, no tracebacks."""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest

from gridapp.cli import build_parser, main
from gridapp.cli.common import EXIT_CODES, leaf_parsers, run_handler

ROOT = Path(__file__).resolve().parents[2]
DISPATCHER = ("zhihui", "Dispatch-demo-2026")


def gridapp(*argv: str, **kw) -> subprocess.Popen:
    """``python main.py ARGS`` in a new session (no controlling terminal)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), *map(str, argv)],
                            cwd=ROOT, env=env, start_new_session=True, **kw)


@pytest.fixture(scope="module")
def street(demo_file, tmp_path_factory) -> Path:
    """One copy of the demo street for the tests that only read it."""
    path = tmp_path_factory.mktemp("unix") / "street.gpkg"
    shutil.copy(demo_file, path)
    return path


def test_closed_pipe_ends_quietly(street):
    """``gridapp reports list ... | head -1``: no BrokenPipeError traceback."""
    proc = gridapp("reports", "list", street, "--limit", "3000", "--json", "--as",
                   DISPATCHER[0], "--password-stdin", stdin=subprocess.PIPE,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(f"{DISPATCHER[1]}\n".encode())
    proc.stdin.close()
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as head does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert first.strip() == b"["
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_password_with_no_terminal_and_nothing_on_stdin(street):
    proc = gridapp("users", "list", street, "--as", "admin", stdin=subprocess.DEVNULL,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    text = err.decode()
    assert "Traceback" not in text and "EOFError" not in text
    assert "--password-stdin" in text and out == b""


def _long_csv(street: Path, path: Path, rows: int) -> None:
    grids = pyogrio.read_dataframe(street, layer="grid", columns=["code"])
    points = [g.representative_point() for g in grids.geometry[:20]]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lon", "lat", "category", "description"])
        for i in range(rows):
            p = points[i % len(points)]
            w.writerow([f"{p.x:.6f}", f"{p.y:.6f}", "暴露垃圾", f"中断测试{i}"])


def test_ctrl_c_during_a_long_import_writes_nothing(demo_file, tmp_path):
    ws = tmp_path / "street.gpkg"
    shutil.copy(demo_file, ws)
    big = tmp_path / "big.csv"
    _long_csv(ws, big, 30_000)
    with sqlite3.connect(ws) as conn:
        before = conn.execute("SELECT count(*) FROM report").fetchone()[0]
    # Ctrl+C at a terminal: SIGINT as the shell leaves it for a foreground job.
    # A runner that starts the suite in the background (no job control) ignores
    # SIGINT, and the child would inherit that (Unix convention) and never stop.
    proc = gridapp("reports", "import", ws, big, "--progress", "--as", DISPATCHER[0],
                   "--password-stdin", stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE,
                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    proc.stdin.write(f"{DISPATCHER[1]}\n".encode())
    proc.stdin.close()
    line = proc.stderr.readline()  # the first progress line: the work has begun
    assert line.startswith(b"["), line
    proc.send_signal(signal.SIGINT)
    err = line + proc.stderr.read()
    assert proc.wait(timeout=120) == 130, err.decode()
    assert b"Traceback" not in err and "已中断".encode() in err
    with sqlite3.connect(ws) as conn:
        assert conn.execute("SELECT count(*) FROM report").fetchone()[0] == before
    check = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(ws)],
                           cwd=ROOT, capture_output=True, timeout=120)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()


def test_help_has_one_usage_and_the_exit_codes():
    parser = build_parser()
    helps = {(): parser.format_help()}
    helps.update({path: leaf.format_help() for path, leaf in leaf_parsers(parser)})
    for path, text in helps.items():
        assert text.count("usage:") == 1, path
    for code, _zh, en in EXIT_CODES:
        assert f"{code:>3}  {en}" in helps[()]
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--help"], cwd=ROOT,
                          capture_output=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.decode().count("usage:") == 1


def test_every_command_takes_json_progress_and_quiet():
    for path, leaf in leaf_parsers(build_parser()):
        for flag in ("--json", "--progress", "--quiet"):
            assert flag in leaf._option_string_actions, (path, flag)


def test_json_wraps_commands_without_their_own(street, capsys):
    code = main(["check", str(street), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["exit_code"] == 0 and data["ok"] is True
    assert any("检查通过" in line for line in data["output"])


def test_an_error_in_json_mode_is_json_too(street, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(DISPATCHER[1] + "\n"))
    code = main(["--json", "cases", "show", str(street), "2099010100001", "--as",
                 DISPATCHER[0], "--password-stdin"])
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert code == 2 and data == {"ok": False, "exit_code": 2, "error": out.err.strip(),
                                  "error_type": "ValidationError"}
    assert "2099010100001" in data["error"]


def test_a_locked_workspace_exits_3_and_names_who_holds_it(street, capsys):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); sys.stdin.readline()",
         str(street)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"held"

        def write(args):
            with sqlite3.connect(args.path, timeout=0) as conn:
                conn.execute("BEGIN IMMEDIATE")

        code = run_handler(write, argparse.Namespace(path=str(street)))
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    err = capsys.readouterr().err
    assert code == 3
    assert str(holder.pid) in err and "重试" in err


def test_a_bug_is_one_line_not_a_traceback(capsys):
    def broken(args):
        raise RuntimeError("boom")

    assert run_handler(broken, argparse.Namespace()) == 70
    err = capsys.readouterr().err
    assert "boom" in err and "Traceback" not in err and "GRIDAPP_DEBUG" in err
