"""The report dialog's near-duplicate view: photos side by side, merge in one click."""

from __future__ import annotations

import io
import math
import os
from datetime import timedelta

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from gridapp.domain.timeutil import now_utc
from gridapp.qt.reports.report_dialog import ReportDialog
from gridapp.services.cases.photos import read_photo
from gridapp.services.cases.reports import ReportDraft, file_report
from tests.qt.editors.conftest import assert_fits_small_screen


def _photo(colour, name):
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buf, "JPEG")
    return read_photo(buf.getvalue(), filename=name)


@pytest.fixture
def first_case(login_as, own_point):
    """An open 占道经营 case with a red photo, filed two hours ago where wgy01 works."""
    _gid, lon, lat = own_point
    filed = file_report(login_as("wgy01"), ReportDraft(
        category="0401", lon=lon, lat=lat, description="人行道占道经营水果摊",
        reported_at=now_utc() - timedelta(hours=2)), photos=[_photo("red", "red.jpg")])
    return filed


@pytest.fixture
def dialog(qtbot, login_as, own_point, first_case):
    _gid, lon, lat = own_point
    east = lon + 12 / (111_320.0 * math.cos(math.radians(lat)))  # 12 m east
    dlg = ReportDialog(login_as("wgy01"), east, lat, photos=[_photo("blue", "blue.jpg")])
    qtbot.addWidget(dlg)
    dlg.set_category("0401")
    dlg.description_edit.setPlainText("占道经营水果摊")
    dlg.check_now()
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_the_candidate_is_shown_with_its_photo_beside_the_new_one(dialog, first_case):
    view = dialog.duplicates_view
    assert view.isVisible()
    assert first_case.report_id in [c.report_id for c in view.candidates]
    assert view.candidates[0].report_id == first_case.report_id  # nearest, same words
    red = view.photo_labels[first_case.report_id].pixmap().toImage()
    assert red.pixelColor(red.width() // 2, red.height() // 2).red() > 200
    blue = view.new_photo.pixmap().toImage()
    assert blue.pixelColor(blue.width() // 2, blue.height() // 2).blue() > 200
    assert any(first_case.case_no in w.text() for w in view.findChildren(QLabel))
    assert_fits_small_screen(dialog)
    shots = os.environ.get("GRIDAPP_SHOTS")
    if shots:
        dialog.grab().save(os.path.join(shots, "duplicates_report_dialog.png"))


def test_one_click_merges_the_new_report_into_the_case(qtbot, dialog, first_case,
                                                       demo_workspace):
    with qtbot.waitSignal(dialog.report_filed) as sig:
        qtbot.mouseClick(dialog.duplicates_view.merge_buttons[first_case.report_id],
                         Qt.MouseButton.LeftButton)
    rid = sig.args[0]
    assert demo_workspace.get("report", rid)["parent_id"] == first_case.report_id
    assert dialog.result() == ReportDialog.DialogCode.Accepted


def test_filing_without_merging_opens_a_new_case(qtbot, dialog, demo_workspace):
    with qtbot.waitSignal(dialog.report_filed) as sig:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert demo_workspace.get("report", sig.args[0])["parent_id"] is None


def test_no_candidates_no_view(qtbot, login_as, own_point):
    _gid, lon, lat = own_point
    dlg = ReportDialog(login_as("wgy01"), lon, lat)
    qtbot.addWidget(dlg)
    dlg.set_category("0605")  # 违规养犬: nothing open here
    dlg.check_now()
    assert dlg.last_check is not None and not dlg.last_check.duplicates
    assert not dlg.duplicates_view.candidates and dlg.duplicates_view.isHidden()
