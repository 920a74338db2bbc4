"""Import a year's holiday schedule (节假日安排) from a CSV or XLSX file.

Shows what the workspace knows about the year (official, loaded or unknown,
with its days off and adjusted working days), lets the office pick a file of
dates with 休 / 班 and loads it through :func:`gridapp.services.cases.holidays.
load_schedule`, which checks the file, recounts open deadlines and writes one
audit entry.  A refused file leaves everything as it was and its message is
shown in the dialog.

Texts come from :func:`gridapp.i18n.pick`, which follows the window's
language switch, like the service messages shown beside them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain.timeutil import today_local
from gridapp.errors import GridAppError
from gridapp.i18n import pick
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.qt.reports.common import ERROR_STYLE, OK_STYLE, WARNING_STYLE
from gridapp.services.cases.holidays import LoadResult, load_schedule, year_overview

_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class HolidayScheduleDialog(FittedDialog):
    """Pick a year and a file; *Load* puts the year's schedule in the workspace.

    Signals
    -------
    loaded(LoadResult)
        After a successful load (the case list should refresh).
    """

    loaded = Signal(object)

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("holidayScheduleDialog")
        self.setWindowTitle(pick("导入节假日安排", "Import holiday schedule"))
        self.last_result: LoadResult | None = None

        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("holidayYear")
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(today_local().year + 1)  # next year's is the new one
        self.status_label = QLabel()
        self.status_label.setObjectName("holidayYearStatus")
        self.status_label.setWordWrap(True)

        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("holidayFile")
        self.path_edit.setPlaceholderText(pick("CSV 或 XLSX：日期,类型（休/班）,名称",
                                               "CSV or XLSX: date, kind (休/班), name"))
        browse = QPushButton(pick("浏览…", "Browse…"))
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)

        self.days_table = QTableWidget(0, 3)
        self.days_table.setObjectName("holidayDays")
        self.days_table.setHorizontalHeaderLabels(
            [pick("日期", "Date"), pick("类型", "Kind"), pick("名称", "Name")])
        self.days_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        self.days_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        self.message_label = QLabel()
        self.message_label.setObjectName("holidayMessage")
        self.message_label.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.load_button = buttons.addButton(pick("导入", "Load"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.load_button.setObjectName("holidayLoad")
        self.load_button.clicked.connect(self.load)
        self.load_button.setEnabled(session.can("calendar.load"))
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(pick("年份", "Year"), self.year_spin)
        form.addRow("", self.status_label)
        form.addRow(pick("文件", "File"), file_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.days_table, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        self.resize(520, 480)

        self.year_spin.valueChanged.connect(self._on_year_changed)
        self._on_year_changed(self.year_spin.value())
        if not session.can("calendar.load"):
            self._message(ERROR_STYLE, pick(
                "只有管理员和街道办工作人员可以导入节假日安排",
                "Only administrators and office staff can load a holiday schedule"))

    # -- actions ---------------------------------------------------------------
    def load(self) -> bool:
        """Load the chosen file for the chosen year; True when loaded."""
        path = self.path_edit.text().strip()
        if not path:
            self._message(ERROR_STYLE, pick("请选择节假日文件", "Choose a holiday file"))
            return False
        try:
            result = load_schedule(self.session, path, year=self.year_spin.value())
        except GridAppError as exc:
            self._message(ERROR_STYLE, error_text(exc))
            return False
        self.last_result = result
        self._on_year_changed(self.year_spin.value())
        self._message(OK_STYLE, result.message)
        self.loaded.emit(result)
        return True

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, pick("选择节假日文件", "Choose a holiday file"), "",
            pick("节假日安排 (*.csv *.xlsx)", "Holiday schedule (*.csv *.xlsx)"))
        if path:
            self.path_edit.setText(path)

    # -- view ------------------------------------------------------------------
    def _on_year_changed(self, year: int) -> None:
        try:
            view = year_overview(self.session, year)
        except GridAppError as exc:
            self._message(ERROR_STYLE, error_text(exc))
            return
        self.status_label.setText(view.status_text)
        self.status_label.setStyleSheet(WARNING_STYLE if view.status == "unknown" else "")
        self.days_table.setRowCount(len(view.days))
        zh = pick("zh", "en") == "zh"
        for i, (day, working, name) in enumerate(view.days):
            wd = _WEEKDAYS_ZH[day.weekday()] if zh else _WEEKDAYS_EN[day.weekday()]
            kind = pick("班", "workday") if working else pick("休", "holiday")
            for col, text in enumerate((f"{day.isoformat()} {wd}", kind, name)):
                self.days_table.setItem(i, col, QTableWidgetItem(text))

    def _message(self, style: str, text: str) -> None:
        self.message_label.setStyleSheet(style)
        self.message_label.setText(text)
