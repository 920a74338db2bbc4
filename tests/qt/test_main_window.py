"""The main window end to end on the demo street (offscreen)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor

from gridapp.qt.layer_tree_model import NAME_ROLE
from gridapp.render.style import CategorizedStyle, GraduatedStyle, SingleStyle


def canvas_pixel(window, x: float, y: float) -> QColor:  # type: ignore[no-untyped-def]
    """Colour the canvas shows at map point (x, y)."""
    canvas = window.canvas
    px, py = canvas.viewport.map_to_device(x, y)
    image = canvas.grab().toImage()
    return image.pixelColor(int(px), int(py))


def show_only(window, *names: str) -> None:  # type: ignore[no-untyped-def]
    for row in range(window.layer_model.rowCount()):
        name = window.layer_model.index(row).data(NAME_ROLE)
        window.layer_model.set_visible(name, name in names)


def grid_point(window, row: int = 0) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """A point well inside grid *row* (away from its label anchor)."""
    import shapely

    geom = window.canvas.workspace.data["grid"].geoms[row]
    inner = geom.buffer(-15)
    anchor = shapely.get_coordinates(shapely.point_on_surface(geom))[0]
    coords = shapely.get_coordinates(inner.exterior)
    far = coords[np.argmax(np.hypot(*(coords - anchor).T))]
    p = shapely.Point(*(0.7 * far + 0.3 * anchor))
    assert geom.contains(p)
    return p.x, p.y


def test_opens_demo_with_all_layers(window) -> None:  # type: ignore[no-untyped-def]
    ws = window.canvas.workspace
    assert set(ws.data) == {"street", "community", "grid", "building", "report", "task"}
    assert len(ws.data["grid"].layer) == 60
    assert window.layer_model.rowCount() == 6
    # top of the list is the top of the drawing order
    assert window.layer_model.index(0).data(NAME_ROLE) == "report"
    assert window.canvas.viewport is not None and window.canvas.last_render_ms > 0
    assert "admin" in window.status.user.text()
    assert window.status.scale.text().startswith("比例尺 1:")
    assert (
        window.table.model.layer_name == "grid" and window.table.model.rowCount() == 60
    )
    assert not ws.data["grid"].bad


def test_reports_arrive_after_the_rest(window) -> None:  # type: ignore[no-untyped-def]
    """Reports are read in a second step; their layer sits on top, styled by status."""
    names = window.canvas.workspace.stack.names
    assert names[-1] == "report" and names[0] == "grid"
    assert window.layer_model.row_of("report") == 0
    assert window.canvas.workspace.stack["report"].style.field == "status"


def test_reports_are_the_last_90_days(window) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    ws = window.canvas.workspace
    times = pd.to_datetime(ws.data["report"].layer.attributes["reported_at"], utc=True)
    assert times.min() >= pd.Timestamp(ws.report_since)
    total = window.session.store.scalar("SELECT count(*) FROM report")
    assert 0 < len(times) < total


def test_grid_fill_colour_on_screen(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A grid's fill colour is on screen at a point inside it."""
    show_only(window, "grid")
    window.canvas.cache.options.labels = False
    window.canvas.zoom_to_layer("grid")
    layer = window.canvas.workspace.data["grid"].layer
    row = 0
    x, y = grid_point(window, row)
    expected = QColor(layer.symbols[int(layer.classes[row])].fill)
    got = canvas_pixel(window, x, y)
    assert (got.red(), got.green(), got.blue()) == (
        expected.red(),
        expected.green(),
        expected.blue(),
    )
    # neighbours differ: the colouring service ran
    assert len({s.fill for s in layer.symbols}) >= 4


def test_toggle_layer_hides_it_on_screen(window) -> None:  # type: ignore[no-untyped-def]
    show_only(window, "grid")
    window.canvas.cache.options.labels = False
    x, y = grid_point(window, 3)
    assert canvas_pixel(window, x, y).name() != "#ffffff"
    model = window.layer_model
    idx = model.index_of("grid")
    assert model.setData(idx, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert not window.canvas.workspace.stack["grid"].visible
    assert idx.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert canvas_pixel(window, x, y).name() == "#ffffff"


def test_restyle_single_categorised_graduated(window) -> None:  # type: ignore[no-untyped-def]
    show_only(window, "grid")
    window.canvas.cache.options.labels = False
    panel = window.layer_panel
    panel.set_current_layer("grid")
    x, y = grid_point(window, 5)

    dialog = panel.style_dialog("grid")
    dialog.set_mode("single")
    dialog.set_fill("#123456")
    window.layer_model.set_style("grid", dialog.style())
    assert isinstance(window.canvas.workspace.stack["grid"].style, SingleStyle)
    assert canvas_pixel(window, x, y).name() == "#123456"

    dialog.set_mode("categorized")
    dialog.cat_field.setCurrentText("community_id")
    window.layer_model.set_style("grid", dialog.style())
    style = window.canvas.workspace.stack["grid"].style
    assert isinstance(style, CategorizedStyle) and style.field == "community_id"
    assert len(style.mapping) == 8

    dialog.set_mode("graduated")
    dialog.grad_field.setCurrentText("households")
    dialog.classes.setValue(4)
    window.layer_model.set_style("grid", dialog.style())
    style = window.canvas.workspace.stack["grid"].style
    assert isinstance(style, GraduatedStyle) and len(style.colours) == 4
    layer = window.canvas.workspace.stack["grid"]
    hh = layer.attributes["households"].to_numpy()
    assert layer.classes[np.argmax(hh)] == 3 and layer.classes[np.argmin(hh)] == 0
    dialog.deleteLater()


def test_opacity_and_order(window) -> None:  # type: ignore[no-untyped-def]
    model = window.layer_model
    model.set_opacity("building", 0.4)
    assert window.canvas.workspace.stack["building"].opacity == pytest.approx(0.4)
    window.layer_panel.set_current_layer("building")
    assert window.layer_panel.opacity.value() == 40
    before = window.canvas.workspace.stack.names
    assert model.move_layer("grid", -1)
    after = window.canvas.workspace.stack.names
    assert after.index("grid") == before.index("grid") + 1
    assert model.index(model.row_of("grid")).data(NAME_ROLE) == "grid"


def test_table_selection_shows_on_map_and_back(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    table = window.table
    table.view.selectRow(2)
    frame_row = table.model.frame_row(2)
    assert list(window.canvas.selection["grid"]) == [frame_row]
    # the map draws the selection: yellow-ish overlay over the grid
    show_only(window, "grid")
    window.canvas.cache.options.labels = False
    window.canvas.zoom_to_selection()
    x, y = grid_point(window, frame_row)
    plain = QColor(
        window.canvas.workspace.stack["grid"]
        .symbols[int(window.canvas.workspace.stack["grid"].classes[frame_row])]
        .fill
    )
    assert canvas_pixel(window, x, y) != plain

    # map → table: select another grid with the select tool by clicking it
    window.set_tool("select")
    x2, y2 = grid_point(window, 7)
    window.canvas.zoom_to_extent(window.canvas.workspace.data["grid"].layer.extent)
    px, py = window.canvas.viewport.map_to_device(x2, y2)
    qtbot.mouseClick(
        window.canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(px), int(py))
    )
    assert list(window.canvas.selection["grid"]) == [7]
    selected = {
        table.model.frame_row(i.row())
        for i in table.view.selectionModel().selectedRows()
    }
    assert selected == {7}
    # no echo: the table did not push the selection back with other rows
    assert list(table.selected_rows()) == [7]


def test_box_select_reports_switches_table(window) -> None:  # type: ignore[no-untyped-def]
    window.layer_panel.set_current_layer("report")
    assert window.table.model.layer_name == "report"
    ext = window.canvas.workspace.data["grid"].layer.extent
    cx, cy = (ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2
    window.canvas.select_in((cx - 150, cy - 150, cx + 150, cy + 150), add=False)
    rows = window.canvas.selection["report"]
    assert len(rows) > 0
    assert len(window.table.view.selectionModel().selectedRows()) == len(rows)
    window.canvas.zoom_to_selection()
    assert window.actions["gridapp.view.zoom_selection"].isEnabled()


def test_identify_a_grid(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.set_tool("identify")
    layer = window.canvas.workspace.data["grid"].layer
    x, y = grid_point(window, 4)
    show_only(window, "grid", "street", "community")
    px, py = window.canvas.viewport.map_to_device(x, y)
    with qtbot.waitSignal(window.canvas.identified) as sig:
        qtbot.mouseClick(
            window.canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(px), int(py))
        )
    hits = sig.args[0]
    assert hits[0] == (
        "grid",
        4,
    )  # the most specific feature first, then community, street
    assert [h[0] for h in hits] == ["grid", "community", "street"]
    grid_hit = [i for i, h in enumerate(hits) if h == ("grid", 4)][0]
    fields = window.identify.fields(grid_hit)
    assert fields["code"] == layer.attributes["code"].iloc[4]
    assert fields["households"] == str(layer.attributes["households"].iloc[4])
    assert window.identify.tree.topLevelItem(grid_hit).text(0) == "网格"


def test_zoom_pan_back_forward(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = window.canvas
    # The opening view was taken before the docks settled (the canvas was
    # resized since, keeping the resolution): show the full extent again at
    # the settled size, so that every view below is at one canvas size.
    qtbot.wait(20)
    canvas.set_workspace(canvas.workspace)
    full = canvas.viewport
    assert (full.width, full.height) == (canvas.width(), canvas.height())
    assert not window.actions["gridapp.view.back"].isEnabled()
    window.actions.trigger("gridapp.view.zoom_in")
    zoomed = canvas.viewport
    assert zoomed.resolution == pytest.approx(full.resolution / 2)
    # wheel at a point keeps the map point under the cursor
    from PySide6.QtCore import QPointF as P
    from PySide6.QtGui import QWheelEvent

    pos = P(100, 120)
    before = zoomed.device_to_map(100, 120)
    ev = QWheelEvent(
        pos,
        canvas.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    canvas.wheelEvent(ev)
    after = canvas.viewport.device_to_map(100, 120)
    assert after == pytest.approx(before, abs=1e-6)
    assert canvas.viewport.resolution == pytest.approx(zoomed.resolution / 1.25)
    # arrow key pans a quarter of the width
    canvas.setFocus()
    cx = canvas.viewport.center_x
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert canvas.viewport.center_x == pytest.approx(
        cx + canvas.width() / 4 * canvas.viewport.resolution
    )
    # box zoom
    window.set_tool("zoom_box")
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    for p in (QPoint(80, 70), QPoint(150, 110)):
        canvas.mouseMoveEvent(_move(canvas, p))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(150, 110))
    boxed = canvas.viewport
    assert boxed.resolution < canvas.history._views[-2].resolution
    # back and forward
    window.actions.trigger("gridapp.view.back")
    assert canvas.viewport.center_x == pytest.approx(
        cx + canvas.width() / 4 * canvas.viewport.resolution
    )
    window.actions.trigger("gridapp.view.back")
    window.actions.trigger("gridapp.view.back")
    window.actions.trigger("gridapp.view.back")
    assert canvas.viewport.resolution == pytest.approx(full.resolution)
    assert not window.actions["gridapp.view.back"].isEnabled()
    assert window.actions["gridapp.view.forward"].isEnabled()
    for _ in range(4):
        window.actions.trigger("gridapp.view.forward")
    assert canvas.viewport.resolution == pytest.approx(boxed.resolution)
    window.actions.trigger("gridapp.view.zoom_full")
    assert canvas.viewport.resolution == pytest.approx(full.resolution)


def _move(canvas, pos: QPoint):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent

    return QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(pos),
        canvas.mapToGlobal(QPointF(pos)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def test_pan_drag_blits_then_renders(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = window.canvas
    canvas.render_now()
    start = canvas.viewport
    rendered = canvas.cache.cached
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    canvas.mouseMoveEvent(_move(canvas, QPoint(340, 320)))
    canvas.repaint()
    assert canvas.cache.cached is rendered  # the drag frame was a blit
    canvas.mouseMoveEvent(_move(canvas, QPoint(400, 330)))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(400, 330))
    assert canvas.viewport.center_x == pytest.approx(
        start.center_x - 100 * start.resolution
    )
    qtbot.waitUntil(lambda: canvas.cache.cached is not rendered, timeout=3000)
    assert canvas.cache.cached.viewport == canvas.viewport


def test_switch_language(window) -> None:  # type: ignore[no-untyped-def]
    assert window.menus["file"].title() == "文件(&F)"
    assert window.actions["gridapp.file.open"].text() == "打开(&O)…"
    assert window.layer_model.index_of("grid").data() == "网格 (60)"
    window.actions.trigger("gridapp.lang.en")
    assert window.menus["file"].title() == "&File"
    assert window.actions["gridapp.file.open"].text() == "&Open…"
    assert window.docks["table"].windowTitle() == "Attribute table"
    assert window.layer_model.index_of("grid").data() == "Grids (60)"
    assert window.status.scale.text().startswith("Scale") or window.status.scale.text()
    assert window.settings.value("ui/language") == "en"
    window.actions.trigger("gridapp.lang.zh")
    assert window.docks["table"].windowTitle() == "属性表"


def test_table_sort_and_filter(window) -> None:  # type: ignore[no-untyped-def]
    model = window.table.model
    col = list(model.frame.columns).index("households")
    window.table.view.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    values = [int(model.index(r, col).data()) for r in range(model.rowCount())]
    assert values == sorted(values, reverse=True)
    window.table.filter.setText("青云社区")
    assert 0 < model.rowCount() < 60
    assert all(
        "青云社区" in model.index(r, list(model.frame.columns).index("name")).data()
        for r in range(model.rowCount())
    )
    values = [int(model.index(r, col).data()) for r in range(model.rowCount())]
    assert values == sorted(values, reverse=True)  # the sort survives the filter


def test_view_and_layout_remembered(make_window, demo_copy, settings) -> None:  # type: ignore[no-untyped-def]
    w1 = make_window(demo_copy)
    w1.canvas.zoom_by(4.0)
    view = w1.canvas.viewport
    w1.close()
    assert settings.value("window/geometry") is not None
    assert str(demo_copy.resolve()) in w1.recent_files()
    w2 = make_window(demo_copy)
    assert w2.canvas.viewport.resolution == pytest.approx(view.resolution)
    assert w2.canvas.viewport.center_x == pytest.approx(view.center_x)


def test_failed_open_leaves_window_usable(
    make_window, tmp_path, demo_copy, qtbot
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "not_a_workspace.gpkg"
    bad.write_text("this is not a GeoPackage")
    window = make_window()
    with qtbot.waitSignal(window.workspaceFailed) as sig:
        assert not window.open_workspace(bad)
    assert "无法打开工作空间" in sig.args[0]
    assert window.canvas.message.startswith("无法打开工作空间")
    assert window.messages.messages()[-1].startswith("无法打开工作空间")
    assert window.session is None
    assert not window.actions["gridapp.view.zoom_in"].isEnabled()
    for box in window.findChildren(
        __import__("PySide6.QtWidgets").QtWidgets.QMessageBox
    ):
        box.close()
    with qtbot.waitSignal(window.workspaceLoaded, timeout=30_000):
        assert window.open_workspace(demo_copy)
    assert window.actions["gridapp.view.zoom_in"].isEnabled()


def test_wrong_password_does_not_open(make_window, demo_copy, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(login=("admin", "wrong"))
    with qtbot.waitSignal(window.workspaceFailed):
        assert not window.open_workspace(demo_copy)
    assert window.session is None
    for box in window.findChildren(
        __import__("PySide6.QtWidgets").QtWidgets.QMessageBox
    ):
        box.close()


def test_actions_are_declared_once_and_build_menus(window) -> None:  # type: ignore[no-untyped-def]
    ids = window.actions.ids()
    assert len(ids) == len(set(ids))
    in_menus = {a.objectName() for m in window.menus.values() for a in m.actions()}
    assert {
        "gridapp.file.open",
        "gridapp.view.back",
        "gridapp.tool.identify",
    } <= in_menus
    tool_actions = [
        a for a in window.toolbar.actions() if a.objectName().startswith("gridapp.tool")
    ]
    assert all(a is window.actions[a.objectName()] for a in tool_actions)


def test_buildings_only_drawn_at_large_scales(window) -> None:  # type: ignore[no-untyped-def]
    canvas = window.canvas
    canvas.set_viewport(canvas.viewport.with_scale(10_000))
    assert "building" in canvas.drawn_stack().names
    canvas.set_viewport(canvas.viewport.with_scale(50_000))
    assert "building" not in canvas.drawn_stack().names
    assert canvas.workspace.stack["building"].visible  # the user's switch is untouched
    assert "report" in canvas.drawn_stack().names


def test_filter_numbers_and_text(window) -> None:  # type: ignore[no-untyped-def]
    model = window.table.model
    hh = str(model.frame["households"].iloc[0])
    window.table.filter.setText(hh)
    assert model.rowCount() >= 1
    window.table.filter.setText("no such text anywhere")
    assert model.rowCount() == 0
    window.table.filter.clear()
    assert model.rowCount() == 60


def test_coded_values_shown_as_labels(window) -> None:  # type: ignore[no-untyped-def]
    window.layer_panel.set_current_layer("report")
    model = window.table.model
    col = list(model.frame.columns).index("status")
    shown = {model.index(r, col).data() for r in range(min(model.rowCount(), 300))}
    assert "已结案" in shown or "已上报" in shown
    assert not shown & {"closed", "reported"}
    window.table.filter.setText("已结案")
    assert 0 < model.rowCount() < len(model.frame)
    assert (model.frame["status"].iloc[model.order] == "closed").all()


def test_errors_in_english_when_english_is_chosen(make_window, tmp_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    window = make_window(lang="en")
    assert window.menus["file"].title() == "&File"
    with qtbot.waitSignal(window.workspaceFailed) as sig:
        window.open_workspace(tmp_path / "missing.gpkg")
    assert sig.args[0].startswith("Cannot open workspace")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in sig.args[0])  # no Chinese left
    for box in window.findChildren(QMessageBox):
        box.close()


def test_workspace_with_a_bad_grid_draws_the_rest(make_window, demo_copy) -> None:  # type: ignore[no-untyped-def]
    from gridapp.storage import open_store

    with open_store(demo_copy) as store:
        grid_id = store.scalar(
            "SELECT id FROM grid WHERE valid_to IS NULL ORDER BY code LIMIT 1"
        )
        with store.transaction("test") as tx:
            tx.execute("UPDATE grid SET geom = NULL WHERE id = ?", (grid_id,))
    window = make_window(demo_copy)
    data = window.canvas.workspace.data["grid"]
    assert [(b.fid, b.reason) for b in data.bad] == [(grid_id, "missing")]
    assert any("网格" in m and f"id {grid_id}" in m for m in window.messages.messages())
    assert window.canvas.cache.cached.stats.drawn["grid"] == 59
    assert window.table.model.bad_rows == {0}
    # selecting the bad row from the table neither crashes nor zooms anywhere odd
    window.table.view.selectRow(0)
    window.canvas.repaint()
    assert window.canvas.selection_extent() is None


def test_closing_the_workspace_emits_workspace_closed_once(window) -> None:  # type: ignore[no-untyped-def]
    closed: list[bool] = []
    window.workspaceClosed.connect(
        lambda: closed.append(
            window.session is None and window.layer_model.workspace is None
        )
    )
    window.close_workspace()
    assert closed == [True]  # once, after the workspace is gone


def test_first_start_tabs_feature_docks_and_shows_the_windows_own(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(20)
    # On the right, the role's 今日待办 panel is on top once the workspace is loaded
    # (issue 21); identify and the features' panels are tabs beside it.
    for own, area in (
        ("layers", Qt.DockWidgetArea.LeftDockWidgetArea),
        ("today", Qt.DockWidgetArea.RightDockWidgetArea),
        ("table", Qt.DockWidgetArea.BottomDockWidgetArea),
    ):
        dock = window.docks[own]
        assert not dock.visibleRegion().isEmpty(), own  # on top of its tabs
        others = [
            k
            for k, d in window.docks.items()
            if k != own and window.dockWidgetArea(d) == area
        ]
        tabs = set(window.tabifiedDockWidgets(dock))
        assert all(window.docks[k] in tabs for k in others), (own, others)
    assert window.docks["task_clusters"] in window.tabifiedDockWidgets(
        window.docks["identify"]
    )
