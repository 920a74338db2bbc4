"""Text files people bring: encodings, damaged bytes and oversized fields.

Shared by the boundary importer (:mod:`gridapp.services.importing.readers`)
and the reports importer (:mod:`gridapp.services.cases.report_import`), so both
refuse the same hostile files with the same clear message instead of a
traceback or silently garbled text:

- a UTF-8 byte order mark declares UTF-8: a file that has one and still
  holds bytes that are not UTF-8 is damaged (or mixes encodings) and is
  refused with the lines involved, never re-read as GBK into mojibake;
- a file that is almost all valid UTF-8 with a few bad bytes is refused the
  same way;
- any cell longer than :data:`MAX_FIELD_CHARS` is refused with its line
  (usually a quotation mark that is never closed).
"""

from __future__ import annotations

import codecs
import re

import pandas as pd

from gridapp.errors import ImportFileError

# One cell of a table (or attribute of a feature) may hold at most this many
# characters.  A community boundary as WKT with 40,000 vertices fits; a
# 10 MB cell is a broken file (an unclosed quote swallows the rest of it).
MAX_FIELD_CHARS = 1_000_000

# Lines shown in a message about damaged bytes; the count covers all of them.
_SHOWN_LINES = 5
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def bad_lines(raw: bytes, encoding: str) -> list[int]:
    """1-based numbers of the lines of *raw* that do not decode as *encoding*."""
    out = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            out.append(number)
    return out


def _damaged(raw: bytes, encoding: str, label: str, *, bom: bool) -> ImportFileError:
    lines = bad_lines(raw, encoding)
    shown = ", ".join(str(n) for n in lines[:_SHOWN_LINES])
    more = len(lines) > _SHOWN_LINES
    zh_lines = shown + ("……" if more else "")
    en_lines = shown + (", ..." if more else "")
    why_zh = "文件开头有 UTF-8 标记（BOM），" if bom else "文件几乎全是 UTF-8，"
    why_en = "The file starts with a UTF-8 byte order mark (BOM)" if bom else (
        "The file is almost all UTF-8")
    return ImportFileError(
        why_zh + "但有 {n} 行含有不是 {label} 的字节（第 {zh_lines} 行）：文件已损坏或混用了"
        "编码。请用原程序重新另存为 UTF-8（Excel：“CSV UTF-8”），或指定编码（如 GBK）",
        why_en + ", but {n} lines hold bytes that are not {label} (lines {en_lines}): the "
        "file is damaged or mixes encodings. Save it again as UTF-8 (Excel: 'CSV UTF-8') "
        "or choose the encoding (e.g. GBK)",
        n=len(lines), label=label, zh_lines=zh_lines, en_lines=en_lines,
        lines=lines[:1000], problems=[],
    )


def decode_text(
    raw: bytes, encoding: str | None = None, *, chinese: tuple[str, ...] = ("gbk", "gb18030")
) -> tuple[str, str, str]:
    """Decode a text file; returns ``(text, encoding, how)``.

    *how* is ``user`` when *encoding* was given, else ``detected``.  Without
    an encoding: a BOM means UTF-8 (returned as ``utf-8-sig``), then plain
    UTF-8, then the *chinese* codecs in order.  Damaged UTF-8 (with a BOM,
    or mostly valid) raises :class:`~gridapp.errors.ImportFileError` naming
    the lines rather than falling back to GBK, which would garble every
    Chinese character without a word.

    Examples
    --------
    >>> decode_text("名称".encode("gbk"))[1:]
    ('gbk', 'detected')
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ImportFileError(
                "不认识的字符编码“{name}”；请选择 UTF-8 或 GBK",
                "Unknown text encoding '{name}'; choose UTF-8 or GBK", name=encoding,
            ) from None
        try:
            return raw.decode(encoding).removeprefix("\ufeff"), encoding, "user"
        except UnicodeDecodeError:
            lines = bad_lines(raw, encoding)
            raise ImportFileError(
                "文件不是 {enc} 编码（第 {line} 行起共 {n} 行无法解码）；请选择其他编码"
                "（如 GBK 或 UTF-8）",
                "The file is not {enc} ({n} lines cannot be decoded, the first is line "
                "{line}); choose another encoding (GBK or UTF-8)",
                enc=encoding, n=len(lines), line=lines[0] if lines else 1, problems=[],
            ) from None
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig", "detected"
        except UnicodeDecodeError:
            raise _damaged(raw, "utf-8", "UTF-8", bom=True) from None
    try:
        return raw.decode("utf-8"), "utf-8", "detected"
    except UnicodeDecodeError:
        pass
    lenient = raw.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd")
    valid = len(_NON_ASCII.findall(lenient)) - replaced
    if valid >= 4 * replaced:
        # GBK text almost never forms valid UTF-8 sequences; this is UTF-8 with
        # a few broken bytes, and reading it as GBK would garble all of it.
        raise _damaged(raw, "utf-8", "UTF-8", bom=False)
    for enc in chinese:
        try:
            return raw.decode(enc), enc, "detected"
        except UnicodeDecodeError:
            continue
    lines = bad_lines(raw, "utf-8")
    raise ImportFileError(
        "无法识别文件编码（既不是 UTF-8 也不是 GBK，第一处在第 {line} 行）；请另存为 UTF-8"
        "或指定编码",
        "Cannot tell the file's encoding (neither UTF-8 nor GBK; first at line {line}); "
        "save it as UTF-8 or choose the encoding",
        line=lines[0] if lines else 1, problems=[],
    )


def field_too_long(line: int, column: str | None = None, length: int | None = None
                   ) -> ImportFileError:
    """The error for a cell over :data:`MAX_FIELD_CHARS` (*line* is 1-based)."""
    safe = (column or "").replace("{", "{{").replace("}", "}}")
    where_zh = f"第 {line} 行" + (f"的“{safe}”" if column else "有一个字段")
    where_en = f"Line {line}" + (f", '{safe}'" if column else ": a field")
    size_zh = f"有 {length} 个字符" if length else ""
    size_en = f" has {length} characters," if length else " is"
    return ImportFileError(
        where_zh + size_zh + "，超过上限 {limit} 个字符；常见原因是引号没有闭合。请检查该行后重试",
        where_en + size_en + " longer than the limit of {limit} characters; usually a "
        "quotation mark that is never closed. Check that line and try again",
        line=line, column=column, limit=MAX_FIELD_CHARS, problems=[],
    )


def check_field_sizes(frame: pd.DataFrame, *, first_line: int = 2) -> None:
    """Refuse a frame with a text cell over :data:`MAX_FIELD_CHARS`.

    *first_line* is the file line of the frame's first row (2 for a CSV with
    a header row), used in the message.
    """
    for column in frame.columns:
        series = frame[column]
        if series.dtype != object and not isinstance(series.dtype, pd.StringDtype):
            continue
        lengths = series.map(lambda v: len(v) if isinstance(v, str) else 0)
        if len(lengths) and int(lengths.max()) > MAX_FIELD_CHARS:
            pos = int(lengths.to_numpy().argmax())
            raise field_too_long(pos + first_line, str(column), int(lengths.iloc[pos]))
