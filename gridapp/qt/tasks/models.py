"""Table models over the feature's domain lists: clusters, proposals, tasks,
and one task's departments.  Column titles are translated in ``TaskModels``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from gridapp.domain.timeutil import local
from gridapp.qt.rows_model import Column, RowsTableModel
from gridapp.qt.tasks.lookup import Names


def _day(dt: Any) -> str:
    return f"{local(dt):%m-%d}" if dt is not None else "—"


def _time(dt: Any) -> str:
    return f"{local(dt):%Y-%m-%d %H:%M}" if dt is not None else "—"


class RowsModel(RowsTableModel):
    """The shared rows model, its column titles English source texts translated
    in the ``TaskModels`` context when shown (so a language switch needs only
    :meth:`retranslate`); subclasses say which rows are flagged and their tips."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(columns, parent, flagged=self.flagged, tooltip=self.tooltip)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        title = super().headerData(section, orientation, role)
        return QCoreApplication.translate("TaskModels", title) if title else title

    def flagged(self, item: Any) -> bool:
        return False

    def tooltip(self, item: Any) -> str | None:
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(len(self.columns) - 1, 0))


class ClusterModel(RowsModel):
    """Found clusters: size, categories, recurrence, departments, period."""

    def __init__(self, names: Callable[[], Names], parent: Any = None) -> None:
        n = names
        super().__init__([
            (QT_TRANSLATE_NOOP("TaskModels", "Reports"), lambda c: c.size),
            (QT_TRANSLATE_NOOP("TaskModels", "Categories"),
             lambda c: n().top_categories(c.categories)),
            (QT_TRANSLATE_NOOP("TaskModels", "Recurring"), lambda c: c.recurrence),
            (QT_TRANSLATE_NOOP("TaskModels", "Departments"),
             lambda c: "、".join(n().department(d) for d in c.department_ids)),
            (QT_TRANSLATE_NOOP("TaskModels", "Grids"), lambda c: len(c.grid_ids)),
            (QT_TRANSLATE_NOOP("TaskModels", "Period"),
             lambda c: f"{_day(c.first_at)} – {_day(c.last_at)}"),
        ], parent)


class ProposalModel(RowsModel):
    """Open proposals, best first, with their reasons."""

    def __init__(self, names: Callable[[], Names], parent: Any = None) -> None:
        n = names
        super().__init__([
            (QT_TRANSLATE_NOOP("TaskModels", "No."), lambda p: p.id),
            (QT_TRANSLATE_NOOP("TaskModels", "Title"), lambda p: p.title),
            (QT_TRANSLATE_NOOP("TaskModels", "Score"), lambda p: f"{p.score:.1f}"),
            (QT_TRANSLATE_NOOP("TaskModels", "Reports"), lambda p: p.size),
            (QT_TRANSLATE_NOOP("TaskModels", "Reasons"), lambda p: "；".join(p.reasons)),
            (QT_TRANSLATE_NOOP("TaskModels", "Departments"),
             lambda p: "、".join(n().department(d) for d in p.department_ids)),
        ], parent)

    def tooltip(self, item: Any) -> str:
        return "\n".join(item.reasons)


class TaskModel(RowsModel):
    """The task board: overdue first, flagged departments in red."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            (QT_TRANSLATE_NOOP("TaskModels", "Task No."), lambda t: t.task_no),
            (QT_TRANSLATE_NOOP("TaskModels", "Title"), lambda t: t.title),
            (QT_TRANSLATE_NOOP("TaskModels", "State"), lambda t: t.state.label),
            (QT_TRANSLATE_NOOP("TaskModels", "Deadline"),
             lambda t: _time(t.deadline) + (" ⚠" if t.overdue else "")),
            (QT_TRANSLATE_NOOP("TaskModels", "Checked in"),
             lambda t: f"{t.n_checked_in}/{t.n_departments}"),
            (QT_TRANSLATE_NOOP("TaskModels", "Absent"), lambda t: t.flagged or ""),
            (QT_TRANSLATE_NOOP("TaskModels", "Cases"), lambda t: t.n_cases),
        ], parent)

    def flagged(self, item: Any) -> bool:
        return bool(item.overdue or item.flagged)


class DepartmentModel(RowsModel):
    """The departments of one task: role, contact, check-in, action, evaluation."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            (QT_TRANSLATE_NOOP("TaskModels", "Department"), lambda d: d.name),
            (QT_TRANSLATE_NOOP("TaskModels", "Role"),
             lambda d: QCoreApplication.translate(
                 "TaskModels", "Lead" if d.role == "lead" else "Member")),
            (QT_TRANSLATE_NOOP("TaskModels", "Contact"), lambda d: d.contact_person or "—"),
            (QT_TRANSLATE_NOOP("TaskModels", "Check-in"),
             lambda d: d.checkin_status.label + (f" {_time(d.checkin_at)}"
                                                 if d.checkin_at else "")),
            (QT_TRANSLATE_NOOP("TaskModels", "Action"), lambda d: d.action or ""),
            (QT_TRANSLATE_NOOP("TaskModels", "Effective"),
             lambda d: "" if d.effective is None else ("✔" if d.effective else "✘")),
        ], parent)

    def flagged(self, item: Any) -> bool:
        return bool(item.flagged)


QT_TRANSLATE_NOOP("TaskModels", "Lead")
QT_TRANSLATE_NOOP("TaskModels", "Member")
