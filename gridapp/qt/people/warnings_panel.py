"""Assignment warnings: grids without a manager, overloaded managers, stale assignments."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
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
from gridapp.services.people.assignments import AssignmentWarning, assignment_warnings

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
KIND_COLOURS = {
    "no_primary": "#b00020",
    "too_many_grids": "#8a5a00",
    "too_many_households": "#8a5a00",
    "retired_grid": "#555555",
    "inactive_manager": "#555555",
}


class WarningListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.warnings: list[AssignmentWarning] = []

    def set_warnings(self, warnings: list[AssignmentWarning]) -> None:
        self.beginResetModel()
        self.warnings = list(warnings)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.warnings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        w = self.warnings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return w.message  # the service's text, in the current language
        if role == Qt.ItemDataRole.ForegroundRole:
            from PySide6.QtGui import QColor

            return QColor(KIND_COLOURS.get(w.kind, "#000000"))
        if role == Qt.ItemDataRole.UserRole:
            return w
        return None


class AssignmentWarningsPanel(QWidget):
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
        self.model = WarningListModel(self)
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
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        warnings: list[AssignmentWarning] = []
        error = ""
        if self.session is not None:
            try:
                warnings = assignment_warnings(self.session)
            except GridAppError as exc:
                error = error_text(exc)
        self.model.set_warnings(warnings)
        self._update_summary(error)

    def _update_summary(self, error: str = "") -> None:
        if error:
            self.summary.setText(error)
        elif self.session is None:
            self.summary.setText("")
        elif not self.model.warnings:
            self.summary.setText(self.tr("No assignment problems."))
        else:
            self.summary.setText(
                self.tr("{n} assignment problems").format(n=len(self.model.warnings))
            )

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Check again"))
        if self.session is not None:
            self.refresh()  # the messages come from the service in the current language

    def _on_activated(self, index: Any) -> None:
        w = index.data(Qt.ItemDataRole.UserRole)
        if w is None:
            return
        if w.grid_id is not None:
            self.gridActivated.emit(int(w.grid_id))
        elif w.manager_id is not None:
            self.managerActivated.emit(int(w.manager_id))
