"""Auto-division: propose grids for a community (on a worker), look, accept or reject.

The proposal is drawn over the map with each grid's households while the
dialog is open; accepting saves it through the editor (one undoable edit),
rejecting or closing removes it from the map.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import Cancelled, GridAppError
from gridapp.qt.fit import FittedDialog
from gridapp.qt.rows_model import RowsTableModel
from gridapp.qt.worker import WorkerThread
from gridapp.services.grids.communities import community_choices

# What the proposal table shows of each proposed grid (a row of proposal.grids).
_PROPOSAL_GETTERS = (
    lambda r: r["code"],
    lambda r: int(r["households"]),
    lambda r: int(r["buildings"]),
    lambda r: f"{r['area_m2']:,.0f}",
)


class DivisionDialog(FittedDialog):
    """Choose a community and a household range or a number of grids; propose; accept."""

    def __init__(self, editor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gridDivisionDialog")
        self.editor = editor
        self.session = editor.session
        self.proposal: Any = None
        self.result: Any = None
        self.worker: WorkerThread | None = None
        self.setWindowTitle(self.tr("Divide a community into grids"))
        self.resize(520, 560)
        self.community = QComboBox(self)
        for choice in community_choices(self.session):
            self.community.addItem(choice.label, choice.id)
        self.by_range = QRadioButton(self.tr("Households per grid"), self)
        self.by_count = QRadioButton(self.tr("Number of grids"), self)
        self.by_range.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_range)
        group.addButton(self.by_count)
        self.low, self.high, self.count = QSpinBox(self), QSpinBox(self), QSpinBox(self)
        for box, value in ((self.low, 300), (self.high, 500)):
            box.setRange(1, 100_000)
            box.setValue(value)
        self.count.setRange(1, 1000)
        self.count.setValue(10)
        rng = QHBoxLayout()
        rng.addWidget(self.low)
        rng.addWidget(QLabel("–", self))
        rng.addWidget(self.high)
        form = QFormLayout()
        form.addRow(self.tr("Community"), self.community)
        form.addRow(self.by_range, rng)
        form.addRow(self.by_count, self.count)
        self.propose_button = QPushButton(self.tr("Propose"), self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.propose_button.clicked.connect(self.propose)
        self.cancel_button.clicked.connect(self.cancel_work)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table_model = RowsTableModel(
            list(zip(self._titles(), _PROPOSAL_GETTERS, strict=True)), self
        )
        self.table = QTableView(self)
        self.table.setModel(self.table_model)
        self.table.setObjectName("divisionTable")
        self.table.verticalHeader().setVisible(False)
        self.accept_button = QPushButton(self.tr("Accept and save"), self)
        self.reject_button = QPushButton(self.tr("Reject"), self)
        self.accept_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.accept_button.clicked.connect(self.accept_proposal)
        self.reject_button.clicked.connect(lambda: self.reject_proposal())
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        work = QHBoxLayout()
        work.addWidget(self.propose_button)
        work.addWidget(self.cancel_button)
        work.addWidget(self.progress, 1)
        end = QHBoxLayout()
        end.addWidget(self.accept_button)
        end.addWidget(self.reject_button)
        end.addStretch(1)
        end.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(work)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(end)

    def _titles(self) -> list[str]:
        return [
            self.tr("Code"),
            self.tr("Households"),
            self.tr("Buildings"),
            self.tr("Area (m²)"),
        ]

    # ------------------------------------------------------------ propose
    def options(self) -> dict[str, Any]:
        if self.by_count.isChecked():
            return {"grids": self.count.value()}
        return {"households": (self.low.value(), self.high.value())}

    def propose(self) -> None:
        from gridapp.services.grids.division import propose_division

        if self.worker is not None or self.community.currentData() is None:
            return
        self.reject_proposal()
        session, community, opts = (
            self.session,
            int(self.community.currentData()),
            self.options(),
        )

        def work(progress: Any, cancel: Any) -> Any:
            return propose_division(
                session, community, progress=progress, cancel=cancel, **opts
            )

        self.worker = WorkerThread(work, self)
        self.worker.progressed.connect(self._on_progress)
        self.worker.succeeded.connect(self._on_proposed)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self._on_finished)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.propose_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.summary.setText(self.tr("Working…"))
        self.worker.start()

    def cancel_work(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if message:
            self.summary.setText(message)

    def _on_proposed(self, proposal: Any) -> None:
        if self.worker is not None and self.worker.token.cancelled:
            return
        self.proposal = proposal
        self.summary.setText(f"{proposal.community_name}: {proposal.summary()}")
        frame = proposal.grids
        self.table_model.set_rows(frame.drop(columns="geometry").to_dict("records"))
        self.table.resizeColumnsToContents()
        self.editor.show_proposal(frame)
        self.accept_button.setEnabled(self.editor.can_edit())
        self.reject_button.setEnabled(True)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self.summary.setText(self.tr("Cancelled."))
        else:
            self.summary.setText(
                exc.message if isinstance(exc, GridAppError) else repr(exc)
            )

    def _on_finished(self) -> None:
        self.progress.setVisible(False)
        self.propose_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if self.worker is not None:
            self.worker.wait()
            self.worker.deleteLater()
        self.worker = None

    # ------------------------------------------------------------ decide
    def accept_proposal(self) -> Any:
        from gridapp.services.grids.division import accept_division

        if self.proposal is None:
            return None
        proposal = self.proposal
        result = self.editor.save(
            self.tr("Divide community {name}").format(name=proposal.community_name),
            lambda ok: accept_division(self.session, proposal, accept_problems=ok),
        )
        if result is not None:
            self.result = result
            self.summary.setText(
                self.tr("Saved {n} grids.").format(n=len(result.opened))
            )
            self.reject_proposal(keep_text=True)
        return result

    def reject_proposal(self, keep_text: bool = False) -> None:
        self.proposal = None
        self.editor.show_proposal(None)
        self.table_model.clear()
        self.accept_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        if not keep_text:
            self.summary.clear()

    def done(self, result: int) -> None:  # noqa: D102 - stop the worker, clear the map
        if self.worker is not None:
            self.worker.stop()
            self.worker.wait()
        self.editor.show_proposal(None)
        super().done(result)
