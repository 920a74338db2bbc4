"""Full-text search in report texts: ``reports search`` and ``reports index``.

``reports search`` lists the newest reports whose description or address
holds every word (Chinese words of any length, letters, digits), within the
acting user's record scope.  Reports written by bulk loads (import, demo
generation) are found at once but more slowly until ``reports index`` has
indexed them.

Examples::

    gridapp reports search street.gpkg 垃圾桶 青云路
    gridapp reports search street.gpkg 占道 --limit 20 --json --as zhihui
    gridapp reports index street.gpkg --progress
"""

from __future__ import annotations

import argparse

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.cli.common import emit
from gridapp.i18n import pick


def extend(groups: dict[str, argparse._SubParsersAction]) -> None:
    reports = groups.get("reports")
    if reports is None:
        return
    fmt = argparse.RawDescriptionHelpFormatter
    p = reports.add_parser("search", help="full-text search in report texts (全文检索)",
                           description=__doc__, formatter_class=fmt)
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("words", nargs="+", help="words to find (all must appear)")
    p.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_search)

    p = reports.add_parser("index", help="index reports written in bulk (建立全文索引)",
                           description=__doc__, formatter_class=fmt)
    p.add_argument("path", help="workspace .gpkg")
    add_login_args(p)
    p.set_defaults(handler=cmd_index)


def cmd_search(args: argparse.Namespace) -> int:
    from gridapp.services.cases.search import search_reports

    with logged_in(args, readonly=True) as session:
        result = search_reports(session, " ".join(args.words), limit=args.limit)
    data = {
        "words": list(result.words),
        "more": result.more,
        "not_indexed": result.pending,
        "hits": [{"id": h.id, "case_no": h.case_no, "status": h.status.value,
                  "category": h.category, "grid": h.grid_code,
                  "reported_at": h.reported_at.isoformat() if h.reported_at else None,
                  "description": h.description, "address": h.address,
                  "external_id": h.external_id} for h in result.hits],
    }

    def text() -> None:
        for h in result.hits:
            print(f"{h.case_no}\t{h.status.label}\t{h.category}\t{h.description}\t{h.address}")
        more = pick("（还有更多，可用 --limit 增加）", " (more match; raise --limit)") \
            if result.more else ""
        print(pick("共显示 {n} 条{m}", "{n} shown{m}", n=len(result.hits), m=more))
        if result.pending:
            print(pick("提示：{n} 条上报尚未建立索引，可运行 reports index 加快检索",
                       "Note: {n} reports are not indexed yet; run reports index to speed "
                       "up searches", n=result.pending))

    emit(args, data, text)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from gridapp.cli.progress import TextProgress
    from gridapp.services.cases.search import index_pending_reports

    with logged_in(args) as session:
        n = index_pending_reports(session, progress=TextProgress())
    emit(args, {"indexed": n}, [pick("已为 {n} 条上报建立索引", "Indexed {n} reports", n=n)])
    return 0
