"""GridApp's named queries, written once, run on PostgreSQL too.

The queries in :mod:`gridapp.storage.queries` are written in the SQL that
SQLite and PostgreSQL share, with SQLite's ``?`` and ``:name`` placeholders.
Rather than a second copy of every query, the PostGIS store passes each one
through :func:`translate`, which only changes what the two dialects spell
differently:

* placeholders: ``?`` → ``%s``, ``:name`` → ``%(name)s``; a literal ``%``
  becomes ``%%`` (psycopg's escape), text in quotes is left alone;
* SQLite's booleans are integers, and so are GridApp's on the server
  (``smallint``; values read back as 0/1 on both backends).  A column used
  bare as a condition (``WHERE c.active AND ...``) becomes ``(c.active <> 0)``;
* SQLite's unary ``+`` on a column (a hint: no index for it) is dropped;
* ``INSERT OR IGNORE`` → ``INSERT ... ON CONFLICT DO NOTHING``;
* ``x IS ?`` / ``x IS NOT ?`` (SQLite's null-safe comparison) →
  ``IS [NOT] DISTINCT FROM``; ``INDEXED BY`` hints are dropped;
* ``x IN (SELECT value FROM json_each(?))`` (a JSON list bound as one
  parameter) → ``x = ANY(%s)`` with the list bound as an array, so it keeps
  the type of its items (ids or texts).

Functions SQLite has and PostgreSQL lacks (``julianday``) are defined on the
server instead (:mod:`gridapp.storage.postgis.compat`).  Geometry parameters
arrive as GeoPackage blobs and are sent as EWKB (:mod:`.geom`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from gridapp.storage.postgis import geom

_SQL_KEYWORDS_AFTER = r"(?=\s*(?:AND\b|OR\b|ORDER\b|GROUP\b|LIMIT\b|THEN\b|\)|$))"


@functools.lru_cache(maxsize=1)
def _bool_pattern() -> re.Pattern[str]:
    from gridapp.storage.postgis.schema import final_tables

    names = sorted({c[0] for t in final_tables().values() for c in t.columns
                    if "BOOL" in (c[1] or "").upper()})
    alt = "|".join(re.escape(n) for n in names) or "__none__"
    return re.compile(
        rf"(?i)\b(WHERE|AND|OR|NOT|ON|WHEN)\s+((?:\w+\.)?(?:{alt}))\b{_SQL_KEYWORDS_AFTER}")


_UNARY_PLUS = re.compile(r"(?i)(\b(?:AND|OR|WHERE|ON|NOT|WHEN|SELECT|BY)\s+|[(,]\s*)\+(?=[A-Za-z_])")
_JSON_IN = re.compile(r"(?is)\bIN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*\?\s*\)\s*\)")


def translate(sql: str) -> str:
    """The PostgreSQL (psycopg) spelling of one GridApp SQL statement."""
    return _translate(sql)[0]


def prepare(sql: str, params: Sequence[Any] | Mapping[str, Any] | None) -> tuple[str, Any]:
    """``(statement, parameters)`` ready for psycopg."""
    text, json_params = _translate(sql)
    if not params:
        return text, None
    args = adapt_params(params)
    if json_params and isinstance(args, list):
        import json

        for i in json_params:
            value = args[i]
            args[i] = json.loads(value) if isinstance(value, str) else list(value)
    return text, args


@functools.lru_cache(maxsize=4096)
def _translate(sql: str) -> tuple[str, tuple[int, ...]]:
    json_params: list[int] = []
    if _JSON_IN.search(sql):
        # Which "?" (by position) each json_each(?) is, before rewriting it.
        pieces = _JSON_IN.split(sql)
        count = 0
        for piece in pieces[:-1]:
            count += _count_marks(piece)
            json_params.append(count)
            count += 1
        sql = "= ANY(?)".join(pieces)
    return _translate_text(sql), tuple(json_params)


def _count_marks(sql: str) -> int:
    """Number of ``?`` placeholders outside quotes."""
    n, quote = 0, None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "?":
            n += 1
    return n


def _translate_text(sql: str) -> str:
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"'):
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:  # doubled quote inside
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1].replace("%", "%%"))
            i = j + 1
            continue
        if ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        elif ch == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_") \
                and (i == 0 or sql[i - 1] != ":"):
            m = re.match(r"[A-Za-z_]\w*", sql[i + 1:])
            assert m is not None
            out.append(f"%({m.group(0)})s")
            i += 1 + m.end()
            continue
        else:
            out.append(ch)
        i += 1
    text = "".join(out)
    # SQLite's unary "+" on a column (no index for it: a planner hint) means
    # nothing on PostgreSQL and fails on text ("operator does not exist: + text").
    text = _UNARY_PLUS.sub(r"\1", text)
    text = _bool_pattern().sub(lambda m: f"{m.group(1)} ({m.group(2)} <> 0)", text)
    text = re.sub(r"(?i)\bIS\s+NOT\s+(%s|%\(\w+\)s)", r"IS DISTINCT FROM \1", text)
    text = re.sub(r"(?i)\bIS\s+(%s|%\(\w+\)s)", r"IS NOT DISTINCT FROM \1", text)
    text = re.sub(r"(?i)\s+(?:NOT\s+INDEXED|INDEXED\s+BY\s+\w+)\b", "", text)
    if re.match(r"(?is)\s*INSERT\s+OR\s+IGNORE\b", text):
        text = re.sub(r"(?is)^\s*INSERT\s+OR\s+IGNORE\b", "INSERT", text) + " ON CONFLICT DO NOTHING"
    elif re.match(r"(?is)\s*INSERT\s+OR\s+REPLACE\b", text):
        raise NotImplementedError("INSERT OR REPLACE has no PostgreSQL spelling here")
    return text


def adapt_value(value: Any) -> Any:
    """A Python value as the server takes it: booleans as 0/1, geometry blobs as EWKB."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, bytes | bytearray | memoryview) and geom.is_gpkg(value):
        return geom.gpkg_to_ewkb(bytes(value))
    return value


def adapt_params(params: Sequence[Any] | Mapping[str, Any] | None) -> Any:
    if params is None:
        return None
    if isinstance(params, Mapping):
        return {k: adapt_value(v) for k, v in params.items()}
    return [adapt_value(v) for v in params]


class Row(tuple):
    """A row read by index or by column name, like :class:`sqlite3.Row`."""

    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}

    def __new__(cls, names: tuple[str, ...], index: dict[str, int], values: Sequence[Any]):
        row = super().__new__(cls, values)
        row._names = names
        row._index = index
        return row

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key])
            except KeyError:
                lower = {k.lower(): v for k, v in self._index.items()}
                if key.lower() in lower:
                    return tuple.__getitem__(self, lower[key.lower()])
                raise IndexError(f"No item with that key: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def row_factory(cursor: Any):
    desc = cursor.description
    if desc is None:
        return tuple
    names = tuple(d.name for d in desc)
    index = {name: i for i, name in enumerate(names)}

    def make(values: Sequence[Any]) -> Row:
        return Row(names, index, values)

    return make
