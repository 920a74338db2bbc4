"""The dashboard's 地图按预警着色 switch colours the map's grids and communities by
their worst warning level, and switching it off puts their styles back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gridapp.qt.assessment.map_colours import warning_styles
from gridapp.services.assessment.warnings import LEVELS


@pytest.fixture(autouse=True)
def only_assessment_feature(monkeypatch):
    """The window gets the assessment feature alone (other features are being
    written at the same time); ``GRIDAPP_ALL_FEATURES=1`` installs them all."""
    import importlib
    import os

    if os.environ.get("GRIDAPP_ALL_FEATURES") == "1":
        return
    import gridapp.qt.features as features

    def install(window):  # type: ignore[no-untyped-def]
        return [importlib.import_module("gridapp.qt.features.assessment").install(window)]

    monkeypatch.setattr(features, "install_all", install)


def test_styles_from_levels():
    styles = warning_styles({"grid": {7: "red", 8: "blue"}, "community": {2: "yellow"}},
                            "无")
    grid, comm = styles["grid"], styles["community"]
    assert grid.field == "id" and comm.field == "id"
    assert grid.mapping[7].fill.startswith(LEVELS["red"][2])
    assert grid.mapping[8].fill.startswith(LEVELS["blue"][2])
    assert grid.default.label == "无" and 9 not in grid.mapping
    assert comm.mapping[2].stroke == LEVELS["yellow"][2] and comm.mapping[2].fill is None


def test_switch_colours_the_map_and_back(make_window, demo_copy, qtbot):
    from gridapp.qt.features.assessment import AssessmentFeature
    from gridapp.services.assessment.periods import current
    from gridapp.services.assessment.warnings import worst_levels

    w = make_window(demo_copy)
    f = next(x for x in w.features if isinstance(x, AssessmentFeature))
    dash = f.dashboard
    qtbot.waitUntil(lambda: dash.data is not None, timeout=60_000)  # opening refresh
    stack = w.canvas.workspace.stack
    before = {n: stack[n].style for n in ("grid", "community")}
    month = current("month").previous().label
    dash.set_period(month, "grid")
    with qtbot.waitSignal(dash.mapLevels, timeout=60_000) as got:
        dash.map_switch.setChecked(True)
    assert got.args[0] is not None
    # every current grid's fill is the colour of its worst level as the service
    # judges it (worst_levels is checked by hand in tests/services)
    worst = worst_levels(w.session, month, "grid")
    grid = w.canvas.workspace.data["grid"]
    codes = grid.layer.attributes["code"].astype(str).tolist()
    layer = stack["grid"]
    seen = set()
    for row, code in enumerate(codes):
        fill = layer.symbols[layer.classes[row]].fill
        lv = worst.get(code)
        if lv is None:
            continue
        assert fill.startswith(LEVELS[lv][2]), (code, lv, fill)
        seen.add(lv)
    assert {"red", "blue"} <= seen  # the demo street out of the box
    comm = stack["community"]
    strokes = {comm.symbols[c].stroke for c in comm.classes}
    assert strokes & {LEVELS[lv][2] for lv in LEVELS}
    w.canvas.render_now()
    shots = Path(os.environ.get("GRIDAPP_SCREENSHOTS", "/tmp/gridapp-screens"))
    shots.mkdir(parents=True, exist_ok=True)
    assert w.grab().save(str(shots / "assessment_map_warnings.png"))
    # off: the grids and communities look as they did
    with qtbot.waitSignal(dash.mapLevels, timeout=5_000) as got:
        dash.map_switch.setChecked(False)
    assert got.args[0] is None
    assert {n: stack[n].style for n in ("grid", "community")} == before
