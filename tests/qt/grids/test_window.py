"""The grid editor through the window: mouse on the canvas, problems, confirmation, as-of."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from gridapp.services.grids.history import current_grids
from tests.qt.grids.conftest import zoom_around


def _pos(canvas, x: float, y: float) -> QPoint:  # type: ignore[no-untyped-def]
    px, py = canvas.viewport.map_to_device(x, y)
    return QPoint(round(px), round(py))


def test_split_with_the_mouse_and_escape_cancels(qtbot, window, editor):
    canvas = window.canvas
    k = 7
    gid, geom = int(editor.grids.ids[k]), editor.grids.metric[k]
    zoom_around(canvas, geom, 40)
    editor.confirm = lambda report: False
    window.actions.trigger("gridapp.tool.grid_split")
    assert canvas.tool.name == "grid_split"
    c = geom.centroid
    top, bottom = (c.x, geom.bounds[3] + 25), (c.x, geom.bounds[1] - 25)
    # Half a line, then Esc: nothing happens.
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=_pos(canvas, *top))
    qtbot.mouseMove(canvas, _pos(canvas, *bottom))
    assert canvas.tool.busy
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert not canvas.tool.busy and editor.undo_stack.count() == 0
    # The whole line, finished with a right-click: the grid is split.
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=_pos(canvas, *top))
    qtbot.mouseMove(canvas, _pos(canvas, *bottom))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=_pos(canvas, *bottom))
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=_pos(canvas, *bottom))
    assert window.session.store.get("grid", gid)["valid_to"] is not None
    assert len(editor.grids) == 61
    # Ctrl+Z on the window undoes it.
    window.actions["gridapp.grid.undo"].trigger()
    assert len(current_grids(window.session)) == 60


def test_drag_a_vertex_with_the_mouse(qtbot, window, editor):
    canvas = window.canvas
    geom = editor.grids.metric[30]
    x, y = geom.exterior.coords[1]
    zoom_around(canvas, shapely.Point(x, y).buffer(40))
    window.set_tool("grid_reshape")
    editor.confirm = lambda report: False  # never a modal box in tests
    start = _pos(canvas, x, y)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    for d in (2, 6, 12):
        qtbot.mouseMove(canvas, start + QPoint(d, d))
    assert canvas.tool.busy and canvas.tool.outlines
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(12, 12))
    assert editor.undo_stack.count() == 1 or editor.report is not None


def _red_pixels(image, x: int, y: int, r: int = 14) -> int:  # type: ignore[no-untyped-def]
    n = 0
    for i in range(max(x - r, 0), min(x + r, image.width())):
        for j in range(max(y - r, 0), min(y + r, image.height())):
            c = QColor(image.pixel(i, j))
            if c.red() > 180 and c.green() < 90 and c.blue() < 90:
                n += 1
    return n


def test_gap_shows_in_panel_and_on_map_then_fixed(
    qtbot, window, grids_feature, tmp_path
):
    editor = grids_feature.editor
    k = 25
    gid, geom = int(editor.grids.ids[k]), editor.grids.metric[k]
    asked = []
    editor.confirm = lambda report: asked.append(report) or True
    editor.delete([gid])
    assert asked and asked[0].of_kind("gap")
    panel = grids_feature.panel
    kinds = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert "缝隙" in kinds  # "Gap", in the Chinese UI
    assert panel.fix_button.isEnabled()
    panel.zoom_to(0)
    zoom_around(window.canvas, geom, 80)
    qtbot.wait(50)
    window.canvas.render_now()
    image = window.grab().toImage()
    shot = Path(os.environ.get("GRIDAPP_SHOT_DIR", tmp_path)) / "grid_problem.png"
    window.grab().save(str(shot))
    pt = shapely.point_on_surface(editor.problem_geoms[0])
    offset = window.canvas.mapTo(window, QPoint(0, 0))
    px, py = window.canvas.viewport.map_to_device(pt.x, pt.y)
    assert _red_pixels(image, int(px) + offset.x(), int(py) + offset.y()) > 50
    # Fix automatically: the neighbour sharing most boundary takes the gap.
    panel.fix_button.click()
    assert editor.report is None
    assert len(current_grids(window.session)) == 59
    assert editor.check_all().valid


def test_saving_with_problems_needs_confirmation(window, editor):
    gid = int(editor.grids.ids[5])
    editor.confirm = lambda report: False
    assert editor.delete([gid]) is None
    assert window.session.store.get("grid", gid)["valid_to"] is None  # not saved
    assert editor.report is not None  # but the problems are shown
    editor.confirm = lambda report: True
    assert editor.delete([gid]) is not None
    assert window.session.store.get("grid", gid)["valid_to"] is not None
    rows = window.session.store.query(
        "SELECT count(*) FROM audit_log WHERE action = 'accept_coverage_problems'"
    )
    assert rows[0][0] >= 1


def test_check_all_on_demand_runs_on_a_worker(qtbot, window, grids_feature):
    panel = grids_feature.panel
    window.actions.trigger("gridapp.grid.check")
    qtbot.waitUntil(lambda: not window.progress.busy, timeout=20_000)
    assert panel.checked_all, window.messages.messages()
    assert panel.model.rowCount() == 0  # the demo street is a clean coverage


def test_grids_as_of_yesterday_draws_the_old_coverage(window, grids_feature):
    editor = grids_feature.editor
    editor.merge(list(editor.grids.ids[:0]))  # nothing: needs two grids
    gid = int(editor.grids.ids[4])
    code = editor.grids.codes[gid]
    editor.confirm = lambda report: True
    editor.delete([gid])
    assert code not in editor.grids.codes.values()
    grids_feature.show_grids_as_of(date.today() - timedelta(days=1))
    label, geoms, codes = editor.as_of
    assert len(geoms) == 60 and code in codes  # before the delete
    window.actions.update_enabled()
    assert window.actions["gridapp.grid.current"].isEnabled()
    window.actions.trigger("gridapp.grid.current")
    assert editor.as_of is None


def test_attribute_form_validates_code_and_saves_a_version(window, grids_feature):
    editor = grids_feature.editor
    gid = int(editor.grids.ids[0])
    other = editor.grids.codes[int(editor.grids.ids[1])]
    dialog = grids_feature.attribute_dialog(gid)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.code.setText("12345")
    assert not ok.isEnabled() and dialog.code_error.text()
    dialog.code.setText(other)
    assert not ok.isEnabled()  # used by another grid
    dialog.code.setText(editor.grids.codes[gid])
    assert ok.isEnabled()
    dialog.name.setText("新名字")
    dialog.households.setValue(345)
    assert dialog.changes() == {"name": "新名字", "households": 345}
    res = editor.update_attributes(gid, dialog.changes())
    row = window.session.store.get("grid", res.opened[0])
    assert (row["name"], row["households"], row["previous_id"]) == ("新名字", 345, gid)
    dialog.deleteLater()


def test_office_staff_edit_leader_only_looks(make_window, demo_copy):
    from gridapp.qt.features.grids import GridsFeature

    office = make_window(demo_copy, login=("wgb", "Office-demo-2026"))
    feature = next(f for f in office.features if isinstance(f, GridsFeature))
    assert office.actions["gridapp.tool.grid_split"].isEnabled()
    office.close()
    leader = make_window(demo_copy, login=("lingdao", "Leader-demo-2026"))
    feature = next(f for f in leader.features if isinstance(f, GridsFeature))
    leader.actions.update_enabled()
    for action in (
        "gridapp.tool.grid_draw",
        "gridapp.tool.grid_split",
        "gridapp.tool.grid_reshape",
        "gridapp.grid.divide",
    ):
        assert not leader.actions[action].isEnabled(), action
    assert leader.actions["gridapp.grid.as_of"].isEnabled()
    assert feature.editor.delete([int(feature.editor.grids.ids[0])]) is None  # refused


def test_english_ui_after_language_switch(window, grids_feature):
    editor = grids_feature.editor
    editor.confirm = lambda report: True
    editor.delete([int(editor.grids.ids[9])])
    window.set_language("en")
    model = grids_feature.panel.model
    assert model.index(0, 0).data() == "Gap"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Problem"
    assert grids_feature.menu.title() == "&Grids"
    assert window.actions["gridapp.tool.grid_split"].text() == "&Split grid"
    window.set_language("zh")
    assert grids_feature.menu.title() == "网格(&G)"


def test_fix_automatically_is_the_service_fix(window, editor, monkeypatch):
    """The editor's auto-fix is ``grids_tools.plan_fix``/``save_fix`` (no copy of its own)."""
    from gridapp.services.grids import tools as grids_tools

    gid = int(editor.grids.ids[25])
    community = int(window.session.store.get("grid", gid)["community_id"])
    editor.confirm = lambda report: True
    editor.delete([gid])  # leaves a gap
    calls = []
    real = grids_tools.plan_fix

    def spy(session, community_ids=None):  # type: ignore[no-untyped-def]
        calls.append(community_ids)
        return real(session, community_ids)

    monkeypatch.setattr(grids_tools, "plan_fix", spy)
    result = editor.fix_automatically()
    assert calls and community in calls[0]
    assert result is not None and editor.check_all().valid
    assert set(result.opened) and gid not in result.opened
    assert not (set(result.closed) & {gid})  # the deleted grid stays deleted


def test_a_load_with_no_problems_does_not_reset_the_panel(qtbot, window, grids_feature):
    """Issue 21: each workspace load clears the report; an empty panel is left alone
    (no model reset nor column sizing on the GUI thread), a shown report is cleared."""
    from gridapp.services.grids.coverage import CoverageProblem, CoverageReport

    panel, editor = grids_feature.panel, grids_feature.editor
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(window.workspaceLoaded, timeout=30_000):
        window.reload()
    assert resets == [] and panel.model.rowCount() == 0
    assert not panel.fix_button.isEnabled() and not panel.zoom_button.isEnabled()
    gid = int(editor.grids.ids[0])
    problem = CoverageProblem("gap", (gid,), shapely.box(0, 0, 1, 1), "缝隙", "gap")
    editor.set_report(CoverageReport([problem], "EPSG:4547", 1))
    assert resets == [1] and panel.model.rowCount() == 1 and panel.zoom_button.isEnabled()
    with qtbot.waitSignal(window.workspaceLoaded, timeout=30_000):
        window.reload()
    assert resets == [1, 1] and panel.model.rowCount() == 0
    assert not panel.zoom_button.isEnabled()
