"""Assessment and supervision in the window (issue 17).

Adds a 考核督办 menu and the dashboard dock (figures by period and unit, 红黄蓝
warnings, formulas, trend and department charts, drill-down to cases, the
monthly report as PDF).  The dashboard's 地图按预警着色 switch colours the map's
grids and communities by their worst warning level (their own styles come
back when it is switched off or another workspace opens).  When a
workspace opens, a user holding ``case.supervise`` runs automatic supervision
(overdue cases escalated once per deadline, reminders) off the GUI thread; the
result goes to the message panel.  The leader's 今日待办 rows of figures and
flagged units open the dashboard on their period, unit kind and unit.
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
        self.dashboard.mapLevels.connect(self.colour_map)
        self._saved_styles: dict[str, Any] = {}
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
        window.when_loaded(self._on_workspace_loaded)
        window.workspaceClosed.connect(self._on_workspace_closed)
        window.installEventFilter(self)
        self._today_connected = False
        self._connect_today()
        self.retranslate()

    def _connect_today(self) -> None:
        """Listen to the start view's assessment rows (the today feature may be
        installed after this one: tried again when a workspace opens)."""
        if self._today_connected:
            return
        dock = getattr(self.window, "docks", {}).get("today")
        panel = dock.widget() if dock is not None else None
        if panel is not None and hasattr(panel, "assessmentRequested"):
            panel.assessmentRequested.connect(self.open_target)
            self._today_connected = True

    def open_target(self, target: dict[str, Any]) -> None:
        """Show the dashboard as a start-view row asks: period, unit kind, tab, unit."""
        session = self.window.session
        if session is None or not session.can("assessment.read"):
            return
        self.dock.show()
        self.dock.raise_()
        self.dashboard.show_target(target.get("period", ""), target.get("by", "grid"),
                                   target.get("unit"), target.get("tab", "figures"))

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

    # ------------------------------------------------------------ the map
    def _layers(self) -> dict[str, Any]:
        ws = self.window.canvas.workspace
        return {} if ws is None else ws.data

    def colour_map(self, levels: dict[str, dict[int, str]] | None) -> None:
        """Colour grids and communities by *levels* (``warnings.map_levels``);
        None puts the styles they had back."""
        from gridapp.qt.assessment.map_colours import warning_styles

        data = self._layers()
        if levels is None:
            for name, style in self._saved_styles.items():
                if name in data:
                    self.window.layer_model.set_style(name, style)
            self._saved_styles.clear()
            return
        styles = warning_styles(levels, self.tr("No warning level"))
        for name, style in styles.items():
            if name not in data:
                continue
            self._saved_styles.setdefault(name, data[name].layer.style)
            self.window.layer_model.set_style(name, style)

    def _on_workspace_closed(self) -> None:
        self.dashboard.clear()
        self._saved_styles.clear()  # the closed workspace's layers are gone

    def _on_workspace_loaded(self) -> None:
        self._connect_today()
        session = self.window.session
        self.dashboard.data = None
        self._saved_styles.clear()  # the new layers open with their own styles
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
