"""Assessment and supervision in the window (issue 17).

Adds a 考核督办 menu and the dashboard dock (figures by period and unit, 红黄蓝
warnings, formulas, trend and department charts, drill-down to cases).  When a
workspace opens, a user holding ``case.supervise`` runs automatic supervision
(overdue cases escalated once per deadline, reminders) off the GUI thread; the
result goes to the message panel.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt
from PySide6.QtWidgets import QMenu

from gridapp.qt.actions import ActionSpec
from gridapp.qt.assessment.dashboard import DashboardWidget
from gridapp.qt.worker import WorkerThread
from gridapp.services.assessment.supervise import run_supervision


class AssessmentFeature(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.dashboard = DashboardWidget(lambda: window.session, window)
        self.dashboard.failed.connect(window.messages.add_error)
        self.dock = window.add_dock("assessment", self.dashboard,
                                    Qt.DockWidgetArea.BottomDockWidgetArea,
                                    tabify_with="table")
        self._worker: WorkerThread | None = None
        can = lambda perm: lambda: (window.session is not None  # noqa: E731
                                    and window.session.can(perm))
        window.actions.add_all([
            ActionSpec("gridapp.assessment.dashboard",
                       QT_TRANSLATE_NOOP("Actions", "Assessment &dashboard"),
                       self.show_dashboard, None, can("assessment.read")),
            ActionSpec("gridapp.assessment.supervise",
                       QT_TRANSLATE_NOOP("Actions", "Run &supervision now"),
                       lambda: self.run_supervision(), None, can("case.supervise")),
        ])
        self.menu = QMenu(window)
        self.menu.setObjectName("menu_assessment")
        window.actions.fill_menu(self.menu, ["gridapp.assessment.dashboard",
                                             "gridapp.assessment.supervise"])
        window.menuBar().insertMenu(window.menus["language"].menuAction(), self.menu)
        window.workspaceLoaded.connect(self._on_workspace_loaded)
        window.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Assessment"))
        self.dock.setWindowTitle(self.tr("Assessment"))
        self.dashboard.retranslate()

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802
        if obj is self.window and ev.type() == QEvent.Type.Close:
            self.dashboard.shutdown()
            if self._worker is not None:
                self._worker.stop()
        return False

    def show_dashboard(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.dashboard.refresh()

    def _on_workspace_loaded(self) -> None:
        session = self.window.session
        self.dashboard.data = None
        if session is not None and session.can("assessment.read"):
            self.dashboard.refresh()
        if session is not None and session.can("case.supervise"):
            self.run_supervision(quiet=True)

    def run_supervision(self, quiet: bool = False) -> None:
        """Run supervision off the GUI thread; *quiet* (on opening) reports in the
        status bar instead of raising the message panel over the first view."""
        session = self.window.session
        if session is None or self._worker is not None:
            return
        worker = WorkerThread(lambda progress=None, cancel=None: run_supervision(session),
                              self)
        def show(run: Any) -> None:
            if self.window.session is not session:  # closed or replaced meanwhile
                return
            if quiet:
                self.window.statusBar().showMessage(run.message, 15000)
            else:
                self.window.messages.add(run.message)

        worker.succeeded.connect(show)
        worker.failed.connect(self.window.messages.add_error)
        worker.finished.connect(self._on_supervision_finished)
        self._worker = worker
        worker.start()

    def _on_supervision_finished(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
        self._worker = None


def install(window: Any) -> AssessmentFeature:
    return AssessmentFeature(window)
