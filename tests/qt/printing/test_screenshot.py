"""The print preview in Chinese, grabbed as PNG (looked at by eye).

Set ``GRIDAPP_SCREENSHOTS=/some/dir`` to keep the image.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.qt.printing.conftest import feature_of, wait_preview


def test_preview_dialog_in_chinese(qtbot, office_window, tmp_path):
    window = office_window
    assert window.actions["gridapp.print.poster"].text() == "打印预览(&P)…"
    window.actions.trigger("gridapp.print.poster")
    d = feature_of(window).dialogs["preview"]
    qtbot.waitExposed(d)
    assert d.windowTitle() == "打印预览 — 网格公示图"
    assert d.footer.button.text() == "打印 / 导出…"
    d.set_choice(d.paper, "A1")
    d.set_choice(d.orientation, "landscape")
    d.dpi.setValue(150)
    wait_preview(qtbot, d)
    qtbot.wait(50)
    out = Path(os.environ.get("GRIDAPP_SCREENSHOTS") or tmp_path) / "print_preview.png"
    assert d.grab().save(str(out))
    assert d.result.image.save(str(out.with_name("print_preview_page.png")))
    d.close()


def test_atlas_and_webmap_dialogs_in_chinese(qtbot, office_window, tmp_path):
    window = office_window
    feature = feature_of(window)
    feature.webmap_opener = lambda path: None
    window.actions.trigger("gridapp.print.atlas")
    window.actions.trigger("gridapp.export.webmap")
    atlas, web = feature.dialogs["atlas"], feature.dialogs["webmap"]
    qtbot.waitExposed(atlas)
    qtbot.waitExposed(web)
    assert atlas.windowTitle() == "网格图册" and web.windowTitle() == "导出网页地图"
    folder = Path(os.environ.get("GRIDAPP_SCREENSHOTS") or tmp_path)
    assert atlas.grab().save(str(folder / "atlas_dialog.png"))
    assert web.grab().save(str(folder / "webmap_dialog.png"))
    file_menu = [a.objectName() for a in window.menus["file"].actions() if a.objectName()]
    i = file_menu.index("gridapp.print.poster")
    assert file_menu[i:i + 3] == ["gridapp.print.poster", "gridapp.print.atlas",
                                  "gridapp.export.webmap"]
    assert file_menu.index("gridapp.file.close") > i
    atlas.close()
    web.close()
