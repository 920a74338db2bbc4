"""The holiday-schedule dialog, and the flag on unsure deadlines in the case views.

Expectations as in tests/services/test_calendar.py (worked out by hand there):
a 2-office-hour case dispatched Thursday 2026-12-31 16:00 Beijing is due
Friday 2027-01-01 09:30 without a 2027 schedule (flagged) and Monday
2027-01-04 09:30 once the hand-built 元旦 schedule is loaded.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from gridapp.domain.timeutil import LOCAL_TZ, FixedClock, from_iso, use_clock
from gridapp.qt.holiday_schedule_dialog import HolidayScheduleDialog
from gridapp.qt.reports.case_detail_widget import CaseDetailWidget
from gridapp.qt.reports.case_table_model import COLUMNS, CaseTableModel
from tests.services.test_calendar import NEW_YEAR_2027_CSV, dispatched_case
from tests.services.test_reports import make_street

DEADLINE_COL = [k for k, _ in COLUMNS].index("deadline")


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


@pytest.fixture
def schedule(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(NEW_YEAR_2027_CSV, encoding="utf-8")
    return path


def model_row(street, rid):
    model = CaseTableModel(street.session("dispatcher"))
    while model.canFetchMore():
        model.fetchMore()
    for row in range(model.rowCount()):
        if model.row_at(row).id == rid:
            return model, row
    raise AssertionError(f"case {rid} not in the list")


def test_case_list_and_detail_flag_unsure_deadline(street, qtbot):
    rid = dispatched_case(street)
    model, row = model_row(street, rid)
    index = model.index(row, DEADLINE_COL)
    assert model.data(index).endswith("⚠")
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "2027" in tip and "周一至周五" in tip
    detail = CaseDetailWidget(street.session("dispatcher"))
    qtbot.addWidget(detail)
    detail.set_case(rid)
    assert detail.field_labels["deadline"].text().endswith("⚠")
    assert "2027" in detail.field_labels["deadline"].toolTip()
    assert "2027" in detail.due_label.text()


def test_dialog_loads_year_and_flags_disappear(street, schedule, qtbot):
    rid = dispatched_case(street)
    with use_clock(FixedClock(datetime(2026, 12, 2, 10, 0, tzinfo=LOCAL_TZ))):
        dlg = HolidayScheduleDialog(street.session("office"))
    qtbot.addWidget(dlg)
    assert dlg.year_spin.value() == 2027  # next year by the program's clock
    assert "未知" in dlg.status_label.text() and dlg.days_table.rowCount() == 0
    dlg.path_edit.setText(str(schedule))
    with qtbot.waitSignal(dlg.loaded) as sig:
        dlg.load_button.click()
    assert sig.args[0].changed == 1
    assert "已导入" in dlg.status_label.text()
    assert dlg.days_table.rowCount() == 3
    assert dlg.days_table.item(0, 0).text() == "2027-01-01 五"
    assert dlg.days_table.item(0, 1).text() == "休"
    assert from_iso(street.store.get("report", rid)["deadline"]) == datetime(
        2027, 1, 4, 9, 30, tzinfo=LOCAL_TZ)
    model, row = model_row(street, rid)
    assert not model.data(model.index(row, DEADLINE_COL)).endswith("⚠")


def test_dialog_shows_refusal_and_changes_nothing(street, tmp_path, qtbot):
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类型\n2027-01-01,休\n2027-01-01,班\n", encoding="utf-8")
    dlg = HolidayScheduleDialog(street.session("admin1"))
    qtbot.addWidget(dlg)
    dlg.year_spin.setValue(2027)
    dlg.path_edit.setText(str(bad))
    assert dlg.load() is False
    assert "重复" in dlg.message_label.text()
    assert "未知" in dlg.status_label.text()


def test_dialog_refuses_roles_without_the_permission(street, schedule, qtbot):
    dlg = HolidayScheduleDialog(street.session("dispatcher"))
    qtbot.addWidget(dlg)
    assert not dlg.load_button.isEnabled()
    dlg.year_spin.setValue(2027)
    dlg.path_edit.setText(str(schedule))
    assert dlg.load() is False  # the service refuses too
    assert "calendar.load" in dlg.message_label.text()


def test_menu_action_opens_the_dialog(window, qtbot):
    from gridapp.qt.cases.feature import CasesFeature

    action = window.actions["gridapp.cases.holidays"]
    [feature] = [f for f in window.features if isinstance(f, CasesFeature)]
    assert action in feature.menu.actions() and action.isEnabled()
    action.trigger()
    dlg = window.findChild(HolidayScheduleDialog)
    assert dlg is not None and dlg.isVisible()
    dlg.close()
