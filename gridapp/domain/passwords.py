"""Password hashing: salted scrypt from the standard library.

The stored form is ``scrypt$n$r$p$salt_b64$hash_b64``.  Parameters follow
OWASP's scrypt guidance (N=2^15, r=8, p=1, about 50 ms here), slow enough to
make guessing costly and fast enough for a login dialog.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from gridapp.errors import ValidationError

_N, _R, _P = 2**15, 8, 1
_MAXMEM = 64 * 1024 * 1024
MIN_LENGTH = 8


def check_strength(password: str) -> None:
    """Refuse passwords that are too short or trivially guessable."""
    if len(password) < MIN_LENGTH:
        raise ValidationError("密码至少需要{n}个字符", "The password needs at least {n} characters",
                              n=MIN_LENGTH)
    if len(set(password)) < 4:
        raise ValidationError("密码过于简单（重复字符太多）",
                              "The password is too simple (too many repeated characters)")


def hash_password(password: str, *, n: int = _N) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=_R, p=_P,
                            maxmem=_MAXMEM, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when *password* matches the stored hash (constant-time compare)."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), maxmem=_MAXMEM, dklen=len(want))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)
