"""The print preview dialog: opened from the menu, follows the choices, prints what it shows."""

from __future__ import annotations

import numpy as np
import pytest

from tests.qt.printing.conftest import (
    feature_of,
    needs_poppler,
    pdfinfo,
    pdftotext,
    wait_preview,
)


def image_array(image):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage

    img = image.convertToFormat(QImage.Format.Format_RGB32)
    ptr = img.constBits()
    arr = np.frombuffer(ptr, np.uint8).reshape(img.height(), img.bytesPerLine())
    return arr[:, : img.width() * 4].reshape(img.height(), img.width(), 4)[..., :3].astype(int)


@pytest.fixture
def preview(qtbot, office_window):
    """The preview dialog opened with File › Print preview…, at a low DPI."""
    window = office_window
    action = window.actions["gridapp.print.poster"]
    assert action.isVisible() and action.isEnabled()
    assert action in window.menus["file"].actions()
    action.trigger()
    dialog = feature_of(window).dialogs["preview"]
    qtbot.waitExposed(dialog)
    dialog.dpi.setValue(40)
    wait_preview(qtbot, dialog)
    yield dialog
    dialog.close()


def test_paper_and_orientation_change_the_preview_aspect(qtbot, preview):
    d = preview
    d.set_choice(d.paper, "A3")
    d.set_choice(d.orientation, "portrait")
    wait_preview(qtbot, d)
    img = d.result.image
    assert img.height() / img.width() == pytest.approx(420 / 297, rel=0.01)
    d.set_choice(d.paper, "A1")
    d.set_choice(d.orientation, "landscape")
    wait_preview(qtbot, d)
    img = d.result.image
    assert img.width() / img.height() == pytest.approx(841 / 594, rel=0.01)
    assert d.result.request.paper == "A1"
    assert "A1" in d.page_info.text()


def test_preview_is_the_printed_page(qtbot, preview):
    """The preview equals render_image of the same spec at the same DPI."""
    from PySide6.QtCore import Qt

    from gridapp.printing.output import render_image
    from gridapp.qt.printing.jobs import load_data, make_spec

    d = preview
    d.set_choice(d.paper, "A3")
    d.set_choice(d.orientation, "landscape")
    d.dpi.setValue(45)
    wait_preview(qtbot, d)
    spec = make_spec(load_data(d.session, d.result.request), d.result.request)
    printed = render_image(spec)
    shown = d.result.image
    # at 45 dpi the page fits in the preview: same pixel size, no scaling
    assert (shown.width(), shown.height()) == (printed.width(), printed.height())
    a, b = image_array(shown), image_array(printed)
    diff = np.abs(a - b)
    assert diff.mean() < 1.0, diff.mean()
    assert (diff.max(axis=2) > 64).mean() < 0.005
    # a larger page is scaled down into the preview: still the same page
    d.dpi.setValue(150)
    wait_preview(qtbot, d)
    shown = d.result.image
    assert max(shown.width(), shown.height()) == d.preview_long_side
    spec = make_spec(load_data(d.session, d.result.request), d.result.request)
    printed = render_image(spec).scaled(shown.width(), shown.height(),
                                        Qt.AspectRatioMode.IgnoreAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation)
    diff = np.abs(image_array(shown) - image_array(printed))
    assert diff.mean() < 6.0, diff.mean()


def test_fixed_scale_and_view_extent_reach_the_page(qtbot, preview, office_window):
    d = preview
    d.fixed_scale.setChecked(True)
    d.scale.setValue(2000)
    wait_preview(qtbot, d)
    assert d.result.page.viewport.scale_denominator == pytest.approx(2000)
    d.fixed_scale.setChecked(False)
    d.set_choice(d.extent, "view")
    wait_preview(qtbot, d)
    assert d.result.request.extent == pytest.approx(office_window.canvas.viewport.extent)


def test_fast_changes_render_only_the_last_choice(qtbot, preview):
    d = preview
    for dpi in (60, 70, 80, 90, 100):
        d.dpi.setValue(dpi)
    d.set_choice(d.paper, "A2")
    wait_preview(qtbot, d)
    assert d.result.request.dpi == 100 and d.result.request.paper == "A2"


def test_street_poster_and_report_list(qtbot, preview):
    d = preview
    d.set_choice(d.place, None)
    d.set_choice(d.paper, "A4")
    wait_preview(qtbot, d)
    assert d.result.request.community is None
    # many grids on A4: the print report says so, in the list
    notes = [d.report.item(i).text() for i in range(d.report.count())]
    assert any("A2" in n for n in notes), notes


@needs_poppler
def test_export_pdf_from_the_dialog(qtbot, preview, tmp_path):
    d = preview
    d.set_choice(d.paper, "A2")
    d.set_choice(d.orientation, "landscape")
    d.set_choice(d.format, "pdf")
    wait_preview(qtbot, d)
    place = d.place.currentText()
    d.choose_path = lambda suggested, fmt: str(tmp_path / "poster")
    with qtbot.waitSignal(d.exported, timeout=120_000) as blocker:
        assert d.export()
    result = blocker.args[0]
    assert result is not None, d.last_error
    out = tmp_path / "poster.pdf"
    assert result.path == out and out.exists()
    info = pdfinfo(out)
    w, h = (float(v) for v in info["Page size"].split()[0:3:2])
    assert (w, h) == (pytest.approx(594 / 25.4 * 72, abs=1), pytest.approx(420 / 25.4 * 72, abs=1))
    text = pdftotext(out).replace(" ", "")
    assert f"{place}网格分布图" in text
    assert str(out) in d.footer.status.text()


def test_export_png(qtbot, preview, tmp_path):
    from PySide6.QtGui import QImage

    d = preview
    d.set_choice(d.paper, "A4")
    d.set_choice(d.orientation, "portrait")
    d.set_choice(d.format, "png")
    d.dpi.setValue(60)
    with qtbot.waitSignal(d.exported, timeout=60_000) as blocker:
        assert d.export_to(tmp_path / "poster.png")
    assert blocker.args[0] is not None, d.last_error
    img = QImage(str(tmp_path / "poster.png"))
    assert (img.width(), img.height()) == (round(210 / 25.4 * 60), round(297 / 25.4 * 60))


def test_other_template_file(qtbot, preview, tmp_path):
    """A copied and edited template is offered and its title prints."""
    from gridapp.printing.template import MAPS_DIR

    text = (MAPS_DIR / "poster.toml").read_text(encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(text.replace('text = "{place}网格分布图"', 'text = "{place}测试标题"'),
                    encoding="utf-8")
    d = preview
    d.add_template_file(mine)
    wait_preview(qtbot, d)
    assert d.result.request.template == mine


def test_bad_template_shows_the_error(qtbot, preview, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[landscape]\nmap = [0, 0, 2]\n", encoding="utf-8")
    d = preview
    d.add_template_file(bad)
    qtbot.waitUntil(lambda: not d.rendering and bool(d.last_error), timeout=30_000)
    assert d.result is None and "bad.toml" in d.last_error
    assert d.report.count() == 1


def test_view_extent_follows_the_map(qtbot, preview, office_window):
    d = preview
    d.set_choice(d.extent, "view")
    wait_preview(qtbot, d)
    before = d.result.request.extent
    office_window.canvas.zoom_by(2.0)
    assert d.rendering  # the move scheduled a new render
    wait_preview(qtbot, d)
    after = d.result.request.extent
    assert after != before
    assert after == pytest.approx(office_window.canvas.viewport.extent)


def test_language_switch_retitles_the_dialog(qtbot, preview, office_window):
    d = preview
    office_window.set_language("en")
    assert d.windowTitle() == "Print preview — notice-board poster"
    assert d.labels["paper"].text() == "Paper"
    assert office_window.actions["gridapp.print.poster"].text() == "&Print preview…"
    office_window.set_language("zh")
    assert d.labels["paper"].text() == "纸张"
