"""ReportDialog: file as a grid manager in their grid, refusals, live check."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gridapp.qt.reports.report_dialog import ReportDialog


@pytest.fixture
def make_dialog(qtbot):
    def make(session, *args, **kw):
        dlg = ReportDialog(session, *args, **kw)
        qtbot.addWidget(dlg)
        return dlg

    return make


def test_file_report_in_own_grid(
    make_dialog, login_as, own_point, demo_workspace, qtbot
):
    gid, lon, lat = own_point
    dlg = make_dialog(login_as("wgy01"), lon, lat)
    dlg.category_search.setText("zd")  # pinyin initials
    assert dlg.category_list.count() >= 1
    assert dlg.set_category("0401") or dlg.set_category(
        dlg.category_list.item(0).data(Qt.ItemDataRole.UserRole + 1)["code"]
    )
    cat_id = dlg.category_id()
    dlg.description_edit.setPlainText("人行道占道经营")
    qtbot.waitUntil(lambda: dlg.last_check is not None)
    code = demo_workspace.scalar("SELECT code FROM grid WHERE id = ?", (gid,))
    assert code in dlg.grid_label.text()
    assert dlg.community_label.text()
    assert dlg.ok_button.isEnabled()
    with qtbot.waitSignal(dlg.report_filed) as sig:
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    rid, case_no = sig.args
    row = demo_workspace.get("report", rid)
    assert row["grid_id"] == gid and row["category_id"] == cat_id
    assert row["case_no"] == case_no and row["description"] == "人行道占道经营"
    assert dlg.result() == ReportDialog.DialogCode.Accepted


def test_refused_outside_own_grid(
    make_dialog, login_as, foreign_point, demo_workspace, qtbot
):
    _, lon, lat = foreign_point
    before = demo_workspace.scalar("SELECT count(*) FROM report")
    dlg = make_dialog(login_as("wgy01"), lon, lat)
    dlg.set_category("0101")
    dlg.check_now()
    assert (
        dlg.last_error is not None
        and dlg.last_error.params["reason"] == "outside_own_grids"
    )
    assert "不在您负责的网格内" in dlg.message_label.text()
    assert not dlg.ok_button.isEnabled()
    dlg.accept()  # even forced, nothing is written
    assert dlg.isVisible() or dlg.result() != ReportDialog.DialogCode.Accepted
    assert "不在您负责的网格内" in dlg.message_label.text()
    assert demo_workspace.scalar("SELECT count(*) FROM report") == before


def test_refused_outside_street_and_role(make_dialog, login_as, demo_workspace):
    dlg = make_dialog(login_as("wgy01"), 116.39, 39.91)  # Beijing, not the street
    assert dlg.last_error.params["reason"] == "outside_street"
    assert "不在" in dlg.message_label.text()
    liaison = make_dialog(login_as("chengguan"), 106.70, 26.57)
    assert type(liaison.last_error).__name__ == "PermissionDenied"
    assert not liaison.ok_button.isEnabled()


def test_pasted_gcj02_text_and_crs_choice(make_dialog, login_as, own_point):
    from gridapp.domain.coords import wgs84_to_gcj02

    gid, lon, lat = own_point
    glon, glat = wgs84_to_gcj02(lon, lat)
    dlg = make_dialog(login_as("wgy01"))
    dlg.set_category("0101")
    dlg.position_edit.setText(f"{glat:.7f},{glon:.7f}")  # lat,lon as phone maps copy
    dlg.set_crs("gcj02")
    dlg.check_now()
    assert dlg.last_check is not None, dlg.message_label.text()
    assert dlg.last_check.placement.grid_id == gid
    assert abs(dlg.last_check.placement.lon - lon) < 1e-5


def test_near_duplicate_offers_to_attach(
    make_dialog, login_as, own_point, demo_workspace
):
    from gridapp.services.cases import reports

    _, lon, lat = own_point
    session = login_as("wgy01")
    first = reports.file_report(
        session, reports.ReportDraft(category="0101", lon=lon, lat=lat)
    )
    dlg = make_dialog(session, lon + 0.0001, lat)
    dlg.set_category("0101")
    dlg.check_now()
    # the candidates view (tests/qt/reports/test_duplicates_view.py) offers it
    assert first.report_id in [c.report_id for c in dlg.duplicates_view.candidates]
    assert not dlg.duplicates_view.isHidden()
    assert dlg.merge_into(first.report_id)
    assert (
        demo_workspace.get("report", dlg.filed.report_id)["parent_id"]
        == first.report_id
    )


def test_enter_in_the_category_search_picks_and_never_files(
    make_dialog, login_as, own_point, demo_workspace, qtbot
):
    _gid, lon, lat = own_point
    dlg = make_dialog(login_as("wgy01"), lon, lat)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.description_edit.setPlainText("人行道占道经营")
    filed = []
    dlg.report_filed.connect(lambda *a: filed.append(a))
    before = demo_workspace.scalar("SELECT count(*) FROM report")
    dlg.category_search.setFocus()
    qtbot.keyClicks(dlg.category_search, "zd")
    assert dlg.category_list.count() >= 2
    assert dlg.category_id() is None
    qtbot.keyClick(dlg.category_search, Qt.Key.Key_Down)
    qtbot.keyClick(dlg.category_search, Qt.Key.Key_Down)
    second = dlg.category_list.item(1).data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(dlg.category_search, Qt.Key.Key_Return)
    assert dlg.category_id() == second  # the highlighted one, picked
    assert dlg.focusWidget() is dlg.description_edit
    qtbot.waitUntil(lambda: dlg.ok_button.isEnabled())
    qtbot.keyClick(dlg.category_search, Qt.Key.Key_Enter)
    assert dlg.isVisible() and not filed, "enter in search"
    qtbot.keyClick(dlg.address_edit, Qt.Key.Key_Return)  # Enter elsewhere files nothing
    assert not filed, filed
    assert dlg.isVisible(), dlg.result()
    assert demo_workspace.scalar("SELECT count(*) FROM report") == before
    with qtbot.waitSignal(dlg.report_filed):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)  # the explicit action
