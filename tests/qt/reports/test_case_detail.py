"""CaseDetailWidget: a case walked through the whole workflow by clicking buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gridapp.qt.reports.case_detail_widget import CaseDetailWidget
from gridapp.services.cases import reports, routing
from gridapp.services.session import system_session, visible_department_ids


@pytest.fixture
def liaison_case(login_as, own_point, demo_workspace):
    """A report filed by wgy01 whose category the duty list sends to chengguan's department."""
    deps = visible_department_ids(login_as("chengguan"))
    for row in reports.search_categories(system_session(demo_workspace), "", limit=500):
        p = routing.propose_handler(system_session(demo_workspace), int(row["id"]))
        if p.department_id in deps and not p.assist_department_ids:
            break
    else:
        pytest.skip("no category routed to the liaison's department")
    _, lon, lat = own_point
    filed = reports.file_report(
        login_as("wgy01"),
        reports.ReportDraft(
            category=int(row["id"]), lon=lon, lat=lat, description="测试"
        ),
    )
    return filed.report_id


@pytest.fixture
def detail(qtbot):
    widgets = []

    def make(session):
        w = CaseDetailWidget(session)
        qtbot.addWidget(w)
        w.show()
        widgets.append(w)
        return w

    return make


def click(qtbot, widget, action):
    button = widget.action_buttons[action]
    with qtbot.waitSignal(widget.case_changed):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_whole_workflow_by_the_right_roles(
    detail, login_as, liaison_case, qtbot, demo_workspace
):
    rid = liaison_case
    steps = [
        ("zhihui", ["register"], "registered"),
        ("zhihui", ["dispatch"], "dispatched"),
        ("chengguan", ["start"], "in_progress"),
        ("chengguan", ["finish"], "handler_done"),
        ("wgy01", ["verify"], "verified"),
        ("zhihui", ["close"], "closed"),
    ]
    w = detail(login_as("wgy01"))
    w.set_case(rid)
    assert "register" not in w.action_buttons  # a manager cannot register
    for user, actions, status in steps:
        w.set_session(login_as(user))
        for action in actions:
            assert action in w.action_buttons, (user, list(w.action_buttons))
            click(qtbot, w, action)
        assert demo_workspace.get("report", rid)["status"] == status
        assert w.field_labels["status"].text()  # refreshed
    events = [
        r["action"]
        for r in demo_workspace.query(
            "SELECT action FROM case_event WHERE report_id = ? ORDER BY id", (rid,)
        )
    ]
    assert events == [
        "report",
        "register",
        "dispatch",
        "start",
        "finish",
        "verify",
        "close",
    ]
    assert w.timeline.rowCount() == len(events)
    assert w.action_buttons == {}  # closed: nothing left to do
    assert demo_workspace.get("report", rid)["department_id"] in visible_department_ids(
        login_as("chengguan")
    )


def test_reject_without_reason_shows_message(
    detail, login_as, liaison_case, qtbot, demo_workspace
):
    w = detail(login_as("zhihui"))
    w.set_case(liaison_case)
    qtbot.mouseClick(w.action_buttons["reject"], Qt.MouseButton.LeftButton)
    assert w.message_label.text()  # the ValidationError, in Chinese
    assert demo_workspace.get("report", liaison_case)["status"] == "reported"
    w.note_edit.setPlainText("不属于受理范围")
    click(qtbot, w, "reject")
    assert demo_workspace.get("report", liaison_case)["status"] == "rejected"


def test_refused_action_message_in_ui_language(detail, login_as, liaison_case):
    w = detail(login_as("zhihui"))
    w.set_case(liaison_case)
    w.set_session(login_as("chengguan"))  # buttons gone: liaison has nothing to do
    assert w.action_buttons == {}
    assert not w.perform("register")  # forced anyway: PermissionDenied shown
    assert w.message_label.text()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in w.message_label.text())


def test_photos_and_fields_shown(detail, login_as, own_point, demo_workspace, tmp_path):
    from PIL import Image

    from gridapp.services.cases.photos import read_photo

    Image.new("RGB", (64, 48), (200, 30, 30)).save(tmp_path / "a.jpg")
    _, lon, lat = own_point
    filed = reports.file_report(
        login_as("wgy01"),
        reports.ReportDraft(category="0101", lon=lon, lat=lat, description="有照片"),
        photos=[read_photo(tmp_path / "a.jpg")],
    )
    w = detail(login_as("wgy01"))
    w.set_case(filed.report_id)
    assert w.photo_list.count() == 1
    assert filed.case_no in w.title_label.text()
    assert w.field_labels["description"].text() == "有照片"
