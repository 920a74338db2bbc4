"""The grid editor reads the current grids when it is first used, not when a workspace loads.

Issue 22: reading and projecting every current grid took 0.3-0.4 s on the GUI
thread for a 500-grid district at each workspace load
(tests/qt/test_load_responsiveness.py), before the map was usable, for users
who never edit a grid.
"""

from __future__ import annotations


def test_grids_are_read_on_first_use_not_on_load(make_window, demo_copy):  # type: ignore[no-untyped-def]
    from gridapp.qt.features.grids import GridsFeature
    from gridapp.services.grids.history import current_grids

    window = make_window(demo_copy)
    editor = next(f for f in window.features if isinstance(f, GridsFeature)).editor
    assert editor._grids is None  # the load did not read them

    # The actions know the grids can be edited without reading them.
    window.actions.update_enabled()
    assert window.actions["gridapp.tool.grid_draw"].isEnabled()
    assert window.actions["gridapp.grid.check"].isEnabled()
    assert editor._grids is None

    # First use: a click on a grid's inside names that grid.
    stored = current_grids(window.session)
    first = stored.iloc[0]
    grids = editor.grids
    assert grids is not None and len(grids) == len(stored)
    x, y = grids.to_metric(first.geometry.representative_point()).coords[0]
    assert editor.grid_at(x, y) == int(first["id"])
    assert editor.grids is grids  # read once, kept

    window.close_workspace()
    assert not editor.has_grids() and editor.grids is None
    assert not window.actions["gridapp.tool.grid_draw"].isEnabled()
