"""今日待办: each role's start view, the few things waiting for this user today.

Rows per role (grid manager: my cases to verify, overdue and due in my grids;
dispatcher: to register, to dispatch, overdue, open proposals; liaison: my
department's cases and the joint tasks it was summoned to; leader: this month's
key figures (结案率, 按期结案率, 满意率, overdue, tinted 红黄蓝) and the units
flagged for staying red or yellow last month, then open, overdue and escalated
cases; office: grids without a manager and other assignment warnings, coverage).  The
counts are asked of the services on a worker thread; activating a row opens
the list behind it (an assessment row asks for the dashboard instead:
:attr:`TodayPanel.assessmentRequested`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain.enums import Role, TaskState
from gridapp.domain.timeutil import today_local
from gridapp.qt.worker import WorkerThread

CONTEXT = "TodayPanel"
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ASSESSMENT_ROLE = Qt.ItemDataRole.UserRole + 2  # what the dashboard should show
SHOWN_FLAGS = 6  # flagged units listed; the rest behind one "… more" row
_LEVEL_COLOURS = {"red": "#c62828", "yellow": "#8a6d00", "blue": "#1f5fa8"}


@dataclass(frozen=True)
class TodayRow:
    """One line of the panel: its key (what activating it opens) and title."""

    key: str
    title: str  # English source, translated in the TodayPanel context
    count: Callable[[Any], int | None]


def _cases(**flt: Any) -> Callable[[Any], int]:
    def count(session: Any) -> int:
        from gridapp.services.cases.query import CaseFilter, CaseQuery

        return CaseQuery(session, CaseFilter(**flt)).count()

    return count


def _my_work(session: Any) -> int:
    from gridapp.services.cases.query import CaseQuery, my_work

    return CaseQuery(session, my_work(session)).count()


def _proposals(session: Any) -> int:
    from gridapp.services.joint.proposals import list_proposals

    return len(list_proposals(session))


def _open_tasks(session: Any) -> int:
    from gridapp.services.joint.tasks import task_board

    done = {TaskState.DONE, TaskState.EVALUATED}
    return sum(1 for t in task_board(session) if t.state not in done)


def _leader_assessment(session: Any) -> Any:
    from gridapp.services.assessment.leader import leader_summary

    return leader_summary(session)


def _warnings(kinds: tuple[str, ...] | None = None) -> Callable[[Any], int]:
    def count(session: Any) -> int:
        from gridapp.services.people.assignments import assignment_warnings

        return sum(1 for w in assignment_warnings(session) if kinds is None or w.kind in kinds)

    return count


MY_WORK = TodayRow("my_work", QT_TRANSLATE_NOOP("TodayPanel", "Waiting for my action"), _my_work)
OVERDUE = TodayRow("overdue", QT_TRANSLATE_NOOP("TodayPanel", "Overdue"), _cases(overdue=True))
DUE_SOON = TodayRow("due_soon", QT_TRANSLATE_NOOP("TodayPanel", "Due within a day"),
                    _cases(due_soon=True, overdue=False, open_only=True))

ROWS: dict[Role, tuple[TodayRow, ...]] = {
    Role.MANAGER: (
        TodayRow("my_work", QT_TRANSLATE_NOOP("TodayPanel", "Done by departments, for me to verify"),
                 _my_work),
        OVERDUE, DUE_SOON,
    ),
    Role.DISPATCHER: (
        TodayRow("reported", QT_TRANSLATE_NOOP("TodayPanel", "To register"),
                 _cases(statuses=("reported",))),
        TodayRow("registered", QT_TRANSLATE_NOOP("TodayPanel", "To dispatch"),
                 _cases(statuses=("registered",))),
        TodayRow("verified", QT_TRANSLATE_NOOP("TodayPanel", "Verified, to close"),
                 _cases(statuses=("verified",))),
        OVERDUE,
        TodayRow("proposals", QT_TRANSLATE_NOOP("TodayPanel", "Joint-enforcement proposals"),
                 _proposals),
    ),
    Role.LIAISON: (
        TodayRow("my_work", QT_TRANSLATE_NOOP("TodayPanel", "My department's cases to handle"),
                 _my_work),
        OVERDUE,
        TodayRow("tasks", QT_TRANSLATE_NOOP("TodayPanel", "Joint tasks we are summoned to"),
                 _open_tasks),
    ),
    Role.LEADER: (
        TodayRow("assessment", QT_TRANSLATE_NOOP("TodayPanel", "Assessment"),
                 _leader_assessment),
        TodayRow("open", QT_TRANSLATE_NOOP("TodayPanel", "Open cases"), _cases(open_only=True)),
        OVERDUE,
        TodayRow("escalated", QT_TRANSLATE_NOOP("TodayPanel", "Escalated (督办)"),
                 _cases(escalated=True, open_only=True)),
        TodayRow("proposals", QT_TRANSLATE_NOOP("TodayPanel", "Joint-enforcement proposals"),
                 _proposals),
    ),
    Role.OFFICE: (
        TodayRow("unassigned", QT_TRANSLATE_NOOP("TodayPanel", "Grids without a primary manager"),
                 _warnings(("no_primary",))),
        TodayRow("warnings", QT_TRANSLATE_NOOP("TodayPanel", "All assignment warnings"),
                 _warnings()),
        TodayRow("coverage", QT_TRANSLATE_NOOP("TodayPanel", "Coverage problems: check all grids"),
                 lambda _s: None),
        MY_WORK, OVERDUE,
    ),
    Role.ADMIN: (
        MY_WORK, OVERDUE,
        TodayRow("unassigned", QT_TRANSLATE_NOOP("TodayPanel", "Grids without a primary manager"),
                 _warnings(("no_primary",))),
        TodayRow("coverage", QT_TRANSLATE_NOOP("TodayPanel", "Coverage problems: check all grids"),
                 lambda _s: None),
    ),
}


def tr(text: str) -> str:
    """*text* (marked with QT_TRANSLATE_NOOP("TodayPanel", …)) in the UI language."""
    return QCoreApplication.translate(CONTEXT, text)


translate = QCoreApplication.translate


class TodayPanel(QWidget):
    """The list of today's work for the logged-in user's role.

    Signals
    -------
    activated(str)
        A row's key (``my_work``, ``overdue``, ``reported``, …) was activated.
    assessmentRequested(dict)
        An assessment row was activated: show the dashboard for ``period``
        (label) by ``by``, on the ``tab`` (``figures`` / ``warnings``), with
        ``unit`` selected (None: the whole street).
    counted(dict)
        Counts arrived (key → count, None where there is nothing to count).
    """

    activated = Signal(str)
    assessmentRequested = Signal(dict)
    counted = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Any = None
        self.rows: tuple[TodayRow, ...] = ()
        self.counts: dict[str, int | None] = {}
        self._worker: WorkerThread | None = None
        self.heading = QLabel()
        self.heading.setObjectName("todayHeading")
        self.heading.setStyleSheet("font-weight: bold; padding: 4px 2px;")
        self.heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("todayList")
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)  # the dock is narrow: long rows wrap, not cut
        self.list.itemActivated.connect(self._on_activated)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.heading)
        box.addWidget(self.list, 1)
        box.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignRight)
        self.retranslate()

    def set_session(self, session: Any) -> None:
        """Show *session*'s rows (None: clear the panel) and count them."""
        self.stop()
        self.session = session
        self.rows = ROWS.get(session.user.role, ()) if session is not None else ()
        self.counts = {}
        self._fill()
        if session is not None:
            self.refresh()

    def refresh(self) -> None:
        """Count again on a worker; the newest request wins."""
        if self.session is None:
            return
        self.stop()
        session, rows = self.session, self.rows

        def work(progress: Any, cancel: Any) -> dict[str, int | None]:
            out: dict[str, int | None] = {}
            for row in rows:
                if cancel.cancelled:
                    break
                try:
                    out[row.key] = row.count(session)
                except Exception:  # noqa: BLE001 - one refused count leaves a dash
                    out[row.key] = None
            return out

        worker = WorkerThread(work, self)
        worker.succeeded.connect(lambda result, w=worker: self._done(w, result))
        self._worker = worker
        worker.start()

    def _done(self, worker: WorkerThread, result: dict[str, int | None]) -> None:
        if worker is not self._worker:
            return
        self._worker = None
        worker.deleteLater()
        self.counts = dict(result)
        self._fill()
        self.counted.emit(self.counts)

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker.deleteLater()
            self._worker = None

    def _fill(self) -> None:
        self.list.clear()
        for row in self.rows:
            n = self.counts.get(row.key)
            if n is not None and not isinstance(n, int):
                self._fill_assessment(n)
                continue
            text = tr(row.title) if n is None else f"{tr(row.title)}：{n}"
            item = QListWidgetItem(text)
            item.setData(KEY_ROLE, row.key)
            if n and row.key in ("overdue", "unassigned"):
                item.setForeground(Qt.GlobalColor.darkRed)
            self.list.addItem(item)
        if self.session is None:
            self.heading.setText(translate("TodayPanel", "Open a workspace to see today's work."))
        else:
            self.heading.setText(translate("TodayPanel", "Today, {date}: {role}").format(
                date=today_local().isoformat(), role=self.session.user.role.label))

    def _on_activated(self, item: QListWidgetItem) -> None:
        target = item.data(ASSESSMENT_ROLE)
        if target:
            self.assessmentRequested.emit(dict(target))
        elif item.data(KEY_ROLE):
            self.activated.emit(item.data(KEY_ROLE))

    def _add(self, text: str, key: str | None, target: dict[str, Any] | None = None,
             level: str | None = None) -> None:
        item = QListWidgetItem(text)
        item.setData(KEY_ROLE, key)
        if target is not None:
            item.setData(ASSESSMENT_ROLE, target)
        if level in _LEVEL_COLOURS:
            from PySide6.QtGui import QColor

            item.setForeground(QColor(_LEVEL_COLOURS[level]))
        self.list.addItem(item)

    def _fill_assessment(self, summary: Any) -> None:
        """The leader's assessment rows: figures of the running month, then flags."""
        from gridapp import i18n
        from gridapp.services.assessment.warnings import LEVELS

        month, last = summary.month.label, summary.flag_period.label
        figures = " · ".join(f"{f.name} {f.text}" for f in summary.figures)
        worst = next((lv for lv in ("red", "yellow") if any(
            f.level == lv for f in summary.figures)), None)
        self._add(translate("TodayPanel", "This month ({month}): {figures}").format(
            month=month, figures=figures), "assessment",
            {"period": month, "by": "grid", "unit": None, "tab": "figures"}, worst)
        counts = summary.counts
        whole = {"period": last, "by": "grid", "unit": None, "tab": "warnings"}
        if not summary.flags:
            self._add(translate("TodayPanel", "{month}: no unit stayed in red or yellow")
                      .format(month=last), "assessment", whole, "blue")
            return
        self._add(translate("TodayPanel", "{month} warnings: {red} red, {yellow} yellow")
                  .format(month=last, red=counts["red"], yellow=counts["yellow"]),
                  "assessment", whole, "red" if counts["red"] else "yellow")
        for f in summary.flags[:SHOWN_FLAGS]:
            # a grid's label is "code name": the name is enough here
            unit = f.label.split(" ", 1)[-1] if f.by == "grid" else f.label
            zh, en, _colour = LEVELS[f.level]
            text = translate("TodayPanel", "{unit}: {indicator} {level} {n} periods running"
                             ).format(unit=unit, indicator=f.indicator_name,
                                      level=i18n.pick(zh + "色", en), n=f.periods)
            self._add("  " + text, "assessment",
                      {"period": last, "by": f.by, "unit": f.unit, "tab": "figures"},
                      f.level)
        rest = len(summary.flags) - SHOWN_FLAGS
        if rest > 0:
            self._add("  " + translate("TodayPanel", "… and {n} more").format(n=rest),
                      "assessment", whole)

    def retranslate(self) -> None:
        self.refresh_button.setText(translate("TodayPanel", "Refresh"))
        self._fill()
