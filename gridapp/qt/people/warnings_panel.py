"""Assignment warnings: grids without a manager, overloaded managers, stale assignments."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.on_screen import ReadWhenShown
from gridapp.qt.rows_model import ROW_ROLE, RowsTableModel
from gridapp.services.people.assignments import AssignmentWarning, assignment_warnings

KIND_COLOURS = {
    "no_primary": "#b00020",
    "too_many_grids": "#8a5a00",
    "too_many_households": "#8a5a00",
    "retired_grid": "#555555",
    "inactive_manager": "#555555",
}


def warning_model(parent: Any = None) -> RowsTableModel:
    """One column of warnings (the service's text), coloured by kind; the row
    object (``ROW_ROLE``) is the :class:`AssignmentWarning`."""
    return RowsTableModel(
        [("", lambda w: w.message)],  # the service's text, in the current language
        parent,
        foreground=lambda w: QColor(KIND_COLOURS.get(w.kind, "#000000")),
    )


class AssignmentWarningsPanel(ReadWhenShown, QWidget):
    """The list of :func:`assignment_warnings`; activating one names its grid or manager.

    Signals
    -------
    gridActivated(int), managerActivated(int)
        The user double-clicked a warning about that grid id or manager id.
    """

    gridActivated = Signal(int)
    managerActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignmentWarnings")
        self.session: Any = None
        self._stale = False  # the warnings are to be read when next shown
        self.model = warning_model(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.activated.connect(self._on_activated)
        self.view.doubleClicked.connect(self._on_activated)
        self.summary = QLabel(self)
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.retranslate()

    def set_session(self, session: Any) -> None:
        """Check *session*'s assignments now if on screen, else once first shown."""
        self.session = session
        if self.model.rows:
            self.model.set_rows([])  # no warnings of the previous session meanwhile
        self.refresh_when_shown()

    def _while_stale(self) -> None:
        self._update_summary()

    def refresh(self) -> None:
        """Check the session's assignments now (on screen or not)."""
        self._stale = False
        warnings: list[AssignmentWarning] = []
        error = ""
        if self.session is not None:
            try:
                warnings = assignment_warnings(self.session)
            except GridAppError as exc:
                error = error_text(exc)
        self.model.set_rows(warnings)
        self._update_summary(error)

    def _update_summary(self, error: str = "") -> None:
        if error:
            self.summary.setText(error)
        elif self.session is None:
            self.summary.setText("")
        elif not self.model.rows:
            self.summary.setText(self.tr("No assignment problems."))
        else:
            self.summary.setText(
                self.tr("{n} assignment problems").format(n=len(self.model.rows))
            )

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Check again"))
        if self.session is not None:
            # the messages come from the service in the current language
            self.refresh_when_shown()

    def _on_activated(self, index: Any) -> None:
        w = index.data(ROW_ROLE)
        if w is None:
            return
        if w.grid_id is not None:
            self.gridActivated.emit(int(w.grid_id))
        elif w.manager_id is not None:
            self.managerActivated.emit(int(w.manager_id))
