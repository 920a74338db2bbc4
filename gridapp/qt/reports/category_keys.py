"""Keys of the report form's category search: Enter picks, it never files.

In the search field, Up and Down move the highlight in the category list and
Enter (or Return) picks the highlighted category (the first one if none is
highlighted) and moves on to the description.  Filing needs the explicit
button: an Enter no field takes is eaten by the form, so it files nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QListWidget, QWidget

PICK_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
MOVE_KEYS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}


class CategorySearchKeys(QObject):
    """Installed on *search*; drives *categories* and hands focus to *next_field*."""

    def __init__(self, search: QLineEdit, categories: QListWidget, next_field: QWidget,
                 buttons: QDialogButtonBox) -> None:
        super().__init__(search)
        self.search, self.categories, self.next_field = search, categories, next_field
        self.dialog = buttons.window()
        for button in buttons.buttons():
            button.setAutoDefault(False)
        search.installEventFilter(self)
        # QDialogButtonBox makes OK the default button when shown, and QDialog
        # clicks the default button on an Enter no field took: eat that Enter
        self.dialog.installEventFilter(self)

    def pick(self) -> bool:
        """Select the highlighted (or first) category; True if one is selected."""
        lst = self.categories
        if lst.count() == 0:
            return False
        if lst.currentRow() < 0:
            lst.setCurrentRow(0)
        self.next_field.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if obj is self.dialog:
            return key in PICK_KEYS  # an Enter that reached the form itself files nothing
        if obj is not self.search:
            return False
        if key in PICK_KEYS:
            self.pick()
            return True  # eaten: the dialog never sees this Enter
        step = MOVE_KEYS.get(Qt.Key(key))
        if step is not None and self.categories.count():
            row = self.categories.currentRow() + step
            self.categories.setCurrentRow(max(0, min(self.categories.count() - 1, row)))
            return True
        return False
