"""The dashboard's heat map of open cases and its 打印/导出PDF (issue 17)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import LOCAL_TZ, FixedClock, use_clock
from gridapp.qt.assessment.dashboard import DashboardWidget
from gridapp.services.assessment.heatmap import open_case_heat
from gridapp.services.assessment.periods import parse_period
from gridapp.services.session import Session, User

SHOTS = Path(os.environ.get("GRIDAPP_SCREENSHOTS", "/tmp/gridapp-screens"))
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils not installed")


@pytest.fixture
def demo_leader(demo_workspace):
    as_of = date.fromisoformat(demo_workspace.setting("demo.spec")["as_of"])
    last = as_of - timedelta(days=1)
    with use_clock(FixedClock(datetime.combine(as_of, time(9), LOCAL_TZ))):
        yield Session(demo_workspace, User(None, "boss", "领导", Role.LEADER)), \
            f"{last:%Y-%m}"


def test_heat_counts_the_cases_open_at_the_period_end(demo_leader):
    session, month = demo_leader
    period = parse_period(month)
    heat = open_case_heat(session, period)
    end = period.end_utc.strftime("%Y-%m-%dT%H:%M:%S")
    # counted independently: every report filed before the end, not rejected, not
    # closed by then
    expected = sum(1 for r in session.store.query(
        "SELECT reported_at, status, closed_at FROM report")
        if r[0] < end and r[1] != "rejected" and (r[2] is None or r[2] >= end))
    assert heat.total == expected > 20
    assert heat.counts.sum() == expected
    assert heat.peak >= 3  # the planted hot spots make some cells dense
    # the blur keeps the total and spreads it
    assert abs(heat.smoothed.sum() - expected) < 1e-6 * expected + 1e-9
    assert (heat.smoothed > 0).sum() > (heat.counts > 0).sum()
    assert 20 <= heat.cell_m <= 80 and len(heat.outlines) == 8
    assert max(heat.counts.shape) <= 80


@needs_poppler
def test_dashboard_shows_the_heat_map_and_prints_to_pdf(qtbot, demo_leader, tmp_path,
                                                        chinese_ui):
    session, month = demo_leader
    w = DashboardWidget(lambda: session, threaded=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.set_period(month, "grid")
    w.refresh()
    w.show()
    qtbot.waitExposed(w)
    assert w.heat.heat is not None and w.heat.heat.total > 20
    shot = w.heat.grab().toImage()
    # the heat map draws warm colours where cases are open
    pixels = [shot.pixelColor(x, y) for x in range(0, shot.width(), 4)
              for y in range(0, shot.height(), 4)]
    assert sum(1 for c in pixels if c.red() > 200 and c.blue() < 120) > 20
    out = w.export_pdf(str(tmp_path / "看板.pdf"))
    assert out is not None and Path(out).stat().st_size > 10_000
    info = subprocess.run(["pdfinfo", out], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Pages:\s+1\n", info)
    assert re.search(r"Page size:\s+842 x 595", info)  # A4 landscape, in points
    text = subprocess.run(["pdftotext", "-layout", out, "-"], capture_output=True,
                          text=True, check=True).stdout
    assert f"考核看板 {month}" in text
    assert "结案率" in text and "满意率" in text  # the cards, as on screen
    fonts = subprocess.run(["pdffonts", out], capture_output=True, text=True,
                           check=True).stdout
    assert "CJK" in fonts and " yes " in fonts  # Chinese font embedded
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", out,
                    str(SHOTS / "assessment_dashboard_pdf")], check=True)
    # nothing to print before any figures: a message, no file
    empty = DashboardWidget(lambda: session, threaded=False)
    qtbot.addWidget(empty)
    assert empty.export_pdf(str(tmp_path / "none.pdf")) is None
    assert not (tmp_path / "none.pdf").exists() and empty.status.text()
    # a folder that does not exist: a message, no file
    assert w.export_pdf(str(tmp_path / "nope" / "x.pdf")) is None
    assert "不存在" in w.status.text()
