"""Residents' personal data at rest: AES-GCM ciphertext and a keyed hash for lookup.

A copied workspace file must not leak residents' names, ID numbers or phone
numbers (issue 18): the ``resident`` table holds only ciphertext
(``*_enc`` columns) and, for exact lookup by ID number, ``id_hash`` =
HMAC-SHA256 of the normalised number.  QGIS or ``sqlite3`` see bytes.

The key is kept outside the file, next to the audit-chain keys
(:mod:`gridapp.storage.keystore`): ``keys/<workspace uuid>.personal.key`` in
the user's configuration folder, mode 0600.  One 256-bit master key per
workspace; the encryption and the hashing keys are derived from it with
HKDF-SHA256 under different labels, so the hash cannot be used to decrypt.
The key's id (not the key) is in the ``personal.key_id`` setting and on each
row.  Without the key (the file came from another computer) personal data
cannot be read or added: the message names the file to copy.

Each value is sealed as ``b"\\x01" + 12-byte random nonce + ciphertext+tag``,
with the workspace id and the field name as associated data (a value moved
to another field or workspace does not open).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gridapp.errors import StorageError
from gridapp.storage import keystore

KEY_SETTING = "personal.key_id"
UUID_SETTING = "workspace.uuid"
VERSION = b"\x01"


def key_path(uuid: str) -> Path:
    return keystore.config_dir() / "keys" / f"{keystore._safe(uuid)}.personal.key"


def _derive(master: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"gridapp-personal:" + label).derive(master)


class PersonalCipher:
    """Seals and opens one workspace's personal values; hashes ID numbers."""

    def __init__(self, uuid: str, master: bytes) -> None:
        self.uuid = uuid
        self.key_id = keystore.key_id(master)
        self._aead = AESGCM(_derive(master, b"aes-gcm"))
        self._mac = _derive(master, b"hmac-lookup")
        self._hmac = hmac.new(self._mac, digestmod=hashlib.sha256)
        self._aad: dict[str, bytes] = {}

    def seal(self, field: str, text: str | None) -> bytes | None:
        if text is None or text == "":
            return None
        nonce = os.urandom(12)
        aad = self._aad.get(field) or self._aad.setdefault(field, f"{self.uuid}:{field}".encode())
        return VERSION + nonce + self._aead.encrypt(nonce, str(text).encode("utf-8"), aad)

    def seal_many(self, field: str, texts: list[str | None]) -> list[bytes | None]:
        """:meth:`seal` for many values: one key object, one read of random nonces."""
        aad = f"{self.uuid}:{field}".encode()
        nonces = os.urandom(12 * len(texts))
        encrypt = self._aead.encrypt
        return [None if t is None or t == "" else
                VERSION + nonces[12 * i:12 * i + 12] + encrypt(
                    nonces[12 * i:12 * i + 12], str(t).encode("utf-8"), aad)
                for i, t in enumerate(texts)]

    def open(self, field: str, blob: bytes | None) -> str | None:
        if blob is None:
            return None
        data = bytes(blob)
        if data[:1] != VERSION or len(data) < 29:
            raise StorageError("居民个人信息密文已损坏", "Residents' encrypted data is damaged",
                               field=field)
        try:
            plain = self._aead.decrypt(data[1:13], data[13:], f"{self.uuid}:{field}".encode())
        except InvalidTag:
            raise StorageError(
                "居民个人信息无法解密：密钥不匹配或数据被改动",
                "Residents' personal data cannot be decrypted: wrong key or altered data",
                field=field) from None
        return plain.decode("utf-8")

    def lookup_hash(self, normalised_id: str) -> str:
        """The keyed hash stored in ``id_hash`` for an (already normalised) ID number."""
        h = self._hmac.copy()  # the keyed state, computed once
        h.update(normalised_id.encode("ascii", "replace"))
        return h.hexdigest()


def _load(uuid: str) -> dict[str, bytes]:
    try:
        text = key_path(uuid).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return {}
    keys = {}
    for line in text.split():
        try:
            key = bytes.fromhex(line)
        except ValueError:
            continue
        if len(key) == 32:
            keys[keystore.key_id(key)] = key
    return keys


def _missing_key(uuid: str) -> StorageError:
    return StorageError(
        "本机没有这个工作空间的居民信息密钥：请从原电脑复制 {path}",
        "This computer does not hold the key of this workspace's residents' data:"
        " copy {path} from the original computer", path=str(key_path(uuid)))


def cipher_for(setting: Any, *, create: bool = False,
               put_setting: Any = None) -> PersonalCipher:
    """The cipher of a workspace, given its ``setting(key)`` reader.

    With *create* (inside a write transaction; *put_setting(key, value)*
    records the key id), a workspace that never held personal data gets a
    fresh key.  Raises :class:`StorageError` when the workspace's key is not
    on this computer.
    """
    uuid = setting(UUID_SETTING)
    kid = setting(KEY_SETTING)
    if not isinstance(uuid, str) or not uuid:
        raise StorageError("工作空间还没有标识，无法保存居民信息",
                           "The workspace has no id yet: residents' data cannot be stored")
    keys = _load(uuid)
    if isinstance(kid, str) and kid:
        if kid not in keys:
            raise _missing_key(uuid)
        return PersonalCipher(uuid, keys[kid])
    if not create:
        raise _missing_key(uuid)
    master = secrets.token_bytes(32)
    keys[keystore.key_id(master)] = master
    keystore._write_private(key_path(uuid), "".join(k.hex() + "\n" for k in keys.values()))
    put_setting(KEY_SETTING, keystore.key_id(master))
    return PersonalCipher(uuid, master)
