"""Rendered pixels: known shapes, known colours, at known map positions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from PySide6.QtGui import QColor, QImage, QPainter

from gridapp.render.geometry_cache import PointArrays, PolygonArrays
from gridapp.render.layers import LayerStack, VectorLayer
from gridapp.render.renderer import RenderOptions, render_map
from gridapp.render.style import CategorizedStyle, SingleStyle, Symbol
from gridapp.render.viewport import Viewport

# 1 m per pixel over x 1000..1200, y 2000..2100 (GK-like offsets kept small).
VP = Viewport(200, 100, 1100.0, 2050.0, 1.0)
WHITE = (255, 255, 255)


def fill(colour: str, **kw) -> SingleStyle:
    return SingleStyle(Symbol(fill=colour, stroke=None, **kw))


def polygon_layer(name: str, geoms, style, **kw) -> VectorLayer:
    return VectorLayer(name, PolygonArrays.from_geometries(np.array(geoms, dtype=object)), style,
                       attributes=kw.pop("attributes", None), **kw)


def render(stack: LayerStack, vp: Viewport = VP, **opts):
    image = QImage(vp.width, vp.height, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    stats = render_map(painter, vp, stack, RenderOptions(**opts))
    painter.end()
    return image, stats


def rgb_at(image: QImage, vp: Viewport, x: float, y: float) -> tuple[int, int, int]:
    px, py = vp.map_to_device(x, y)
    c = image.pixelColor(int(px), int(py))
    return (c.red(), c.green(), c.blue())


def test_polygon_fill_at_map_position_and_background_outside(gui):
    holed = shapely.box(1050, 2020, 1100, 2080).difference(shapely.box(1060, 2030, 1070, 2040))
    stack = LayerStack([polygon_layer("grid", [holed], fill("#ff0000"))])
    image, stats = render(stack)
    assert stats.drawn == {"grid": 1}
    assert rgb_at(image, VP, 1075.5, 2050.5) == (255, 0, 0)
    assert rgb_at(image, VP, 1150.5, 2050.5) == WHITE      # outside
    assert rgb_at(image, VP, 1065.5, 2035.5) == WHITE      # in the hole
    # north is up: the polygon's top edge (y=2080) is at device row 20
    assert image.pixelColor(75, 21).red() == 255 and image.pixelColor(75, 18).green() == 255


def test_layer_order_opacity_and_visibility(gui):
    bottom = polygon_layer("community", [shapely.box(1000, 2000, 1200, 2100)], fill("#0000ff"))
    top = polygon_layer("grid", [shapely.box(1050, 2000, 1100, 2100)], fill("#ff0000"),
                        opacity=0.5)
    stack = LayerStack([bottom, top])
    image, _ = render(stack)
    r, g, b = rgb_at(image, VP, 1075.5, 2050.5)
    assert r == pytest.approx(128, abs=2) and g == 0 and b == pytest.approx(127, abs=2)
    assert rgb_at(image, VP, 1150.5, 2050.5) == (0, 0, 255)
    top.visible = False
    image, stats = render(stack)
    assert rgb_at(image, VP, 1075.5, 2050.5) == (0, 0, 255) and "grid" not in stats.drawn


def test_categorised_polygons_get_their_colours(gui):
    style = CategorizedStyle("kind", {"基础网格": Symbol(fill="#00ff00", stroke=None),
                                      "专属网格": Symbol(fill="#ff00ff", stroke=None)})
    layer = polygon_layer("grid", [shapely.box(1010, 2010, 1040, 2040),
                                   shapely.box(1060, 2010, 1090, 2040)], style,
                          attributes=pd.DataFrame({"kind": ["专属网格", "基础网格"]}))
    image, _ = render(LayerStack([layer]))
    assert rgb_at(image, VP, 1025.5, 2025.5) == (255, 0, 255)
    assert rgb_at(image, VP, 1075.5, 2025.5) == (0, 255, 0)


def test_features_outside_the_view_are_not_drawn(gui):
    layer = polygon_layer("grid", [shapely.box(1050, 2020, 1060, 2030),
                                   shapely.box(5000, 5000, 5010, 5010)], fill("#ff0000"))
    _, stats = render(LayerStack([layer]))
    assert stats.drawn == {"grid": 1}


@pytest.mark.parametrize("raster_above", [10_000, 0], ids=["vector", "raster"])
def test_point_markers_drawn_at_their_position(gui, raster_above):
    pts = VectorLayer("report", PointArrays.from_xy(np.array([1150.0]), np.array([2050.0])),
                      fill("#0000ff", size=7))
    image, stats = render(LayerStack([pts]), raster_points_above=raster_above)
    assert stats.drawn == {"report": 1} and stats.aggregated == {}
    assert rgb_at(image, VP, 1150.0, 2050.0) == (0, 0, 255)
    assert rgb_at(image, VP, 1160.0, 2050.0) == WHITE


def test_many_points_are_aggregated_into_cells(gui):
    rng = np.random.default_rng(0)
    # a dense cluster of "b" points and a sparse one of "a" points
    x = np.r_[1150 + rng.random(5000) * 4, 1050 + rng.random(50) * 4]
    y = np.r_[2050 + rng.random(5000) * 4, 2050 + rng.random(50) * 4]
    status = np.r_[np.full(5000, "b"), np.full(50, "a")]
    style = CategorizedStyle("s", {"a": Symbol(fill="#ff0000", stroke=None, size=4),
                                   "b": Symbol(fill="#0000ff", stroke=None, size=4)})
    layer = VectorLayer("report", PointArrays.from_xy(x, y), style,
                        attributes=pd.DataFrame({"s": status}))
    image, stats = render(LayerStack([layer]), point_lod_threshold=1000, cell_px=8)
    assert stats.drawn == {"report": 5050}
    assert 2 <= stats.aggregated["report"] <= 8     # a few cells, not 5,050 markers
    assert rgb_at(image, VP, 1152.0, 2052.0) == (0, 0, 255)
    assert rgb_at(image, VP, 1052.0, 2052.0) == (255, 0, 0)
    # the denser cell gets the bigger dot
    blue = sum(image.pixelColor(x, y) == QColor(0, 0, 255) for x in range(130, 175)
               for y in range(30, 70))
    red = sum(image.pixelColor(x, y) == QColor(255, 0, 0) for x in range(30, 75)
              for y in range(30, 70))
    assert blue > red > 0


def test_chinese_labels_drawn_without_overlap(gui):
    geoms = [shapely.box(1000 + 20 * i, 2000, 1020 + 20 * i, 2100) for i in range(10)]
    layer = polygon_layer("community", geoms, fill("#ffffff"),
                          attributes=pd.DataFrame({"name": [f"第{i}社区居委会" for i in range(10)]}),
                          label_field="name")
    vp = Viewport(400, 200, 1100.0, 2050.0, 0.5)
    image, stats = render(LayerStack([layer]), vp, min_label_feature_px=10)
    assert 1 <= len(stats.labels) < 10          # they cannot all fit side by side
    rects = [lab.rect for lab in stats.labels]
    assert not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                   for i, a in enumerate(rects) for b in rects[i + 1:])
    x0, y0, x1, y1 = (int(v) for v in rects[0])
    dark = sum(image.pixelColor(x, y).lightness() < 100 for x in range(x0, x1)
               for y in range(y0, y1))
    assert dark > 20                            # glyphs were drawn
    assert stats.labels[0].layer == "community"
