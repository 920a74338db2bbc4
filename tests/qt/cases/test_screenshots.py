"""The window with the case docks, and the 督办单 page, as PNG (looked at by eye).

Set ``GRIDAPP_SCREENSHOTS=/some/dir`` to keep the images.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from .conftest import cases_of, relogin
from .test_cases_window import file_and_wait, perform, select_in_list


def test_window_with_case_docks_and_notice(
    window_as, own_point, demo_copy, qtbot, tmp_path
):
    folder = Path(os.environ.get("GRIDAPP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    _, lon, lat = own_point
    w = window_as("wgy01")
    w.resize(1500, 950)
    f = cases_of(w)
    dlg = f.open_report_dialog(lon, lat)
    rid = file_and_wait(qtbot, f, dlg, "0101", "路边垃圾桶满溢，垃圾散落地面")
    f = relogin(qtbot, w, demo_copy, "zhihui")
    select_in_list(qtbot, f, rid)
    perform(qtbot, f, "register")
    perform(qtbot, f, "dispatch")
    perform(qtbot, f, "escalate", "多次整改未果，责任单位不明确，提请区政府协调")
    notice = f.notice_dialog
    assert notice is not None
    qtbot.waitExposed(notice)
    assert notice.grab().save(str(folder / "notice_dialog.png"))
    pdf = folder / "notice.pdf"
    assert notice.save_pdf(pdf)
    notice.reject()

    w.actions.trigger("gridapp.cases.style_category")
    f.list_dock.raise_()
    f.detail_dock.raise_()
    w.resizeDocks([f.list_dock], [300], Qt.Orientation.Vertical)
    w.resizeDocks([f.detail_dock], [460], Qt.Orientation.Horizontal)
    f.highlight_case(rid, zoom=True)
    w.canvas.zoom_by(0.25)
    w.canvas.render_now()
    qtbot.wait(50)
    assert w.grab().save(str(folder / "window_cases.png"))
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-png",
            "-singlefile",
            str(pdf),
            str(folder / "notice"),
        ],
        check=True,
    )
    assert (folder / "notice.png").stat().st_size > 10_000
