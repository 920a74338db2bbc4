"""The shape every reference-data editor shares: a list, a form, a message, undo.

A subclass says which records to list (:meth:`EditorDialog.load_rows`), how a
row reads in the list (:meth:`cells`), what the form shows
(:meth:`fill_form`), which values the form holds (:meth:`form_values`), how
the stored values compare (:meth:`stored_values`) and how to save some of
them (:meth:`write`, a service call).  Saving sends only the fields that
changed; a refused edit shows the service's message and changes nothing; a
saved one goes on the dialog's undo stack (Ctrl+Z / Ctrl+Y or the buttons).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.editors.command import ServiceEditCommand
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"
CONTEXT = "EditorDialog"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class EditorDialog(FittedDialog):
    """List on the left, the selected record's form on the right.

    Signals
    -------
    changed()
        After every save, undo and redo (other views may refresh).
    """

    changed = Signal()
    #: permission needed to save (the services check it again)
    permission = "workspace.settings"

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: list[dict[str, Any]] = []
        self.undo_stack = QUndoStack(self)
        self.table = QTableWidget(0, len(self.headers()), self)
        self.table.setObjectName("editorList")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)

        self.form = QFormLayout()
        self.row_labels: list[QLabel] = []  # of add_rows, titled by set_row_titles
        self.form_box = QGroupBox(self)
        self.form_box.setLayout(self.form)
        self.message = QLabel(self)
        self.message.setObjectName("editorMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("editorSave")
        self.save_button.clicked.connect(self.save)
        self.undo_button = QPushButton(self)
        self.undo_button.setObjectName("editorUndo")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = QPushButton(self)
        self.redo_button.setObjectName("editorRedo")
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.addActions([self.undo_action, self.redo_action])

        right = QVBoxLayout()
        right.addWidget(self.form_box)
        self.extra_area = QVBoxLayout()
        right.addLayout(self.extra_area)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        right.addLayout(row)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        self.top_area = QHBoxLayout()
        layout.addLayout(self.top_area)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(900, 540)

    # -- for subclasses ---------------------------------------------------
    def headers(self) -> list[str]:
        raise NotImplementedError

    def load_rows(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def cells(self, row: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def fill_form(self, row: dict[str, Any] | None) -> None:
        raise NotImplementedError

    def form_values(self) -> dict[str, Any]:
        raise NotImplementedError

    def stored_values(self, row: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def write(self, key: Any, values: dict[str, Any]) -> Any:
        """Save *values* of record *key* through a service; falsy when nothing changed."""
        raise NotImplementedError

    def edit_title(self, row: dict[str, Any]) -> str:
        return str(row.get("name", ""))

    def revert_values(self, old: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
        """What undo writes back: by default the stored values of the changed fields."""
        return {k: old.get(k) for k in changed}

    def key_of(self, row: dict[str, Any]) -> Any:
        return row["id"]

    def retranslate(self) -> None:
        self.save_button.setText(_tr("Save"))
        self.undo_button.setText(_tr("Undo"))
        self.redo_button.setText(_tr("Redo"))
        self.undo_button.setToolTip(_tr("Undo the last saved change (Ctrl+Z)"))
        self.redo_button.setToolTip(_tr("Redo the change undone last (Ctrl+Y)"))
        self.table.setHorizontalHeaderLabels(self.headers())

    def add_rows(self, *fields: QWidget) -> None:
        """Add a form row for each field, its label titled by :meth:`set_row_titles`."""
        for field in fields:
            label = QLabel(self)
            self.row_labels.append(label)
            self.form.addRow(label, field)

    def set_row_titles(self, *titles: str) -> None:
        """Title the labels of :meth:`add_rows`, in the order the rows were added."""
        for label, title in zip(self.row_labels, titles, strict=True):
            label.setText(title)

    def add_note(self) -> QLabel:
        """A wrapped line of text under the form (a hint, what the record links to)."""
        note = QLabel(self)
        note.setWordWrap(True)
        self.extra_area.addWidget(note)
        return note

    # -- list ---------------------------------------------------------------
    def reload(self, select: Any = None) -> None:
        """Read the records again and select *select* (a key), else the first."""
        if select is None and self.current_row() is not None:
            select = self.key_of(self.current_row())  # type: ignore[arg-type]
        try:
            self.rows = self.load_rows()
        except GridAppError as exc:
            self.rows = []
            self.show_error(exc)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        chosen = 0
        for r, row in enumerate(self.rows):
            for c, text in enumerate(self.cells(row)):
                item = QTableWidgetItem(text)
                self.table.setItem(r, c, item)
            if select is not None and self.key_of(row) == select:
                chosen = r
        self.table.blockSignals(False)
        if self.rows:
            self.table.selectRow(chosen)
        self._on_selection_changed()

    def current_row(self) -> dict[str, Any] | None:
        r = self.table.currentRow()
        if not self.table.selectedItems() or not 0 <= r < len(self.rows):
            return None
        return self.rows[r]

    def select_key(self, key: Any) -> bool:
        for r, row in enumerate(self.rows):
            if self.key_of(row) == key:
                self.table.selectRow(r)
                return True
        return False

    def _on_selection_changed(self) -> None:
        row = self.current_row()
        self.fill_form(row)
        self.form_box.setEnabled(row is not None)
        self.save_button.setEnabled(row is not None and self.session.can(self.permission))

    # -- saving ------------------------------------------------------------
    def save(self) -> bool:
        """Save the form's changed fields; True when something was saved."""
        row = self.current_row()
        if row is None:
            return False
        key = self.key_of(row)
        try:
            new = self.form_values()
        except GridAppError as exc:
            self.show_error(exc)
            return False
        old = self.stored_values(row)
        changed = {k: v for k, v in new.items() if old.get(k) != v}
        if not changed:
            self.show_ok(_tr("Nothing to save: the form is as stored."))
            return False
        before = self.revert_values(old, changed)
        try:
            result = self.write(key, changed)
        except GridAppError as exc:
            self.show_error(exc)
            return False
        if not result:
            self.show_ok(_tr("Nothing to save: the form is as stored."))
            self.reload(key)
            return False
        title = self.edit_title(row)
        self.undo_stack.push(ServiceEditCommand(
            title, lambda: self.write(key, changed), lambda: self.write(key, before),
            self.show_error, lambda step, ok: self._after_step(key, title, step, ok)))
        self.reload(key)
        self.show_ok(_tr("Saved: {name}. Undo with Ctrl+Z.").format(name=title))
        self.changed.emit()
        return True

    def push_done(self, title: str, apply: Any, revert: Any, key: Any = None) -> None:
        """Put an edit already saved (not through the form) on the undo stack."""
        self.undo_stack.push(ServiceEditCommand(
            title, apply, revert, self.show_error,
            lambda step, ok: self._after_step(key, title, step, ok)))
        self.changed.emit()

    def _after_step(self, key: Any, title: str, step: str, ok: bool) -> None:
        self.reload(key)
        if ok:
            text = _tr("Undone: {name}.") if step == "undo" else _tr("Redone: {name}.")
            self.show_ok(text.format(name=title))
        self.changed.emit()

    # -- messages ------------------------------------------------------------
    def show_error(self, exc: BaseException | str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(exc if isinstance(exc, str) else error_text(exc))

    def show_ok(self, text: str) -> None:
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(text)
