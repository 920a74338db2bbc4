"""Bounded problem summaries and the rejects file of an import.

A file with a million bad rows must not print a million lines: the terminal
(and the dialog) shows at most :data:`SUMMARY_LIMIT` lines -- the count per
reason and the first problems -- and the full list goes to a CSV "rejects"
file, by default next to the input (``form.csv`` → ``form.rejects.csv``).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from gridapp import i18n
from gridapp.services.importing.checks import ImportProblem

SUMMARY_LIMIT = 50
# Lines kept for the per-reason counts when the list is cut.
_COUNT_LINES = 10


def default_rejects_path(source: str | Path) -> Path:
    """Where the rejects of *source* go by default: beside it, ``<stem>.rejects.csv``."""
    source = Path(source)
    return source.with_name(source.stem + ".rejects.csv")


def write_problems_csv(path: str | Path, problems: Iterable[ImportProblem]) -> int:
    """Every problem as a CSV row (UTF-8 with BOM, opens in Excel); returns the count."""
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([i18n.pick("要素", "feature"), i18n.pick("类型", "reason"),
                    i18n.pick("阻止导入", "blocking"), i18n.pick("说明", "message")])
        for p in problems:
            w.writerow(["" if p.index is None else p.index, p.reason,
                        int(p.blocking), p.message])
            n += 1
    return n


def bounded_summary(
    items: Sequence[str],
    reasons: Iterable[str],
    *,
    rejects: Path | None,
    limit: int = SUMMARY_LIMIT,
    total: int | None = None,
) -> list[str]:
    """At most *limit* lines describing *items* (one text per problem).

    All items fit: they are returned as they are.  Otherwise the count per
    reason (the most frequent first), the first items, and one line saying
    how many were left out and where the full list is.  *total* (default
    ``len(items)``) lets a caller pass only the first *limit* texts of a
    long list.
    """
    total = len(items) if total is None else total
    if total <= limit:
        return list(items)
    counts = Counter(reasons).most_common()
    head = [i18n.pick("按类型：", "By reason:")]
    shown_counts = counts[: _COUNT_LINES - 1]
    head += [f"  {reason}: {n}" for reason, n in shown_counts]
    if len(counts) > len(shown_counts):
        rest = sum(n for _, n in counts[len(shown_counts):])
        head.append(i18n.pick("  其他 {k} 类：{n}", "  {k} other reasons: {n}",
                              k=len(counts) - len(shown_counts), n=rest))
    room = limit - len(head) - 2
    lines = head + [i18n.pick("前 {k} 个：", "The first {k}:", k=room)] + list(items[:room])
    left = total - room
    if rejects is not None:
        lines.append(i18n.pick("……另有 {n} 个未显示；完整清单见 {path}",
                               "... {n} more not shown; the full list is in {path}",
                               n=left, path=rejects))
    else:
        lines.append(i18n.pick("……另有 {n} 个未显示", "... {n} more not shown", n=left))
    return lines
