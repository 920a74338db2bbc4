"""``serve`` as a user runs it: a process that prints the address, QR code and fingerprint."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read_until(proc: subprocess.Popen, marker: str, timeout: float = 60.0) -> str:
    """The process's output up to *marker* (read on a thread: pipes buffer)."""
    lines: list[str] = []

    def read() -> None:
        for line in iter(proc.stdout.readline, ""):
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    end = time.monotonic() + timeout
    while marker not in "".join(lines):
        if time.monotonic() > end or proc.poll() is not None:
            raise AssertionError(f"serve did not print {marker!r}:\n{''.join(lines)}")
        time.sleep(0.05)
    return "".join(lines)


def test_serve_prints_address_qr_and_fingerprint_and_serves_https(field_street_file, tmp_path):
    source, _ = field_street_file
    path = tmp_path / "street.gpkg"
    shutil.copy(source, path)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "serve", str(path), "--port", str(port),
         "--password-stdin"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        proc.stdin.write("Admin-pass-2026\n")
        proc.stdin.flush()
        out = _read_until(proc, "Ctrl+C")
        assert f"https://127.0.0.1:{port}/" in out
        assert "▀" in out or "▄" in out  # the QR code
        fingerprint = out.split("证书指纹（SHA-256）：")[1].split()[0]
        assert len(fingerprint.split(":")) == 32
        cert = Path(out.split("证书文件：")[1].split("\n")[0].strip())
        # The certificate the server presents is the one whose fingerprint was printed.
        r = httpx.get(f"https://127.0.0.1:{port}/", verify=str(cert), timeout=10)
        assert r.status_code == 200 and "GridApp 外勤" in r.text
        from cryptography import x509

        from gridapp.services.field.certificate import fingerprint_of

        assert fingerprint_of(x509.load_pem_x509_certificate(cert.read_bytes())) == fingerprint
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_serve_refuses_a_role_that_may_not_open_it(field_street_file, tmp_path):
    source, _ = field_street_file
    path = tmp_path / "street.gpkg"
    shutil.copy(source, path)
    res = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "serve", str(path), "--port",
         str(_free_port()), "--as", "manager", "--password-stdin"],
        cwd=ROOT, input="Field-pass-2026\n", capture_output=True, text=True, timeout=120)
    assert res.returncode == 1  # refused (README: exit codes)
    assert "field.serve" in res.stderr
