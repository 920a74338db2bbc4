"""The case list: filters over a lazily fetching table (a dock in the main window)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain.enums import CaseStatus
from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.qt.error_text import error_text
from gridapp.services.cases.lookups import (
    category_choices,
    department_choices,
    grid_choices,
)
from gridapp.services.cases.query import CaseFilter, my_work
from gridapp.services.session import Session

from .case_table_model import ID_ROLE, CaseTableModel
from .common import ERROR_STYLE

TEXT_DELAY_MS = 300
NO_DATE = QDate(2000, 1, 1)


class CaseListWidget(QWidget):
    """Filterable list of cases.

    Parameters
    ----------
    session : Session
        The logged-in user (scope and "my work" follow the role).
    now : datetime, optional
        When overdue is judged (tests pin it); default: each query's time.

    Signals
    -------
    case_selected(int)
        The current row's report id changed.
    case_activated(int)
        A row was double-clicked or Enter pressed (open its detail).
    """

    case_selected = Signal(int)
    case_activated = Signal(int)
    # The user removed the map's report window (the chip's ✕): show every report.
    map_window_removed = Signal()

    def __init__(
        self,
        session: Session,
        *,
        now: datetime | None = None,
        page_size: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        kw: dict[str, Any] = {"now": now}
        if page_size:
            kw["page_size"] = page_size
        self.model = CaseTableModel(session, **kw, parent=self)

        self.status_combo = QComboBox()
        self.status_combo.addItem(self.tr("All statuses"), None)
        for s in CaseStatus:
            self.status_combo.addItem(s.label, s.value)
        self.category_combo = QComboBox()
        self.category_combo.addItem(self.tr("All categories"), None)
        for cid, text, top in category_choices(session):
            self.category_combo.addItem(text if top else "    " + text, cid)
        self.grid_combo = QComboBox()
        self.grid_combo.addItem(self.tr("All grids"), None)
        for gid, text in grid_choices(session):
            self.grid_combo.addItem(text, gid)
        self.department_combo = QComboBox()
        self.department_combo.addItem(self.tr("All handlers"), None)
        for d in department_choices(session):
            self.department_combo.addItem(d["name"], int(d["id"]))
        self.overdue_check = QCheckBox(self.tr("Overdue only"))
        self.my_work_check = QCheckBox(self.tr("My work"))
        self.my_work_check.setToolTip(self.tr("Cases waiting for my action"))
        self.date_from = self._date_edit()
        self.date_to = self._date_edit()
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(
            self.tr("Search case no., description, address")
        )
        self.text_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self._build_chip()

        filters = QGridLayout()
        filters.addWidget(self.status_combo, 0, 0)
        filters.addWidget(self.category_combo, 0, 1)
        filters.addWidget(self.grid_combo, 0, 2)
        filters.addWidget(self.department_combo, 0, 3)
        filters.addWidget(self.text_edit, 1, 0, 1, 2)
        dates = QHBoxLayout()
        dates.addWidget(QLabel(self.tr("From")))
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.date_to)
        filters.addLayout(dates, 1, 2)
        checks = QHBoxLayout()
        checks.addWidget(self.overdue_check)
        checks.addWidget(self.my_work_check)
        filters.addLayout(checks, 1, 3)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(False)  # row colours carry the due state
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.view.horizontalHeader().setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.window_chip)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        self._text_timer = QTimer(self)
        self._text_timer.setObjectName("case_text_timer")
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self.apply_filters)

        for combo in (
            self.status_combo,
            self.category_combo,
            self.grid_combo,
            self.department_combo,
        ):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.overdue_check.toggled.connect(self.apply_filters)
        self.my_work_check.toggled.connect(self.apply_filters)
        self.date_from.dateChanged.connect(self.apply_filters)
        self.date_to.dateChanged.connect(self.apply_filters)
        self.text_edit.textChanged.connect(self._text_timer.start)
        self.text_edit.returnPressed.connect(self.apply_filters)
        self.view.selectionModel().currentRowChanged.connect(
            self._on_current_row_changed
        )
        self.view.activated.connect(self._on_row_activated)
        self._update_count()

    # -- the map's report window (issue 21) ------------------------------------------
    def _build_chip(self) -> None:
        """A removable chip saying the map draws only the recent reports."""
        self.window_chip = QFrame()
        self.window_chip.setObjectName("mapWindowChip")
        self.window_chip.setStyleSheet(
            "#mapWindowChip { background: #e8f0fe; border: 1px solid #aecbfa;"
            " border-radius: 9px; }"
        )
        self.window_chip_label = QLabel()
        self.window_chip_close = QToolButton()
        self.window_chip_close.setText("✕")
        self.window_chip_close.setAutoRaise(True)
        self.window_chip_close.clicked.connect(self._remove_map_window)
        row = QHBoxLayout(self.window_chip)
        row.setContentsMargins(8, 0, 2, 0)
        row.addWidget(self.window_chip_label, 1)
        row.addWidget(self.window_chip_close)
        self.window_chip.setVisible(False)
        self.map_window: tuple[int, date] | None = None

    def show_map_window(self, days: int | None, since: date | None) -> None:
        """Show the map's report window (*days* back from *since*'s day), or hide it."""
        self.map_window = None if days is None or since is None else (days, since)
        self._retext_chip()
        self.window_chip.setVisible(self.map_window is not None)

    def _retext_chip(self) -> None:
        if self.map_window is None:
            return
        days, since = self.map_window
        self.window_chip_label.setText(
            self.tr("Map: reports of the last {n} days (since {date})").format(
                n=days, date=since.isoformat()))
        self.window_chip_close.setToolTip(self.tr("Show every report on the map"))
        self.window_chip.setToolTip(self.tr(
            "The map draws the recent reports by default; the list below shows "
            "every case its filters match."))

    def _remove_map_window(self) -> None:
        self.show_map_window(None, None)
        self.map_window_removed.emit()

    # -- filters -------------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        """The filter the controls describe."""

        def one(combo: QComboBox) -> tuple[Any, ...]:
            v = combo.currentData()
            return () if v is None else (v,)

        flt = CaseFilter(
            statuses=one(self.status_combo),
            category_ids=one(self.category_combo),
            grid_ids=one(self.grid_combo),
            department_ids=one(self.department_combo),
            overdue=True if self.overdue_check.isChecked() else None,
            date_from=self._date(self.date_from, time.min),
            date_to=self._date(self.date_to, time.max),
            text=self.text_edit.text().strip(),
        )
        if self.my_work_check.isChecked():
            mine = my_work(self.session, flt)
            if flt.statuses:  # both: the chosen status, if it is one of mine
                keep = tuple(s for s in mine.statuses if s in flt.statuses)
                mine = replace(mine, statuses=keep or ("-",))
            flt = mine
        return flt

    def apply_filters(self, *_: Any) -> None:
        self._text_timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def refresh(self) -> None:
        """Re-read the list (after a case changed elsewhere)."""
        self.model.refresh()
        self._update_count()

    def selected_id(self) -> int | None:
        idx = self.view.currentIndex()
        return None if not idx.isValid() else int(self.model.data(idx, ID_ROLE))

    # -- internals -------------------------------------------------------------------
    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(self.tr("any"))
        edit.setDate(NO_DATE)
        return edit

    @staticmethod
    def _date(edit: QDateEdit, at: time) -> datetime | None:
        d = edit.date()
        if d == NO_DATE:
            return None
        return datetime.combine(d.toPython(), at, tzinfo=LOCAL_TZ)

    def _update_count(self) -> None:
        if self.model.error is not None:
            self.count_label.setStyleSheet(ERROR_STYLE)
            self.count_label.setText(error_text(self.model.error))
            return
        self.count_label.setStyleSheet("")
        self.count_label.setText(
            self.tr("{n} cases").format(n=f"{self.model.total():,}")
        )

    def _on_current_row_changed(
        self, current: QModelIndex, _previous: QModelIndex
    ) -> None:
        if current.isValid():
            self.case_selected.emit(int(self.model.data(current, ID_ROLE)))

    def _on_row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.case_activated.emit(int(self.model.data(index, ID_ROLE)))
