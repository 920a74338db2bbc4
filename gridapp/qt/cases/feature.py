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
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt
from PySide6.QtWidgets import QLabel, QMenu, QVBoxLayout, QWidget

from gridapp.domain.crs import to_storage
from gridapp.domain.enums import Role
from gridapp.domain.workflow import CaseAction
from gridapp.errors import GridAppError
from gridapp.qt.actions import ActionSpec
from gridapp.qt.error_text import error_text
from gridapp.qt.holiday_schedule_dialog import HolidayScheduleDialog
from gridapp.qt.reports.case_detail_widget import CaseDetailWidget
from gridapp.qt.reports.case_list_widget import CaseListWidget
from gridapp.qt.reports.common import DUE_SOON_COLOR, OVERDUE_COLOR
from gridapp.qt.reports.photo_drop_import import PhotoDropImport
from gridapp.qt.reports.report_dialog import ReportDialog
from gridapp.qt.reports.report_import_dialog import ReportImportDialog
from gridapp.qt.worker import WorkerThread
from gridapp.render.viewport import Viewport
from gridapp.services.cases.lookups import category_tree
from gridapp.services.cases.query import CaseFilter, CaseQuery
from gridapp.services.cases.supervision import build_notice
from gridapp.services.cases.workflow import case_timeline, was_escalated
from gridapp.services.workspace import map_setup

from . import report_layer
from .notice_dialog import SupervisionNoticeDialog
from .photo_drop_filter import CanvasPhotoDrop
from .pick_tool import PositionPickTool

LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea

MY_WORK_TIPS = {
    Role.DISPATCHER: QT_TRANSLATE_NOOP(
        "CasesFeature", "Cases to register, dispatch or close"
    ),
    Role.ADMIN: QT_TRANSLATE_NOOP(
        "CasesFeature", "Cases to register, dispatch or close"
    ),
    Role.LIAISON: QT_TRANSLATE_NOOP(
        "CasesFeature", "Cases sent to my department, to handle"
    ),
    Role.OFFICE: QT_TRANSLATE_NOOP("CasesFeature", "Cases for the office's own team"),
    Role.MANAGER: QT_TRANSLATE_NOOP(
        "CasesFeature", "Cases reported done in my grids, to verify on site"
    ),
    Role.LEADER: QT_TRANSLATE_NOOP("CasesFeature", "Overdue open cases"),
}


class CasesFeature(QObject):
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
        canvas.add_tool(PositionPickTool(canvas, "place_photo", self._on_photo_placed))
        self.drop_filter = CanvasPhotoDrop(canvas, self.drop_photos, self._can_file)

        self._declare_actions()
        self.menu = QMenu(window)
        self.menu.setObjectName("casesMenu")
        window.actions.fill_menu(
            self.menu,
            [
                "gridapp.tool.file_report",
                "gridapp.cases.import",
                "gridapp.cases.holidays",
                "-",
                "gridapp.cases.my_work",
                "gridapp.cases.refresh",
                "gridapp.cases.notice",
                "-",
                "gridapp.cases.style_status",
                "gridapp.cases.style_category",
            ],
        )
        language = window.menus.get("language")
        if language is not None:
            window.menuBar().insertMenu(language.menuAction(), self.menu)
        else:
            window.menuBar().addMenu(self.menu)
        window.toolbar.addSeparator()
        window.toolbar.addAction(window.actions["gridapp.tool.file_report"])

        window.workspaceLoaded.connect(self._on_workspace_loaded)
        window.workspaceClosed.connect(self._on_workspace_closed)
        canvas.selectionChanged.connect(self._on_map_selection_changed)
        canvas.identified.connect(self._on_identified)
        self.retranslate()

    # ------------------------------------------------------------ actions
    def _declare_actions(self) -> None:
        ready = lambda: self.session is not None  # noqa: E731
        self.window.actions.add_all(
            [
                ActionSpec(
                    "gridapp.tool.file_report",
                    QT_TRANSLATE_NOOP("Actions", "&File a report on the map"),
                    lambda: self.window.set_tool("file_report"),
                    "R",
                    self._can_file,
                    group="tools",
                    tip=QT_TRANSLATE_NOOP(
                        "Actions",
                        "Click the map where the problem is to file a report",
                    ),
                ),
                ActionSpec(
                    "gridapp.cases.import",
                    QT_TRANSLATE_NOOP("Actions", "&Import reports (CSV/XLSX)…"),
                    self.import_reports,
                    None,
                    lambda: ready() and self.session.can("report.import"),
                ),
                ActionSpec(
                    "gridapp.cases.holidays",
                    QT_TRANSLATE_NOOP("Actions", "Import &holiday schedule (节假日安排)…"),
                    self.import_holidays,
                    None,
                    lambda: ready() and self.session.can("calendar.load"),
                ),
                ActionSpec(
                    "gridapp.cases.my_work",
                    QT_TRANSLATE_NOOP("Actions", "&My work"),
                    lambda: self.show_my_work(
                        self.window.actions["gridapp.cases.my_work"].isChecked()
                    ),
                    "Ctrl+Shift+W",
                    ready,
                    checkable=True,
                ),
                ActionSpec(
                    "gridapp.cases.refresh",
                    QT_TRANSLATE_NOOP("Actions", "Re&fresh cases"),
                    self.refresh,
                    None,
                    ready,
                ),
                ActionSpec(
                    "gridapp.cases.notice",
                    QT_TRANSLATE_NOOP("Actions", "Supervision &notice (督办单)…"),
                    self.show_notice_of_current,
                    None,
                    self._current_escalated,
                ),
                ActionSpec(
                    "gridapp.cases.style_status",
                    QT_TRANSLATE_NOOP("Actions", "Reports by &status"),
                    lambda: self.set_report_style("status"),
                    None,
                    ready,
                    group="report_style",
                ),
                ActionSpec(
                    "gridapp.cases.style_category",
                    QT_TRANSLATE_NOOP("Actions", "Reports by &category"),
                    lambda: self.set_report_style("category"),
                    None,
                    ready,
                    group="report_style",
                ),
            ]
        )
        self.window.actions["gridapp.cases.style_status"].setChecked(True)

    def _can_file(self) -> bool:
        return (
            self.session is not None
            and self.window.canvas.workspace is not None
            and self.session.can("report.file")
        )

    def _current_escalated(self) -> bool:
        if self.detail is None or self.detail.report_id is None:
            return False
        try:
            return was_escalated(self.session, self.detail.report_id)
        except (GridAppError, AttributeError):
            return False

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
            self._build_widgets()
        self.refresh(layer=False)
        self.set_report_style(self.style_mode)
        self.window.actions.update_enabled()

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
        self.detail = CaseDetailWidget(session)
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
        self.photo_drop.draft_ready.connect(self._on_draft_ready)
        self.photo_drop.position_needed.connect(self._on_position_needed)
        tip = MY_WORK_TIPS.get(session.user.role)
        if tip:
            self.window.actions["gridapp.cases.my_work"].setStatusTip(self.tr(tip))
            self.window.actions["gridapp.cases.my_work"].setToolTip(self.tr(tip))
        if case_id is not None:
            self.detail.set_case(case_id)

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
        self.counts = (0, 0)
        self.due_label.setVisible(False)
        self._retitle_docks()

    # ------------------------------------------------------------ filing
    def _storage_position(self, x: float, y: float) -> tuple[float, float]:
        epsg, _ = map_setup(self.session)
        lon, lat = to_storage(np.array([x]), np.array([y]), epsg)
        return float(lon[0]), float(lat[0])

    def _on_report_picked(self, x: float, y: float) -> None:
        if self.session is None:
            return
        lon, lat = self._storage_position(x, y)
        self.open_report_dialog(lon, lat)

    def open_report_dialog(self, lon: float, lat: float) -> ReportDialog:
        """The report form at a CGCS2000 position (non-modal)."""
        dlg = ReportDialog(self.session, lon, lat, crs="cgcs2000", parent=self.window)
        self.report_dialogs.append(dlg)
        dlg.report_filed.connect(self._on_report_filed)
        dlg.finished.connect(lambda _r, d=dlg: self._forget_dialog(d))
        dlg.open()
        return dlg

    def _forget_dialog(self, dlg: ReportDialog) -> None:
        if dlg in self.report_dialogs:
            self.report_dialogs.remove(dlg)
        dlg.deleteLater()

    def _on_report_filed(self, report_id: int, case_no: str) -> None:
        self.window.status.showMessage(
            self.tr("Report {no} filed.").format(no=case_no), 8000
        )
        if self.detail is not None:
            self.detail.set_case(report_id)
            self.detail_dock.raise_()
        self.refresh()  # reads the layer again and highlights the new case
        self._select_in_list(report_id)
        self.list_dock.raise_()

    def import_reports(self) -> None:
        if self.session is None:
            return
        dlg = ReportImportDialog(self.session, parent=self.window)
        dlg.imported.connect(lambda ids: self.refresh())
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.destroyed.connect(lambda *_: setattr(self, "import_dialog", None))
        self.import_dialog = dlg
        dlg.open()

    def import_holidays(self) -> None:
        """Load a year's holiday schedule; open deadlines are recounted."""
        if self.session is None:
            return
        dlg = HolidayScheduleDialog(self.session, parent=self.window)
        dlg.loaded.connect(lambda _result: self.refresh())
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    # ------------------------------------------------------------ photos
    def drop_photos(self, paths: list[str]) -> bool:
        """Photos dropped on the map: read them into draft reports."""
        if self.photo_drop is None:
            return False
        self.list_dock.raise_()
        return self.photo_drop.import_paths(paths)

    def _on_draft_ready(self, dlg: ReportDialog) -> None:
        dlg.report_filed.connect(self._on_report_filed)

    def _on_position_needed(self, photos: list[Any]) -> None:
        self.pending_photos.extend(photos)
        self.window.set_tool("place_photo")
        self._prompt_placement()

    def _prompt_placement(self) -> None:
        if self.pending_photos:
            self.window.status.showMessage(
                self.tr("Click the map where {name} was taken ({n} left).").format(
                    name=self.pending_photos[0].filename, n=len(self.pending_photos)
                )
            )

    def _on_photo_placed(self, x: float, y: float) -> None:
        if not self.pending_photos or self.photo_drop is None:
            self.window.set_tool("pan")
            return
        photo = self.pending_photos.pop(0)
        lon, lat = self._storage_position(x, y)
        self.photo_drop.open_draft([photo], lon, lat, crs="cgcs2000")
        if self.pending_photos:
            self._prompt_placement()
        else:
            self.window.status.clearMessage()
            self.window.set_tool("pan")

    # ------------------------------------------------------------ list ↔ map
    def _on_case_selected(self, report_id: int) -> None:
        if self.detail is not None:
            self.detail.set_case(report_id)
        self.highlight_case(report_id, zoom=False)
        self.window.actions.update_enabled()

    def _on_case_activated(self, report_id: int) -> None:
        if self.detail is not None:
            self.detail.set_case(report_id)
        self.detail_dock.raise_()
        self.highlight_case(report_id, zoom=True)

    def highlight_case(self, report_id: int, *, zoom: bool) -> bool:
        """Select the case's point on the map; centre or zoom to it."""
        row = report_layer.row_of(self.window, report_id)
        canvas = self.window.canvas
        if row is None:
            return False
        self._syncing = True
        try:
            canvas.set_selection(report_layer.LAYER, [row], emit=False)
        finally:
            self._syncing = False
        if zoom:
            canvas.zoom_to_selection()
            return True
        vp = canvas.viewport
        geom = canvas.workspace.data[report_layer.LAYER].geoms[row]
        if vp is not None and geom is not None:
            x0, y0, x1, y1 = vp.extent
            if not (x0 <= geom.x <= x1 and y0 <= geom.y <= y1):
                canvas.set_viewport(
                    Viewport(vp.width, vp.height, geom.x, geom.y, vp.resolution, vp.dpi)
                )
        return True

    def show_case(self, report_id: int) -> None:
        """Show a case picked on the map in the detail and, if loaded, the list."""
        if self.detail is None:
            return
        self.detail.set_case(report_id)
        self.detail_dock.raise_()
        self._select_in_list(report_id)
        self.window.actions.update_enabled()

    def _select_in_list(self, report_id: int) -> None:
        if self.case_list is None:
            return
        model = self.case_list.model
        for i in range(model.rowCount()):
            if model.row_at(i).id == report_id:
                view = self.case_list.view
                view.blockSignals(True)
                view.selectionModel().blockSignals(True)
                view.selectRow(i)
                view.selectionModel().blockSignals(False)
                view.blockSignals(False)
                view.scrollTo(model.index(i, 0))
                return
        self.case_list.view.clearSelection()

    def _on_map_selection_changed(self, name: str) -> None:
        if self._syncing or name != report_layer.LAYER:
            return
        rows = self.window.canvas.selection.get(name, np.empty(0, np.int64))
        if len(rows) == 1:
            rid = report_layer.id_of(self.window, int(rows[0]))
            if rid is not None:
                self.show_case(rid)

    def _on_identified(self, hits: list[tuple[str, int]]) -> None:
        if hits and hits[0][0] == report_layer.LAYER:
            rid = report_layer.id_of(self.window, hits[0][1])
            if rid is not None:
                self.show_case(rid)

    # ------------------------------------------------------------ workflow
    def _on_case_changed(self, report_id: int) -> None:
        self.refresh()
        result = self.detail.last_result if self.detail is not None else None
        if (
            result is not None
            and result is not self._shown_notice
            and result.report_id == report_id
            and result.action is CaseAction.ESCALATE
            and result.notice is not None
        ):
            self._shown_notice = result
            self.show_notice(result.notice)

    def show_notice(self, notice: Any) -> SupervisionNoticeDialog:
        """The 督办单 dialog (non-modal) with *Save as PDF…*."""
        if self.notice_dialog is not None:
            self.notice_dialog.reject()
        directory = str(self.window.path.parent) if self.window.path else ""
        dlg = SupervisionNoticeDialog(notice, directory, self.window)
        dlg.finished.connect(lambda _r, d=dlg: self._forget_notice(d))
        self.notice_dialog = dlg
        dlg.open()
        return dlg

    def _forget_notice(self, dlg: SupervisionNoticeDialog) -> None:
        if self.notice_dialog is dlg:
            self.notice_dialog = None
        dlg.deleteLater()

    def show_notice_of_current(self) -> SupervisionNoticeDialog | None:
        """Reprint the 督办单 of the case in the detail (if it was escalated)."""
        if self.detail is None or self.detail.report_id is None:
            return None
        rid = self.detail.report_id
        try:
            reasons = [
                e["note"] or ""
                for e in case_timeline(self.session, rid)
                if e["action"] == CaseAction.ESCALATE.value
            ]
            notice = build_notice(
                self.session,
                rid,
                reasons[-1] if reasons else "",
                issued_by=self.session.user.display_name,
            )
        except GridAppError as exc:
            self.window.show_error(error_text(exc))
            return None
        return self.show_notice(notice)

    def show_my_work(self, on: bool = True) -> None:
        """Filter the case list to the cases waiting for this user's action."""
        if self.case_list is None:
            return
        self.case_list.my_work_check.setChecked(on)
        self.list_dock.show()
        self.list_dock.raise_()

    def _on_my_work_toggled(self, on: bool) -> None:
        action = self.window.actions["gridapp.cases.my_work"]
        action.blockSignals(True)
        action.setChecked(on)
        action.blockSignals(False)

    # ------------------------------------------------------------ refresh
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
        """Overdue and due-soon open cases the user can see (status bar, dock title)."""
        try:
            overdue = CaseQuery(self.session, CaseFilter(overdue=True)).count()
            soon = CaseQuery(
                self.session, CaseFilter(due_soon=True, overdue=False, open_only=True)
            ).count()
        except GridAppError:
            overdue = soon = 0
        self.counts = (overdue, soon)
        self.due_label.setText(
            self.tr("Overdue: {o} · due soon: {s}").format(o=overdue, s=soon)
        )
        colour = OVERDUE_COLOR if overdue else DUE_SOON_COLOR if soon else None
        self.due_label.setStyleSheet(
            "" if colour is None else f"background: {colour.name()}; padding: 0 6px;"
        )
        self.due_label.setToolTip(
            self.tr("Open cases past their deadline, and due within a day")
        )
        self.due_label.setVisible(True)
        self._retitle_docks()
        return self.counts

    def reload_report_layer(self) -> None:
        """Read the report layer again on a worker and swap it in; newest wins."""
        if self.session is None or self.window.canvas.workspace is None:
            return
        if self._worker is not None:
            self._reload_again = True  # read once more when this one ends
            return
        session = self.session
        since = self.window.canvas.workspace.report_since

        def job(progress: Any, cancel: Any) -> Any:
            return report_layer.load_report_layer(session, since)

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
            style = report_layer.status_style(self.tr("Other"))
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
        if self.style_mode == "category":
            ws = self.window.canvas.workspace
            present = None
            if ws is not None and report_layer.LAYER in ws.data:
                attrs = ws.data[report_layer.LAYER].layer.attributes
                if "category_id" in attrs:
                    present = attrs["category_id"].dropna().unique()
            return report_layer.category_style(
                category_tree(self.session), present, self.tr("Other")
            )
        return report_layer.status_style(self.tr("Other"))

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
            self._build_widgets(case_id)  # the report widgets translate when built
            if my_work:
                self.show_my_work(True)
            self.update_counts()
            self.set_report_style(self.style_mode)
        else:
            for dock in (self.list_dock, self.detail_dock):
                if isinstance(dock.widget(), QLabel):
                    dock.widget().setText(self.tr("Open a workspace to see its cases."))
