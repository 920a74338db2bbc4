"""Full-text search in report texts (description and address), Chinese included.

:func:`search_reports` answers with the newest reports holding every word of
the query, within the user's record scope exactly as the case list applies it
(a liaison sees their department's cases, a grid manager their grids' and
their own).  :func:`index_pending_reports` indexes reports written by bulk
loads (import, demo generation), which search reads directly until then.

Examples
--------
>>> hits = search_reports(session, "垃圾桶 青云路")      # doctest: +SKIP
>>> [h.case_no for h in hits.hits]                      # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gridapp import i18n
from gridapp.domain.enums import CaseStatus
from gridapp.domain.timeutil import from_iso
from gridapp.errors import ValidationError
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.session import Session, own_grid_ids, visible_department_ids
from gridapp.storage.queries import search as queries
from gridapp.storage.queries.case_list import CaseScope

MAX_WORDS = 8
MAX_WORD_CHARS = 64
MAX_LIMIT = 1000
INDEX_BATCH = 50_000  # reports indexed per write transaction (the write lock is short)


@dataclass(frozen=True)
class SearchHit:
    id: int
    case_no: str
    status: CaseStatus
    category: str
    grid_code: str
    reported_at: datetime | None
    description: str
    address: str
    external_id: str | None


@dataclass(frozen=True)
class SearchResult:
    words: tuple[str, ...]
    hits: list[SearchHit]
    more: bool  # more reports match than were returned
    pending: int  # reports not indexed yet (read directly, more slowly)


def _words(text: str) -> tuple[str, ...]:
    words = tuple(dict.fromkeys(w for w in str(text or "").split() if w))
    if not words:
        raise ValidationError("请输入要搜索的文字", "Type the words to search for")
    if len(words) > MAX_WORDS:
        raise ValidationError("一次最多搜索 {n} 个词", "Search for at most {n} words at a time",
                              n=MAX_WORDS)
    long = [w for w in words if len(w) > MAX_WORD_CHARS]
    if long:
        raise ValidationError("搜索词过长（最多 {n} 个字）：{w}",
                              "A search word is too long (at most {n} characters): {w}",
                              n=MAX_WORD_CHARS, w=long[0][:MAX_WORD_CHARS] + "…")
    return words


def search_reports(session: Session, text: str, *, limit: int = 50) -> SearchResult:
    """The newest reports (by id) whose description or address holds every word of *text*.

    Words are separated by spaces; each may be Chinese of any length (a
    single character included), letters or digits; case is ignored.

    Raises
    ------
    ValidationError
        No words, more than :data:`MAX_WORDS`, a word longer than
        :data:`MAX_WORD_CHARS`, or *limit* outside 1..:data:`MAX_LIMIT`.
    """
    session.require("workspace.read")
    words = _words(text)
    if not 1 <= int(limit) <= MAX_LIMIT:
        raise ValidationError("结果条数应在 1 到 {n} 之间", "The limit must be within 1..{n}",
                              n=MAX_LIMIT)
    store = session.store
    if not queries.has_index(store):
        raise ValidationError("此工作空间还没有全文索引，请用新版 GridApp 打开一次",
                              "This workspace has no text index yet; open it once with "
                              "this GridApp to add it")
    scope = CaseScope(visible_department_ids(session), own_grid_ids(session),
                      session.user.manager_id)
    ids = queries.find_reports(store, words, scope, int(limit) + 1)
    rows = queries.report_rows(store, ids[:limit])
    hits = [SearchHit(int(r["id"]), r["case_no"], CaseStatus(r["status"]),  # type: ignore[call-arg]
                      r["category"] or "", r["grid_code"] or "", from_iso(r["reported_at"]),
                      r["description"] or "", r["address"] or "", r["external_id"])
            for r in rows]
    return SearchResult(words, hits, len(ids) > limit, queries.pending_count(store))


def index_pending_reports(session: Session, *, progress: Progress = no_progress,
                          cancel: CancelToken = NEVER_CANCELLED) -> int:
    """Index the reports bulk loads left for later, in batches; returns how many ids.

    Each batch is its own short write (derived data, not audited), so a
    cancel keeps what was indexed and other writers wait seconds at most.
    """
    session.require("report.file")
    store = session.store
    total = queries.pending_count(store)
    done = 0
    while True:
        cancel.check()
        progress(done, total, i18n.pick("建立全文索引", "Indexing report texts"))
        with session.transaction() as tx:
            n = queries.index_pending(tx.conn, INDEX_BATCH)
        if n == 0:
            break
        done += n
    progress(total, total, "")
    return done
