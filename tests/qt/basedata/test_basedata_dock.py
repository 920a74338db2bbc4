"""The 居民与楼栋 dock (issue 18) as a grid manager and as the leader, on the demo street.

The manager sees their own grid's residents in full (and the view is audited);
the leader sees masked values and no notes (and nothing is audited); the
category list filters.  Screenshots at 1366×768 go to ``GRIDAPP_SHOTS`` (the
committed ones are docs/screenshots/basedata_*.png).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from gridapp.domain import idcard
from gridapp.domain.timeutil import FixedClock, today_local, use_clock
from gridapp.services.basedata.households import add_household
from gridapp.services.basedata.residents import ResidentDraft, add_resident
from gridapp.services.people.auth import login
from gridapp.services.session import own_grid_ids
from gridapp.storage import open_store

from .conftest import PASSWORDS, basedata_feature

BODY = "52019919700315001"  # fictional region 520199, as the demo's residents
ID = BODY + idcard.check_char(BODY)
PHONE = "19900001234"
NAME = "测试居民甲"


@pytest.fixture
def with_manager_resident(demo_copy):
    """One more resident, in a building of wgy01's first own grid (added by the office)."""
    store = open_store(demo_copy)
    try:
        with use_clock(FixedClock("2026-11-20T02:00:00Z")):
            manager = login(store, "wgy01", PASSWORDS["wgy01"])
            grid = min(own_grid_ids(manager))
            office = login(store, "wgb", PASSWORDS["wgb"])
            building = store.query("SELECT id, name FROM building WHERE grid_id = ?"
                                   " ORDER BY id LIMIT 1", (grid,))[0]
            household = add_household(office, building[0], "9单元999")
            add_resident(office, ResidentDraft(NAME, household, ID, PHONE,
                                               ["elderly_alone"], "每周探访"))
    finally:
        store.close()
    return demo_copy, grid, building[0], building[1]


def shoot(window, qtbot, name: str, tmp_path: Path) -> Path:
    out = Path(os.environ.get("GRIDAPP_SHOTS", tmp_path)) / name
    window.resize(1366, 768)
    qtbot.wait(50)
    window.canvas.render_now()
    image = window.grab().toImage()
    assert (image.width(), image.height()) == (1366, 768)
    assert image.convertToFormat(QImage.Format.Format_Indexed8).save(str(out))
    return out


def settled(qtbot, panel) -> None:  # type: ignore[no-untyped-def]
    """The panel has its session and the chosen grid's rows (read on a worker)."""
    qtbot.waitUntil(lambda: panel.session is not None and not panel.is_loading(),
                    timeout=10_000)


def cells(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def view_entries(path: Path, username: str) -> list[dict]:
    store = open_store(path, readonly=True)
    try:
        return [json.loads(r[0]) for r in store.query(
            "SELECT changes FROM audit_log WHERE action = 'view_personal' AND actor = ?",
            (username,))]
    finally:
        store.close()


def test_a_manager_sees_their_own_grid_in_full(make_window, with_manager_resident, qtbot,
                                               tmp_path):
    path, grid, building, building_name = with_manager_resident
    window = make_window(path, login=("wgy01", PASSWORDS["wgy01"]))
    feature = basedata_feature(window)
    panel = feature.panel
    feature.show()
    settled(qtbot, panel)
    assert feature.dock.windowTitle() == "居民与楼栋"
    assert feature.dock.toggleViewAction().isVisible()
    grids = [panel.grid_combo.itemData(i) for i in range(panel.grid_combo.count())]
    assert grids and grid in grids
    assert len(grids) == len(own_grid_ids(window.session))  # own grids only
    assert not panel.show_grid(1) or 1 in grids  # another manager's grid is not offered
    assert panel.show_grid(grid)
    settled(qtbot, panel)
    assert panel.select_building(building)
    row = cells(panel.resident_table, 0).index(NAME)
    assert [panel.resident_table.item(row, c).text() for c in range(7)] == \
        [NAME, ID, PHONE, "9单元999", "独居老人",
         str(idcard.age_on(idcard.parse(ID), today_local())), "每周探访"]
    assert "审计" in panel.privacy.text()
    names = cells(panel.building_table, 0)
    assert building_name in names
    people = int(panel.building_table.item(names.index(building_name), 2).text())
    assert people >= 1
    shoot(window, qtbot, "basedata_manager.png", tmp_path)
    entries = view_entries(path, "wgy01")
    assert any(e["what"] == "residents" and e["count"] >= 1 for e in entries)

    panel.category_combo.setCurrentIndex(panel.category_combo.findData("disabled"))
    assert NAME not in cells(panel.resident_table, 0)
    panel.category_combo.setCurrentIndex(panel.category_combo.findData("elderly_alone"))
    assert building_name in cells(panel.building_table, 0)
    assert all(panel.building_table.item(r, 0).text() for r in
               range(panel.building_table.rowCount()))
    panel.select_building(building)
    assert NAME in cells(panel.resident_table, 0)


def test_the_leader_sees_masked_values_and_nothing_is_audited(make_window, demo_copy, qtbot,
                                                              tmp_path):
    window = make_window(demo_copy, login=("lingdao", PASSWORDS["lingdao"]))
    feature = basedata_feature(window)
    panel = feature.panel
    feature.show()
    settled(qtbot, panel)
    count = panel.grid_combo.count()
    assert count > 1  # every current grid
    # The demo lists residents in its first buildings: find a grid that has some.
    for index in range(count):
        panel.grid_combo.setCurrentIndex(index)
        settled(qtbot, panel)
        if panel.resident_table.rowCount():
            break
    table = panel.resident_table
    assert table.rowCount() > 0
    assert all(re.fullmatch(r"\w{1,2}\*", t) for t in cells(table, 0))
    ids = [t for t in cells(table, 1) if t]
    assert ids and all(re.fullmatch(r"\d{3}\*{11}[\dX]{4}", t) for t in ids)
    phones = [t for t in cells(table, 2) if t]
    assert phones and all(re.fullmatch(r"\d{3}\*{4}\d{4}", t) for t in phones)
    assert cells(table, 6) == [""] * table.rowCount()  # notes are not shown
    assert cells(table, 5) == [""] * table.rowCount()  # nor the age (from the ID number)
    assert "脱敏" in panel.privacy.text()
    assert sum(int(t) for t in cells(panel.building_table, 2)) >= table.rowCount()
    shoot(window, qtbot, "basedata_leader.png", tmp_path)
    assert view_entries(demo_copy, "lingdao") == []

    # Categories filter the buildings to those with such residents.
    before = panel.building_table.rowCount()
    panel.category_combo.setCurrentIndex(panel.category_combo.findData("elderly_alone"))
    after = panel.building_table.rowCount()
    assert after <= before
    for b in range(after):
        panel.building_table.selectRow(b)
        shown = panel.residents
        assert shown and all("elderly_alone" in r.categories for r in shown)
