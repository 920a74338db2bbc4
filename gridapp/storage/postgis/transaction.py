"""Writes to a street on the server: the GeoPackage Transaction's API, PostgreSQL inside.

:class:`PgConnection` looks like the ``sqlite3`` connection the shared
storage code expects (``execute`` returning a cursor with ``lastrowid``,
``executemany``, ``in_transaction``) and translates each statement
(:mod:`.dialect`).  :class:`PgTransaction` is a
:class:`~gridapp.storage.transaction.Transaction` (so the named queries that
ask ``isinstance(db, Transaction)`` read inside it) whose audit entries for
row changes come from the server's triggers; entries that describe an
action rather than a row (a login, an export) go through the server's
``gridapp.audit_append``, which the client cannot bypass either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gridapp.storage.postgis import dialect, geom
from gridapp.storage.transaction import Transaction, _ident

if TYPE_CHECKING:
    from gridapp.storage.postgis.store import PostgisStore

_INSERT = re.compile(r'(?is)^\s*INSERT\s+INTO\s+"?(\w+)"?')
# Actions the server's triggers already record for the row they describe.
_ROW_ACTIONS = frozenset({"insert", "update", "delete", "bulk_insert", "setting"})


class PgCursor:
    def __init__(self, cur: Any, lastrowid: int | None) -> None:
        self._cur = cur
        self.lastrowid = lastrowid
        self.rowcount = cur.rowcount

    def fetchone(self) -> Any:
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall() if self._cur.description else []

    def __iter__(self):
        return iter(self.fetchall())


class PgConnection:
    """The transaction's connection, with SQLite's calling conventions."""

    def __init__(self, raw: Any, schema: str) -> None:
        self.raw = raw
        self.schema = schema
        self.in_transaction = True
        self.total_changes = 0

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> PgCursor:
        text, args = dialect.prepare(sql, params)
        m = _INSERT.match(text)
        returning = False
        if m and " RETURNING " not in text.upper() and _has_id(m.group(1)):
            text += " RETURNING id"
            returning = True
        cur = self.raw.execute(text, args)
        self.total_changes += max(cur.rowcount, 0)
        last = None
        if returning:
            rows = cur.fetchall()
            last = int(rows[-1][0]) if rows else None
            return PgCursor(_Done(cur.rowcount), last)
        return PgCursor(cur, last)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PgCursor:
        """Like sqlite3's: the returned cursor's ``rowcount`` is the rows changed."""
        text = dialect.translate(sql)
        with self.raw.cursor() as cur:
            cur.executemany(text, [dialect.prepare(sql, r)[1] for r in rows])
            changed = max(cur.rowcount, 0)
            self.total_changes += changed
        return PgCursor(_Done(changed), None)


class _Done:
    description = None

    def __init__(self, rowcount: int) -> None:
        self.rowcount = rowcount


def _has_id(table: str) -> bool:
    from gridapp.storage.postgis.schema import final_tables

    t = final_tables().get(table)
    return t is not None and any(c[0] == "id" for c in t.columns)


class PgTransaction(Transaction):
    """Audited row writes in one server transaction."""

    conn: PgConnection  # type: ignore[assignment]

    def __init__(self, store: PostgisStore, conn: PgConnection, actor: str | None,
                 user_id: int | None) -> None:
        super().__init__(store, conn, actor, user_id)  # type: ignore[arg-type]

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        return self.conn.execute(sql, params)

    def audit(self, action: str, table: str | None, row_id: int | None,
              changes: dict[str, Any] | None) -> None:
        """Record an action; row changes are already recorded by the server's triggers."""
        if action in _ROW_ACTIONS:
            return
        import json

        from gridapp.storage.audit import redact

        text = (json.dumps(redact(changes), ensure_ascii=False, sort_keys=True, default=str)
                if changes is not None else None)
        self.conn.raw.execute("SELECT gridapp.audit_append(%s, %s, %s, %s, %s)",
                              (self.conn.schema, action, table, row_id, text))

    def _grow_extent(self, table: str, blob: Any) -> None:
        """The server computes extents from the geometry itself."""

    def insert_many(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                    summary: str = "") -> int:
        """Insert many rows with COPY (the server audits them as one ``bulk_insert``)."""
        return copy_rows(self.conn.raw, table, columns, rows)


def copy_rows(raw: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY *rows* into *table*; geometry blobs become EWKB, booleans 0/1."""
    cols = ", ".join(_ident(c) for c in columns)
    n = 0
    with raw.cursor() as cur, cur.copy(f"COPY {_ident(table)} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_copy_value(v) for v in row])
            n += 1
    return n


def _copy_value(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        if geom.is_gpkg(value):  # geometry's text input takes hex EWKB
            return geom.gpkg_to_ewkb(bytes(value)).hex()
        return bytes(value)
    if isinstance(value, bool):
        return int(value)
    return value
