"""QR codes for posters and atlas pages: a phone number (``tel:``) or a URL.

Built with segno (pure Python).  No Qt here: a painter gets either PNG bytes
(``QImage.fromData(qr.png())``) or the boolean module matrix to draw as
rectangles, which stays sharp at any print resolution; SVG is there for
vector layouts and the web.

Examples
--------
>>> qr = phone_qr("0851-8581 2345")
>>> qr.content
'tel:0851-85812345'
>>> qr.png()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np

from gridapp.errors import ValidationError

QUIET_ZONE = 4  # modules of white border the QR standard asks for

_PHONE_CHARS = re.compile(r"^\+?[0-9()\-. ]+$")


@dataclass(frozen=True)
class QRCode:
    """An encoded QR symbol.

    ``modules`` is the symbol without quiet zone, True for a dark module.
    """

    content: str
    version: int
    error: str
    modules: np.ndarray

    @property
    def size(self) -> int:
        """Modules per side, without the quiet zone."""
        return int(self.modules.shape[0])

    def matrix(self, border: int = QUIET_ZONE) -> np.ndarray:
        """Boolean matrix (True = dark) with *border* light modules around it."""
        return np.pad(self.modules, border, constant_values=False)

    def png(self, scale: int = 10, border: int = QUIET_ZONE, dark: str = "#000000",
            light: str = "#ffffff") -> bytes:
        """PNG image, *scale* pixels per module."""
        buf = io.BytesIO()
        self._segno().save(buf, kind="png", scale=scale, border=border, dark=dark,
                           light=light)
        return buf.getvalue()

    def svg(self, scale: float = 1, border: int = QUIET_ZONE, dark: str = "#000000",
            light: str | None = "#ffffff") -> str:
        """SVG document (one path), *scale* user units per module."""
        buf = io.BytesIO()
        self._segno().save(buf, kind="svg", scale=scale, border=border, dark=dark,
                           light=light, xmldecl=False, svgns=True)
        return buf.getvalue().decode("utf-8")

    def _segno(self):
        return _encode(self.content, self.error)


def _encode(content: str, error: str):
    import segno

    # boost_error=False: the error level asked for is the level used, so the
    # same content always gives the same symbol.
    return segno.make(content, error=error, micro=False, boost_error=False)


def make_qr(content: str, error: str = "M") -> QRCode:
    """Encode any text; error correction L, M (default), Q or H.

    Use *H* when a logo is laid over the middle of the code.
    """
    if not content:
        raise ValidationError("二维码内容为空", "The QR code content is empty")
    if error.upper() not in ("L", "M", "Q", "H"):
        raise ValidationError("纠错等级应为 L、M、Q 或 H，而不是 {e}",
                              "Error correction must be L, M, Q or H, not {e}", e=error)
    try:
        symbol = _encode(content, error.upper())
    except Exception as exc:  # segno.DataOverflowError and friends
        raise ValidationError("内容太长，无法生成二维码（{n} 个字符）",
                              "Too much content for a QR code ({n} characters)",
                              n=len(content)) from exc
    modules = np.array([[bool(v) for v in row] for row in symbol.matrix], dtype=bool)
    return QRCode(content, int(symbol.version), error.upper(), modules)


def tel_uri(phone: str) -> str:
    """A ``tel:`` URI (RFC 3966) for a phone number as people write it.

    Spaces, dots and brackets are dropped; a hyphen after an area code is kept
    (it is a visual separator phones ignore).  Accepts ``tel:`` input unchanged
    apart from that clean-up.

    Examples
    --------
    >>> tel_uri("138 0013 8000")
    'tel:13800138000'
    >>> tel_uri("+86 (851) 8581-2345")
    'tel:+868518581-2345'
    """
    text = (phone or "").strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    digits = re.sub(r"\D", "", text)
    if not _PHONE_CHARS.match(text) or not 3 <= len(digits) <= 20:
        raise ValidationError("不是有效的电话号码：{p}", "Not a valid phone number: {p}",
                              p=phone)
    cleaned = re.sub(r"[ ().]", "", text)
    cleaned = re.sub(r"-+", "-", cleaned).strip("-")
    return "tel:" + cleaned


def phone_qr(phone: str, error: str = "M") -> QRCode:
    """QR code that dials *phone* when scanned."""
    return make_qr(tel_uri(phone), error)


def url_qr(url: str, error: str = "M") -> QRCode:
    """QR code for an ``http``/``https`` URL (for example a mini-program or form)."""
    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationError("不是有效的网址（需以 http:// 或 https:// 开头）：{u}",
                              "Not a valid URL (must start with http:// or https://): {u}",
                              u=url)
    return make_qr(text, error)
