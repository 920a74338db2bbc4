"""The leader's 今日待办 shows this month's key figures and the flagged units, each
opening the dashboard (issue 17)."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path

import pytest

from gridapp.domain.timeutil import LOCAL_TZ, FixedClock, use_clock
from gridapp.services.demo.street import DEMO_USERS

PASSWORDS = {u[0]: u[1] for u in DEMO_USERS}
SHOTS = Path(os.environ.get("GRIDAPP_SCREENSHOTS", "/tmp/gridapp-screens"))


@pytest.fixture
def demo_morning(demo_copy):
    """The clock on the demo's as-of morning (its history ends the day before)."""
    import sqlite3

    with sqlite3.connect(demo_copy) as db:
        spec = db.execute("SELECT value FROM setting WHERE key = 'demo.spec'").fetchone()
    import json

    as_of = date.fromisoformat(json.loads(spec[0])["as_of"])
    with use_clock(FixedClock(datetime.combine(as_of, time(9), LOCAL_TZ))):
        yield as_of


def test_leader_start_view_lists_figures_and_flags_and_opens_the_dashboard(
        make_window, demo_copy, demo_morning, qtbot):
    from gridapp.qt.today_panel import ASSESSMENT_ROLE, KEY_ROLE, SHOWN_FLAGS
    from gridapp.services.assessment import warnings as warn
    from gridapp.services.assessment.periods import current

    w = make_window(demo_copy, login=("lingdao", PASSWORDS["lingdao"]))
    panel = w.docks["today"].widget()
    qtbot.waitUntil(lambda: bool(panel.counts), timeout=60_000)
    items = [panel.list.item(i) for i in range(panel.list.count())]
    keys = [it.data(KEY_ROLE) for it in items]
    n_assess = keys.count("assessment")
    assert keys[n_assess:] == ["open", "overdue", "escalated", "proposals"]
    month = current("month")
    last = month.previous()
    # the figures row: this month's street figures, as the indicators service gives them
    first = items[0].text()
    assert first.startswith(f"本月（{month.label}）") and "结案率" in first and "满意率" in first
    # the flags: the same units the dashboard flags for last month, red first
    expected = []
    for by in ("grid", "community", "department"):
        expected += warn.consecutive_flags(w.session, last, by)
    assert expected, "the demo street flags some units"
    reds = sum(1 for f in expected if f.level == "red")
    assert items[1].text() == (f"{last.label} 连续预警：红色 {reds} 项，"
                               f"黄色 {len(expected) - reds} 项")
    flag_rows = [it for it in items[2:n_assess] if it.data(ASSESSMENT_ROLE)["unit"]
                 is not None]
    assert len(flag_rows) == min(SHOWN_FLAGS, len(expected))
    for it, f in zip(flag_rows, expected, strict=False):  # in the service's order
        name = f.label.split(" ", 1)[-1]
        level = {"red": "红色", "yellow": "黄色"}[f.level]
        assert it.text().strip() == f"{name}：{f.indicator_name}连续{f.periods}期{level}"
        assert str(it.data(ASSESSMENT_ROLE)["unit"]) == str(f.unit)
    levels = [it.data(ASSESSMENT_ROLE) for it in flag_rows]
    assert all(t["period"] == last.label for t in levels)
    if len(expected) > SHOWN_FLAGS:
        assert items[n_assess - 1].text().strip() == \
            f"…… 另有 {len(expected) - SHOWN_FLAGS} 项"
    red_ink = flag_rows[0].foreground().color().name()
    assert red_ink == "#c62828" if reds else True
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.grab().save(str(SHOTS / "assessment_leader_today.png"))

    # activating a flagged grid opens the dashboard on last month, that grid selected
    feature = next(f for f in w.features if hasattr(f, "dashboard"))
    dash = feature.dashboard
    target = flag_rows[0].data(ASSESSMENT_ROLE)
    with qtbot.waitSignal(dash.loaded, timeout=60_000):
        panel.list.itemActivated.emit(flag_rows[0])
    assert w.docks["assessment"].isVisible()
    assert dash.data.period.label == last.label and dash.data.by == target["by"]
    selected = dash.table.selectionModel().selectedRows()
    assert len(selected) == 1
    src = dash.proxy.mapToSource(selected[0])
    assert str(dash.model.rows[src.row()]["unit"]) == str(target["unit"])
    # the warnings summary row opens the warnings tab
    with qtbot.waitSignal(dash.loaded, timeout=60_000):
        panel.list.itemActivated.emit(items[1])
    assert dash.tabs.currentIndex() == 1
    # the case rows still open the case list
    cases = next(f for f in w.features if hasattr(f, "case_list"))
    panel.list.itemActivated.emit(items[keys.index("overdue")])
    assert cases.case_list.overdue_check.isChecked()
