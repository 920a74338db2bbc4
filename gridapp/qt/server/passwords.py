"""Where a server password is kept: the OS keyring, else the user's pgpass file.

Never in GridApp's settings (issue 16).  :func:`remember` stores it in the OS
keyring through the ``keyring`` package when that package is installed and
has a working backend (Windows Credential Manager, macOS Keychain, Secret
Service on a Linux desktop); otherwise as a line of libpq's own pgpass file
(``PGPASSFILE``, else ``~/.pgpass``; ``%APPDATA%\\postgresql\\pgpass.conf`` on
Windows), written with mode 0600 so libpq uses it and other users cannot read
it.  :func:`recall` finds it again for the dialog.

libpq takes a password only from the address, the environment or a file, so
a password typed in the dialog (or read from the keyring) reaches the server
through :func:`session_passfile`: a one-line pgpass file of this process, in
a folder only the user can enter, named in the address's ``passfile``
parameter and removed when GridApp exits.  Neither the address the window
remembers nor the settings hold it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from gridapp.qt.server.connection import ServerConnection

KEYRING_SERVICE = "GridApp PostgreSQL"


def keyring_backend() -> Any | None:
    """The ``keyring`` module when it has a usable backend here, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken backend is no backend
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def pgpass_path() -> Path:
    """The pgpass file libpq reads for this user."""
    if os.environ.get("PGPASSFILE"):
        return Path(os.environ["PGPASSFILE"])
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _fields(line: str) -> list[str]:
    """A pgpass line split at unescaped colons (escapes kept as written)."""
    out, cur, i = [], "", 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            cur += line[i:i + 2]
            i += 2
            continue
        if ch == ":" and len(out) < 4:
            out.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    out.append(cur)
    return out


def _unescape(value: str) -> str:
    return value.replace("\\:", ":").replace("\\\\", "\\")


def _key(conn: ServerConnection) -> list[str]:
    return [_escape(conn.host), str(conn.port), _escape(conn.database), _escape(conn.user)]


def keyring_name(conn: ServerConnection) -> str:
    """The keyring entry's user name for *conn*."""
    if conn.service:
        return f"service={conn.service}"
    return f"{conn.user}@{conn.host}:{conn.port}/{conn.database}"


def can_remember(conn: ServerConnection) -> bool:
    """Whether a password for *conn* can be remembered (a service needs the keyring)."""
    return not conn.service or keyring_backend() is not None


def remember(conn: ServerConnection, password: str) -> str:
    """Keep *password* for *conn*; says where: ``"keyring"`` or the pgpass file's path."""
    kr = keyring_backend()
    if kr is not None:
        kr.set_password(KEYRING_SERVICE, keyring_name(conn), password)
        return "keyring"
    if conn.service:
        raise ValueError("a service's password needs the keyring")
    path = pgpass_path()
    lines = _read_lines(path)
    key = _key(conn)
    kept = [ln for ln in lines if _fields(ln)[:4] != key]
    kept.append(":".join([*key, _escape(password)]))
    _write_private(path, "".join(f"{ln}\n" for ln in kept))
    return str(path)


def recall(conn: ServerConnection) -> str | None:
    """The password remembered for *conn* (keyring first, then pgpass), or None."""
    kr = keyring_backend()
    if kr is not None:
        try:
            found = kr.get_password(KEYRING_SERVICE, keyring_name(conn))
        except Exception:  # noqa: BLE001 - a locked keyring: ask the user
            found = None
        if found:
            return str(found)
    if conn.service:
        return None
    key = _key(conn)
    for line in _read_lines(pgpass_path()):
        parts = _fields(line)
        if len(parts) == 5 and parts[:4] == key:
            return _unescape(parts[4])
    return None


def forget(conn: ServerConnection) -> None:
    """Remove the password remembered for *conn* (keyring and pgpass)."""
    kr = keyring_backend()
    if kr is not None:
        try:
            kr.delete_password(KEYRING_SERVICE, keyring_name(conn))
        except Exception:  # noqa: BLE001 - nothing stored
            pass
    if conn.service:
        return
    path = pgpass_path()
    lines = _read_lines(path)
    kept = [ln for ln in lines if _fields(ln)[:4] != _key(conn)]
    if kept != lines:
        _write_private(path, "".join(f"{ln}\n" for ln in kept))


def _read_lines(path: Path) -> list[str]:
    try:
        return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except FileNotFoundError:
        return []


def _write_private(path: Path, text: str) -> None:
    """Write *text* to *path* readable by the user alone (libpq ignores a looser pgpass)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".gridapp-new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


# -- the password of this session ---------------------------------------------------
_session_dir: Path | None = None


def session_passfile(conn: ServerConnection, password: str) -> str:
    """A pgpass file of this process with *password* for *conn*; its path.

    The folder is made with mode 0700 and removed at exit.  A service's
    password is written for every host (libpq looks it up by the host the
    service names).
    """
    global _session_dir
    if _session_dir is None or not _session_dir.exists():
        _session_dir = Path(tempfile.mkdtemp(prefix="gridapp-pass-"))
        atexit.register(shutil.rmtree, _session_dir, True)
    key = ["*", "*", "*", "*"] if conn.service else _key(conn)
    name = f"{abs(hash(keyring_name(conn))):x}.pgpass"
    path = _session_dir / name
    _write_private(path, ":".join([*key, _escape(password)]) + "\n")
    return str(path)
