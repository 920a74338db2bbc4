"""The cases feature's actions and menu, *My work* and the 督办单.

A mixin of :class:`~gridapp.qt.cases.feature.CasesFeature`: its actions are
declared once by id (title, callback, shortcut, enabled-when) in
:meth:`CaseActions._declare_actions` and the *Cases* menu and the toolbar
button are built from the ids.  The 督办单 (supervision notice) of an
escalated case is shown here too: right after the escalation, or again from
the menu for the case in the detail.  Texts are translated in the feature's
context (``CasesFeature``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QMenu

from gridapp.domain.enums import Role
from gridapp.domain.workflow import CaseAction
from gridapp.errors import GridAppError
from gridapp.qt.actions import ActionSpec
from gridapp.qt.error_text import error_text
from gridapp.services.cases.supervision import build_notice
from gridapp.services.cases.workflow import case_timeline, was_escalated

from .notice_dialog import SupervisionNoticeDialog

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

MENU = [
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
]


class CaseActions:
    """Actions, menu and notices; mixed into ``CasesFeature``, which provides
    ``window``, ``session``, ``case_list``, ``detail``, ``list_dock``,
    ``notice_dialog``, ``import_reports``, ``import_holidays``, ``refresh`` and
    ``set_report_style``."""

    window: Any
    session: Any
    case_list: Any
    ensure_widgets: Any
    detail: Any
    list_dock: Any
    notice_dialog: SupervisionNoticeDialog | None
    menu: QMenu
    _shown_notice: Any
    import_reports: Any
    import_holidays: Any
    refresh: Any
    set_report_style: Any

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
                    QT_TRANSLATE_NOOP(
                        "Actions", "Import &holiday schedule (节假日安排)…"
                    ),
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

    def _build_menu(self) -> None:
        """The *Cases* menu (before *Language*) and the toolbar's report tool."""
        window = self.window
        self.menu = QMenu(window)
        self.menu.setObjectName("casesMenu")
        window.actions.fill_menu(self.menu, MENU)
        language = window.menus.get("language")
        if language is not None:
            window.menuBar().insertMenu(language.menuAction(), self.menu)
        else:
            window.menuBar().addMenu(self.menu)
        window.toolbar.addSeparator()
        window.toolbar.addAction(window.actions["gridapp.tool.file_report"])

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

    # ------------------------------------------------------------ my work
    def show_my_work(self, on: bool = True) -> None:
        """Filter the case list to the cases waiting for this user's action."""
        if not self.ensure_widgets():
            return
        self.case_list.my_work_check.setChecked(on)
        self.list_dock.show()
        self.list_dock.raise_()

    def _on_my_work_toggled(self, on: bool) -> None:
        action = self.window.actions["gridapp.cases.my_work"]
        action.blockSignals(True)
        action.setChecked(on)
        action.blockSignals(False)

    # ------------------------------------------------------------ notices
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
