"""ReportImportDialog: GBK CSV, mapping guessed, preview accepted/rejected, commit."""

from __future__ import annotations

import pytest

from gridapp.qt.reports.report_import_dialog import ReportImportDialog


@pytest.fixture
def csv_file(tmp_path, own_point):
    _, lon, lat = own_point
    text = (
        "经度,纬度,事件类型,问题描述,上报时间\n"
        f"{lon:.7f},{lat:.7f},0101,路边垃圾,2026-03-01 09:00\n"
        f"{lat:.7f},{lon:.7f},0101,坐标颠倒,2026-03-01 09:05\n"
        f"{lon:.7f},{lat:.7f},9999,未知类别,2026-03-01 09:10\n"
    )
    path = tmp_path / "采集表.csv"
    path.write_bytes(text.encode("gbk"))
    return path


def test_preview_and_commit(qtbot, login_as, csv_file, demo_workspace):
    dlg = ReportImportDialog(login_as("zhihui"), csv_file)
    qtbot.addWidget(dlg)
    assert dlg.mapping()["lon"] == "经度" and dlg.mapping()["category"] == "事件类型"
    with qtbot.waitSignal(dlg.preview_ready, timeout=20_000):
        assert dlg.run_preview()
    qtbot.waitUntil(lambda: not dlg.is_busy())
    assert dlg.accepted_table.rowCount() == 1
    assert dlg.rejected_table.rowCount() == 2
    assert "未知" in dlg.rejected_table.item(1, 1).text()
    before = demo_workspace.scalar("SELECT count(*) FROM report")
    dlg.run_commit()  # rejected rows and no "skip": nothing written, reason shown
    qtbot.waitUntil(lambda: not dlg.is_busy())
    assert demo_workspace.scalar("SELECT count(*) FROM report") == before
    assert "未写入" in dlg.message_label.text()
    dlg.skip_rejected_check.setChecked(True)
    with qtbot.waitSignal(dlg.imported, timeout=20_000) as sig:
        dlg.run_commit()
    qtbot.waitUntil(lambda: not dlg.is_busy())
    [rid] = sig.args[0]
    assert demo_workspace.get("report", rid)["description"] == "路边垃圾"
    assert demo_workspace.scalar("SELECT count(*) FROM report") == before + 1


def test_bad_file_message(qtbot, login_as, tmp_path):
    dlg = ReportImportDialog(login_as("zhihui"), tmp_path / "missing.csv")
    qtbot.addWidget(dlg)
    assert "找不到文件" in dlg.message_label.text()
    assert not dlg.preview_button.isEnabled()
