"""Atlas: one page per grid, progress and cancel, render_page for a preview."""

from __future__ import annotations

import pytest

from gridapp.errors import Cancelled
from gridapp.printing.jobs import write_atlas
from gridapp.progress import CancelToken
from gridapp.services.maps_out.print_data import load_print_data
from gridapp.services.maps_out.printing import PosterOptions, atlas_job
from gridapp.services.session import system_session
from gridapp.storage import open_store
from tests.printing.conftest import needs_poppler, pdfinfo, pdftotext


def print_atlas(session, out, options=None, **kw):
    """The service prepares the atlas (checked for the role), printing writes it."""
    return write_atlas(atlas_job(session, options), out, **kw)


@pytest.fixture(scope="module")
def demo_store(demo_file):
    store = open_store(demo_file, readonly=True)
    yield store
    store.close()


@needs_poppler
def test_atlas_has_a_page_per_grid_with_its_manager(demo_store, tmp_path):
    calls = []
    out = tmp_path / "atlas.pdf"
    result = print_atlas(system_session(demo_store), out, PosterOptions(community="明珠社区"),
                         progress=lambda d, t, m="": calls.append((d, t)))
    n = demo_store.scalar("SELECT count(*) FROM grid g JOIN community c ON c.id = "
                          "g.community_id WHERE c.name = '明珠社区' AND g.valid_to IS NULL")
    info = pdfinfo(out)
    assert int(info["Pages"]) == n == result.pages
    assert info["Page size"].startswith("595 x 842")  # A4 portrait
    assert calls[-1] == (n, n)
    text = pdftotext(out)
    assert "明珠社区第1网格" in text and "520102003004001" in text
    assert "网格员职责" in text and "户数" in text
    first = demo_store.query(
        "SELECT m.name, m.phone FROM grid g JOIN grid_assignment a ON a.grid_id = g.id "
        "AND a.valid_to IS NULL AND a.role = 'primary' JOIN manager m ON m.id = a.manager_id "
        "WHERE g.code = '520102003004001' AND g.valid_to IS NULL")[0]
    assert first["name"] in text and first["phone"] in text


def test_atlas_cancel_removes_the_partial_file(demo_store, tmp_path):
    token = CancelToken()
    out = tmp_path / "cancelled.pdf"

    def progress(done, total, message=""):
        if done == 2:
            token.cancel()

    with pytest.raises(Cancelled):
        print_atlas(system_session(demo_store), out, PosterOptions(street=True),
                    progress=progress, cancel=token)
    assert not out.exists()


def test_render_page_draws_on_any_painter(demo_store, gui_app):
    """What a preview widget does: scale the painter, then call render_page."""
    from PySide6.QtGui import QImage, QPainter

    from gridapp.printing.layout import make_atlas_specs, render_page
    from gridapp.printing.template import Paper, load_template

    data = load_print_data(system_session(demo_store), community="青云社区", context=True)
    specs = make_atlas_specs(data, load_template(None, "atlas"), Paper.of("A4"), dpi=300)
    image = QImage(210, 297, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    w, _ = specs[0].size_px
    painter.scale(image.width() / w, image.width() / w)
    page = render_page(painter, specs[0])
    painter.end()
    assert page.viewport is not None and page.map_rect.width() > 0
    assert len({image.pixel(x, y) for x in range(0, 210, 5) for y in range(0, 297, 5)}) > 5
