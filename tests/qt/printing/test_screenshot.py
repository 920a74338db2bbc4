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
    assert d.export_button.text() == "打印 / 导出…"
    d.set_choice(d.paper, "A1")
    d.set_choice(d.orientation, "landscape")
    d.dpi.setValue(150)
    wait_preview(qtbot, d)
    qtbot.wait(50)
    out = Path(os.environ.get("GRIDAPP_SCREENSHOTS") or tmp_path) / "print_preview.png"
    assert d.grab().save(str(out))
    assert d.result.image.save(str(out.with_name("print_preview_page.png")))
    d.close()
