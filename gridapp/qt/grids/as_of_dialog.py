""" "Show grids as of date": pick a date, the coverage then is drawn over the map."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain.timeutil import today_local
from gridapp.qt.fit import FittedDialog


class AsOfDialog(FittedDialog):
    """Choose the date; :meth:`chosen` is a :class:`datetime.date`."""

    def __init__(self, parent: QWidget | None = None, when: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gridAsOfDialog")
        self.setWindowTitle(self.tr("Show grids as of date"))
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        today = QDate(today_local())
        self.date.setDate(QDate(when) if when else today)
        self.date.setMaximumDate(today)
        note = QLabel(
            self.tr(
                "The grids in force at the end of that day (Beijing time) "
                "are drawn over the map. Use “Show current grids” to go back."
            ),
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Date"), self.date)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def chosen(self) -> date:
        q: Any = self.date.date()
        return date(q.year(), q.month(), q.day())
