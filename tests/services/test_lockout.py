"""Lockout holds whatever the command and however many guess at once.

Before: a store opened read-only never recorded a failure (unlimited guesses
through read-only commands), and 40 parallel wrong logins were all checked
before any lockout (each read the counter, then wrote it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gridapp.errors import AuthenticationError
from gridapp.services.people import auth
from gridapp.services.session import system_session
from gridapp.storage import open_store

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PW = "Admin-pass-2026"  # tests/conftest.py empty_workspace


@pytest.fixture(autouse=True)
def _config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDAPP_CONFIG_DIR", str(tmp_path / "config"))


def test_read_only_store_counts_failures_and_locks(empty_workspace):
    path = empty_workspace.path
    limit = 3
    empty_workspace.set_setting(auth.MAX_FAILURES_KEY, limit)
    empty_workspace.close()
    with open_store(path, readonly=True) as store:
        for i in range(limit):
            with pytest.raises(AuthenticationError):
                auth.login(store, "admin", f"guess-{i}")
        with pytest.raises(AuthenticationError):  # locked: even the right password
            auth.login(store, "admin", ADMIN_PW)
        assert store.readonly
    with open_store(path, readonly=True) as store:
        assert auth.is_locked(system_session(store), "admin")


def test_read_only_cli_command_counts_failures(empty_workspace):
    """``reports list`` opens the workspace read-only and logs in."""
    path = empty_workspace.path
    empty_workspace.set_setting(auth.MAX_FAILURES_KEY, 2)
    empty_workspace.close()
    for i in range(2):
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "reports", "list", str(path), "--as",
             "admin", "--password-stdin"], input=f"guess-{i}\n", capture_output=True,
            text=True, cwd=ROOT, timeout=300)
        assert result.returncode != 0
    with open_store(path, readonly=True) as store:
        assert auth.is_locked(system_session(store), "admin")


_GUESSER = textwrap.dedent("""
    import os, sys
    from gridapp.errors import AuthenticationError
    from gridapp.services.people import auth
    from gridapp.storage import open_store

    path, log, readonly, n = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
    store = open_store(path, readonly=readonly)
    real = store.scalar("SELECT password_hash FROM app_user WHERE username = 'admin'")
    checked = auth.verify_password

    def counting(password, stored):
        if stored == real:  # checked against the account's own hash: one evaluated guess
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            os.write(fd, b"x\\n")
            os.close(fd)
        return checked(password, stored)

    auth.verify_password = counting
    print("ready", flush=True)
    sys.stdin.readline()  # the start gate: every process is ready
    for i in range(n):
        try:
            auth.login(store, "admin", f"wrong-{os.getpid()}-{i}")
        except AuthenticationError:
            pass
    store.close()
""")


def test_parallel_guessing_processes_evaluate_at_most_the_limit(empty_workspace, tmp_path):
    path = empty_workspace.path
    limit = 5
    empty_workspace.set_setting(auth.MAX_FAILURES_KEY, limit)
    empty_workspace.close()
    script = tmp_path / "guesser.py"
    script.write_text(_GUESSER, encoding="utf-8")
    log = tmp_path / "evaluated.log"
    procs = [subprocess.Popen(
        [sys.executable, str(script), str(path), str(log), str(i % 2), "4"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}) for i in range(10)]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        for p in procs:  # 10 processes x 4 guesses = 40, half on read-only stores
            p.stdin.write("go\n")
            p.stdin.flush()
        for p in procs:
            _out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    evaluated = log.read_text().count("x") if log.exists() else 0
    assert evaluated == limit
    with open_store(path, readonly=True) as store:
        assert auth.is_locked(system_session(store), "admin")
        with pytest.raises(AuthenticationError):
            auth.login(store, "admin", ADMIN_PW)
