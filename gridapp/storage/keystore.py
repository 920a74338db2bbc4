"""What this computer knows about a workspace, kept outside the workspace file.

A file sent by someone else can say anything about itself, so the facts that
let GridApp notice tampering live in the user's configuration folder
(``$GRIDAPP_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/gridapp``, else
``~/.config/gridapp``; ``%APPDATA%\\gridapp`` on Windows):

``keys/<workspace uuid>.key``
    the audit-chain HMAC keys, one hex key per line (0600);
``anchors/<workspace uuid>.json``
    the last audit entry (id and hash) GridApp committed, per file path;
``trusted_schema/<workspace uuid>.json``
    triggers and views an administrator accepted, with the SHA-256 of their SQL.

The OS keyring is not used: it is absent on many of the desktops GridApp runs
on (and in CI), and a key readable only by the user in their own
configuration folder protects against the same attacker (someone holding a
copy of the workspace file, not the user's account).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from gridapp.errors import StorageError

ENV_DIR = "GRIDAPP_CONFIG_DIR"


def config_dir() -> Path:
    """The folder holding GridApp's per-user configuration (not created here)."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "gridapp"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "gridapp"


def key_id(key: bytes) -> str:
    """A short public name for a key (does not reveal it)."""
    return hashlib.sha256(b"gridapp-key-id:" + key).hexdigest()[:16]


def key_path(uuid: str) -> Path:
    return config_dir() / "keys" / f"{_safe(uuid)}.key"


def _safe(uuid: str) -> str:
    if not uuid or not all(c.isalnum() or c == "-" for c in uuid):
        raise StorageError("工作空间标识无效：{uuid}", "Invalid workspace id: {uuid}",
                           uuid=uuid)
    return uuid


def load_keys(uuid: str) -> dict[str, bytes]:
    """Every key this computer holds for workspace *uuid*, by key id."""
    try:
        text = key_path(uuid).read_text(encoding="ascii")
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except (OSError, UnicodeDecodeError):
        return {}
    keys = {}
    for line in text.split():
        try:
            key = bytes.fromhex(line.strip())
        except ValueError:
            continue
        if len(key) >= 16:
            keys[key_id(key)] = key
    return keys


def _write_private(path: Path, text: str) -> None:
    """Write *text* atomically to *path*, readable by the user only."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        try:
            os.fchmod(fd, 0o600) if hasattr(os, "fchmod") else None
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise StorageError(
            "无法写入 GridApp 配置文件夹 {path}：{detail}",
            "Cannot write GridApp's configuration folder {path}: {detail}",
            path=str(path.parent), detail=exc.strerror or str(exc)) from exc


def add_key(uuid: str, key: bytes) -> str:
    """Store *key* for workspace *uuid* (kept with any others); returns its id."""
    keys = load_keys(uuid)
    keys[key_id(key)] = key
    _write_private(key_path(uuid), "".join(k.hex() + "\n" for k in keys.values()))
    return key_id(key)


def new_key(uuid: str) -> tuple[str, bytes]:
    """Make and store a fresh 256-bit key for workspace *uuid*."""
    key = secrets.token_bytes(32)
    return add_key(uuid, key), key


def import_key_file(uuid: str, source: Path) -> list[str]:
    """Add the keys in *source* (a ``.key`` file from another computer); their ids."""
    try:
        text = Path(source).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError("无法读取密钥文件 {path}", "Cannot read the key file {path}",
                           path=str(source)) from exc
    ids = []
    for line in text.split():
        try:
            key = bytes.fromhex(line)
        except ValueError:
            continue
        if len(key) >= 16:
            ids.append(add_key(uuid, key))
    if not ids:
        raise StorageError("{path} 中没有密钥", "No key found in {path}", path=str(source))
    return ids


# -- chain-head anchors ---------------------------------------------------------
def _json_path(kind: str, uuid: str) -> Path:
    return config_dir() / kind / f"{_safe(uuid)}.json"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def anchors(uuid: str) -> dict[str, dict[str, Any]]:
    """Resolved file path → ``{"seq": id, "head": hash, "at": time}`` for *uuid*."""
    return {k: v for k, v in _read_json(_json_path("anchors", uuid)).items()
            if isinstance(v, dict) and "seq" in v and "head" in v}


def write_anchor(uuid: str, path: Path, seq: int, head: str, at: str) -> None:
    """Remember that *path* ended at audit entry *seq* with hash *head*.

    Never moves an anchor back (two processes committing at once).
    """
    if Path(path).name.endswith(".part"):  # a file still being created
        return
    target = _json_path("anchors", uuid)
    data = anchors(uuid)
    key = str(Path(path).resolve())
    if int(data.get(key, {}).get("seq", 0)) > seq:
        return
    data[key] = {"seq": seq, "head": head, "at": at}
    _write_private(target, json.dumps(data, ensure_ascii=False, indent=1))
    _remember_path(path, uuid)


def _remember_path(path: Path, uuid: str) -> None:
    index = config_dir() / "anchors" / "paths.json"
    data = _read_json(index)
    key = str(Path(path).resolve())
    if data.get(key) != uuid:
        data[key] = uuid
        _write_private(index, json.dumps(data, ensure_ascii=False, indent=1))


def uuid_seen_at(path: Path) -> str | None:
    """The workspace id this computer last saw in the file at *path*."""
    value = _read_json(config_dir() / "anchors" / "paths.json").get(str(Path(path).resolve()))
    return value if isinstance(value, str) else None


# -- accepted foreign triggers and views -------------------------------------
def accepted_schema(uuid: str | None) -> dict[str, str]:
    """Name → SHA-256 of the normalised SQL of objects an administrator accepted."""
    if not uuid:
        return {}
    return {k: v for k, v in _read_json(_json_path("trusted_schema", uuid)).items()
            if isinstance(v, str)}


def accept_schema(uuid: str, objects: dict[str, str]) -> None:
    data = accepted_schema(uuid)
    data.update(objects)
    _write_private(_json_path("trusted_schema", uuid),
                   json.dumps(data, ensure_ascii=False, indent=1))
