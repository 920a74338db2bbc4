"""The audit viewer: filters by person, date and object; the chain check."""

from __future__ import annotations

from PySide6.QtCore import QDate

from gridapp.domain.timeutil import FixedClock, today_local, use_clock
from gridapp.qt.people.audit_viewer import AuditViewer
from gridapp.services.people.managers import update_manager


def test_filters_and_chain(qtbot, login_as, chinese_ui):
    office = login_as("wgb")
    mid = office.store.scalar("SELECT min(id) FROM manager")
    update_manager(office, mid, phone="13900009999")
    viewer = AuditViewer(login_as("admin"))
    qtbot.addWidget(viewer)
    assert viewer.windowTitle() == "审计日志"
    everyone = viewer.model.rowCount()
    assert everyone > 0

    viewer.set_filters(person="wgb")
    assert viewer.model.rowCount() > 0
    assert {e.actor for e in viewer.model.rows} == {"wgb"}

    viewer.set_filters(table="manager", row_id=mid)
    entries = viewer.model.rows
    assert entries and all(e.table == "manager" and e.row_id == mid for e in entries)
    assert "13900009999" in viewer.model.index(0, 6).data()
    viewer.view.selectRow(0)
    assert "13900009999" in viewer.details.toPlainText()

    today = QDate(today_local())  # Beijing's date, whatever the computer's zone
    viewer.set_filters(since=today.addDays(1))
    assert viewer.model.rowCount() == 0
    viewer.set_filters(since=today.addDays(-1), until=today.addDays(1))
    assert viewer.model.rowCount() == everyone  # the demo was written today
    viewer.row_id.setText("abc")
    assert not viewer.apply() and "数字" in viewer.chain_label.text()

    assert viewer.verify()
    assert "完整" in viewer.chain_label.text()


def test_chain_broken_behind_the_apps_back(qtbot, login_as, demo_workspace, chinese_ui):
    import sqlite3

    session = login_as("admin")
    path = demo_workspace.path
    conn = sqlite3.connect(str(path))
    target = conn.execute(
        "SELECT min(id) FROM audit_log WHERE changes IS NOT NULL"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER audit_log_no_update")  # what a tamperer would do
    conn.execute("UPDATE audit_log SET changes = '{\"x\": 1}' WHERE id = ?", (target,))
    conn.commit()
    conn.close()
    viewer = AuditViewer(session)
    qtbot.addWidget(viewer)
    assert not viewer.verify()
    assert (
        "断裂" in viewer.chain_label.text()
        and f"#{target}" in viewer.chain_label.text()
    )


def test_audit_refused_for_office_staff(qtbot, login_as):
    viewer = AuditViewer(login_as("wgb"))
    qtbot.addWidget(viewer)
    assert viewer.model.rowCount() == 0
    assert "无权" in viewer.chain_label.text()


def test_today_is_beijings_day_after_midnight(qtbot, login_as, chinese_ui):
    """At 00:30 on 1 January in Beijing (still 31 December in UTC) an edit made now is
    "today" in the viewer's date fields, and yesterday's filter does not show it."""
    office = login_as("wgb")
    mid = office.store.scalar("SELECT min(id) FROM manager")
    with use_clock(FixedClock("2026-12-31T16:30:00Z")):
        update_manager(office, mid, phone="13900001111")
        viewer = AuditViewer(login_as("admin"))
        qtbot.addWidget(viewer)
        assert viewer.until.date() == QDate(2027, 1, 1)
        viewer.set_filters(table="manager", row_id=mid)
        edit = max(e.id for e in viewer.model.rows)  # the 00:30 phone change
        viewer.set_filters(table="manager", row_id=mid, since=QDate(2027, 1, 1),
                           until=QDate(2027, 1, 1))
        assert edit in {e.id for e in viewer.model.rows}
        viewer.set_filters(table="manager", row_id=mid, until=QDate(2026, 12, 31))
        assert edit not in {e.id for e in viewer.model.rows}
        viewer.set_filters(table="manager", row_id=mid, since=QDate(2027, 1, 2))
        assert edit not in {e.id for e in viewer.model.rows}
