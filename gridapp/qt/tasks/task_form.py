"""TaskForm: turn an accepted proposal into a joint task (联合执法任务).

Title, place (the cluster hull; its outline can be edited on the task later),
lead unit, departments summoned, action time, deadline, check-in limit and the
member cases.  :meth:`fields` gives the keyword arguments of
:func:`gridapp.services.joint.proposals.accept`.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain.timeutil import LOCAL_TZ, now_utc
from gridapp.qt.fit import FittedDialog
from gridapp.qt.tasks.lookup import Names


def _qdt(dt: datetime) -> QDateTime:
    return QDateTime(dt.astimezone(LOCAL_TZ).replace(tzinfo=None))


class TaskForm(FittedDialog):
    """The joint-task form for one proposal."""

    def __init__(self, proposal: Any, names: Names, case_numbers: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskForm")
        self.proposal = proposal
        self.names = names
        self.title = QLineEdit(proposal.title, self)
        area = 0.0
        try:
            import geopandas as gpd

            series = gpd.GeoSeries([proposal.hull], crs=4490)
            area = float(series.to_crs(series.estimate_utm_crs()).area.iloc[0])
        except Exception:  # noqa: BLE001 - the area is only informative
            area = 0.0
        self.place = QLabel(self)
        self._area = area
        self.lead = QComboBox(self)
        offices = [d for d, k in names.department_kinds.items() if k == "office"]
        for d in names.summoned():
            self.lead.addItem(names.department(d), d)
        if offices:
            self.lead.setCurrentIndex(max(self.lead.findData(offices[0]), 0))
        self.departments = QListWidget(self)
        chosen = set(proposal.department_ids)
        for d in names.summoned():
            item = QListWidgetItem(names.department(d), self.departments)
            item.setData(Qt.ItemDataRole.UserRole, d)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if d in chosen
                               else Qt.CheckState.Unchecked)
        tomorrow = (now_utc().astimezone(LOCAL_TZ) + timedelta(days=1)).date()
        self.action_at = QDateTimeEdit(_qdt(datetime.combine(tomorrow, time(9), LOCAL_TZ)),
                                       self)
        self.deadline = QDateTimeEdit(_qdt(datetime.combine(tomorrow + timedelta(days=4),
                                                            time(18), LOCAL_TZ)), self)
        for w in (self.action_at, self.deadline):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.checkin_limit = QSpinBox(self)
        self.checkin_limit.setRange(1, 7 * 24 * 60)
        self.checkin_limit.setValue(30)
        self.cases = QListWidget(self)
        self.cases.addItems(case_numbers)
        self.cases.setMaximumHeight(100)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.labels = [QLabel(self) for _ in range(8)]
        for label, w in zip(self.labels, (self.title, self.place, self.lead, self.departments,
                                          self.action_at, self.deadline, self.checkin_limit,
                                          self.cases), strict=True):
            self.form.addRow(label, w)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New joint task"))
        for label, text in zip(self.labels, (
                self.tr("Title"), self.tr("Place"), self.tr("Lead unit"),
                self.tr("Departments summoned"), self.tr("Action time"), self.tr("Deadline"),
                self.tr("Check-in limit"), self.tr("Member cases ({n})").format(
                    n=self.cases.count())), strict=True):
            label.setText(text)
        self.place.setText(self.tr("Cluster hull, {a:,.0f} m² (editable on the task later)")
                           .format(a=self._area))
        self.checkin_limit.setSuffix(self.tr(" min"))

    def department_ids(self) -> list[int]:
        out = []
        for i in range(self.departments.count()):
            item = self.departments.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def set_departments(self, ids: list[int]) -> None:
        for i in range(self.departments.count()):
            item = self.departments.item(i)
            item.setCheckState(Qt.CheckState.Checked
                               if int(item.data(Qt.ItemDataRole.UserRole)) in ids
                               else Qt.CheckState.Unchecked)

    def fields(self) -> dict[str, Any]:
        def aware(w: QDateTimeEdit) -> datetime:
            return w.dateTime().toPython().replace(tzinfo=LOCAL_TZ)

        return {"title": self.title.text().strip(),
                "lead_department_id": self.lead.currentData(),
                "department_ids": self.department_ids(),
                "action_at": aware(self.action_at), "deadline": aware(self.deadline),
                "checkin_limit_minutes": int(self.checkin_limit.value())}
