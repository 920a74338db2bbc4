"""A throw-away PostgreSQL + PostGIS cluster on loopback (tests, benchmarks, trying it out).

``TempServer`` runs ``initdb`` in a folder of its own (as the ``postgres``
system user when started as root: the server refuses to run as root), starts
it on a free loopback port with ``pg_ctl`` and stops it again.  Nothing is
installed system-wide and no other cluster is touched.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")


def find_bin(name: str) -> str | None:
    """Path of a PostgreSQL server program (initdb, pg_ctl), or None."""
    for folder in _BIN_DIRS:
        path = Path(folder) / name
        if path.exists():
            return str(path)
    return shutil.which(name)


def missing() -> str | None:
    """Why a temporary server cannot run here, or None when it can."""
    for prog in ("initdb", "pg_ctl", "postgres"):
        if find_bin(prog) is None:
            return f"PostgreSQL server program {prog} not found (apt-get install postgresql)"
    share = Path(subprocess.run([find_bin("pg_config") or "pg_config", "--sharedir"],
                                capture_output=True, text=True).stdout.strip() or
                 "/usr/share/postgresql/15")
    if not (share / "extension" / "postgis.control").exists():
        return "PostGIS is not installed (apt-get install postgresql-15-postgis-3)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg 3 is not installed (pip install 'psycopg[binary]')"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempServer:
    """A PostgreSQL cluster in *folder*, superuser ``gridapp`` (trust on loopback only)."""

    superuser = "gridapp"

    def __init__(self, folder: Path | None = None, *, max_connections: int = 300) -> None:
        self.max_connections = max_connections
        # Under /tmp directly: the postgres user must reach the folder, and
        # pytest's own temporary folders are private to the user running it.
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="gridapp-pg-"))
        self._own_folder = folder is None
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0

    def _run(self, args: list[str]) -> subprocess.CompletedProcess:
        if self._as_postgres:
            args = ["runuser", "-u", "postgres", "--", *args]
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip() or done.stdout}")
        return done

    def start(self) -> TempServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run([find_bin("initdb"), "-D", str(self.data), "-U", self.superuser,
                   "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                   "--locale=C.UTF-8", "--no-sync"])
        # Loopback only; the superuser may connect without a password (tests),
        # every other role needs its password (the street users' logins).
        hba = self.data / "pg_hba.conf"
        hba.write_text(
            f"local all {self.superuser} trust\n"
            f"host all {self.superuser} 127.0.0.1/32 trust\n"
            "local all all scram-sha-256\n"
            "host all all 127.0.0.1/32 scram-sha-256\n")
        opts = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c fsync=off"
                f" -c synchronous_commit=off -c full_page_writes=off"
                f" -c unix_socket_directories={self.folder} -c max_connections={self.max_connections}"
                " -c shared_buffers=128MB")
        self._run([find_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                   "-o", opts, "-w", "-t", "60", "start"])
        return self

    def url(self, dbname: str = "postgres", user: str | None = None,
            password: str | None = None) -> str:
        cred = user or self.superuser
        if password:
            cred += f":{password}"
        return f"postgresql://{cred}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A new database with PostGIS; its URL (as the superuser)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        with psycopg.connect(self.url(name), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        return self.url(name)

    def restart(self) -> None:
        # -l as at start: without it the new server inherits our output pipes and
        # subprocess.run waits for them to close, i.e. for the server to stop.
        self._run([find_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                   "-m", "fast", "-w", "-t", "60", "restart"])

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run([find_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)
