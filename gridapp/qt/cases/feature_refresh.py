"""Keeping the cases current: list, detail, due counts and the report layer.

A mixin of :class:`~gridapp.qt.cases.feature.CasesFeature`.  After any
change :meth:`CaseRefresh.refresh` re-reads the case list, the detail (keeping
its last message) and the overdue / due-soon counts shown in the status bar
and the list dock's title, then reads the report layer again on a
:class:`~gridapp.qt.worker.WorkerThread` and swaps it in on the GUI thread.
One read runs at a time; a refresh during a read asks for one more read when
it ends, and the stale result is dropped.  The layer is drawn by status or by
category.  Texts are translated in the feature's context (``CasesFeature``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.reports.common import DUE_SOON_COLOR, OVERDUE_COLOR
from gridapp.qt.worker import WorkerThread
from gridapp.services.cases.lookups import category_tree
from gridapp.services.cases.query import CaseFilter, CaseQuery

from . import report_layer


class CaseRefresh:
    """Refresh, counts, the layer worker and styles; mixed into
    ``CasesFeature``, which provides ``window``, ``session``, ``case_list``,
    ``detail``, ``due_label``, ``highlight_case`` and ``_retitle_docks``."""

    window: Any
    session: Any
    case_list: Any
    detail: Any
    due_label: Any
    style_mode: str
    all_reports: bool  # the map's 90-day window was removed (case list chip)
    counts: tuple[int, int]
    _worker: WorkerThread | None
    _reload_again: bool
    highlight_case: Any
    _retitle_docks: Any

    def refresh(self, *, layer: bool = True) -> None:
        """Re-read the list, the detail, the counts and (on a worker) the layer."""
        if self.session is None:
            return
        if self.case_list is not None:
            self.case_list.refresh()
        if self.detail is not None and self.detail.report_id is not None:
            keep = (
                self.detail.message_label.text(),
                self.detail.message_label.styleSheet(),
            )
            self.detail.set_case(self.detail.report_id)
            self.detail.message_label.setText(keep[0])
            self.detail.message_label.setStyleSheet(keep[1])
        self.update_counts()
        if layer:
            self.reload_report_layer()
        self.window.actions.update_enabled()

    def update_counts(self) -> tuple[int, int]:
        """Count overdue and due-soon open cases on a worker (status bar, dock title).

        The label shows the last counts at once (in the current language) and
        the new ones when the worker answers: over a district's million cases a
        count is too slow for the GUI thread (issue 21).  Returns the counts
        shown now.
        """
        self._show_counts(self.counts)
        session = self.session
        if session is None:
            return self.counts
        running = getattr(self, "_count_worker", None)
        if running is not None:
            self._count_again = True  # count once more when this one ends
            return self.counts

        def job(progress: Any, cancel: Any) -> tuple[int, int]:
            try:
                overdue = CaseQuery(session, CaseFilter(overdue=True)).count()
                soon = CaseQuery(
                    session, CaseFilter(due_soon=True, overdue=False, open_only=True)
                ).count()
            except GridAppError:
                return 0, 0
            return overdue, soon

        worker = self._count_worker = WorkerThread(job, self)  # type: ignore[arg-type]
        self._count_again = False
        worker.succeeded.connect(
            lambda counts, s=session: self._show_counts(counts) if s is self.session else None)
        worker.finished.connect(lambda w=worker: self._on_count_worker_finished(w))
        worker.start()
        return self.counts

    def _on_count_worker_finished(self, worker: WorkerThread) -> None:
        if worker is getattr(self, "_count_worker", None):
            self._count_worker = None
        worker.deleteLater()
        if getattr(self, "_count_again", False) and self.session is not None:
            self._count_again = False
            self.update_counts()

    def wait_counts(self) -> tuple[int, int]:
        """Let a running count finish and show it (tests, screenshots)."""
        while getattr(self, "_count_worker", None) is not None:
            self._count_worker.wait()
            QCoreApplication.processEvents()
        return self.counts

    def _show_counts(self, counts: tuple[int, int]) -> None:
        if self.session is None:
            return
        overdue, soon = self.counts = (int(counts[0]), int(counts[1]))
        self.due_label.setText(
            QCoreApplication.translate(
                "CasesFeature", "Overdue: {o} · due soon: {s}"
            ).format(o=overdue, s=soon)
        )
        colour = OVERDUE_COLOR if overdue else DUE_SOON_COLOR if soon else None
        self.due_label.setStyleSheet(
            "" if colour is None else f"background: {colour.name()}; padding: 0 6px;"
        )
        self.due_label.setToolTip(
            QCoreApplication.translate(
                "CasesFeature", "Open cases past their deadline, and due within a day"
            )
        )
        self.due_label.setVisible(True)
        self._retitle_docks()

    # ------------------------------------------------------------ the layer
    def reload_report_layer(self) -> None:
        """Read the report layer again on a worker and swap it in; newest wins."""
        if self.session is None or self.window.canvas.workspace is None:
            return
        if self._worker is not None:
            self._reload_again = True  # read once more when this one ends
            return
        session = self.session
        since = self.window.canvas.workspace.report_since
        all_time = self.all_reports

        def job(progress: Any, cancel: Any) -> Any:
            return report_layer.load_report_layer(session, since, all_time=all_time)

        worker = self._worker = WorkerThread(job, self)
        worker.succeeded.connect(lambda fresh, w=worker: self._on_layer_read(w, fresh))
        worker.failed.connect(lambda exc, w=worker: self._on_layer_failed(w, exc))
        worker.finished.connect(lambda w=worker: self._on_layer_worker_finished(w))
        worker.start()

    def _on_layer_read(self, worker: WorkerThread, fresh: Any) -> None:
        if worker is not self._worker or self._reload_again:
            return  # stale: a newer read follows, or the workspace closed
        style = self._style() if self.style_mode == "category" else None
        if style is None:
            style = report_layer.status_style(
                QCoreApplication.translate("CasesFeature", "Other")
            )
        report_layer.replace_report_layer(self.window, fresh, style)
        if self.detail is not None and self.detail.report_id is not None:
            self.highlight_case(self.detail.report_id, zoom=False)

    def _on_layer_failed(self, worker: WorkerThread, exc: BaseException) -> None:
        if worker is self._worker:
            self.window.messages.add(error_text(exc))

    def _on_layer_worker_finished(self, worker: WorkerThread) -> None:
        if worker is not self._worker:
            return  # stopped at teardown and already let go
        self._worker = None
        worker.deleteLater()
        again, self._reload_again = self._reload_again, False
        if again and self.session is not None:
            self.reload_report_layer()

    def is_busy(self) -> bool:
        """A report layer read is running (tests wait for it)."""
        return self._worker is not None

    # ------------------------------------------------------------ styles
    def _style(self) -> Any:
        other = QCoreApplication.translate("CasesFeature", "Other")
        if self.style_mode == "category":
            ws = self.window.canvas.workspace
            present = None
            if ws is not None and report_layer.LAYER in ws.data:
                attrs = ws.data[report_layer.LAYER].layer.attributes
                if "category_id" in attrs:
                    present = attrs["category_id"].dropna().unique()
            return report_layer.category_style(
                category_tree(self.session), present, other
            )
        return report_layer.status_style(other)

    def set_report_style(self, mode: str) -> bool:
        """Draw reports by ``status`` or by ``category``; True if applied."""
        self.style_mode = mode
        key = f"gridapp.cases.style_{mode}"
        self.window.actions[key].setChecked(True)
        ws = self.window.canvas.workspace
        if ws is None or report_layer.LAYER not in ws.data or self.session is None:
            return False
        self.window.layer_model.set_style(report_layer.LAYER, self._style())
        return True
