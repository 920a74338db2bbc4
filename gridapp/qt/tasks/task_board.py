"""TaskBoard: joint tasks by state, overdue first, and the buttons of the next steps.

The buttons of the current task come from
:func:`gridapp.domain.tasks.allowed_task_actions` for the logged-in role, so a
liaison sees check-in and their department's action, a dispatcher summons,
records the joint action, finishes, evaluates and escalates.  Departments
that did not check in are shown in red.  The task order (联合执法任务单) and,
once escalated, the 督办单 print to PDF.

Input comes through the ``ask_*`` methods (dialogs); tests replace them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain.enums import TaskState
from gridapp.domain.tasks import TaskAction, allowed_task_actions
from gridapp.errors import GridAppError
from gridapp.qt.table_sizing import fit_to_sample
from gridapp.qt.tasks.models import DepartmentModel, TaskModel

ACTION_ORDER = [TaskAction.SUMMON, TaskAction.CHECK_IN, TaskAction.DEPARTMENT_ACTION,
                TaskAction.RECORD_ACTION, TaskAction.FINISH, TaskAction.EVALUATE,
                TaskAction.ESCALATE]


def _table(parent: QWidget, model: Any) -> QTableView:
    t = QTableView(parent)
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().setVisible(False)
    fit_to_sample(t)
    return t


class TaskBoard(QWidget):
    """Dock panel: the task board and the current task's departments and steps."""

    taskChanged = Signal(int)
    taskSelected = Signal(object)  # Task or None
    printed = Signal(str)
    failed = Signal(str)

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskBoard")
        self.context = context
        self.task: Any = None
        self.state_filter = QComboBox(self)
        self.model = TaskModel(self)
        self.table = _table(self, self.model)
        self.table.selectionModel().selectionChanged.connect(self._on_task_selected)
        self.departments = DepartmentModel(self)
        self.dept_table = _table(self, self.departments)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        handlers = {TaskAction.SUMMON: self.summon, TaskAction.CHECK_IN: self.check_in,
                    TaskAction.DEPARTMENT_ACTION: self.department_action,
                    TaskAction.RECORD_ACTION: self.record_action,
                    TaskAction.FINISH: self.finish, TaskAction.EVALUATE: self.evaluate,
                    TaskAction.ESCALATE: self.escalate}
        for action in ACTION_ORDER:
            self._button(row, action.value, handlers[action])
        self._button(row, "print_order", self.print_order)
        self._button(row, "print_escalation", self.print_escalation)
        row.addStretch(1)
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.state_filter, 1)
        top.addWidget(self.refresh_button)
        lower = QWidget(self)
        lv = QVBoxLayout(lower)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.detail)
        lv.addWidget(self.dept_table, 1)
        lv.addLayout(row)
        lv.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.state_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.retranslate()
        self._update_buttons()

    def _button(self, row: QHBoxLayout, key: str, slot: Any) -> None:
        b = QPushButton(self)
        b.setObjectName(f"task_{key}")
        b.clicked.connect(lambda _c=False, s=slot: s())
        row.addWidget(b)
        self.buttons[key] = b

    def retranslate(self) -> None:
        titles = {"summon": self.tr("Summon (吹哨)"), "check_in": self.tr("Check in (报到)"),
                  "department_action": self.tr("Department action…"),
                  "record_action": self.tr("Record joint action…"),
                  "finish": self.tr("Finish"), "evaluate": self.tr("Evaluate…"),
                  "escalate": self.tr("Escalate (督办)…"),
                  "print_order": self.tr("Print task order…"),
                  "print_escalation": self.tr("Print escalation notice…")}
        for key, text in titles.items():
            self.buttons[key].setText(text)
        self.refresh_button.setText(self.tr("Refresh"))
        current = self.state_filter.currentData()
        self.state_filter.blockSignals(True)
        self.state_filter.clear()
        self.state_filter.addItem(self.tr("All states"), None)
        for s in TaskState:
            self.state_filter.addItem(s.label, s.value)
        self.state_filter.setCurrentIndex(max(self.state_filter.findData(current), 0))
        self.state_filter.blockSignals(False)
        self.model.retranslate()
        self.departments.retranslate()

    # ------------------------------------------------------------ content
    @property
    def session(self) -> Any:
        return self.context.session

    def refresh(self, select: int | None = None) -> None:
        """Read the board again (keeping or moving to task *select*)."""
        from gridapp.services.joint.tasks import task_board

        keep = select if select is not None else (self.task.id if self.task else None)
        if self.session is None:
            self.model.set_rows([])
            self._show(None)
            return
        try:
            rows = task_board(self.session, self.state_filter.currentData())
        except GridAppError as exc:
            self._error(exc)
            rows = []
        self.model.set_rows(rows)
        ids = [r.id for r in rows]
        if keep in ids:
            self.table.selectRow(ids.index(keep))
            self._show(keep)
        else:
            self._show(None)

    def select_task(self, task_id: int) -> None:
        self.refresh(select=task_id)

    def _on_task_selected(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show(self.model.row(rows[0].row()).id if rows else None)

    def _show(self, task_id: int | None) -> None:
        from gridapp.services.joint.tasks import get_task

        self.task = (get_task(self.session, task_id)
                     if task_id is not None and self.session is not None else None)
        t = self.task
        self.departments.set_rows(t.departments if t else [])
        if t is None:
            self.detail.clear()
        else:
            from gridapp.qt.tasks.models import _time

            flagged = "、".join(d.name for d in t.flagged_departments)
            text = self.tr("{no} {title} — {state}; action {action}, deadline {deadline}; "
                           "{n} cases.").format(no=t.task_no, title=t.title, state=t.state.label,
                                                action=_time(t.action_at),
                                                deadline=_time(t.deadline),
                                                n=len(t.report_ids))
            if flagged:
                text += " " + self.tr("Not checked in: {names}").format(names=flagged)
            if t.action_summary:
                text += " " + self.tr("Action: {s}").format(s=t.action_summary)
            self.detail.setText(text)
        self._update_buttons()
        self.taskSelected.emit(t)

    def allowed(self) -> list[TaskAction]:
        if self.task is None or self.session is None:
            return []
        return [t.id for t in allowed_task_actions(self.task.state, self.session.role)]

    def _update_buttons(self) -> None:
        allowed = set(self.allowed())
        for action in ACTION_ORDER:
            b = self.buttons[action.value]
            b.setVisible(action in allowed)
            b.setEnabled(action in allowed)
        from gridapp.services.joint.task_print import (
            ESCALATION_PERMISSION,
            ORDER_PERMISSION,
        )

        def can(permission: str) -> bool:
            return self.session is not None and bool(self.session.can(permission))

        # the service refuses these too; the buttons only follow it
        self.buttons["print_order"].setVisible(self.session is None or can(ORDER_PERMISSION))
        self.buttons["print_order"].setEnabled(self.task is not None and can(ORDER_PERMISSION))
        esc = (self.task is not None and self.task.escalated_at is not None
               and can(ESCALATION_PERMISSION))
        self.buttons["print_escalation"].setVisible(esc)
        self.buttons["print_escalation"].setEnabled(esc)

    # ------------------------------------------------------------ input
    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok else None

    def ask_choice(self, title: str, label: str, items: list[str]) -> int | None:
        if not items:
            return None
        value, ok = QInputDialog.getItem(self, title, label, items, 0, False)
        return items.index(value) if ok else None

    def ask_action(self) -> tuple[str, dict[str, Any]] | None:
        from gridapp.qt.tasks.action_dialog import RecordActionDialog

        dialog = RecordActionDialog(self)
        return dialog.values() if dialog.exec() else None

    def ask_evaluation(self, task: Any) -> dict[int, tuple[bool, str]] | None:
        from gridapp.qt.tasks.evaluation_dialog import EvaluationDialog

        dialog = EvaluationDialog(task, self)
        return dialog.values() if dialog.exec() else None

    def ask_save_path(self, default: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save PDF"), default,
                                              self.tr("PDF (*.pdf)"))
        return path or None

    # ------------------------------------------------------------ steps
    def _error(self, exc: GridAppError) -> None:
        self.status.setText(exc.message)
        self.failed.emit(exc.message)

    def _do(self, fn: Any, *args: Any, **kw: Any) -> Any:
        if self.task is None:
            return None
        task_id = self.task.id
        try:
            out = fn(self.session, task_id, *args, **kw)
        except GridAppError as exc:
            self._error(exc)
            return None
        self.refresh(select=task_id)
        self.taskChanged.emit(task_id)
        return out if out is not None else True

    def _department(self, title: str, pending_only: bool) -> int | None:
        """The department to act for: the liaison's own, or one the dispatcher picks."""
        t = self.task
        own = self.session.user.department_id
        deps = [d for d in t.departments if not pending_only or d.checkin_at is None]
        if own is not None and self.session.role.value == "liaison":
            return own
        i = self.ask_choice(title, self.tr("Department:"), [d.name for d in deps])
        return None if i is None else deps[i].department_id

    def summon(self) -> None:
        from gridapp.services.joint import tasks

        notes = self._do(tasks.summon)
        if notes:
            self.status.setText(self.tr("Summoned {n} departments.").format(n=len(notes)))

    def check_in(self) -> None:
        from gridapp.services.joint import tasks

        dept = self._department(self.tr("Check in"), True)
        if dept is None:
            return
        status = self._do(tasks.check_in, dept, self.session.user.display_name or "")
        if status:
            self.status.setText(self.tr("Checked in: {s}").format(s=status.label))

    def department_action(self) -> None:
        from gridapp.services.joint import tasks

        dept = self._department(self.tr("Department action"), False)
        if dept is None:
            return
        text = self.ask_text(self.tr("Department action"), self.tr("What the department did:"))
        if text is None:
            return
        self._do(tasks.report_department_action, dept, text)

    def record_action(self) -> None:
        from gridapp.services.joint import tasks

        values = self.ask_action()
        if values is None:
            return
        summary, results = values
        self._do(tasks.record_action, summary, results)

    def finish(self) -> None:
        from gridapp.services.joint import tasks

        out = self._do(tasks.finish)
        if out:
            self.status.setText(self.tr(
                "Done: {a} cases advanced, {u} unchanged, {r} refused; {x} departments "
                "absent.").format(a=len(out.advanced), u=len(out.unchanged),
                                  r=len(out.refused), x=len(out.absent_department_ids)))

    def evaluate(self) -> None:
        from gridapp.services.joint import tasks

        values = self.ask_evaluation(self.task)
        if values is not None:
            self._do(tasks.evaluate, values)

    def escalate(self) -> None:
        from gridapp.services.joint import tasks

        reason = self.ask_text(self.tr("Escalate to the district government"),
                               self.tr("Reason:"),
                               self.tr("Departments did not check in"))
        if reason is None:
            return
        notice = self._do(tasks.escalate, reason)
        if notice:
            self.status.setText(self.tr("Escalation notice {no}.").format(no=notice.notice_no))

    def _print(self, prepare: Any, write: Any, stem: str) -> str | None:
        """Ask the service for the page (checked for the role), then draw it."""
        if self.task is None or self.session is None:
            return None
        path = self.ask_save_path(f"{stem}_{self.task.task_no}.pdf")
        if not path:
            return None
        try:
            out = write(prepare(self.session, self.task.id), path)
        except GridAppError as exc:
            self._error(exc)
            return None
        self.status.setText(self.tr("Written {path}").format(path=str(out)))
        self.printed.emit(str(out))
        return str(out)

    def print_order(self) -> str | None:
        from gridapp.printing.jobs import write_task_order
        from gridapp.services.joint.task_print import task_order_print

        return self._print(task_order_print, write_task_order, "联合执法任务单")

    def print_escalation(self) -> str | None:
        from gridapp.printing.jobs import write_escalation
        from gridapp.services.joint.task_print import escalation_print

        return self._print(escalation_print, write_escalation, "督办单")
