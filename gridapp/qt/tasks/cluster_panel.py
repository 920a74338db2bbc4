"""ClusterPanel: find clusters of reports in the background and pick one.

Period, categories (top-level classes; none checked = all), distance and
time window go to :func:`gridapp.services.joint.clustering.find_clusters` on a
:class:`~gridapp.qt.worker.WorkerThread`, with a progress bar and a cancel
button.  Found clusters are listed (size, categories, recurrence, departments)
and drawn on the map; picking one selects its hull and reports.  A dispatcher
saves the qualifying clusters as ranked proposals.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain.timeutil import LOCAL_TZ, today_local
from gridapp.errors import Cancelled, GridAppError
from gridapp.qt.table_sizing import fit_to_sample
from gridapp.qt.tasks.lookup import Names, read_names
from gridapp.qt.tasks.models import ClusterModel
from gridapp.qt.worker import WorkerThread

DEFAULT_DAYS = 120


class ClusterPanel(QWidget):
    """Dock panel: cluster detection parameters, run, results."""

    clustersFound = Signal(object)  # ClusterResult
    clusterSelected = Signal(object)  # Cluster or None
    proposalsSaved = Signal(list)  # proposal ids
    failed = Signal(str)

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clusterPanel")
        self.context = context  # has .session (the main window)
        self.names = Names({}, [], {}, {})
        self.result: Any = None
        self.worker: WorkerThread | None = None
        self._workers: list[WorkerThread] = []

        self.start = QDateEdit(self)
        self.end = QDateEdit(self)
        for w in (self.start, self.end):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        today = QDate(today_local())
        self.start.setDate(today.addDays(-DEFAULT_DAYS))
        self.end.setDate(today)
        self.categories = QListWidget(self)
        self.categories.setMaximumHeight(80)
        self.eps = QDoubleSpinBox(self)
        self.eps.setRange(5.0, 2000.0)
        self.eps.setValue(50.0)
        self.eps.setDecimals(0)
        self.eps.setSuffix(" m")
        self.window_days = QDoubleSpinBox(self)
        self.window_days.setRange(0.5, 3650.0)
        self.window_days.setValue(30.0)
        self.window_days.setDecimals(1)
        self.run_button = QPushButton(self)
        self.run_button.setObjectName("findClusters")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.bar = QProgressBar(self)
        self.bar.setVisible(False)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.model = ClusterModel(lambda: self.names, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        fit_to_sample(self.table)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveProposals")
        self.save_button.clicked.connect(self.save_proposals)
        self.save_button.setEnabled(False)

        self.form = QFormLayout()
        self.period_row = QHBoxLayout()
        self.period_row.addWidget(self.start)
        self.period_row.addWidget(QLabel("–", self))
        self.period_row.addWidget(self.end)
        self.labels = [QLabel(self) for _ in range(4)]
        self.form.addRow(self.labels[0], self.period_row)
        self.form.addRow(self.labels[1], self.categories)
        self.form.addRow(self.labels[2], self.eps)
        self.form.addRow(self.labels[3], self.window_days)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.save_button)
        self.retranslate()

    # ------------------------------------------------------------ content
    def retranslate(self) -> None:
        for label, text in zip(self.labels, (self.tr("Period"), self.tr("Categories"),
                                             self.tr("Distance"), self.tr("Time window")),
                               strict=True):
            label.setText(text)
        self.window_days.setSuffix(self.tr(" days"))
        self.run_button.setText(self.tr("Find clusters"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.save_button.setText(self.tr("Save as proposals"))
        self.categories.setToolTip(self.tr("None checked: all categories"))
        self.model.retranslate()

    def _session(self) -> Any:
        """The window's session while a workspace is open, else None."""
        return self.context.session

    def workspace_changed(self, names: Any = None) -> None:
        """Read the category and department names of the open workspace (or take *names*)."""
        self.names = read_names(self._session()) if names is None else names
        self.categories.clear()
        for code, name in self.names.classes:
            item = QListWidgetItem(f"{code} {name}", self.categories)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.result = None
        self.model.set_rows([])
        self.status.clear()
        self.save_button.setEnabled(False)

    def selected_categories(self) -> list[str]:
        out = []
        for i in range(self.categories.count()):
            item = self.categories.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def period(self) -> tuple[datetime, datetime]:
        s, e = self.start.date().toPython(), self.end.date().toPython()
        start = datetime.combine(s, time.min, LOCAL_TZ)
        end = datetime.combine(e + timedelta(days=1), time.min, LOCAL_TZ)
        return start, end

    # ------------------------------------------------------------ running
    def run(self) -> WorkerThread | None:
        """Start cluster detection on a worker (cancelling a running one)."""
        from gridapp.services.joint.clustering import ClusterParams, find_clusters

        session = self._session()
        if session is None:
            return None
        self.cancel()
        start, end = self.period()
        cats = self.selected_categories() or None
        params = ClusterParams(eps_m=float(self.eps.value()),
                               window_days=float(self.window_days.value()))

        def work(progress: Any, cancel: Any) -> Any:
            return find_clusters(session, start, end, cats, params, progress=progress,
                                 cancel=cancel)

        worker = WorkerThread(work, self)
        self.worker = worker
        self._workers.append(worker)
        worker.progressed.connect(lambda d, t, m, w=worker: self._on_progress(w, d, t, m))
        worker.succeeded.connect(lambda r, w=worker: self._on_found(w, r))
        worker.failed.connect(lambda e, w=worker: self._on_failed(w, e))
        worker.finished.connect(lambda w=worker: self._reap(w))
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.run_button.setEnabled(False)
        self.status.setText(self.tr("Finding clusters…"))
        worker.start()
        return worker

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
            self.status.setText(self.tr("Cancelled."))
        self._idle()

    def shutdown(self) -> None:
        """Cancel and wait for every worker (window closing)."""
        self.cancel()
        for w in list(self._workers):
            w.stop()
        self._workers.clear()

    def _idle(self) -> None:
        self.bar.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.run_button.setEnabled(True)

    def _reap(self, worker: WorkerThread) -> None:
        if worker in self._workers:
            self._workers.remove(worker)
        worker.deleteLater()

    def _on_progress(self, worker: WorkerThread, done: int, total: int, message: str) -> None:
        if worker is self.worker:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)

    def _on_found(self, worker: WorkerThread, result: Any) -> None:
        if worker is not self.worker or worker.token.cancelled:
            return  # stale
        self.worker = None
        self._idle()
        self.result = result
        self.model.set_rows(result.clusters)
        text = self.tr("{n} clusters in {m} reports.").format(
            n=len(result.clusters), m=result.n_reports)
        if result.warnings:
            text += " " + "；".join(result.warnings)
        self.status.setText(text)
        session = self.context.session
        self.save_button.setEnabled(bool(result.clusters) and session is not None
                                    and session.can("task.manage"))
        self.clustersFound.emit(result)

    def _on_failed(self, worker: WorkerThread, exc: BaseException) -> None:
        if worker is not self.worker:
            return
        self.worker = None
        self._idle()
        if isinstance(exc, Cancelled):
            text = self.tr("Cancelled.")
        elif isinstance(exc, GridAppError):
            text = exc.message
        else:
            text = f"{type(exc).__name__}: {exc}"
        self.status.setText(text)
        self.failed.emit(text)

    # ------------------------------------------------------------ picking
    def current_cluster(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def select_cluster(self, row: int) -> None:
        self.table.selectRow(row)

    def _on_selection_changed(self, *_: Any) -> None:
        self.clusterSelected.emit(self.current_cluster())

    def save_proposals(self) -> list[int]:
        """Save the found clusters that qualify as ranked proposals."""
        from gridapp.services.joint.proposals import save_proposals

        session = self.context.session
        if self.result is None or session is None:
            return []
        try:
            ids = save_proposals(session, self.result.clusters)
        except GridAppError as exc:
            self.status.setText(exc.message)
            self.failed.emit(exc.message)
            return []
        self.status.setText(self.tr("{n} proposals saved.").format(n=len(ids)))
        self.proposalsSaved.emit(ids)
        return ids
