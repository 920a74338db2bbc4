"""What the leader's 今日待办 shows of the assessment: this month's key figures so far
and the units flagged for staying red or yellow (issue 17).

The figures are the running month's (to date); the flags are judged on the
last complete month, so a unit is not flagged on a month two days old.  Both
come from the same services as the dashboard (:func:`indicators.compute`,
:func:`warnings.consecutive_flags`), run on the panel's worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gridapp.services.assessment import warnings as warn
from gridapp.services.assessment.indicators import compute
from gridapp.services.assessment.monthly import format_value
from gridapp.services.assessment.periods import Period, current
from gridapp.services.session import Session

FIGURES = ("close_rate", "on_time_rate", "satisfaction_rate", "overdue_now")
FLAG_KINDS = ("grid", "community", "department")


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    text: str  # as shown: 96.6%, 65, —
    level: str | None  # 红黄蓝 of the street's figure, None without a threshold


@dataclass
class LeaderSummary:
    month: Period  # the running month: the figures
    flag_period: Period  # the last complete month: the flags
    figures: list[Figure]
    flags: list[warn.Flag] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Flags per level (red, yellow)."""
        return {lv: sum(1 for f in self.flags if f.level == lv) for lv in ("red", "yellow")}


def leader_summary(session: Session) -> LeaderSummary:
    """This month's key figures for the street and last month's flagged units."""
    session.require("assessment.read")
    month = current("month")
    table = compute(session, month, "grid")
    inds = {i.code: i for i in table.indicators}
    ths = {t.indicator: t for t in warn._thresholds(session)}
    figures = []
    for code in FIGURES:
        ind = inds.get(code)
        if ind is None:
            continue
        value = table.total.get(code)
        level = warn.level_of(value, ths[code]) if code in ths and value is not None else None
        figures.append(Figure(code, ind.name, format_value(value, ind.unit), level))
    last = month.previous()
    flags: list[warn.Flag] = []
    for by in FLAG_KINDS:
        flags += warn.consecutive_flags(session, last, by)
    flags.sort(key=lambda f: (-warn._RANK[f.level], FLAG_KINDS.index(f.by), f.indicator,
                              str(f.unit)))
    return LeaderSummary(month, last, figures, flags)
