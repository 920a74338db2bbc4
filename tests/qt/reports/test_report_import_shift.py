"""ReportImportDialog says how far GCJ-02 positions moved and offers the id column;
the case detail shows the source's id (issue 14, section 3)."""

from __future__ import annotations

from pyproj import Geod

from gridapp.domain import coords
from gridapp.qt.reports.case_detail_widget import CaseDetailWidget
from gridapp.qt.reports.report_import_dialog import ReportImportDialog


def test_gcj02_preview_shows_metres_then_detail_shows_id(
    qtbot, login_as, own_point, demo_workspace, tmp_path
):
    _, lon, lat = own_point
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    path = tmp_path / "amap.csv"
    path.write_text(
        f"编号,经度,纬度,事件类型,问题描述\nAX-7,{glon:.7f},{glat:.7f},0101,垃圾\n",
        encoding="utf-8",
    )
    session = login_as("zhihui")
    dlg = ReportImportDialog(session, path)
    qtbot.addWidget(dlg)
    assert dlg.mapping()["external_id"] == "编号"
    dlg.crs_combo.setCurrentIndex(dlg.crs_combo.findData("gcj02"))
    with qtbot.waitSignal(dlg.preview_ready, timeout=20_000):
        assert dlg.run_preview()
    qtbot.waitUntil(lambda: not dlg.is_busy())
    (row,) = dlg.preview.accepted
    moved = Geod(ellps="WGS84").inv(glon, glat, row.draft.lon, row.draft.lat)[2]
    assert 100 < moved < 1000
    assert f"最大 {moved:.0f} 米" in dlg.message_label.text()
    with qtbot.waitSignal(dlg.imported, timeout=20_000) as sig:
        dlg.run_commit()
    qtbot.waitUntil(lambda: not dlg.is_busy())
    [rid] = sig.args[0]

    detail = CaseDetailWidget(session)
    qtbot.addWidget(detail)
    detail.set_case(rid)
    assert detail.field_labels["external_id"].text() == "AX-7"


def test_report_dialog_says_how_far_an_amap_link_moved(qtbot, login_as, own_point):
    from gridapp.qt.reports.report_dialog import ReportDialog

    gid, lon, lat = own_point
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    dlg = ReportDialog(login_as("wgy01"))
    qtbot.addWidget(dlg)
    dlg.set_category("0101")
    # An AMap link: recognised as GCJ-02 without choosing it.
    dlg.position_edit.setText(
        f"https://uri.amap.com/marker?position={glon:.7f},{glat:.7f}"
    )
    dlg.check_now()
    assert dlg.last_check is not None, dlg.message_label.text()
    p = dlg.last_check.placement
    moved = Geod(ellps="WGS84").inv(glon, glat, p.lon, p.lat)[2]
    assert 100 < moved < 1000 and p.grid_id == gid
    assert f"最大 {moved:.0f} 米" in dlg.message_label.text()
