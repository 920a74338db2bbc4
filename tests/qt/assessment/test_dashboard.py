"""The assessment dashboard: figures both ways, drill-down, screenshot at 1366×768."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.qt.assessment.cases_dialog import CasesBehindDialog
from gridapp.qt.assessment.dashboard import DashboardWidget
from gridapp.services.session import Session, User
from tests.services.test_assessment import GRID_A, NOW, build_street

SHOTS = Path(os.environ.get("GRIDAPP_SCREENSHOTS", "/tmp/gridapp-screens"))


@pytest.fixture
def leader(empty_workspace):
    build_street(empty_workspace)
    with use_clock(FixedClock(NOW)):
        yield Session(empty_workspace, User(None, "boss", "领导", Role.LEADER))


def test_dashboard_shows_the_service_figures(qtbot, leader):
    w = DashboardWidget(lambda: leader, threaded=False)
    qtbot.addWidget(w)
    w.set_period("2026-11", "grid")
    w.refresh()
    model = w.model
    labels = [model.rows[r]["label"] for r in range(model.rowCount())]
    assert model.rows[-1]["unit"] is None and f"{GRID_A} 网格A" in labels  # total last
    a = labels.index(f"{GRID_A} 网格A")
    col = 1 + [i.code for i in model.indicators].index("close_rate")
    # hand-computed in tests/services/test_assessment: grid A 结案率 2/3, red
    assert model.data(model.index(a, col)) == "66.7%"
    assert model.data(model.index(a, col), 8) is not None  # BackgroundRole: tinted
    assert w.cards["filed"][1].text() == "5"
    assert w.flags.count() >= 1 and "连续2期红色预警" in w.flags.item(0).text()
    assert w.formulas_model.rowCount() == len(model.indicators)
    dialog = CasesBehindDialog(leader, w.data.period, "grid", GRID_A,
                               model.indicators[col - 1], "A", w)
    qtbot.addWidget(dialog)
    assert [r["case_no"] for r in dialog.rows] == ["T20260001", "T20260002", "T20260003"]


def test_dashboard_threaded_and_empty_period(qtbot, leader):
    w = DashboardWidget(lambda: leader)
    qtbot.addWidget(w)
    w.set_period("2025-01", "department")
    with qtbot.waitSignal(w.loaded, timeout=20000):
        w.refresh()
    assert "没有案件数据" in w.status.text()
    assert w.cards["close_rate"][1].text() == "—"
    w.shutdown()


def test_dashboard_screenshot_on_demo(qtbot, demo_workspace, chinese_ui):
    from gridapp.services.assessment.periods import current

    session = Session(demo_workspace, User(None, "boss", "领导", Role.LEADER))
    w = DashboardWidget(lambda: session, threaded=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.set_period(current("month").previous().label, "grid")
    w.refresh()
    w.show()
    qtbot.waitExposed(w)
    levels = set(w.data.worst.values())
    assert {"red", "blue"} <= levels  # the demo street out of the box
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = w.grab()
    assert shot.width() == 1366 and shot.height() == 768
    assert shot.save(str(SHOTS / "assessment_dashboard.png"))


def test_dashboard_writes_the_monthly_report(qtbot, leader, tmp_path):
    import shutil
    import subprocess

    w = DashboardWidget(lambda: leader, threaded=False)
    qtbot.addWidget(w)
    w.set_period("2026-11", "grid")
    out = tmp_path / "通报.pdf"
    with qtbot.waitSignal(w.reportSaved, timeout=20000) as got:
        w.export_report(str(out))
    assert got.args[0] == str(out) and out.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "测试街道网格化管理2026年11月考核通报" in text
