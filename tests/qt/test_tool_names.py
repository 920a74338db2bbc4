"""The status bar names the map tool in use, however it was chosen (issue 21).

Every checkable map-tool action (the window's exclusive "tools" group) names
its tool; so do the tools without an action of their own (绘制楼栋 from the
base-data dock, placing dropped photos), and while one of those is in use no
tool action stays checked.  Esc puts Pan back, checked and named.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from gridapp.qt.actions import plain_title

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_map_tool_action_names_its_tool(window) -> None:  # type: ignore[no-untyped-def]
    label = window.status.tool
    group = window.actions.group("tools")
    tried = []
    for action in group.actions():
        action_id = next(i for i in window.actions.ids() if window.actions[i] is action)
        assert action.isCheckable() and action_id.startswith("gridapp.tool."), action_id
        if not action.isEnabled():
            continue
        window.actions.trigger(action_id)
        name = action_id.removeprefix("gridapp.tool.")
        assert window.canvas.tool.name == name
        assert action.isChecked()
        assert label.text() == f"工具：{plain_title(action.text())}", action_id
        assert CJK.search(label.text()) and "&" not in label.text()
        tried.append(name)
    # the base tools, filing, the grid editor's and the duty areas' tools
    assert {"pan", "zoom_box", "identify", "select", "file_report", "grid_draw",
            "grid_split", "grid_reshape"} <= set(tried)


def test_tools_without_an_action_name_themselves(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    label = window.status.tool
    group = window.actions.group("tools")
    basedata = next(f for f in window.features if hasattr(f, "edit_new_building"))
    basedata.show()
    basedata.panel.draw_building_button.click()  # 绘制楼栋
    assert window.canvas.tool.name == "building_draw"
    assert label.text() == "工具：绘制楼栋"
    assert group.checkedAction() is None  # Pan is not what is in use
    window.set_tool("place_photo")  # photos without GPS, waiting for a click
    assert label.text() == "工具：放置照片"

    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)
    assert window.canvas.tool.name == "pan"
    assert window.actions["gridapp.tool.pan"].isChecked()
    assert label.text() == "工具：平移"

    basedata.panel.draw_building_button.click()
    window.actions.trigger("gridapp.lang.en")
    assert label.text() == "Tool: Draw building"
    window.actions.trigger("gridapp.lang.zh")
    assert label.text() == "工具：绘制楼栋"
