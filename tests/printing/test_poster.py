"""Posters: PDF page size, embedded CJK font, extracted text, colours, bad input."""

from __future__ import annotations

import shutil
from collections import Counter

import numpy as np
import pytest

from gridapp.errors import NotFoundError
from gridapp.printing.jobs import write_poster
from gridapp.services.maps_out.print_data import load_print_data
from gridapp.services.maps_out.printing import PosterOptions, poster_job
from gridapp.services.session import system_session
from gridapp.storage import open_store
from tests.printing.conftest import needs_poppler, pdffonts, pdfinfo, pdftotext


def print_poster(session, out, options=None):
    """The service prepares the poster (checked for the role), printing writes it."""
    return write_poster(poster_job(session, options), out)

COMMUNITY = "520102003001"  # 青云社区


@pytest.fixture(scope="module")
def demo_store(demo_file):
    store = open_store(demo_file, readonly=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def poster_pdf(demo_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("poster") / "poster.pdf"
    result = print_poster(system_session(demo_store), out,
                          PosterOptions(community=COMMUNITY, paper="A3",
                                        orientation="landscape"))
    return out, result


@needs_poppler
def test_poster_pdf_page_size_and_embedded_cjk_font(poster_pdf):
    out, result = poster_pdf
    info = pdfinfo(out)
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("1191 x 842 pts")  # A3 landscape
    fonts = [line for line in pdffonts(out).splitlines() if "CJK" in line]
    assert fonts and all(" yes " in line for line in fonts)  # embedded
    assert any("NotoSansCJK" in line for line in fonts)
    assert result.pages == 1 and result.paper == "A3"


@needs_poppler
def test_poster_text_has_title_codes_and_managers(poster_pdf, demo_store):
    out, _ = poster_pdf
    text = pdftotext(out)
    assert "青云社区网格分布图" in text  # CJK radicals were mapped back to ideographs
    grids = demo_store.read_layer("grid", "valid_to IS NULL AND community_id = "
                                  "(SELECT id FROM community WHERE code = ?)", [COMMUNITY])
    for code in grids["code"]:
        assert code in text
    names = {r[0] for r in demo_store.query(
        "SELECT DISTINCT m.name FROM grid_assignment a JOIN manager m ON m.id = a.manager_id "
        "JOIN grid g ON g.id = a.grid_id WHERE a.valid_to IS NULL AND g.valid_to IS NULL "
        "AND g.community_id = (SELECT id FROM community WHERE code = ?)", (COMMUNITY,))}
    assert names
    for name in names:
        assert name in text
    assert "贵阳市南明区青云路街道办事处" in text  # issuing office
    assert "发布日期" in text and "比例尺 1:" in text


@pytest.mark.parametrize(("paper", "orient", "size"), [
    ("A4", "portrait", "595 x 842"), ("A0", "landscape", "3370 x 2384")])
@needs_poppler
def test_poster_paper_sizes(demo_store, tmp_path, paper, orient, size):
    out = tmp_path / f"{paper}.pdf"
    print_poster(system_session(demo_store), out,
                 PosterOptions(community="青云社区", paper=paper, orientation=orient))
    assert pdfinfo(out)["Page size"].startswith(size)


def _poster_image(store, tmp_path, **kw):
    from gridapp.printing.layout import make_poster_spec
    from gridapp.printing.output import render_image
    from gridapp.printing.template import Paper, load_template

    data = load_print_data(system_session(store), context=True, **kw)
    spec = make_poster_spec(data, load_template(), Paper.of("A2", "landscape"), dpi=72)
    pages: list = []
    image = render_image(spec, pages)
    return data, image, pages[0]


def _fill_colour(image, vp, rect, polygon) -> str:
    """Most common pixel colour at points well inside *polygon* (labels avoided by voting)."""
    inner = polygon.buffer(-8 * vp.resolution)
    xmin, ymin, xmax, ymax = inner.bounds
    import shapely

    xs, ys = np.meshgrid(np.linspace(xmin, xmax, 15), np.linspace(ymin, ymax, 15))
    pts = shapely.points(xs.ravel(), ys.ravel())
    pts = pts[shapely.contains(inner, pts)]
    votes = Counter()
    for p in pts:
        px, py = vp.map_to_device(p.x, p.y)
        c = image.pixelColor(int(rect.left() + px), int(rect.top() + py))
        votes[c.name()] += 1
    return votes.most_common(1)[0][0]


@pytest.mark.parametrize("scope", [{"community": "明珠社区"}, {"street": True}])
def test_neighbouring_grids_print_in_different_colours(demo_store, tmp_path, gui_app, scope):
    from gridapp.services.grids.colouring import grid_adjacency

    data, image, page = _poster_image(demo_store, tmp_path, **scope)
    grids = data.grids
    seen = [_fill_colour(image, page.viewport, page.map_rect, g) for g in grids.geometry]
    # The printed fill is the colour the colouring chose …
    assert sum(a == b for a, b in zip(seen, grids["colour"], strict=True)) >= 0.9 * len(grids)
    # … and no two neighbours share it.
    neighbours = grid_adjacency(grids)
    pairs = [(i, j) for i, ns in enumerate(neighbours) for j in ns if i < j]
    assert pairs
    for i, j in pairs:
        assert seen[i] != seen[j], (grids["code"].iloc[i], grids["code"].iloc[j])


@pytest.fixture
def workspace_copy(demo_file, tmp_path):
    path = tmp_path / "copy.gpkg"
    shutil.copy(demo_file, path)
    store = open_store(path)
    yield store
    store.close()


@needs_poppler
def test_grid_without_manager_prints_unassigned(workspace_copy, tmp_path):
    store = workspace_copy
    code = "520102003001003"
    with store.transaction() as tx:
        tx.execute("UPDATE grid_assignment SET valid_to = '2026-01-01T00:00:00Z' WHERE "
                   "valid_to IS NULL AND grid_id = (SELECT id FROM grid WHERE code = ? AND "
                   "valid_to IS NULL)", (code,))
    out = tmp_path / "p.pdf"
    result = print_poster(system_session(store), out,
                          PosterOptions(community=COMMUNITY, paper="A3"))
    text = pdftotext(out)
    assert text.count("未分配") >= 2  # on the map and in the manager list
    assert any(code in line and ("未分配" in line or "no manager" in line)
               for line in result.notes)


def test_photo_is_used_and_missing_photos_are_reported(workspace_copy, tmp_path):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    from gridapp.printing.qtapp import ensure_gui_app

    ensure_gui_app()
    store = workspace_copy
    img = QImage(90, 120, QImage.Format.Format_RGB32)
    img.fill(QColor("#336699"))
    buf = QByteArray()
    dev = QBuffer(buf)
    dev.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(dev, "JPEG")
    name = store.query("SELECT m.name FROM grid_assignment a JOIN manager m ON m.id = "
                       "a.manager_id JOIN grid g ON g.id = a.grid_id WHERE g.code = ? AND "
                       "a.valid_to IS NULL AND g.valid_to IS NULL", ("520102003001001",))[0][0]
    with store.transaction() as tx:
        pid = tx.insert("attachment", {"data": bytes(buf.data()), "content_type": "image/jpeg",
                                       "width": 90, "height": 120})
        tx.execute("UPDATE manager SET photo_id = ? WHERE name = ?", (pid, name))
    out = tmp_path / "photo.png"
    result = print_poster(system_session(store), out,
                          PosterOptions(community=COMMUNITY, paper="A2", dpi=40))
    assert out.read_bytes()[:4] == b"\x89PNG"
    missing = [n for n in result.notes if "没有照片" in n]
    assert missing and not any(name in n for n in missing)
    image = QImage(str(out))
    def near(c) -> bool:  # JPEG may move a channel by a step or two
        return abs(c.red() - 0x33) < 6 and abs(c.green() - 0x66) < 6 and abs(c.blue() - 0x99) < 6

    blue = sum(near(image.pixelColor(x, y))
               for x in range(0, image.width(), 2) for y in range(0, image.height(), 2))
    assert blue > 20  # the photo is on the page


def test_long_names_are_shrunk_or_cut_and_reported(workspace_copy, tmp_path):
    store = workspace_copy
    long = "青云社区" + "特别长的网格名称用于测试自动缩小和截断" * 3
    with store.transaction() as tx:
        tx.execute("UPDATE grid SET name = ? WHERE code = ? AND valid_to IS NULL",
                   (long, "520102003001002"))
        tx.execute("UPDATE manager SET name = ? WHERE id = (SELECT manager_id FROM "
                   "grid_assignment WHERE valid_to IS NULL LIMIT 1)", ("欧阳" * 12,))
    result = print_poster(system_session(store), tmp_path / "long.pdf",
                          PosterOptions(community=COMMUNITY, paper="A4"))
    assert any("过长" in n or "较长" in n or "放不下" in n for n in result.notes)


def test_workspace_without_communities_says_so(empty_workspace, tmp_path):
    with pytest.raises(NotFoundError, match="没有社区"):
        print_poster(system_session(empty_workspace), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_community_and_bad_format(demo_store, tmp_path):
    from gridapp.errors import ValidationError

    with pytest.raises(NotFoundError, match="999"):
        print_poster(system_session(demo_store), tmp_path / "x.pdf",
                     PosterOptions(community="999"))
    with pytest.raises(ValidationError):
        print_poster(system_session(demo_store), tmp_path / "x.tiff")


@needs_poppler
def test_small_paper_for_the_street_falls_back_and_reports(demo_store, tmp_path):
    out = tmp_path / "street_a4.pdf"
    result = print_poster(system_session(demo_store), out,
                          PosterOptions(street=True, paper="A4"))
    assert out.exists()
    assert any("A2" in n or "纸张" in n for n in result.notes)
    assert "青云路街道网格分布图" in pdftotext(out)


def test_jpeg_output_records_dpi(demo_store, tmp_path, gui_app):
    from PySide6.QtGui import QImage

    out = tmp_path / "poster.jpg"
    print_poster(system_session(demo_store), out,
                 PosterOptions(community=COMMUNITY, paper="A4", dpi=100,
                               orientation="portrait"))
    assert out.read_bytes()[:2] == b"\xff\xd8"
    img = QImage(str(out))
    assert (img.width(), img.height()) == (827, 1169)
    assert round(img.dotsPerMeterX() * 0.0254) == 100


def test_qr_code_uses_the_configured_url(workspace_copy, tmp_path):
    from gridapp.printing.blocks import qr_content
    from gridapp.printing.template import load_template

    store = workspace_copy
    data = load_print_data(system_session(store), community=COMMUNITY)
    content, caption = qr_content(data, load_template())
    assert content.startswith("tel:")  # no URL configured: a manager's phone
    with store.transaction() as tx:
        tx.set_setting("print.qr_url", "https://example.gov.cn/grid/qingyun")
    data = load_print_data(system_session(store), community=COMMUNITY)
    assert qr_content(data, load_template())[0] == "https://example.gov.cn/grid/qingyun"
    atlas = load_template(None, "atlas")
    assert qr_content(data, atlas, phone="13800000000")[0] == "tel:13800000000"
