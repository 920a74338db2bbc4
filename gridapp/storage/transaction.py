"""Audited row-level writes inside one store transaction."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gridapp.domain.timeutil import now_iso
from gridapp.errors import NotFoundError, ValidationError
from gridapp.storage import audit

if TYPE_CHECKING:
    from gridapp.storage.store import GeoPackageStore

_IDENT_OK = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _ident(name: str) -> str:
    """Quote a table or column name after checking it is a plain identifier."""
    if not name or not set(name.lower()) <= _IDENT_OK:
        raise ValidationError("无效的名称：{name}", "Invalid name: {name}", name=name)
    return f'"{name}"'


class Transaction:
    """Row-level writes; each change is also appended to the audit log.

    Obtained from :meth:`GeoPackageStore.transaction`; valid only inside its
    ``with`` block.
    """

    def __init__(self, store: GeoPackageStore, conn: sqlite3.Connection, actor: str | None,
                 user_id: int | None) -> None:
        self.store = store
        self.conn = conn
        self.actor = actor
        self.user_id = user_id
        self._features = store.feature_tables()
        self._key: bytes | None = None  # the audit key, asked once per transaction

    # -- helpers -----------------------------------------------------------
    def _encode(self, table: str, row: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(row)
        if table in self._features and "geom" in out:
            g = out["geom"]
            if g is not None and not (_is_geometry(g) or isinstance(g, bytes)):
                raise ValidationError("几何必须是 shapely 对象", "Geometry must be a shapely object")
            if _is_geometry(g):
                from gridapp.storage import geometry

                # Keep the layer's declared type (a polygon in a MULTIPOLYGON table
                # becomes a one-part multipolygon); a type it cannot take is refused.
                g = geometry.conform([g], self._features[table], table)[0]
                out["geom"] = geometry.encode_one(g, 4490)
        return out

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        """Run SQL in this transaction (not audited: use for derived data only)."""
        return self.conn.execute(sql, params)

    def audit(self, action: str, table: str | None, row_id: int | None,
              changes: dict[str, Any] | None) -> None:
        if self._key is None:
            self._key = audit.current_key(self.conn)[1]
        audit.append(self.conn, actor=self.actor, user_id=self.user_id, action=action,
                     table=table, row_id=row_id, changes=changes, key=self._key)

    # -- writes --------------------------------------------------------------
    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        """Insert one row; returns its id."""
        values = self._encode(table, row)
        cols = ", ".join(_ident(c) for c in values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(
            f"INSERT INTO {_ident(table)} ({cols}) VALUES ({marks})", list(values.values()))
        row_id = int(cur.lastrowid or 0)
        self._grow_extent(table, values.get("geom"))
        self.audit("insert", table, row_id, {k: _show(v) for k, v in row.items()})
        return row_id

    def _grow_extent(self, table: str, blob: Any) -> None:
        """Keep the table's extent in ``gpkg_contents`` covering a new geometry."""
        if table not in self._features or not isinstance(blob, bytes):
            return
        from gridapp.storage import geometry

        env = geometry.envelope(blob)
        if env is None:
            return
        minx, maxx, miny, maxy = env
        self.conn.execute(
            "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?), ?),"
            " max_x = max(coalesce(max_x, ?), ?), min_y = min(coalesce(min_y, ?), ?),"
            " max_y = max(coalesce(max_y, ?), ?),"
            " last_change = ? WHERE table_name = ?",
            (minx, minx, maxx, maxx, miny, miny, maxy, maxy, now_iso(), table))

    def insert_many(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                    summary: str = "") -> int:
        """Insert many rows with one audit entry summarising them; returns the count.

        Geometry values must already be GeoPackage blobs (see
        :mod:`gridapp.storage.geometry`).
        """
        cols = ", ".join(_ident(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        before = self.conn.total_changes
        self.conn.executemany(f"INSERT INTO {_ident(table)} ({cols}) VALUES ({marks})", rows)
        n = self.conn.total_changes - before
        self.audit("bulk_insert", table, None, {"rows": n, "summary": summary})
        return n

    def update(self, table: str, row_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Update one row; the audit entry holds old and new values of changed fields.

        Returns the changed fields as ``{column: [old, new]}``.
        """
        if not changes:
            return {}
        cols = list(changes)
        old = self.conn.execute(
            f"SELECT {', '.join(_ident(c) for c in cols)} FROM {_ident(table)} WHERE id = ?",
            (row_id,)).fetchone()
        if old is None:
            raise NotFoundError("{table} 中没有 id={id} 的记录", "No row id={id} in {table}",
                                table=table, id=row_id)
        values = self._encode(table, changes)
        diff = {c: [_show(old[c], table, c), _show(changes[c])] for c in cols
                if old[c] != values[c]}
        if not diff:
            return {}
        sets = ", ".join(f"{_ident(c)} = ?" for c in cols)
        self.conn.execute(f"UPDATE {_ident(table)} SET {sets} WHERE id = ?",
                          [*values.values(), row_id])
        self._grow_extent(table, values.get("geom"))
        self.audit("update", table, row_id, diff)
        return diff

    def delete(self, table: str, row_id: int) -> None:
        old = self.conn.execute(f"SELECT * FROM {_ident(table)} WHERE id = ?", (row_id,)).fetchone()
        if old is None:
            raise NotFoundError("{table} 中没有 id={id} 的记录", "No row id={id} in {table}",
                                table=table, id=row_id)
        self.conn.execute(f"DELETE FROM {_ident(table)} WHERE id = ?", (row_id,))
        self.audit("delete", table, row_id, {k: _show(old[k], table, k) for k in old.keys()})

    def set_setting(self, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False)
        old = self.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, text))
        if key in (audit.UUID_SETTING, audit.KEY_SETTING):
            self._key = None  # the workspace's id or key changed: ask again
        self.audit("setting", "setting", None,
                   {key: [json.loads(old[0]) if old else None, value]})


def _show(value: Any, table: str | None = None, column: str | None = None) -> Any:
    """A JSON-friendly form of a value for the audit log."""
    if _is_geometry(value):
        wkt = value.wkt  # written once: a grid's outline is thousands of characters
        return wkt if len(wkt) <= 2000 else f"{value.geom_type} ({len(wkt)} chars)"
    if isinstance(value, bytes | bytearray | memoryview) and column == "geom":
        from gridapp.storage import geometry

        try:
            g = geometry.decode(bytes(value))
        except ValueError:
            return {"bytes": len(value)}
        return _show(g)
    return value


def _is_geometry(value: Any) -> bool:
    """True for a shapely geometry.

    Before shapely is imported no value can be one: a login or a settings
    write does not import it (numpy, shapely: 0.1-0.3 s of the window's start
    before its login dialog, issue 22).
    """
    base = sys.modules.get("shapely.geometry.base")
    return base is not None and isinstance(value, base.BaseGeometry)
