"""The search box (issue 21): Ctrl+F, type a grid's code or a case number, pick, and
the map shows that grid or case; Esc gives the keys back; nothing left after closing."""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import Qt


def search_of(window):  # type: ignore[no-untyped-def]
    return next(f for f in window.features if hasattr(f, "box") and hasattr(f, "go_to"))


def _inside(extent, geom) -> bool:  # type: ignore[no-untyped-def]
    x0, y0, x1, y1 = extent
    gx0, gy0, gx1, gy1 = shapely.bounds(geom)
    return x0 <= gx0 and y0 <= gy0 and gx1 <= x1 and gy1 <= y1


def test_ctrl_f_finds_a_grid_and_zooms_to_it(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    feature = search_of(window)
    box = feature.box
    assert box.isEnabled() and "Ctrl+F" in box.placeholderText()
    assert "网格" in box.placeholderText()  # Chinese UI
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert box.hasFocus()

    data = window.canvas.workspace.data["grid"]
    codes = data.layer.attributes["code"].to_numpy()
    row = len(codes) // 2
    target = data.geoms[row]
    window.canvas.zoom_full()
    full = window.canvas.viewport.extent
    assert not np.allclose(full, shapely.bounds(target))

    qtbot.keyClicks(box, str(codes[row]))
    box.search_now()
    box.wait_idle()
    assert [(h.kind, h.code) for h in box.hits][:1] == [("grid", codes[row])]
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClick(box.completer_.popup(), Qt.Key.Key_Return)
    shown = window.canvas.viewport.extent
    assert _inside(shown, target), "the picked grid is on screen whole"
    assert (shown[2] - shown[0]) < (full[2] - full[0]) / 3, "and the map zoomed in on it"
    assert codes[row] in window.status.currentMessage()


def test_a_case_number_zooms_to_the_case_then_nothing_found_then_close(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    box = search_of(window).box
    data = window.canvas.workspace.data["report"]
    case_no = str(data.layer.attributes["case_no"].iloc[0])
    point = data.geoms[0]
    box.setFocus()
    qtbot.keyClicks(box, case_no)
    box.search_now()
    box.wait_idle()
    cases = [h for h in box.hits if h.kind == "case"]
    assert [h.code for h in cases] == [case_no]
    box.pick(cases[0])
    x0, y0, x1, y1 = window.canvas.viewport.extent
    assert x0 < point.x < x1 and y0 < point.y < y1
    assert x1 - x0 < 1000, "a case is shown at street level, a few hundred metres across"

    # nothing found says so; Esc clears and gives the keys back
    box.setFocus()
    box.clear()
    box.setText("不存在的地名XYZ")  # keyClicks types ASCII only
    box.search_now()
    box.wait_idle()
    assert box.hits == []
    assert "没有找到" in box.model.item(0).text()
    assert not box.model.item(0).isEnabled()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and not box.hasFocus()

    # closing the workspace leaves nothing of it in the box
    box.setText("520")
    box.search_now()
    box.wait_idle()
    assert box.hits
    window.close_workspace()
    assert box.text() == "" and box.hits == [] and box.model.rowCount() == 0
    assert not box.isEnabled()
