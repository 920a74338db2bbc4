"""One case: its fields, timeline and photos, and the workflow actions allowed now."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain.enums import CaseStatus, Urgency
from gridapp.domain.workflow import Action, CaseAction, describe
from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.services.cases import holidays, photos, reports, routing
from gridapp.services.cases import workflow as cases
from gridapp.services.cases.lookups import department_choices
from gridapp.services.session import Session

from .common import (
    DUE_SOON_COLOR,
    ERROR_STYLE,
    OK_STYLE,
    OVERDUE_COLOR,
    local_time,
    thumbnail,
)


def _label(enum: Any, value: Any) -> str:
    try:
        return enum(value).label
    except ValueError:
        return str(value or "")


class CaseDetailWidget(QWidget):
    """Detail of one case with buttons for the actions the session may take.

    Parameters
    ----------
    session : Session
        The logged-in user; :meth:`set_session` switches user.

    Signals
    -------
    case_changed(int)
        An action was performed on the case (refresh lists and the map).
    """

    case_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.report_id: int | None = None
        self.action_buttons: dict[str, QPushButton] = {}
        self.last_result: cases.TransitionResult | None = None

        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.due_label = QLabel()
        fields = QFormLayout()
        self.field_labels: dict[str, QLabel] = {}
        for key, text in (
            ("status", self.tr("Status")),
            ("category", self.tr("Category")),
            ("grid", self.tr("Grid")),
            ("address", self.tr("Address")),
            ("position", self.tr("Position")),
            ("urgency", self.tr("Urgency")),
            ("reported_at", self.tr("Reported")),
            ("department", self.tr("Handler")),
            ("deadline", self.tr("Deadline")),
            ("description", self.tr("Description")),
            ("external_id", self.tr("Source id")),
        ):
            lab = QLabel()
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.field_labels[key] = lab
            fields.addRow(text, lab)

        self.timeline = QTableWidget(0, 5)
        self.timeline.setHorizontalHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Action"),
                self.tr("Status"),
                self.tr("By"),
                self.tr("Note"),
            ]
        )
        self.timeline.verticalHeader().setVisible(False)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.horizontalHeader().setStretchLastSection(True)
        self.timeline.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )

        self.photo_list = QListWidget()
        self.photo_list.setViewMode(QListView.ViewMode.IconMode)
        self.photo_list.setIconSize(QSize(96, 96))
        self.photo_list.setMaximumHeight(130)
        self.photo_list.setMovement(QListView.Movement.Static)

        action_box = QGroupBox(self.tr("Actions"))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(
            self.tr("Note or reason (required for some actions)")
        )
        self.note_edit.setMaximumHeight(60)
        self.handler_combo = QComboBox()
        self.proposal_label = QLabel()
        self.buttons_row = QHBoxLayout()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        box = QFormLayout(action_box)
        box.addRow(self.tr("Note"), self.note_edit)
        handler_row = QHBoxLayout()
        handler_row.addWidget(self.handler_combo, 1)
        handler_row.addWidget(self.proposal_label)
        self.handler_caption = QLabel(self.tr("Handler"))
        box.addRow(self.handler_caption, handler_row)
        box.addRow(self.buttons_row)
        box.addRow(self.message_label)

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.due_label)
        layout.addLayout(header)
        layout.addLayout(fields)
        self.photo_caption = QLabel(self.tr("Photos"))
        layout.addWidget(self.photo_caption)
        layout.addWidget(self.photo_list)
        layout.addWidget(QLabel(self.tr("Timeline")))
        layout.addWidget(self.timeline, 1)
        layout.addWidget(action_box)
        self.clear()

    # -- public API ------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        """Another user (after a new login): the buttons follow their role."""
        self.session = session
        if self.report_id is not None:
            self.set_case(self.report_id)

    def clear(self) -> None:
        self.report_id = None
        self.title_label.setText(self.tr("No case selected"))
        self.due_label.clear()
        for lab in self.field_labels.values():
            lab.clear()
        self.timeline.setRowCount(0)
        self._photos([])
        self._set_actions([])

    def set_case(self, report_id: int) -> None:
        """Show a case (connect :attr:`CaseListWidget.case_selected` here)."""
        try:
            # scoped read: reporter's name and phone in full only for roles that may
            row = reports.get_case(self.session, report_id)
            timeline = cases.case_timeline(self.session, report_id)
            pics = photos.report_photos(self.session, report_id)
            actions = cases.available_actions(self.session, report_id)
        except GridAppError as exc:
            self.clear()
            self._message(ERROR_STYLE, error_text(exc))
            return
        self.report_id = report_id
        self._fields(row)
        self._timeline(timeline)
        self._photos(pics)
        self._routing(row)
        self._set_actions(actions)

    def perform(self, action: CaseAction | str) -> bool:
        """Perform *action* with the note and handler in the form; True if done."""
        if self.report_id is None:
            return False
        act = CaseAction(action)
        note = self.note_edit.toPlainText().strip()
        handler = (
            None if self.handler_combo.isHidden() else self.handler_combo.currentData()
        )
        try:
            result = cases.advance_case(
                self.session, self.report_id, act, note, handler=handler
            )
        except GridAppError as exc:  # PermissionDenied, WorkflowError, ValidationError
            self._message(ERROR_STYLE, error_text(exc))
            return False
        self.last_result = result
        rid = self.report_id
        self.note_edit.clear()
        self.set_case(rid)
        self._message(
            OK_STYLE,
            self.tr("{action}: {old} → {new}").format(
                action=act.label,
                old=result.from_status.label,
                new=result.to_status.label,
            ),
        )
        self.case_changed.emit(rid)
        return True

    # -- internals ---------------------------------------------------------------
    def _message(self, style: str, text: str) -> None:
        self.message_label.setStyleSheet(style)
        self.message_label.setText(text)

    def _fields(self, r: dict[str, Any]) -> None:
        f = self.field_labels
        self.title_label.setText(self.tr("Case {no}").format(no=r["case_no"]))
        f["status"].setText(_label(CaseStatus, r["status"]))
        f["category"].setText(f"{r['category_code'] or ''} {r['category_name'] or ''}")
        f["grid"].setText(
            f"{r['grid_code'] or ''} {r['grid_name'] or ''} · {r['community_name'] or ''}"
        )
        f["address"].setText(r["address"] or "")
        g = r["geom"]
        f["position"].setText("" if g is None else f"{g.x:.6f}, {g.y:.6f} (CGCS2000)")
        f["urgency"].setText(_label(Urgency, r["urgency"]))
        f["reported_at"].setText(local_time(r["reported_at"]))
        f["department"].setText(r["department_name"] or "")
        f["deadline"].setText(local_time(r["deadline"]))
        f["description"].setText(r["description"] or "")
        f["external_id"].setText(r.get("external_id") or "")
        state = cases.case_due_state(r["deadline"], r["status"])
        if state == "overdue":
            self.due_label.setText(self.tr("Overdue"))
            colour = OVERDUE_COLOR
        elif state == "due_soon":
            self.due_label.setText(self.tr("Due soon"))
            colour = DUE_SOON_COLOR
        else:
            self.due_label.clear()
            colour = None
        self.due_label.setStyleSheet(
            "" if colour is None else f"background: {colour.name()}; padding: 2px 6px;"
        )
        # A deadline counted as Monday-Friday over a year without a schedule.
        unsure = holidays.unsure_deadline_years(self.session, r)
        note = holidays.unsure_deadline_note(unsure)
        f["deadline"].setText(local_time(r["deadline"]) + (" ⚠" if unsure else ""))
        f["deadline"].setToolTip(note)
        if note:
            self.due_label.setText("\n".join(t for t in (self.due_label.text(), note) if t))
            self.due_label.setWordWrap(True)
            if colour is None:
                self.due_label.setStyleSheet(f"background: {DUE_SOON_COLOR.name()}; "
                                             "padding: 2px 6px;")

    def _timeline(self, events: list[dict[str, Any]]) -> None:
        self.timeline.setRowCount(len(events))
        for i, e in enumerate(events):
            try:
                action = CaseAction(e["action"]).label
            except ValueError:
                action = {
                    "report": self.tr("Report filed"),
                    "attach": self.tr("Attached"),
                }.get(e["action"], e["action"])
            status = _label(CaseStatus, e["to_status"])
            if e.get("department_name"):
                status = f"{status} → {e['department_name']}"
            for j, text in enumerate(
                (local_time(e["at"]), action, status, e["actor"] or "", e["note"] or "")
            ):
                self.timeline.setItem(i, j, QTableWidgetItem(text))
        self.timeline.scrollToBottom()

    def _photos(self, pics: list[dict[str, Any]]) -> None:
        self.photo_list.clear()
        for p in pics:
            data = photos.photo_data(self.session, int(p["id"]))
            item = QListWidgetItem(QIcon(thumbnail(data, 96)), p["filename"] or "")
            item.setData(Qt.ItemDataRole.UserRole, int(p["id"]))
            item.setToolTip(
                f"{p['filename']}\n{p['width']}×{p['height']}\n"
                f"{local_time(p['taken_at'])}"
            )
            self.photo_list.addItem(item)
        self.photo_caption.setVisible(bool(pics))
        self.photo_list.setVisible(bool(pics))

    def _routing(self, r: dict[str, Any]) -> None:
        self.handler_combo.clear()
        try:
            proposal = routing.propose_handler(self.session, int(r["category_id"]))
            name = proposal.department_name or routing.department_name(
                self.session, proposal.department_id
            )
        except GridAppError:
            name = ""
        self.handler_combo.addItem(self.tr("As proposed by the duty list"), None)
        for d in department_choices(self.session):
            self.handler_combo.addItem(d["name"], int(d["id"]))
        self.proposal_label.setText(
            self.tr("Proposed: {name}").format(name=name) if name else ""
        )

    def _set_actions(self, actions: list[Action]) -> None:
        while self.buttons_row.count():
            item = self.buttons_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.action_buttons = {}
        for act in actions:
            b = QPushButton(act.label)
            b.setObjectName(f"action_{act.id.value}")
            b.setToolTip(describe(act))
            b.clicked.connect(lambda _=False, a=act.id: self.perform(a))
            self.buttons_row.addWidget(b)
            self.action_buttons[act.id.value] = b
        self.buttons_row.addStretch(1)
        needs_handler = any(a.needs_handler for a in actions)
        for w in (self.handler_combo, self.proposal_label, self.handler_caption):
            w.setVisible(needs_handler)
        self.note_edit.setEnabled(bool(actions))
        if not actions and self.report_id is not None:
            self._message(
                "", self.tr("No action of yours is possible on this case now.")
            )
        elif self.report_id is not None:
            self._message("", "")
