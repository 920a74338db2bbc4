"""Grids saved anew in the grid editor re-link buildings, history kept (issue 18)."""

from __future__ import annotations

import importlib

import pytest

from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.services.basedata.building_edit import building_grid_on
from gridapp.storage import open_store

from .conftest import PASSWORDS, basedata_feature


@pytest.fixture
def with_grid_editor(monkeypatch):
    import gridapp.qt.features as features

    def install(window):  # type: ignore[no-untyped-def]
        return [importlib.import_module(f"gridapp.qt.features.{m}").install(window)
                for m in ("grids", "basedata")]

    monkeypatch.setattr(features, "install_all", install)


def test_a_grid_saved_anew_relinks_its_buildings(make_window, demo_copy, qtbot,
                                                 with_grid_editor):
    window = make_window(demo_copy, login=("wgb", PASSWORDS["wgb"]))
    feature = basedata_feature(window)
    editors = feature._grid_editors()
    assert editors, "the grid feature's editor is watched"
    store = window.session.store
    old, code = store.query("SELECT id, code FROM grid WHERE valid_to IS NULL"
                            " ORDER BY id LIMIT 1")[0]
    building = store.query("SELECT id FROM building WHERE grid_id = ? LIMIT 1", (old,))[0][0]
    with use_clock(FixedClock("2026-12-10T02:00:00Z")):
        # What a grid edit saves: the old version closed, a new version of it opened.
        with store.transaction("test") as tx:
            row = tx.execute("SELECT geom, community_id, name FROM grid WHERE id = ?",
                             (old,)).fetchone()
            tx.update("grid", old, {"valid_to": "2026-12-10T02:00:00.000Z"})
            new = tx.insert("grid", {"geom": row["geom"], "code": code, "name": row["name"],
                                     "community_id": row["community_id"],
                                     "valid_from": "2026-12-10T02:00:00.000Z"})
        editors[0].gridsChanged.emit()
    assert store.query("SELECT grid_id FROM building WHERE id = ?", (building,))[0][0] == new
    leader = window.session
    assert building_grid_on(leader, building, "2026-12-09") == old
    assert building_grid_on(leader, building, "2026-12-11") == new
    window.close_workspace()
    check = open_store(demo_copy, readonly=True)
    try:
        assert check.query("SELECT count(*) FROM base_link WHERE table_name = 'building'"
                           " AND row_id = ?", (building,))[0][0] == 2
    finally:
        check.close()
