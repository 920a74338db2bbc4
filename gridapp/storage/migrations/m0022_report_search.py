"""Schema version 22: full-text search in reports' texts (Chinese included).

``report_fts`` is a contentless SQLite FTS5 table with the ``trigram``
tokenizer: it indexes every run of three characters of a report's
description and address (``body``: the two texts, each followed by two
spaces so that every one- or two-character word is the start of some
trigram), which finds Chinese words without a word list.  ``report_fts_terms``
(``fts5vocab``) lists the indexed trigrams, so a one- or two-character word
is looked up as the trigrams that begin with it.

Triggers keep the index in step with single-row writes.  Bulk loads leave the
new rows out and record their id range in ``report_fts_pending`` instead (a
million rows would otherwise pay about 10 µs each inside the load); search
reads pending ranges directly and :func:`gridapp.storage.queries.search.index_pending`
indexes them later.  The triggers skip rows in a pending range (a contentless
index must never be told to delete what it was not given).  Rows already in
the file when this migration runs are recorded as one pending range.

Writing to an FTS5 table from a trigger needs ``trusted_schema``, which the
store turns on only after its schema guard has checked the file's triggers.
"""

from __future__ import annotations

import sqlite3
from typing import Any

NAME = "0022_report_search"
VERSION = 22

BODY_NEW = "coalesce(NEW.description, '') || '  ' || coalesce(NEW.address, '') || '  '"
BODY_OLD = "coalesce(OLD.description, '') || '  ' || coalesce(OLD.address, '') || '  '"
NOT_PENDING_NEW = ("NOT EXISTS (SELECT 1 FROM report_fts_pending p "
                   "WHERE NEW.id BETWEEN p.first_id AND p.last_id)")
NOT_PENDING_OLD = ("NOT EXISTS (SELECT 1 FROM report_fts_pending p "
                   "WHERE OLD.id BETWEEN p.first_id AND p.last_id)")


def apply(conn: sqlite3.Connection, ctx: dict[str, Any]) -> None:
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS report_fts USING fts5("
                 "body, content='', tokenize='trigram')")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS report_fts_terms USING fts5vocab("
                 "report_fts, 'row')")
    conn.execute("CREATE TABLE IF NOT EXISTS report_fts_pending ("
                 "first_id INTEGER NOT NULL, last_id INTEGER NOT NULL, "
                 "CHECK (first_id <= last_id))")
    conn.execute(
        "CREATE TRIGGER IF NOT EXISTS report_fts_insert AFTER INSERT ON report "
        f"WHEN {NOT_PENDING_NEW} BEGIN "
        f"INSERT INTO report_fts (rowid, body) VALUES (NEW.id, {BODY_NEW}); END")
    conn.execute(
        "CREATE TRIGGER IF NOT EXISTS report_fts_delete AFTER DELETE ON report "
        f"WHEN {NOT_PENDING_OLD} BEGIN "
        "INSERT INTO report_fts (report_fts, rowid, body) "
        f"VALUES ('delete', OLD.id, {BODY_OLD}); END")
    conn.execute(
        "CREATE TRIGGER IF NOT EXISTS report_fts_update AFTER UPDATE OF description, address "
        f"ON report WHEN {NOT_PENDING_OLD} BEGIN "
        "INSERT INTO report_fts (report_fts, rowid, body) "
        f"VALUES ('delete', OLD.id, {BODY_OLD}); "
        f"INSERT INTO report_fts (rowid, body) VALUES (NEW.id, {BODY_NEW}); END")
    last = conn.execute("SELECT max(id) FROM report").fetchone()[0]
    if last is not None:
        conn.execute("INSERT INTO report_fts_pending (first_id, last_id) VALUES (?, ?)",
                     (int(conn.execute("SELECT min(id) FROM report").fetchone()[0]), int(last)))
