"""Make text copied or extracted from our PDFs read as the characters printed.

Noto Sans CJK draws a CJK radical (U+2E80–U+2FDF, e.g. ⻘ U+2ED8) and the
ideograph it looks like (青 U+9752) with one glyph.  Qt writes each embedded
font's ``ToUnicode`` map by asking which code point a glyph belongs to and
takes the lowest, the radical, so ``pdftotext``, search and copy-paste give
"⻘云社区⽹格" instead of "青云社区网格".  :func:`fix_radicals` rewrites those
entries to the ideograph sharing the glyph.  Both code points have four hex
digits, so the file keeps its length and its cross-reference table stays valid.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_RADICALS = range(0x2E80, 0x2FE0)
_IDEOGRAPHS = range(0x4E00, 0xA000)
_TOUNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_HEX4 = re.compile(rb"<([0-9A-Fa-f]{4})>")


@lru_cache(maxsize=8)
def radical_map(family: str = "Noto Sans CJK SC") -> dict[int, int]:
    """Radical code point → ideograph drawn with the same glyph in *family*."""
    from PySide6.QtGui import QFont, QRawFont

    raw = QRawFont.fromFont(QFont(family))
    if not raw.isValid():
        return {}
    ideo = "".join(chr(c) for c in _IDEOGRAPHS)
    by_glyph: dict[int, int] = {}
    for cp, glyph in zip(_IDEOGRAPHS, raw.glyphIndexesForString(ideo), strict=True):
        if glyph and glyph not in by_glyph:
            by_glyph[glyph] = cp
    rad = "".join(chr(c) for c in _RADICALS)
    out = {}
    for cp, glyph in zip(_RADICALS, raw.glyphIndexesForString(rad), strict=True):
        if glyph and glyph in by_glyph:
            out[cp] = by_glyph[glyph]
    return out


def _fix_cmap(body: bytes, mapping: dict[int, int]) -> bytes:
    lines = body.split(b"\n")
    mode = b""
    for i, line in enumerate(lines):
        s = line.strip()
        if s.endswith((b"beginbfchar", b"beginbfrange")):
            mode = s.split()[-1]
            continue
        if s.startswith((b"endbfchar", b"endbfrange")):
            mode = b""
            continue
        if not mode:
            continue
        skip = 1 if mode == b"beginbfchar" else 2  # source code(s) come first
        tokens = list(_HEX4.finditer(line))
        if len(tokens) <= skip:
            continue
        new = bytearray(line)
        for m in tokens[skip:]:
            cp = int(m.group(1), 16)
            if cp in mapping:
                new[m.start(1):m.end(1)] = b"%04X" % mapping[cp]
        lines[i] = bytes(new)
    return b"\n".join(lines)


def fix_radicals(path: str | Path, family: str = "Noto Sans CJK SC") -> int:
    """Rewrite radical code points in the PDF's ToUnicode maps; returns how many maps changed."""
    path = Path(path)
    mapping = radical_map(family)
    if not mapping:
        return 0
    data = bytearray(path.read_bytes())
    changed = 0
    for num in sorted({int(m.group(1)) for m in _TOUNICODE.finditer(data)}):
        at = data.find(b"\n%d 0 obj" % num)
        if at < 0:
            continue
        head_end = at + len(b"\n%d 0 obj" % num)
        start = data.find(b"stream", head_end)
        end = data.find(b"endstream", start)
        if start < 0 or end < 0 or b"/Filter" in data[head_end:start]:
            continue  # compressed maps are left as they are
        body = bytes(data[start:end])
        fixed = _fix_cmap(body, mapping)
        if fixed != body:
            assert len(fixed) == len(body)
            data[start:end] = fixed
            changed += 1
    if changed:
        path.write_bytes(bytes(data))
    return changed
