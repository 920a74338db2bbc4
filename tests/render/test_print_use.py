"""How a print layout calls the renderer: a frame on a page, scaled sizes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPageSize, QPainter, QPdfWriter

from gridapp.render.decorations import draw_north_arrow, draw_scale_bar
from gridapp.render.geometry_cache import PointArrays, PolygonArrays
from gridapp.render.layers import LayerStack, VectorLayer
from gridapp.render.renderer import RenderOptions, render_map
from gridapp.render.style import SingleStyle, Symbol
from gridapp.render.viewport import Viewport


def square_stack() -> LayerStack:
    geoms = np.array([shapely.box(1050, 2020, 1100, 2080)], dtype=object)
    return LayerStack([VectorLayer("grid", PolygonArrays.from_geometries(geoms),
                                   SingleStyle(Symbol(fill="#ff0000", stroke=None)))])


def test_map_frame_translated_on_page(gui):
    page = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
    page.fill(0xFF00FF00)  # green page
    vp = Viewport(200, 100, 1100.0, 2050.0, 1.0)
    painter = QPainter(page)
    painter.translate(QPointF(150, 120))  # the map frame's top-left on the page
    render_map(painter, vp, square_stack(), RenderOptions(background="#ffffff"))
    painter.end()
    assert page.pixelColor(150 + 75, 120 + 50).red() == 255          # square, shifted
    assert page.pixelColor(150 + 75, 120 + 50).green() == 0
    assert page.pixelColor(150 + 150, 120 + 50).blue() == 255        # frame background
    assert page.pixelColor(75, 50).green() == 255 and page.pixelColor(75, 50).red() == 0
    assert page.pixelColor(360, 50).red() == 0                       # clipped to frame


def test_print_options_scale_symbols_and_keep_vector_points(gui):
    opts = RenderOptions.for_print(300)
    assert opts.pixel_scale == 300 / 96 and not opts.aggregate_points
    vp = Viewport(200, 100, 1100.0, 2050.0, 1.0, dpi=300)
    pts = VectorLayer("report", PointArrays.from_xy(np.array([1100.0]), np.array([2050.0])),
                      SingleStyle(Symbol(fill="#0000ff", stroke=None, size=4)))
    image = QImage(200, 100, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    stats = render_map(painter, vp, LayerStack([pts]), opts)
    painter.end()
    assert stats.aggregated == {}
    # 4 px at 96 dpi is 12 device px at 300 dpi: 4 px from the centre is still blue
    assert image.pixelColor(104, 50).blue() == 255 and image.pixelColor(104, 50).red() < 30
    assert image.pixelColor(110, 50).red() == 255


def test_community_names_are_placed_before_grid_codes(gui):
    comm = VectorLayer("community", PolygonArrays.from_geometries(
        np.array([shapely.box(1000, 2000, 1200, 2100)], dtype=object)),
        SingleStyle(Symbol(fill=None)), attributes=pd.DataFrame({"n": ["花果园社区"]}),
        label_field="n", label_priority=1)
    big_grid = VectorLayer("grid", PolygonArrays.from_geometries(
        np.array([shapely.box(900, 1900, 1300, 2200)], dtype=object)),
        SingleStyle(Symbol(fill=None)), attributes=pd.DataFrame({"c": ["520102001001001"]}),
        label_field="c")
    image = QImage(200, 100, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    stats = render_map(painter, Viewport(200, 100, 1100.0, 2050.0, 1.0),
                       LayerStack([comm, big_grid]))
    painter.end()
    assert [lab.layer for lab in stats.labels][0] == "community"
    centre = stats.labels[0].rect
    assert centre[0] < 100 < centre[2] and centre[1] < 50 < centre[3]


def test_vector_pdf_with_map_scale_bar_and_north_arrow(gui, tmp_path):
    path = tmp_path / "map.pdf"
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    painter = QPainter(writer)
    vp = Viewport(1800, 1200, 1100.0, 2050.0, 0.25, dpi=300)
    render_map(painter, vp, square_stack(), RenderOptions.for_print(300))
    draw_scale_bar(painter, vp, 60, 1150, max_width_px=500, height_px=18)
    draw_north_arrow(painter, 1700, 120, 120)
    painter.end()
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and b"/FontFile" in data  # text embedded as a font
