"""Reports and cases in the main window: docks, actions, map tools, photo drops.

The widgets of :mod:`gridapp.qt.reports` are built for the logged-in session
when a workspace has loaded and dropped when it closes; this object wires
them to the map:

* *File a report* is a map tool: a click opens the report form there;
* the case list and the case detail are docks; selecting a case highlights
  it on the map, selecting or identifying a report on the map shows its case;
* photos dropped on the map become draft reports (those without GPS ask for
  a click on the map);
* after any change the report layer is read again on a worker and the list,
  the detail and the overdue / due-soon counts are refreshed;
* an escalation shows the 督办单 and offers to save it as PDF.

The case list and detail are built when one of their docks is first on
screen, or a case is to be shown (:meth:`CasesFeature.ensure_widgets`), not
when the workspace loads: building them reads the first page of cases, a
second the window would otherwise be frozen for while a district loads with
the docks behind other tabs (issue 21).

This module builds the docks and their widgets for each session, tears them
down and re-titles them.  The rest lives beside it, as mixins of
:class:`CasesFeature` (their texts are translated in its context):

- :mod:`.feature_actions`: actions, the *Cases* menu, *My work*, the 督办单;
- :mod:`.feature_filing`: the report form, imports, dropped photos;
- :mod:`.feature_map_link`: the case list and detail in step with the map;
- :mod:`.feature_refresh`: refresh, due counts, the report layer's worker
  and styles.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gridapp.qt.cases.routing_view import RoutedCaseDetail
from gridapp.qt.on_screen import on_screen
from gridapp.qt.reports.case_detail_widget import CaseDetailWidget
from gridapp.qt.reports.case_list_widget import CaseListWidget
from gridapp.qt.reports.photo_drop_import import PhotoDropImport
from gridapp.qt.reports.report_dialog import ReportDialog
from gridapp.qt.reports.report_import_dialog import ReportImportDialog
from gridapp.qt.worker import WorkerThread

from .feature_actions import MY_WORK_TIPS, CaseActions
from .feature_filing import CaseFiling
from .feature_map_link import CaseMapLink
from .feature_refresh import CaseRefresh
from .notice_dialog import SupervisionNoticeDialog
from .photo_drop_filter import CanvasPhotoDrop
from .pick_tool import PositionPickTool

LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


class CasesFeature(CaseActions, CaseFiling, CaseMapLink, CaseRefresh, QObject):
    """Everything about reports and cases that the main window shows."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("casesFeature")
        self.window = window
        self.session: Any = None
        self.case_list: CaseListWidget | None = None
        self.detail: CaseDetailWidget | None = None
        self.photo_drop: PhotoDropImport | None = None
        self.report_dialogs: list[ReportDialog] = []
        self.import_dialog: ReportImportDialog | None = None
        self.notice_dialog: SupervisionNoticeDialog | None = None
        self.pending_photos: list[Any] = []
        self.style_mode = "status"
        self.all_reports = False
        self.counts: tuple[int, int] = (0, 0)
        self._syncing = False
        self._shown_notice: Any = None
        self._worker: WorkerThread | None = None
        self._reload_again = False

        self.list_dock = window.add_dock(
            "cases", self._placeholder(), BOTTOM, tabify_with="table"
        )
        self.detail_dock = window.add_dock(
            "case_detail", self._placeholder(), RIGHT, tabify_with="identify"
        )
        self.due_label = QLabel()
        self.due_label.setObjectName("caseDueCounts")
        window.status.addPermanentWidget(self.due_label)
        self.due_label.setVisible(False)

        canvas = window.canvas
        canvas.add_tool(PositionPickTool(canvas, "file_report", self._on_report_picked))
        canvas.add_tool(PositionPickTool(
            canvas, "place_photo", self._on_photo_placed,
            title=lambda: self.tr("Place photos")))
        self.drop_filter = CanvasPhotoDrop(canvas, self.drop_photos, self._can_file)

        self._declare_actions()
        self._build_menu()

        window.when_loaded(self._on_workspace_loaded)
        window.workspaceClosed.connect(self._on_workspace_closed)
        self.list_dock.visibilityChanged.connect(self._on_dock_visibility)
        self.detail_dock.visibilityChanged.connect(self._on_dock_visibility)
        canvas.selectionChanged.connect(self._on_map_selection_changed)
        canvas.identified.connect(self._on_identified)
        self.retranslate()

    # ------------------------------------------------------------ lifecycle
    def _placeholder(self) -> QWidget:
        label = QLabel(self.tr("Open a workspace to see its cases."))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    def _on_workspace_loaded(self) -> None:
        session = self.window.session
        if session is None:
            return
        if session is not self.session:
            self._teardown()
            self.session = session
            if self._on_screen():
                self._build_widgets()  # reads the first page itself
            self.update_counts()
        else:
            self.refresh(layer=False)
        self.set_report_style(self.style_mode)
        self.window.actions.update_enabled()

    def _on_screen(self) -> bool:
        """The case list or detail dock is shown and not behind another tab."""
        return on_screen(self.list_dock, self.detail_dock)

    def _on_dock_visibility(self, visible: bool) -> None:
        if visible:
            self.ensure_widgets()

    def ensure_widgets(self) -> bool:
        """Build the case list and detail for the session if not built yet;
        whether they are there now."""
        if self.session is None:
            return False
        if self.case_list is None:
            self._build_widgets()
        return True

    def _on_workspace_closed(self) -> None:
        self._teardown()
        self.window.actions.update_enabled()

    def _build_widgets(self, case_id: int | None = None) -> None:
        session = self.session
        self.case_list = CaseListWidget(session)
        self.case_list.setObjectName("caseList")
        self.photo_drop = PhotoDropImport(session)
        self.photo_drop.setObjectName("photoDrop")
        self.photo_drop.layout().setContentsMargins(6, 0, 6, 2)
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.case_list, 1)
        box.addWidget(self.photo_drop)
        self.detail = RoutedCaseDetail(session)  # says why the duty list proposes
        self.detail.setObjectName("caseDetail")
        first = isinstance(self.list_dock.widget(), QLabel)
        self._replace(self.list_dock, holder)
        self._replace(self.detail_dock, self.detail)
        if first and self.window.settings.value("window/state") is None:
            # no saved layout yet: room for a dozen rows and the detail's fields
            self.window.resizeDocks([self.list_dock], [320], Qt.Orientation.Vertical)
            self.window.resizeDocks(
                [self.detail_dock], [420], Qt.Orientation.Horizontal
            )

        self.case_list.case_selected.connect(self._on_case_selected)
        self.case_list.case_activated.connect(self._on_case_activated)
        self.case_list.my_work_check.toggled.connect(self._on_my_work_toggled)
        self.detail.case_changed.connect(self._on_case_changed)
        self.case_list.map_window_removed.connect(self._on_map_window_removed)
        self._show_map_window()
        self.photo_drop.draft_ready.connect(self._on_draft_ready)
        self.photo_drop.position_needed.connect(self._on_position_needed)
        tip = MY_WORK_TIPS.get(session.user.role)
        if tip:
            self.window.actions["gridapp.cases.my_work"].setStatusTip(self.tr(tip))
            self.window.actions["gridapp.cases.my_work"].setToolTip(self.tr(tip))
        if case_id is not None:
            self.detail.set_case(case_id)

    def _show_map_window(self) -> None:
        """The case list's chip: the map draws the last 90 days unless removed."""
        from gridapp.domain.timeutil import LOCAL_TZ
        from gridapp.qt.layer_data import DEFAULT_REPORT_DAYS

        ws = self.window.canvas.workspace
        since = None if ws is None or self.all_reports else ws.report_since
        if self.case_list is not None:
            self.case_list.show_map_window(
                None if since is None else DEFAULT_REPORT_DAYS,
                None if since is None else since.astimezone(LOCAL_TZ).date())

    def _on_map_window_removed(self) -> None:
        self.all_reports = True
        self.reload_report_layer()

    def _replace(self, dock: Any, widget: QWidget) -> None:
        old = dock.widget()
        dock.setWidget(widget)
        if old is not None:
            old.close()
            old.deleteLater()

    def _teardown(self) -> None:
        for dlg in list(self.report_dialogs):
            dlg.reject()
        self.report_dialogs.clear()
        if self.photo_drop is not None:
            for dlg in list(self.photo_drop.dialogs):
                dlg.reject()
            if self.photo_drop.worker is not None:
                self.photo_drop.worker.stop()
        for dlg in (self.import_dialog, self.notice_dialog):
            if dlg is not None:
                dlg.reject()
        self.import_dialog = self.notice_dialog = None
        if self._worker is not None:
            self._worker.stop()
            self._worker.deleteLater()
            self._worker = None
        self._reload_again = False
        self.pending_photos.clear()
        if self.window.canvas.tool.name in ("file_report", "place_photo"):
            self.window.set_tool("pan")
        if self.case_list is not None or self.detail is not None:
            self._replace(self.list_dock, self._placeholder())
            self._replace(self.detail_dock, self._placeholder())
        self.case_list = self.detail = self.photo_drop = None
        self.session = None
        self.all_reports = False
        self.counts = (0, 0)
        self.due_label.setVisible(False)
        self._retitle_docks()

    # ------------------------------------------------------------ language
    def _retitle_docks(self) -> None:
        overdue, soon = self.counts
        title = self.tr("Cases")
        if overdue or soon:
            title = self.tr("Cases ({o} overdue, {s} due soon)").format(
                o=overdue, s=soon
            )
        self.list_dock.setWindowTitle(title)
        self.detail_dock.setWindowTitle(self.tr("Case detail"))

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Cases"))
        self.window.actions["gridapp.tool.file_report"].setIconText(
            self.tr("File a report")
        )
        self._retitle_docks()
        if self.session is not None:
            case_id = self.detail.report_id if self.detail is not None else None
            my_work = (
                self.case_list is not None and self.case_list.my_work_check.isChecked()
            )
            if self.case_list is not None:  # the report widgets translate when built
                self._build_widgets(case_id)
            if my_work:
                self.show_my_work(True)
            self.update_counts()
            self.set_report_style(self.style_mode)
        for dock in (self.list_dock, self.detail_dock):
            if isinstance(dock.widget(), QLabel):
                dock.widget().setText(self.tr("Open a workspace to see its cases."))
