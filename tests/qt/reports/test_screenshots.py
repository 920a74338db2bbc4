"""The report dialog and the case detail in Chinese, grabbed as PNG (looked at by eye)."""

from __future__ import annotations

import pytest

from gridapp.qt.reports.case_detail_widget import CaseDetailWidget
from gridapp.qt.reports.report_dialog import ReportDialog


@pytest.fixture
def chinese_ui(qapp):
    from gridapp.qt.translator import LanguageSwitcher

    switcher = LanguageSwitcher()
    assert switcher.apply("zh")
    yield
    switcher.apply("en")


def test_report_dialog_and_case_detail_in_chinese(
    chinese_ui, qtbot, login_as, own_point, demo_workspace, tmp_path
):
    _, lon, lat = own_point
    dlg = ReportDialog(login_as("wgy01"), lon, lat)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "巡查上报"
    dlg.category_search.setText("zd")
    dlg.set_category(dlg.category_list.item(0).text().split()[0])
    dlg.description_edit.setPlainText("商铺门前占道经营，影响行人通行")
    dlg.check_now()
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.grab().save(str(tmp_path / "report_dialog.png"))
    with qtbot.waitSignal(dlg.report_filed) as filed:
        dlg.accept()

    detail = CaseDetailWidget(login_as("zhihui"))
    qtbot.addWidget(detail)
    detail.resize(720, 760)
    detail.set_case(filed.args[0])
    detail.show()
    qtbot.waitExposed(detail)
    assert "立案" in [b.text() for b in detail.action_buttons.values()]
    assert detail.grab().save(str(tmp_path / "case_detail.png"))
