"""Report text search on a district server: what the GeoPackage's FTS5 index does (schema 0022).

A street's reports carry a GIN trigram index (PostgreSQL's ``pg_trgm``) on the
same text the GeoPackage indexes: description, two spaces, address.  A report
matches when that text holds every search word as a substring, case ignored
(``ILIKE``): Chinese words of any length included.  For words of three or
more characters the server finds candidates through the index; shorter ones
are checked row by row, newest first (as the GeoPackage does for words too
common for its index).  Answers are the newest matching ids in the caller's
scope, as :func:`gridapp.storage.queries.search.find_reports` gives them.

Nothing is left pending on a server: the index follows every write, bulk
loads included.  A street published before the index existed has none yet:
searches still answer (reading every report), :func:`pending_count` says how
many reports are not indexed, and :func:`index_pending` (``reports index``)
builds the index — which needs the street's owner (as publishing does).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gridapp.storage.queries.case_list import CaseScope, _scope

TEXT_INDEX = "report_text_trgm"
# The indexed expression; a query must spell it the same way for the index to serve it.
_BODY = "(coalesce({p}description, '') || '  ' || coalesce({p}address, ''))"


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _rows(db: Any, sql: str, params: Sequence[Any]) -> list[Any]:
    if hasattr(db, "query"):
        return list(db.query(sql, params))
    return list(db.execute(sql, params).fetchall())


def has_text_index(db: Any) -> bool:
    """Whether the street's reports have their trigram index."""
    return bool(_rows(db, "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema()"
                          " AND indexname = ?", [TEXT_INDEX]))


def find_reports(db: Any, words: Sequence[str], scope: CaseScope, limit: int) -> list[int]:
    """Ids of up to *limit* reports in *scope* holding every word, newest id first."""
    where, params = _scope(scope)
    body = _BODY.format(p="r.")
    conds = [*where, *(f"{body} ILIKE ? ESCAPE '\\'" for _ in words)]
    return [int(r[0]) for r in _rows(
        db, f"SELECT r.id FROM report r WHERE {' AND '.join(conds)} ORDER BY r.id DESC LIMIT ?",
        [*params, *(_like(w) for w in words), int(limit)])]


def pending_count(db: Any) -> int:
    """Reports not served by the index: none, or all of them while it is missing."""
    if has_text_index(db):
        return 0
    return int(_rows(db, "SELECT count(*) FROM report", [])[0][0])


def create_text_index(raw: Any) -> None:
    """The trigram index on the current street's reports (and ``pg_trgm`` in the
    database, in schema ``public`` that every street reads); on a psycopg
    connection, in the caller's transaction, with the owner's rights."""
    raw.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    nsp = raw.execute("SELECT quote_ident(extnamespace::regnamespace::text) FROM pg_extension"
                      " WHERE extname = 'pg_trgm'").fetchone()[0]
    raw.execute(f"CREATE INDEX IF NOT EXISTS {TEXT_INDEX} ON report USING gin"
                f" ({_BODY.format(p='')} {nsp}.gin_trgm_ops)")


def index_pending(conn: Any, max_rows: int) -> int:
    """Build the index if the street lacks it; how many reports it took in (0: none to do).

    *max_rows* is the GeoPackage's batch size; the server builds its index at once.
    """
    del max_rows
    if has_text_index(conn):
        return 0
    n = int(_rows(conn, "SELECT count(*) FROM report", [])[0][0])
    create_text_index(conn.raw)
    return n
