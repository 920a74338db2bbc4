"""Full-text search in reports' descriptions and addresses (schema 0022).

Questions: :func:`find_reports` (ids of the newest matching reports in a
scope), :func:`pending_count`; writes of derived data: :func:`index_pending`
(indexing what bulk loads left out) and the bulk-load hooks
:func:`suspend_indexing` / :func:`resume_indexing`.

A search is a list of words; a report matches when its description or address
holds every word.  Words of three or more characters are FTS5 phrases (the
trigram index finds any substring); shorter words become the indexed trigrams
that begin with them (``report_fts_terms``), the bodies being padded so every
occurrence begins one.  Reports of a pending range (not indexed yet) are
read directly over their id range (:func:`_holds`: ``instr`` on each column,
the answers of ``LIKE`` over the body), so answers are complete while the
index catches up.

A search with a short word reads the newest :data:`NEWEST_ROWS` reports
directly first: a common short word (one character of most addresses) fills
the page there in well under a millisecond, where listing its trigrams
(``fts5vocab`` counts every posting of each: 37 ms for 路 in 1,000,000
reports) and merging their postings (14 ms) took 50-60 ms.  Only when the
newest rows hold fewer than the page are older reports searched through the
index; the word is then rare enough for its trigrams to be few and short,
or the words are common but seldom together (人 动: two trigram ORs of ~170k
postings each, ANDed by FTS5 in ~15-25 ms, the floor of this index).  Then
the newest rows are a sample: few matches there and the index is read
oldest first (:data:`SPARSE_ROWS`), and a word's trigrams are listed once
per state of the index (:func:`_expand`).
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Sequence
from typing import Any

from gridapp.storage.queries.case_list import CaseScope, _scope

# The trigrams a one- or two-character word expands to; beyond this the word is
# common enough that LIKE over the newest rows finds it sooner than the index.
MAX_EXPANSION = 300
# A grid manager's scope holding at most this many reports is read directly with
# LIKE (its rows by the grid index) instead of walking every match in the street.
SMALL_SCOPE = 30_000
# A search with a one- or two-character word reads this many newest reports
# before the index (2 ms with LIKE for 5,000 rows of the 1M-report district, ~1
# ms with instr; 20,000 rows took 20 ms with LIKE, the pages no longer cached).
NEWEST_ROWS = 5_000
# When the newest rows suggest few matches below them, the index is read oldest
# first (FTS5 walks its doclists forwards ~30% faster) up to this many matches.
SPARSE_ROWS = 1_000
_BODY = ("(coalesce(r.description, '') || '  ' || coalesce(r.address, '') || '  ')")
_INSERT_TRIGGER = "report_fts_insert"


def _rows(db: Any, sql: str, params: Sequence[Any]) -> list[Any]:
    if hasattr(db, "query"):
        return list(db.query(sql, params))
    return list(db.execute(sql, params).fetchall())


def _server(db: Any) -> Any:
    """The server's implementation when *db* is a street on a district server, else None."""
    if getattr(db, "schema", None):
        from gridapp.storage.postgis import search as server

        return server
    return None


def has_index(db: Any) -> bool:
    if _server(db):
        return True  # a server answers searches with or without its trigram index
    return bool(_rows(db, "SELECT 1 FROM sqlite_master WHERE name = 'report_fts'", []))


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _holds(words: Sequence[str]) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters): report ``r`` holds every word.

    The same answer as ``body LIKE '%word%'`` (a word has no spaces, so it
    cannot straddle the spaces between description and address; LIKE and
    SQLite's lower() both fold ASCII letters only), read with instr() on each
    column: no concatenated body, no pattern.  The newest 5,000 reports of
    the district: 0.9 ms where LIKE over the body took 18.8 ms (load 12).
    """
    conds: list[str] = []
    params: list[Any] = []
    for w in words:
        if any("A" <= ch <= "Z" or "a" <= ch <= "z" for ch in w):
            folded = "".join(ch.lower() if ch.isascii() else ch for ch in w)
            conds.append("(instr(lower(r.description), ?) > 0 "
                         "OR instr(lower(r.address), ?) > 0)")
            params += [folded, folded]
        else:
            conds.append("(instr(r.description, ?) > 0 OR instr(r.address, ?) > 0)")
            params += [w, w]
    return conds, params


# Expansions already listed, per store: word -> (index structure record, trigrams).
_EXPANSIONS: weakref.WeakKeyDictionary[Any, dict[str, tuple[bytes, list[str] | None]]] = (
    weakref.WeakKeyDictionary())
_MEMO_WORDS = 512  # words remembered per store before the memo starts afresh
_STRUCTURE = "SELECT block FROM report_fts_data WHERE id = 10"  # FTS5's structure record


def _expand(db: Any, word: str) -> list[str] | None:
    """Indexed trigrams beginning with a short word (None: too many to list).

    Listing reads every posting of each trigram (fts5vocab counts them: 11-14
    ms for 人 in 1M reports, 45 ms for 路), so a store's expansions are kept
    while the index is unchanged.  FTS5 rewrites its structure record (rowid
    10 of ``report_fts_data``) whenever it writes postings, so an equal record
    means the same trigrams.  Only a store's reader connections are memoised:
    a writer's connection may hold postings not yet flushed to the record.
    """
    memo = _memo(db)
    if memo is None:
        return _list_terms(db, word)
    key = _rows(db, _STRUCTURE, [])
    version = bytes(key[0][0]) if key else b""
    hit = memo.get(word.lower())
    if hit is not None and hit[0] == version:
        return hit[1]
    terms = _list_terms(db, word)
    if len(memo) >= _MEMO_WORDS:
        memo.clear()
    memo[word.lower()] = (version, terms)
    return terms


def _memo(db: Any) -> dict[str, tuple[bytes, list[str] | None]] | None:
    if not hasattr(db, "query"):  # a connection or transaction: may write the index
        return None
    try:
        return _EXPANSIONS.setdefault(db, {})
    except TypeError:  # not weakly referenceable
        return None


def _list_terms(db: Any, word: str) -> list[str] | None:
    low = word.lower()
    rows = _rows(db, "SELECT term FROM report_fts_terms WHERE term >= ? AND term < ? LIMIT ?",
                 (low, low + "\U0010ffff", MAX_EXPANSION + 1))
    if len(rows) > MAX_EXPANSION:
        return None
    return [str(r[0]) for r in rows]


def match_expression(db: Any, words: Sequence[str], *,
                     absent: bool | None = None) -> tuple[str | None, list[str]]:
    """(FTS5 query, words left to LIKE); query None when some word is found nowhere.

    *absent*: whether some short word begins no indexed trigram, when the
    caller has already asked (:func:`_short_word_absent`); None asks here.
    """
    parts: list[str] = []
    like: list[str] = []
    if absent is None:
        absent = _short_word_absent(db, words)
    if absent:
        return None, []
    for w in words:
        if len(w) >= 3:
            parts.append(_quote(w))
            continue
        terms = _expand(db, w)
        if terms is None:
            like.append(w)
        elif not terms:
            return None, []
        else:
            parts.append("(" + " OR ".join(_quote(t) for t in terms) + ")")
    return (" AND ".join(parts) if parts else ""), like


def _short_word_absent(db: Any, words: Sequence[str]) -> bool:
    """Whether some one- or two-character word begins no indexed trigram.

    Asked before any word's trigrams are listed (listing counts every posting
    of each: 37 ms for 路 in 1M reports), so such a search answers at once.
    """
    return any(len(w) < 3 and not _rows(
        db, "SELECT 1 FROM report_fts_terms WHERE term >= ? AND term < ? LIMIT 1",
        (w.lower(), w.lower() + "\U0010ffff")) for w in words)


def _pending(db: Any) -> list[tuple[int, int]]:
    return [(int(r[0]), int(r[1])) for r in _rows(
        db, "SELECT first_id, last_id FROM report_fts_pending ORDER BY first_id", [])]


def pending_count(db: Any) -> int:
    """How many report ids lie in ranges not indexed yet."""
    if server := _server(db):
        return server.pending_count(db)
    return sum(b - a + 1 for a, b in _pending(db))


def find_reports(db: Any, words: Sequence[str], scope: CaseScope, limit: int) -> list[int]:
    """Ids of up to *limit* reports in *scope* holding every word, newest id first."""
    if server := _server(db):
        return server.find_reports(db, words, scope, limit)
    where, params = _scope(scope)
    if _small_scope(db, scope, where, params):
        return _scan(db, words, where, params, limit, pending_too=True)
    newest: list[int] = []
    if NEWEST_ROWS > 0 and any(len(w) < 3 for w in words):
        absent = _short_word_absent(db, words)
        if absent and not _pending(db):
            return []  # in no report (none is waiting to be indexed)
        top = _rows(db, "SELECT max(id) FROM report", [])[0][0]
        if top is None:
            return []
        below = int(top) - NEWEST_ROWS  # older reports: through the index
        newest = _scan(db, words, [*where, "r.id > ?"], [*params, below], limit,
                       pending_too=True)
        if len(newest) >= limit or below < 1:
            return newest
        where, params = [*where, "r.id <= ?"], [*params, below]
        # The newest rows are a sample: few matches there, likely few below them.
        sparse = len(newest) * below < (limit - len(newest)) * NEWEST_ROWS
        return newest + _find_indexed(db, words, where, params, limit - len(newest),
                                      sparse=sparse, absent=absent)
    return newest + _find_indexed(db, words, where, params, limit - len(newest))


def _find_indexed(db: Any, words: Sequence[str], where: list[str], params: list[Any],
                  limit: int, *, sparse: bool = False,
                  absent: bool | None = None) -> list[int]:
    """Newest matches in *where* through the index (and pending ranges by LIKE)."""
    found: list[int] = []
    # expr None: some word is in no indexed report (pending ones may still hold it).
    expr, like = match_expression(db, words, absent=absent)
    like_sql, like_params = _holds(like)
    if expr:
        sql = ("SELECT r.id FROM report_fts f JOIN report r ON r.id = f.rowid "
               f"WHERE report_fts MATCH ? {''.join(' AND ' + c for c in where + like_sql)} "
               "ORDER BY f.rowid {} LIMIT ?")
        args = [expr, *params, *like_params]
        ids = None
        if sparse:  # FTS5 walks doclists forwards faster: all of few matches, oldest first
            ids = [int(r[0]) for r in _rows(db, sql.format("ASC"), [*args, SPARSE_ROWS + 1])]
            if len(ids) > SPARSE_ROWS:
                ids = None  # not few after all: newest first
        if ids is None:
            ids = [int(r[0]) for r in _rows(db, sql.format("DESC"), [*args, limit])]
        found += ids
    elif expr is not None and like:  # every word too common for the index: scan, newest first
        found += _scan(db, like, where, params, limit, pending_too=False)
    all_like, all_params = _holds(words)
    for first, last in _pending(db):
        found += [int(r[0]) for r in _rows(
            db,
            "SELECT r.id FROM report r WHERE r.id BETWEEN ? AND ? "
            f"{''.join(' AND ' + c for c in where + all_like)} ORDER BY r.id DESC LIMIT ?",
            [first, last, *params, *all_params, limit])]
    return sorted(set(found), reverse=True)[:limit]


def _small_scope(db: Any, scope: CaseScope, where: list[str], params: list[Any]) -> bool:
    """Whether a grid scope holds few enough reports to read them all."""
    if scope.department_ids is not None or scope.grid_ids is None:
        return False
    n = _rows(db, f"SELECT count(*) FROM (SELECT 1 FROM report r WHERE {' AND '.join(where)} "
                  "LIMIT ?)", [*params, SMALL_SCOPE + 1])[0][0]
    return int(n) <= SMALL_SCOPE


def _scan(db: Any, words: Sequence[str], where: list[str], params: list[Any], limit: int,
          *, pending_too: bool) -> list[int]:
    """Newest reports holding every word, by LIKE (indexed and pending rows, or indexed only)."""
    holds, holds_params = _holds(words)
    conds = where + holds
    if not pending_too:
        conds.append("NOT EXISTS (SELECT 1 FROM report_fts_pending p "
                     "WHERE r.id BETWEEN p.first_id AND p.last_id)")
    return [int(r[0]) for r in _rows(
        db, f"SELECT r.id FROM report r WHERE {' AND '.join(conds)} ORDER BY r.id DESC LIMIT ?",
        [*params, *holds_params, limit])]


def report_rows(db: Any, ids: Sequence[int]) -> list[Any]:
    """What a search hit shows, for *ids* (newest id first)."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return _rows(
        db,
        "SELECT r.id, r.case_no, r.status, r.reported_at, r.description, r.address, "
        "r.external_id, c.name AS category, g.code AS grid_code FROM report r "
        "LEFT JOIN category c ON c.id = r.category_id LEFT JOIN grid g ON g.id = r.grid_id "
        f"WHERE r.id IN ({marks}) ORDER BY r.id DESC",
        list(ids))


# -- derived data: called inside a store transaction ------------------------------
def index_pending(conn: sqlite3.Connection, max_rows: int) -> int:
    """Index up to *max_rows* pending report ids (newest first); returns how many ids."""
    if server := _server(conn):
        return server.index_pending(conn, max_rows)
    done = 0
    for first, last in reversed(_pending(conn)):
        if done >= max_rows:
            break
        lo = max(first, last - (max_rows - done) + 1)
        conn.execute(f"INSERT INTO report_fts (rowid, body) SELECT r.id, {_BODY} FROM report r "
                     "WHERE r.id BETWEEN ? AND ?", (lo, last))
        if lo == first:
            conn.execute("DELETE FROM report_fts_pending WHERE first_id = ? AND last_id = ?",
                         (first, last))
        else:
            conn.execute("UPDATE report_fts_pending SET last_id = ? WHERE first_id = ? "
                         "AND last_id = ?", (lo - 1, first, last))
        done += last - lo + 1
    return done


def suspend_indexing(conn: sqlite3.Connection, table: str) -> str | None:
    """Before a bulk load into *table*: drop the index's insert trigger; its SQL back."""
    if table != "report":
        return None
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                       (_INSERT_TRIGGER,)).fetchone()
    if row is None:
        return None
    conn.execute(f'DROP TRIGGER "{_INSERT_TRIGGER}"')
    return str(row[0])


def resume_indexing(conn: sqlite3.Connection, trigger_sql: str | None, first_id: int,
                    last_id: int) -> None:
    """After the load: the loaded ids are pending, and the trigger is back as it was."""
    if trigger_sql is None:
        return
    if last_id >= first_id:
        conn.execute("INSERT INTO report_fts_pending (first_id, last_id) VALUES (?, ?)",
                     (first_id, last_id))
    conn.execute(trigger_sql)
