"""Panels behind other tabs do nothing while a workspace loads (issue 21).

The 居民与楼栋 dock, the case list and detail, and the legend wait until they
are first on screen: at load they read nothing and build nothing on the GUI
thread; shown, they catch up (the base-data read on a worker).
"""

from __future__ import annotations

import numpy as np


def test_hidden_panels_wait_until_shown(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    features = {type(f).__name__: f for f in window.features}
    basedata, cases, legend = (features["BaseDataFeature"], features["CasesFeature"],
                               features["LegendFeature"])
    # The admin starts on 今日待办, the layer list and the attribute table.
    assert not basedata.on_screen() and not cases._on_screen() and not legend.on_screen()
    assert basedata.panel.session is None and not basedata.panel.is_loading()
    assert basedata.panel.building_table.rowCount() == 0
    assert cases.case_list is None and cases.detail is None
    assert cases.session is window.session  # counts and actions work without the list
    assert legend.panel.stale and legend.panel.tree.topLevelItemCount() == 0

    # A grid chosen on the map meanwhile is the one the dock shows when opened.
    grids = window.canvas.workspace.data["grid"]
    row = len(grids.layer) - 1
    window.canvas.set_selection("grid", [row])
    wanted = int(np.asarray(grids.ids)[row])

    basedata.show()
    qtbot.waitUntil(lambda: basedata.panel.session is window.session
                    and not basedata.panel.is_loading(), timeout=10_000)
    assert basedata.panel.current_grid_id() == wanted
    assert basedata.panel.building_table.rowCount() == len(basedata.panel.shown_buildings)

    window.docks["legend"].raise_()
    qtbot.waitUntil(lambda: not legend.panel.stale)
    assert legend.panel.tree.topLevelItemCount() >= 1  # reports by status

    cases.detail_dock.raise_()
    qtbot.waitUntil(lambda: cases.detail is not None)
    assert cases.case_list is not None and cases.case_list.model.rowCount() > 0
