"""Edits made outside GridApp (QGIS, sqlite3, ogrinfo): recorded by plain-SQL triggers.

How GridApp's own writes are told apart: every write transaction GridApp
opens puts one row into ``gridapp_writer`` right after ``BEGIN IMMEDIATE``
and deletes it just before ``COMMIT`` (:func:`mark_writer`,
:func:`unmark_writer`).  The row is never committed, so another program -
which can only write while GridApp is not (SQLite has one writer) - always
sees the table empty.  The triggers on ``grid``, ``community``, ``report`` and
``case_event`` fire only ``WHEN NOT EXISTS (SELECT 1 FROM gridapp_writer)``
and copy the row before and after into ``outside_edit`` as JSON (geometry as
hex of its GeoPackage blob).  They call only SQLite's built-in functions
(``json_object``, ``hex``, ``strftime``), so QGIS and GDAL can still edit.

A TEMP table or an application SQL function cannot serve as the marker:
a trigger in the main schema cannot see TEMP tables, and a trigger that
calls a function only GridApp registers would make every edit in QGIS fail.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from gridapp.storage import gpkg

TRACKED = ("grid", "community", "report", "case_event")
MARKER = "gridapp_writer"
TABLE = "outside_edit"

_DDL = [
    f"CREATE TABLE IF NOT EXISTS {MARKER} (id INTEGER PRIMARY KEY)",
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT,
    at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    table_name TEXT NOT NULL, row_id INTEGER,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    before TEXT, after TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'reverted')),
    resolved_by TEXT, resolved_at DATETIME)""",
    f"CREATE INDEX IF NOT EXISTS outside_edit_state ON {TABLE}(state, id)",
]


def create_tables(conn: sqlite3.Connection) -> None:
    """The marker and log tables (the log registered as a GeoPackage attribute table)."""
    for sql in _DDL:
        conn.execute(sql)
    if not conn.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (TABLE,)).fetchone():
        gpkg.register_attributes(conn, TABLE, "GridApp 之外的修改 edits made outside GridApp")


def has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (MARKER,)).fetchone() is not None


def mark_writer(conn: sqlite3.Connection) -> None:
    """Inside GridApp's write transaction: this writer is GridApp (never committed)."""
    if has_tables(conn):
        conn.execute(f"INSERT OR IGNORE INTO {MARKER} (id) VALUES (1)")


def unmark_writer(conn: sqlite3.Connection) -> None:
    """Just before COMMIT: remove the marker so other writers are recorded again."""
    if has_tables(conn):
        conn.execute(f"DELETE FROM {MARKER}")


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], str | None]:
    cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    geom = conn.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
                        (table,)).fetchone()
    return cols, geom[0] if geom else None


def _json(cols: list[str], geom: str | None, ref: str) -> str:
    parts = []
    for c in cols:
        value = f'{ref}."{c}"'
        expr = (f"hex({value})" if c == geom
                else f"CASE typeof({value}) WHEN 'blob' THEN hex({value}) ELSE {value} END")
        parts.append(f"'{c}', {expr}")
    return "json_object(" + ", ".join(parts) + ")"


def create_triggers(conn: sqlite3.Connection) -> None:
    """(Re)create the recording triggers with each tracked table's current columns."""
    for table in TRACKED:
        for op in ("insert", "update", "delete"):
            conn.execute(f'DROP TRIGGER IF EXISTS "outside_edit_{table}_{op}"')
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name = ?",
                            (table,)).fetchone():
            continue
        cols, geom = _columns(conn, table)
        outside = f"NOT EXISTS (SELECT 1 FROM {MARKER})"
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in cols)
        conn.execute(
            f"""CREATE TRIGGER "outside_edit_{table}_insert" AFTER INSERT ON "{table}"
            WHEN {outside} BEGIN INSERT INTO {TABLE} (table_name, row_id, action, after)
            VALUES ('{table}', NEW.id, 'insert', {_json(cols, geom, "NEW")}); END""")
        conn.execute(
            f"""CREATE TRIGGER "outside_edit_{table}_update" AFTER UPDATE ON "{table}"
            WHEN {outside} AND ({changed}) BEGIN
            INSERT INTO {TABLE} (table_name, row_id, action, before, after)
            VALUES ('{table}', NEW.id, 'update', {_json(cols, geom, "OLD")},
            {_json(cols, geom, "NEW")}); END""")
        conn.execute(
            f"""CREATE TRIGGER "outside_edit_{table}_delete" AFTER DELETE ON "{table}"
            WHEN {outside} BEGIN INSERT INTO {TABLE} (table_name, row_id, action, before)
            VALUES ('{table}', OLD.id, 'delete', {_json(cols, geom, "OLD")}); END""")


@dataclass(frozen=True)
class OutsideEdit:
    """One recorded insert, update or delete made without GridApp."""

    id: int
    at: str
    table: str
    row_id: int | None
    action: str  # insert | update | delete
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def changed_columns(self) -> list[str]:
        """Columns whose value differs between before and after (all for insert/delete)."""
        b, a = self.before or {}, self.after or {}
        return [c for c in (a or b) if b.get(c) != a.get(c)]


def pending(conn: sqlite3.Connection, limit: int | None = None) -> list[OutsideEdit]:
    """Edits neither accepted nor reverted yet, oldest first."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone():
        return []
    rows = conn.execute(
        f"SELECT id, at, table_name, row_id, action, before, after FROM {TABLE}"
        " WHERE state = 'pending' ORDER BY id LIMIT ?", (-1 if limit is None else limit,))
    return [OutsideEdit(r[0], r[1], r[2], r[3], r[4],
                        json.loads(r[5]) if r[5] else None, json.loads(r[6]) if r[6] else None)
            for r in rows]


def count_pending(conn: sqlite3.Connection) -> int:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone():
        return 0
    return int(conn.execute(f"SELECT count(*) FROM {TABLE} WHERE state = 'pending'")
               .fetchone()[0])


def _values(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A recorded row as values to write back (geometry hex → blob)."""
    _cols, geom = _columns(conn, table)
    out = dict(row)
    if geom and isinstance(out.get(geom), str):
        out[geom] = bytes.fromhex(out[geom]) if out[geom] else None
    return out


def _write_row(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    """Put *row* back under its id: update it if it is there, else insert it."""
    have = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
    row = {c: v for c, v in row.items() if c in have}  # a column dropped since: skip it
    if conn.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', (row["id"],)).fetchone():
        sets = ", ".join(f'"{c}" = ?' for c in row if c != "id")
        conn.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?',
                     [v for c, v in row.items() if c != "id"] + [row["id"]])
    else:
        names = ", ".join(f'"{c}"' for c in row)
        conn.execute(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in row)})',
                     list(row.values()))


def resolve(conn: sqlite3.Connection, edit_id: int, state: str, by: str, at: str) -> None:
    conn.execute(f"UPDATE {TABLE} SET state = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
                 (state, by, at, edit_id))


def revert(conn: sqlite3.Connection, edit: OutsideEdit) -> None:
    """Undo one outside edit in GridApp's transaction (newest first for several)."""
    table = edit.table
    if edit.action == "insert":
        conn.execute(f'DELETE FROM "{table}" WHERE id = ?', (edit.row_id,))
    else:
        assert edit.before is not None
        before = _values(conn, table, edit.before)
        if edit.action == "update" and edit.after and edit.after.get("id") != before.get("id"):
            conn.execute(f'DELETE FROM "{table}" WHERE id = ?', (edit.after.get("id"),))
        _write_row(conn, table, before)


def accept_into_grid_history(conn: sqlite3.Connection, edit: OutsideEdit) -> int | None:
    """Keep a grid edit but as GridApp's versioning would have made it.

    * update: the row keeps its id and its new values and starts at the
      edit's time; its previous values become a closed version (``valid_to``
      the edit's time) that the row's ``previous_id`` points to;
    * delete: the row comes back closed at the edit's time (history is not
      deleted, grids are ended);
    * insert: kept as it is.

    Returns the id of the closed version written, if any.
    """
    if edit.action == "insert" or edit.before is None:
        return None
    old = _values(conn, "grid", edit.before)
    if old.get("valid_to") is None:
        old["valid_to"] = max(edit.at, str(old.get("valid_from") or edit.at))
    if edit.action == "delete":
        _write_row(conn, "grid", old)
        return int(old["id"])
    current = conn.execute("SELECT previous_id, valid_to FROM grid WHERE id = ?",
                           (edit.row_id,)).fetchone()
    if current is None:
        return None
    old.pop("id", None)
    old["previous_id"] = current[0]
    names = ", ".join(f'"{c}"' for c in old)
    cur = conn.execute(f'INSERT INTO grid ({names}) VALUES ({", ".join("?" for _ in old)})',
                       list(old.values()))
    history_id = int(cur.lastrowid or 0)
    conn.execute("UPDATE grid SET previous_id = ?, valid_from = max(valid_from, ?) WHERE id = ?",
                 (history_id, old["valid_to"], edit.row_id))
    return history_id


def _shown(table_geom: str | None, column: str, value: Any) -> Any:
    """An audit-friendly value: geometry as WKT (shortened), the rest as recorded."""
    if column != table_geom or not isinstance(value, str) or not value:
        return value
    from gridapp.storage import geometry

    try:
        g = geometry.decode(bytes.fromhex(value))
    except ValueError:
        return {"bytes": len(value) // 2}
    wkt = g.wkt
    return wkt if len(wkt) <= 2000 else f"{g.geom_type} ({len(wkt)} chars)"


def audit_changes(conn: sqlite3.Connection, edit: OutsideEdit) -> dict[str, Any]:
    """``{column: [before, after]}`` of the columns the edit changed."""
    _cols, geom = _columns(conn, edit.table)
    b, a = edit.before or {}, edit.after or {}
    return {c: [_shown(geom, c, b.get(c)), _shown(geom, c, a.get(c))]
            for c in edit.changed_columns()}


def accept(tx: Any, edits: list[OutsideEdit], by: str, at: str) -> int:
    """Take *edits* into the audit log (and grid history); returns how many.

    *tx* is a store :class:`~gridapp.storage.transaction.Transaction`.
    """
    for edit in edits:
        changes = audit_changes(tx.conn, edit)
        changes["outside_edit"] = {"id": edit.id, "at": edit.at}
        tx.audit(f"outside_{edit.action}", edit.table, edit.row_id, changes)
        if edit.table == "grid":
            history_id = accept_into_grid_history(tx.conn, edit)
            if history_id is not None:
                tx.audit("grid_history", "grid", edit.row_id,
                         {"closed_version": history_id, "valid_to": edit.at})
        resolve(tx.conn, edit.id, "accepted", by, at)
    return len(edits)


def revert_edits(tx: Any, edits: list[OutsideEdit], by: str, at: str) -> int:
    """Undo *edits*, newest first, each with an audit entry; returns how many."""
    from gridapp.errors import ValidationError

    for edit in sorted(edits, key=lambda e: e.id, reverse=True):
        try:
            revert(tx.conn, edit)
        except sqlite3.IntegrityError as exc:  # the whole transaction rolls back
            raise ValidationError(
                "无法撤销外部修改 #{id}（{table} #{row}），工作空间未作任何改动：{detail}。"
                "可以改为接受这条修改",
                "Cannot revert outside edit #{id} ({table} #{row}); nothing was changed: "
                "{detail}. Accept it instead", id=edit.id, table=edit.table,
                row=edit.row_id, detail=str(exc)) from exc
        changes = {c: [after, before] for c, (before, after) in
                   audit_changes(tx.conn, edit).items()}
        changes["outside_edit"] = {"id": edit.id, "at": edit.at, "action": edit.action}
        tx.audit("revert_outside_edit", edit.table, edit.row_id, changes)
        resolve(tx.conn, edit.id, "reverted", by, at)
    return len(edits)
