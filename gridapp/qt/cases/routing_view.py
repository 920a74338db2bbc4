"""The case detail with the dispatch proposal's reasons (issue 21).

:class:`RoutedCaseDetail` is the case detail the cases feature docks: beside
the handler choice it says why the duty list proposes that handler — the
category's department, the rule for the area the case is in (main road,
compound, market …) — and, when the position lies within its GPS error of a
grid, street or duty-area boundary, "近边界" with the candidates on both sides,
so the dispatcher decides (:func:`gridapp.services.cases.routing.propose_for_case`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from gridapp.errors import GridAppError
from gridapp.qt.reports.case_detail_widget import CaseDetailWidget
from gridapp.qt.reports.common import WARNING_STYLE
from gridapp.services.cases import routing
from gridapp.services.cases.routing import RoutingProposal
from gridapp.services.session import Session

NOTE_STYLE = "color: #37474f;"


class RoutedCaseDetail(CaseDetailWidget):
    """:class:`CaseDetailWidget` that explains the routing proposal under the handler."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        self.routing_why: QLabel | None = None
        self.proposal: RoutingProposal | None = None
        super().__init__(session, parent)
        self.routing_why = QLabel(self)
        self.routing_why.setObjectName("routingWhy")
        self.routing_why.setWordWrap(True)
        self.routing_why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = self.note_edit.parentWidget().layout()  # the actions box's form
        form.insertRow(2, self.routing_why)  # under the handler row
        self.routing_why.setVisible(False)

    def explanation(self) -> str:
        """What the label says: every reason, then the boundary candidates."""
        p = self.proposal
        if p is None:
            return ""
        lines = list(p.reasons) or [p.explanation]
        if p.near_boundary:
            sides = [c.label + (f"（{c.department_name}）" if c.department_name else "")
                     for c in p.near_boundary]
            lines.append(self.tr("Candidates:"))
            lines += [f"· {side}" for side in sides]
        return "\n".join(lines)

    def _routing(self, r: dict[str, Any]) -> None:
        super()._routing(r)
        try:
            self.proposal = routing.propose_for_case(self.session, int(r["id"]))
        except GridAppError:
            self.proposal = None
        if self.routing_why is None:
            return
        self.routing_why.setText(self.explanation())
        if self.proposal is not None:
            # the handler for this place (the base widget named the category's)
            self.proposal_label.setText(self.tr("Proposed: {name}").format(
                name=self.proposal.department_name or "-"))
        near = self.proposal is not None and self.proposal.is_near_boundary
        self.routing_why.setStyleSheet(WARNING_STYLE if near else NOTE_STYLE)
        self._fit_why()

    def _fit_why(self) -> None:
        """Room for every wrapped line (a form row sizes a label by its widest hint)."""
        if self.routing_why is None:
            return
        width = max(self.routing_why.width(), self.note_edit.parentWidget().width() - 24, 200)
        self.routing_why.setMinimumHeight(max(self.routing_why.heightForWidth(width), 0))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_why()

    def _set_actions(self, actions: list[Any]) -> None:
        super()._set_actions(actions)
        if self.routing_why is not None:
            self.routing_why.setVisible(
                not self.handler_combo.isHidden() and bool(self.routing_why.text()))

    def clear(self) -> None:
        self.proposal = None
        if getattr(self, "routing_why", None) is not None:
            self.routing_why.clear()
            self.routing_why.setVisible(False)
        super().clear()
