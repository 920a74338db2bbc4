"""The managers dock: search, active/inactive filter, table, and the commands on it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.on_screen import ReadWhenShown
from gridapp.qt.table_sizing import fit_to_sample
from gridapp.services.people import managers as manager_service

from .common import show_error
from .manager_table_model import (
    ID_ROLE,
    SORT_ROLE,
    ManagerFilterProxy,
    ManagerTableModel,
)

STATUSES = ("active", "inactive", "all")


class ManagerListWidget(ReadWhenShown, QWidget):
    """Lists the workspace's grid managers for the current session.

    Buttons that change something are hidden when the role may not do it
    (``manager.edit``, ``assignment.edit``); the services check again.

    Signals
    -------
    addRequested, importRequested
        The user asked for a new manager or an import.
    editRequested(int), deactivateRequested(int), assignRequested(int),
    reassignRequested(int)
        A command on the manager with that id.
    """

    addRequested = Signal()
    importRequested = Signal()
    editRequested = Signal(int)
    deactivateRequested = Signal(int)
    assignRequested = Signal(int)
    reassignRequested = Signal(int)
    historyRequested = Signal(int)
    currentManagerChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerList")
        self.session: Any = None
        self._stale = False  # the session's managers are to be read when next shown
        self.model = ManagerTableModel(self)
        self.proxy = ManagerFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_changed)
        self.status = QComboBox(self)
        self.status.addItems(["", "", ""])
        self.status.currentIndexChanged.connect(self._on_status_changed)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status)

        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # staff no.
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.verticalHeader().hide()
        fit_to_sample(self.view)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)

        self.add_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.deactivate_button = QPushButton(self)
        self.import_button = QPushButton(self)
        self.assign_button = QPushButton(self)
        self.reassign_button = QPushButton(self)
        self.history_button = QPushButton(self)
        self.add_button.clicked.connect(self.addRequested)
        self.import_button.clicked.connect(self.importRequested)
        for button, signal in (
            (self.edit_button, self.editRequested),
            (self.deactivate_button, self.deactivateRequested),
            (self.assign_button, self.assignRequested),
            (self.reassign_button, self.reassignRequested),
            (self.history_button, self.historyRequested),
        ):
            button.clicked.connect(lambda _c=False, s=signal: self._emit_current(s))
        buttons = QHBoxLayout()
        for b in (
            self.add_button,
            self.edit_button,
            self.deactivate_button,
            self.import_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons2 = QHBoxLayout()
        buttons2.addWidget(self.assign_button)
        buttons2.addWidget(self.reassign_button)
        buttons2.addWidget(self.history_button)
        buttons2.addStretch(1)

        self.count_label = QLabel(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(buttons)
        layout.addLayout(buttons2)
        layout.addWidget(self.hint)
        self.retranslate()
        self.set_session(None)

    # ------------------------------------------------------------ public
    def set_session(self, session: Any) -> None:
        """Show the managers of *session*'s workspace (None: nothing).

        While the list is hidden (a dock behind another tab as a workspace
        loads) the managers are read only once it is first on screen
        (:meth:`ensure_loaded`, issue 21); meanwhile the table is empty."""
        self.session = session
        can_edit = session is not None and session.can("manager.edit")
        can_assign = session is not None and session.can("assignment.edit")
        for b in (
            self.add_button,
            self.edit_button,
            self.deactivate_button,
            self.import_button,
        ):
            b.setVisible(can_edit)
        for b in (self.assign_button, self.reassign_button):
            b.setVisible(can_assign)
        self.hint.setVisible(can_assign)
        self.model.draggable = can_assign
        if self.model.rows:
            self.model.set_rows([])  # no rows of the previous session meanwhile
        self.refresh_when_shown()

    def _while_stale(self) -> None:
        self._update_count()
        self._update_buttons()

    def refresh(self) -> None:
        """Read the session's managers into the table now (on screen or not)."""
        self._stale = False
        current = self.current_manager_id()
        rows: list[dict[str, Any]] = []
        if self.session is not None:
            try:
                rows = manager_service.list_managers(
                    self.session, include_inactive=True
                )
            except GridAppError as exc:
                show_error(self, exc)
        self.model.set_rows(rows)
        if current is not None:
            self.select_manager(current)
        self._update_count()
        self._update_buttons()

    def current_manager_id(self) -> int | None:
        idx = self.view.currentIndex()
        if not idx.isValid() or not self.view.selectionModel().isRowSelected(idx.row()):
            return None
        value = idx.data(ID_ROLE)
        return None if value is None else int(value)

    def current_manager(self) -> dict[str, Any] | None:
        mid = self.current_manager_id()
        row = self.model.row_of(mid) if mid is not None else -1
        return self.model.rows[row] if row >= 0 else None

    def select_manager(self, manager_id: int) -> bool:
        row = self.model.row_of(manager_id)
        if row < 0:
            return False
        idx = self.proxy.mapFromSource(self.model.index(row, 0))
        if not idx.isValid():
            return False
        self.view.selectRow(idx.row())
        self.view.setCurrentIndex(idx)
        return True

    def visible_manager_ids(self) -> list[int]:
        return [
            int(self.proxy.index(r, 0).data(ID_ROLE))
            for r in range(self.proxy.rowCount())
        ]

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search name, phone, staff no."))
        for i, text in enumerate(
            (self.tr("Active"), self.tr("Inactive"), self.tr("All"))
        ):
            self.status.setItemText(i, text)
        self.add_button.setText(self.tr("Add…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.deactivate_button.setText(self.tr("Deactivate…"))
        self.import_button.setText(self.tr("Import…"))
        self.assign_button.setText(self.tr("Assign selected grids"))
        self.reassign_button.setText(self.tr("Hand over all grids…"))
        self.history_button.setText(self.tr("History…"))
        self.hint.setText(
            self.tr(
                "Drag a manager onto a grid on the map to make them its primary manager."
            )
        )
        self.model.retranslate()
        self._update_count()

    # ------------------------------------------------------------ events
    def _emit_current(self, signal: Any) -> None:
        mid = self.current_manager_id()
        if mid is None:
            show_error(self, self.tr("Select a manager first."))
            return
        signal.emit(mid)

    def _on_search_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _on_status_changed(self, index: int) -> None:
        self.proxy.set_status(STATUSES[max(index, 0)])
        self._update_count()

    def _on_double_clicked(self, index: Any) -> None:
        if self.session is not None and self.session.can("manager.edit"):
            self.editRequested.emit(int(index.data(ID_ROLE)))

    def _on_current_changed(self, current: Any, _previous: Any) -> None:
        self._update_buttons()
        if current.isValid():
            self.currentManagerChanged.emit(int(current.data(ID_ROLE)))

    def _update_count(self) -> None:
        self.count_label.setText(
            self.tr("{shown} of {total} managers").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )

    def _update_buttons(self) -> None:
        row = self.current_manager()
        active = bool(row and row.get("active"))
        self.edit_button.setEnabled(row is not None)
        self.deactivate_button.setEnabled(active)
        self.assign_button.setEnabled(active)
        self.reassign_button.setEnabled(bool(row and row.get("grids")))
        self.history_button.setEnabled(row is not None)
