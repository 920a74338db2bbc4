"""ProposalList: ranked joint-enforcement proposals and the dispatcher's decisions.

Accept (opens a :class:`TaskForm`; OK creates the task), merge two or more,
split one (re-clustered at half the distance) or dismiss with a reason.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.table_sizing import fit_to_sample
from gridapp.qt.tasks.lookup import Names, case_numbers, read_names
from gridapp.qt.tasks.models import ProposalModel
from gridapp.qt.tasks.task_form import TaskForm


class ProposalList(QWidget):
    """Dock panel listing open proposals, best first."""

    proposalSelected = Signal(object)  # Proposal or None
    taskCreated = Signal(int)
    changed = Signal()
    failed = Signal(str)

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposalList")
        self.context = context
        self.names = Names({}, [], {}, {})
        self.form: TaskForm | None = None
        self.model = ProposalModel(lambda: self.names, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        fit_to_sample(self.table)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, slot in (("accept", self.accept_selected), ("merge", self.merge_selected),
                          ("split", self.split_selected), ("dismiss", self.dismiss_selected),
                          ("refresh", self.refresh)):
            b = QPushButton(self)
            b.setObjectName(f"proposal_{key}")
            b.clicked.connect(lambda _c=False, s=slot: s())
            row.addWidget(b)
            self.buttons[key] = b
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        for key, text in (("accept", self.tr("Accept…")), ("merge", self.tr("Merge")),
                          ("split", self.tr("Split")), ("dismiss", self.tr("Dismiss…")),
                          ("refresh", self.tr("Refresh"))):
            self.buttons[key].setText(text)
        self.model.retranslate()

    # ------------------------------------------------------------ content
    def _session(self) -> Any:
        """The window's session while a workspace is open, else None."""
        return self.context.session

    def workspace_changed(self, names: Any = None) -> None:
        self.names = read_names(self._session()) if names is None else names
        self.refresh()

    def refresh(self) -> None:
        from gridapp.services.joint.proposals import list_proposals

        session = self._session()
        self.model.set_rows(list_proposals(session) if session is not None else [])
        self._update_buttons()
        self.changed.emit()

    def selected(self) -> list[Any]:
        return [self.model.row(i.row()) for i in self.table.selectionModel().selectedRows()]

    def select_rows(self, rows: list[int]) -> None:
        self.table.clearSelection()
        sm = self.table.selectionModel()
        from PySide6.QtCore import QItemSelectionModel

        for r in rows:
            sm.select(self.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                      | QItemSelectionModel.SelectionFlag.Rows)

    def _can_manage(self) -> bool:
        s = self.context.session
        return s is not None and s.can("task.manage")

    def _update_buttons(self) -> None:
        n = len(self.selected())
        manage = self._can_manage()
        self.buttons["accept"].setEnabled(manage and n == 1)
        self.buttons["merge"].setEnabled(manage and n >= 2)
        self.buttons["split"].setEnabled(manage and n == 1)
        self.buttons["dismiss"].setEnabled(manage and n >= 1)

    def _on_selection_changed(self, *_: Any) -> None:
        self._update_buttons()
        sel = self.selected()
        self.proposalSelected.emit(sel[0] if len(sel) == 1 else None)

    def _run(self, fn: Any, *args: Any, **kw: Any) -> Any:
        try:
            return fn(self.context.session, *args, **kw)
        except GridAppError as exc:
            self.status.setText(exc.message)
            self.failed.emit(exc.message)
            return None

    # ------------------------------------------------------------ decisions
    def ask_reason(self) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("Dismiss proposal"),
                                        self.tr("Reason (kept on record):"))
        return text if ok else None

    def accept_selected(self) -> TaskForm | None:
        """Open the task form for the selected proposal (OK creates the task)."""
        sel = self.selected()
        if len(sel) != 1 or self._session() is None:
            return None
        p = sel[0]
        self.form = TaskForm(p, self.names, case_numbers(self._session(), p.report_ids),
                             self)
        self.form.accepted.connect(lambda f=self.form: self._create(f))
        self.form.open()
        return self.form

    def _create(self, form: TaskForm) -> None:
        from gridapp.services.joint.proposals import accept

        task_id = self._run(accept, form.proposal.id, **form.fields())
        if task_id is not None:
            self.status.setText(self.tr("Joint task {id} created.").format(id=task_id))
            self.refresh()
            self.taskCreated.emit(int(task_id))

    def merge_selected(self) -> int | None:
        from gridapp.services.joint.proposals import merge

        new = self._run(merge, [p.id for p in self.selected()])
        if new is not None:
            self.status.setText(self.tr("Merged into proposal {id}.").format(id=new))
            self.refresh()
        return new

    def split_selected(self) -> list[int] | None:
        from gridapp.services.joint.proposals import split

        sel = self.selected()
        if len(sel) != 1:
            return None
        new = self._run(split, sel[0].id)
        if new is not None:
            self.status.setText(self.tr("Split into proposals {ids}.").format(
                ids=", ".join(map(str, new))))
            self.refresh()
        return new

    def dismiss_selected(self) -> bool:
        from gridapp.services.joint.proposals import dismiss

        sel = self.selected()
        if not sel:
            return False
        reason = self.ask_reason()
        if reason is None:
            return False
        try:
            for p in sel:
                dismiss(self.context.session, p.id, reason)
        except GridAppError as exc:
            self.status.setText(exc.message)
            self.failed.emit(exc.message)
            self.refresh()
            return False
        self.status.setText(self.tr("{n} proposals dismissed.").format(n=len(sel)))
        self.refresh()
        return True
