"""A write that meets another program's write lock waits, says so, and then either
goes through or stops with exit 3 naming the holder (issue 19), in real processes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADMIN = ("admin", "Admin-demo-2026")


@pytest.fixture()
def street(demo_file, tmp_path) -> Path:
    path = tmp_path / "street.gpkg"
    shutil.copy(demo_file, path)
    return path


def _hold(path: Path) -> subprocess.Popen:
    """Another program holding the write lock until its stdin closes."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); sys.stdin.readline()",
         str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdout.readline().strip() == b"held"
    return holder


def _rename(path: Path, wait: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "GRIDAPP_LOCK_WAIT": wait}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--lang", "zh", "users", "update", str(path),
         "zhihui", "--display-name", "改过的名字", "--as", ADMIN[0], "--password-stdin"],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, start_new_session=True)
    proc.stdin.write(f"{ADMIN[1]}\n".encode())
    proc.stdin.close()
    return proc


def _display_name(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT display_name FROM app_user WHERE username = 'zhihui'"
                            ).fetchone()[0]


def test_a_write_waits_for_the_lock_says_so_and_goes_through(street):
    before = _display_name(street)
    holder = _hold(street)
    try:
        proc = _rename(street, "120")
        told = proc.stderr.readline().decode()  # printed while the lock is still held
        assert "正在等待另一个程序写完工作空间" in told
        assert str(holder.pid) in told  # who holds it
        assert proc.poll() is None  # still waiting, not failed
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert proc.wait(timeout=120) == 0, proc.stderr.read().decode()
    assert before != "改过的名字" and _display_name(street) == "改过的名字"


def test_a_lock_held_too_long_stops_with_exit_3_and_changes_nothing(street):
    before = _display_name(street)
    holder = _hold(street)
    try:
        proc = _rename(street, "1")
        assert proc.wait(timeout=120) == 3
        err = proc.stderr.read().decode()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert "Traceback" not in err
    assert "未做任何更改" in err and "重试" in err and str(holder.pid) in err
    assert _display_name(street) == before
