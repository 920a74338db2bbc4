"""The append-only, keyed, hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so
changing or deleting an entry breaks the chain from there on.  Since schema
0015 the hash is an HMAC-SHA256 under a key kept outside the workspace
(:mod:`gridapp.storage.keystore`): someone holding only the file cannot
recompute the chain after editing it.  A workspace's first keyed entry is an
``audit_keyed_segment`` entry naming the key (by id); entries before it (older
workspaces) stay plain SHA-256 and are covered by the first keyed entry's
``prev_hash``.  On a computer without the current key, GridApp starts a new
segment with a key of its own.

Deleting the newest entries is caught by the chain-head anchor GridApp keeps
outside the file after each commit (and by SQLite's AUTOINCREMENT counter).
Users, roles and password hashes are summarised (:func:`users_state`) in a
``users_digest`` entry whenever GridApp changes them; a change made with plain
SQL no longer matches the last digest.  Secret columns are never written here.
See docs/security.md for what this does and does not detect.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import threading
import uuid as uuidlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridapp.domain.timeutil import now_iso
from gridapp.storage import keystore

GENESIS = "0" * 64
SECRET_COLUMNS = frozenset({"password_hash", "password"})
REDACTED = "***"
UUID_SETTING = "workspace.uuid"
KEY_SETTING = "audit.key_id"
SEGMENT = "audit_keyed_segment"
DIGEST = "users_digest"
DIGEST_MISMATCH = "users_changed_outside"


def _canonical(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": len(value), "sha256": hashlib.sha256(bytes(value)).hexdigest()}
    return value


def redact(changes: dict[str, Any]) -> dict[str, Any]:
    """Changes with secret columns replaced and binary values summarised."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key in SECRET_COLUMNS:
            out[key] = REDACTED
        elif isinstance(value, list | tuple) and len(value) == 2:
            out[key] = [_canonical(value[0]), _canonical(value[1])]
        else:
            out[key] = _canonical(value)
    return out


def _payload(prev_hash: str, at: str, actor: str | None, user_id: int | None, action: str,
             table: str | None, row_id: int | None, changes: str | None) -> bytes:
    return json.dumps([prev_hash, at, actor, user_id, action, table, row_id, changes],
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(prev_hash: str, at: str, actor: str | None, user_id: int | None,
               action: str, table: str | None, row_id: int | None, changes: str | None) -> str:
    """The unkeyed SHA-256 of an entry (workspaces from before schema 0015)."""
    return hashlib.sha256(
        _payload(prev_hash, at, actor, user_id, action, table, row_id, changes)).hexdigest()


def entry_mac(key: bytes, prev_hash: str, at: str, actor: str | None, user_id: int | None,
              action: str, table: str | None, row_id: int | None, changes: str | None) -> str:
    """The keyed hash (HMAC-SHA256) of an entry."""
    return hmac.new(key, _payload(prev_hash, at, actor, user_id, action, table, row_id,
                                  changes), hashlib.sha256).hexdigest()


# -- workspace id and key ---------------------------------------------------------
def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def _setting(conn: sqlite3.Connection, key: str) -> Any:
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return None
    try:
        return json.loads(row[0]) if row and row[0] is not None else None
    except ValueError:
        return None


def _put_setting(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute("INSERT INTO setting (key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (key, json.dumps(value)))


def workspace_uuid(conn: sqlite3.Connection) -> str | None:
    """The workspace's id (``setting`` ``workspace.uuid``), ``None`` before the first write."""
    value = _setting(conn, UUID_SETTING)
    return value if isinstance(value, str) and value else None


def _last(conn: sqlite3.Connection) -> tuple[int, str] | None:
    row = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (int(row[0]), row[1]) if row else None


def _insert(conn: sqlite3.Connection, key: bytes, *, actor: str | None, user_id: int | None,
            action: str, table: str | None, row_id: int | None, text: str | None) -> None:
    last = _last(conn)
    prev = last[1] if last else GENESIS
    at = now_iso()
    digest = entry_mac(key, prev, at, actor, user_id, action, table, row_id, text)
    conn.execute(
        "INSERT INTO audit_log (at, actor, user_id, action, table_name, row_id, changes,"
        " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at, actor, user_id, action, table, row_id, text, prev, digest))


def current_key(conn: sqlite3.Connection) -> tuple[str, bytes]:
    """The key new entries are written with; starts a keyed segment when needed.

    Inside a write transaction.  A workspace without an id gets one; when this
    computer does not hold the key of the current segment (an older, unkeyed
    workspace, or a file from another computer), a new key is made, stored in
    the configuration folder, and an ``audit_keyed_segment`` entry begins.
    """
    ws = workspace_uuid(conn)
    if ws is None:
        ws = str(uuidlib.uuid4())
        _put_setting(conn, UUID_SETTING, ws)
    kid = _setting(conn, KEY_SETTING)
    keys = keystore.load_keys(ws)
    if isinstance(kid, str) and kid in keys:
        return kid, keys[kid]
    new_id, key = keystore.new_key(ws)
    _insert(conn, key, actor="system", user_id=None, action=SEGMENT, table="audit_log",
            row_id=None, text=json.dumps({"key_id": new_id, "previous_key_id": kid,
                                          "workspace": ws}, sort_keys=True))
    _put_setting(conn, KEY_SETTING, new_id)
    return new_id, key


def append(conn: sqlite3.Connection, *, actor: str | None, user_id: int | None,
           action: str, table: str | None, row_id: int | None,
           changes: dict[str, Any] | None, key: bytes | None = None) -> None:
    """Append one keyed entry; call inside the transaction that made the change.

    *key*: the :func:`current_key` this transaction already asked for (a
    transaction writing many entries reads the key file once, not per entry).
    """
    if key is None:
        _kid, key = current_key(conn)
    text = (
        json.dumps(redact(changes), ensure_ascii=False, sort_keys=True, default=str)
        if changes is not None else None
    )
    _insert(conn, key, actor=actor, user_id=user_id, action=action, table=table,
            row_id=row_id, text=text)


# -- users, roles and password hashes -------------------------------------------
def users_state(conn: sqlite3.Connection, key: bytes) -> dict[str, str]:
    """A keyed fingerprint of each user (name, role, hash, active, bindings) and role."""
    out = {}
    for r in conn.execute(
            "SELECT u.id, u.username, u.role_id, r.name, u.password_hash, u.active,"
            " u.department_id, u.manager_id FROM app_user u"
            " LEFT JOIN app_role r ON r.id = u.role_id ORDER BY u.id"):
        out[f"u{r[0]}"] = hmac.new(key, json.dumps(list(r[1:])).encode("utf-8"),
                                   hashlib.sha256).hexdigest()[:32]
    for r in conn.execute("SELECT id, name FROM app_role ORDER BY id"):
        out[f"r{r[0]}"] = hmac.new(key, json.dumps([r[1]]).encode("utf-8"),
                                   hashlib.sha256).hexdigest()[:32]
    return out


def _last_digest(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]] | None:
    row = conn.execute("SELECT id, changes FROM audit_log WHERE action = ?"
                       " ORDER BY id DESC LIMIT 1", (DIGEST,)).fetchone()
    if row is None:
        return None
    try:
        data = json.loads(row[1] or "{}")
    except ValueError:
        data = {}
    return int(row[0]), data if isinstance(data, dict) else {}


def _differing(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def _ready(conn: sqlite3.Connection) -> bool:
    return all(_has_table(conn, t) for t in ("audit_log", "app_user", "app_role", "setting"))


def before_write(conn: sqlite3.Connection) -> None:
    """At the start of a write: note users or roles changed since the last digest."""
    if not _ready(conn):
        return
    last = _last_digest(conn)
    ws = workspace_uuid(conn)
    if last is None or ws is None:
        return
    key = keystore.load_keys(ws).get(str(last[1].get("key_id")))
    if key is None:
        return
    changed = _differing(users_state(conn, key), last[1].get("state") or {})
    if changed:
        append(conn, actor="system", user_id=None, action=DIGEST_MISMATCH, table="app_user",
               row_id=None, changes={"changed": changed, "since_entry": last[0]})


def before_commit(conn: sqlite3.Connection) -> None:
    """At the end of GridApp's write: record users and roles as GridApp left them."""
    if not _ready(conn):
        return
    kid, key = current_key(conn)
    state = users_state(conn, key)
    last = _last_digest(conn)
    if last is None or last[1].get("key_id") != kid or last[1].get("state") != state:
        append(conn, actor="system", user_id=None, action=DIGEST, table="app_user",
               row_id=None, changes={"key_id": kid, "state": state})


def after_commit(conn: sqlite3.Connection, path: Path) -> None:
    """Have the chain-head anchor written outside the file (best effort: already committed).

    The anchor file is written (fsync, rename) by one helper thread of the
    process, so a write returns after its COMMIT instead of after a second
    fsync (~10 ms of each edit, issue 22).  It starts at once, as it did
    inline; anchors queued for the same file are folded into the newest (an
    anchor never moves back).  :func:`flush_anchors` waits for them: the
    store's ``close()``, :func:`verify` and a restore call it, and the
    thread is not a daemon, so a normal exit writes them too.
    """
    try:
        ws = workspace_uuid(conn)
        last = _last(conn) if ws and _has_table(conn, "audit_log") else None
    except sqlite3.Error:
        return
    if ws and last:
        _queue_anchor(ws, Path(path), last[0], last[1], now_iso())


_anchor_cv = threading.Condition()
_anchor_pending: dict[tuple[str, Path], tuple[int, str, str]] = {}
_anchor_worker: threading.Thread | None = None


def _queue_anchor(ws: str, path: Path, seq: int, head: str, at: str) -> None:
    global _anchor_worker
    with _anchor_cv:
        old = _anchor_pending.get((ws, path))
        if old is None or old[0] <= seq:
            _anchor_pending[(ws, path)] = (seq, head, at)
        if _anchor_worker is None:
            _anchor_worker = threading.Thread(target=_write_anchors,
                                              name="gridapp-audit-anchor")
            _anchor_worker.start()


def _write_anchors() -> None:
    global _anchor_worker
    done = False
    try:
        while True:
            with _anchor_cv:
                if not _anchor_pending:  # ends under the lock a new anchor takes
                    _anchor_worker = None
                    _anchor_cv.notify_all()
                    done = True
                    return
                (ws, path), (seq, head, at) = next(iter(_anchor_pending.items()))
                del _anchor_pending[(ws, path)]
            try:
                keystore.write_anchor(ws, path, seq, head, at)
            except (OSError, keystore.StorageError):
                pass  # best effort, as before: the change is committed
    finally:
        if not done:  # an unexpected error: nobody may wait for a thread that is gone
            with _anchor_cv:
                _anchor_worker = None
                _anchor_cv.notify_all()


def _after_fork_in_child() -> None:
    # The parent's thread (and its queue, which the parent writes) is not in
    # a forked child: start afresh there, or close() would wait for it forever.
    global _anchor_cv, _anchor_worker
    _anchor_cv = threading.Condition()
    _anchor_worker = None
    _anchor_pending.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def flush_anchors() -> None:
    """Wait until every chain-head anchor queued by :func:`after_commit` is written."""
    with _anchor_cv:
        while _anchor_worker is not None and _anchor_worker is not threading.current_thread():
            _anchor_cv.wait()


def head(conn: sqlite3.Connection) -> tuple[str | None, int, str]:
    """(workspace id, last entry id, its hash) to print on exports and ``info``."""
    last = _last(conn) if _has_table(conn, "audit_log") else None
    return workspace_uuid(conn), (last[0] if last else 0), (last[1] if last else GENESIS)


# -- verification ---------------------------------------------------------------
@dataclass(frozen=True)
class ChainProblem:
    entry_id: int | None
    reason_zh: str
    reason_en: str
    severity: str = "error"


def verify(conn: sqlite3.Connection, path: Path | None = None) -> list[ChainProblem]:
    """Walk the chain; return every place where it is broken or cannot be checked.

    *path* (the workspace file) lets the anchors this computer wrote be compared.
    """
    problems: list[ChainProblem] = []
    ws = workspace_uuid(conn)
    keys = keystore.load_keys(ws) if ws else {}
    prev = GENESIS
    last_id = 0
    expected_id = None
    key: bytes | None = None
    keyed_from: int | None = None
    unknown: list[list[Any]] = []  # [first id, last id, key id] written with keys not here
    for row in conn.execute(
        "SELECT id, at, actor, user_id, action, table_name, row_id, changes, prev_hash, hash"
        " FROM audit_log ORDER BY id"
    ):
        (id_, at, actor, user_id, action, table, row_id, changes, prev_hash, digest) = row
        fields = (prev_hash, at, actor, user_id, action, table, row_id, changes)
        if expected_id is not None and id_ != expected_id:
            problems.append(ChainProblem(
                id_, f"第{expected_id}–{id_ - 1}条审计记录缺失",
                f"audit entries {expected_id}–{id_ - 1} are missing"))
        if prev_hash != prev:
            problems.append(ChainProblem(
                id_, f"第{id_}条审计记录的前序哈希与上一条不符（记录被删除或修改）",
                f"audit entry {id_}: previous hash does not match (an entry was "
                "changed or deleted)"))
        if action == SEGMENT:
            try:
                kid = json.loads(changes or "{}").get("key_id")
            except (ValueError, AttributeError):
                kid = None
            key = keys.get(str(kid))
            keyed_from = id_ if keyed_from is None else keyed_from
            if key is None:
                unknown.append([id_, id_, kid])
        if keyed_from is None:
            ok = entry_hash(*fields) == digest
        elif key is not None:
            ok = hmac.compare_digest(entry_mac(key, *fields), digest)
            if not ok and entry_hash(*fields) == digest:
                problems.append(ChainProblem(
                    id_, f"第{id_}条审计记录不是用密钥写入的（链在没有密钥的情况下被重算）",
                    f"audit entry {id_} is not keyed (the chain was recomputed without "
                    "the key)"))
                ok = True
        else:
            unknown[-1][1] = id_
            ok = True
        if not ok:
            problems.append(ChainProblem(
                id_, f"第{id_}条审计记录的内容与其哈希不符（记录被篡改）",
                f"audit entry {id_}: content does not match its hash (tampered)"))
        prev = digest
        last_id = id_
        expected_id = id_ + 1
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").fetchone()
    if seq and seq[0] > last_id:
        problems.append(ChainProblem(
            None, f"最后{seq[0] - last_id}条审计记录被删除",
            f"the last {seq[0] - last_id} audit entries were deleted"))
    for first, last, kid in unknown:
        problems.append(ChainProblem(
            first,
            f"第{first}–{last}条审计记录是在另一台电脑上用密钥 {kid} 写入的，本机没有该密钥，"
            f"无法核验；请从那台电脑复制密钥文件（GridApp 配置文件夹 keys/{ws}.key）后运行 "
            "check --import-key <文件>",
            f"audit entries {first}–{last} were written on another computer with key {kid}; "
            "this computer does not hold it, so they cannot be verified here (copy the key "
            f"file keys/{ws}.key from that computer's GridApp configuration folder and run "
            "'check --import-key <file>')", severity="warning"))
    if path is not None:
        problems.extend(_check_anchors(conn, ws, Path(path)))
    problems.extend(_check_users(conn, ws, keys))
    return problems


def _hash_of(conn: sqlite3.Connection, entry_id: int) -> str | None:
    row = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (entry_id,)).fetchone()
    return row[0] if row else None


def _check_anchors(conn: sqlite3.Connection, ws: str | None, path: Path) -> list[ChainProblem]:
    seen = keystore.uuid_seen_at(path)
    if seen and seen != ws:
        return [ChainProblem(
            None, f"工作空间标识被改动：本机记录该文件为 {seen}，文件中现为 {ws or '无'}",
            f"the workspace id was changed: this computer knows this file as {seen}, "
            f"the file now says {ws or 'none'}")]
    if ws is None:
        return []
    flush_anchors()  # this process's own commits first
    anchors = keystore.anchors(ws)
    mine = anchors.get(str(path.resolve()))
    if mine is not None:
        seq, head_ = int(mine["seq"]), str(mine["head"])
        if _hash_of(conn, seq) != head_:
            return [ChainProblem(
                seq,
                f"审计日志在第{seq}条之后被截断或重写（本机在 {mine.get('at')} 记录的链头 "
                f"{head_[:12]}… 不在文件中）",
                f"the audit log was truncated or rewritten at entry {seq} (the chain head "
                f"{head_[:12]}… this computer recorded at {mine.get('at')} is not in the file)")]
        return []
    if anchors and not any(_hash_of(conn, int(a["seq"])) == a["head"] for a in anchors.values()):
        return [ChainProblem(
            None, "本机记录的该工作空间的审计链头都不在此文件中（可能是较旧的副本或被截断）",
            "none of the audit chain heads this computer recorded for this workspace is in "
            "this file (an older copy, or truncated)", severity="warning")]
    return []


def _check_users(conn: sqlite3.Connection, ws: str | None,
                 keys: dict[str, bytes]) -> list[ChainProblem]:
    if not _ready(conn) or ws is None:
        return []
    out = []
    names = {f"u{r[0]}": r[1] for r in conn.execute("SELECT id, username FROM app_user")}
    for r in conn.execute("SELECT id, changes FROM audit_log WHERE action = ? ORDER BY id",
                          (DIGEST_MISMATCH,)):
        try:
            changed = json.loads(r[1] or "{}").get("changed") or []
        except (ValueError, AttributeError):
            changed = []
        who = ", ".join(names.get(c, c) for c in changed)
        out.append(ChainProblem(
            int(r[0]), f"用户、角色或密码哈希曾在 GridApp 之外被修改（{who}），见第{r[0]}条审计记录",
            f"users, roles or password hashes were changed outside GridApp ({who}); see "
            f"audit entry {r[0]}"))
    last = _last_digest(conn)
    if last is None:
        return out
    key = keys.get(str(last[1].get("key_id")))
    if key is None:
        return out
    changed = _differing(users_state(conn, key), last[1].get("state") or {})
    if changed:
        who = ", ".join(names.get(c, c) for c in changed)
        out.append(ChainProblem(
            None, f"用户、角色或密码哈希与最后一次审计的状态不符（{who}）：在 GridApp 之外被修改",
            f"users, roles or password hashes differ from the last audited state ({who}): "
            "changed outside GridApp"))
    return out
