"""A table model over pending outside edits (``services.outside_edits.OutsideEdit``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    Qt,
)

from gridapp.i18n import pick
from gridapp.services.outside_edits import OutsideEdit, describe

HEADERS = (
    QT_TRANSLATE_NOOP("OutsideEditsModel", "Record"),
    QT_TRANSLATE_NOOP("OutsideEditsModel", "When"),
    QT_TRANSLATE_NOOP("OutsideEditsModel", "Table"),
    QT_TRANSLATE_NOOP("OutsideEditsModel", "Row"),
    QT_TRANSLATE_NOOP("OutsideEditsModel", "Change"),
    QT_TRANSLATE_NOOP("OutsideEditsModel", "Before → after"),
)
ACTIONS = {
    "insert": QT_TRANSLATE_NOOP("OutsideEditsModel", "inserted"),
    "update": QT_TRANSLATE_NOOP("OutsideEditsModel", "updated"),
    "delete": QT_TRANSLATE_NOOP("OutsideEditsModel", "deleted"),
}


class OutsideEditsModel(QAbstractTableModel):
    """One row per pending outside edit, oldest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.edits: list[OutsideEdit] = []

    def set_edits(self, edits: list[OutsideEdit]) -> None:
        self.beginResetModel()
        self.edits = list(edits)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.edits)

    def columnCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("OutsideEditsModel", HEADERS[section])
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        edit = self.edits[index.row()]
        column = index.column()
        text = pick(*describe(edit))
        if role == Qt.ItemDataRole.ToolTipRole:
            return text
        if column == 5:  # the before → after part of the sentence
            return text.split("）：", 1)[-1] if "）：" in text else text.split("): ", 1)[-1]
        return (edit.id, edit.at, edit.table, edit.row_id,
                QCoreApplication.translate("OutsideEditsModel", ACTIONS[edit.action]))[column]
