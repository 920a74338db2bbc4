from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gridapp.errors import CRSError
from gridapp.render.geometry_cache import PointArrays
from gridapp.render.layers import LayerError, LayerStack, VectorLayer
from gridapp.render.style import (
    CategorizedStyle,
    GraduatedStyle,
    SingleStyle,
    StyleError,
    Symbol,
    parse_colour,
)


def test_parse_colour_forms():
    assert parse_colour("#f00") == (255, 0, 0, 255)
    assert parse_colour("#12345680") == (0x12, 0x34, 0x56, 0x80)
    assert parse_colour(None) is None
    with pytest.raises(StyleError):
        parse_colour("#12")
    with pytest.raises(StyleError):
        Symbol(fill="#zzzzzz")


def test_categorized_classes_and_default():
    style = CategorizedStyle("kind", {"基础网格": "#ff0000", "专属网格": Symbol(fill="#00ff00")})
    classes, symbols = style.classify(pd.DataFrame({"kind": ["专属网格", "基础网格", "其他", None]}), 4)
    assert classes.tolist() == [1, 0, 2, 2]
    assert symbols[0].fill == "#ff0000" and symbols[1].fill == "#00ff00"
    assert symbols[2] is style.default
    with pytest.raises(StyleError):
        style.classify(pd.DataFrame({"other": [1]}), 1)


def test_categorized_from_values_uses_distinct_palette_colours():
    style = CategorizedStyle.from_values("s", ["b", "a", "c", "a"])
    _, symbols = style.classify({"s": np.array(["a"])}, 1)
    fills = [s.fill for s in symbols[:-1]]
    assert [s.label for s in symbols[:-1]] == ["a", "b", "c"]
    assert len(set(fills)) == 3


def test_graduated_classes_edges_and_nan():
    style = GraduatedStyle("n", [0, 10, 20, 30], ["#000001", "#000002", "#000003"])
    classes, symbols = style.classify({"n": np.array([-5, 0, 9.99, 10, 25, 30, 99, np.nan])}, 8)
    assert classes.tolist() == [0, 0, 0, 1, 2, 2, 2, 3]
    assert symbols[1].label == "10 – 20"
    with pytest.raises(StyleError):
        GraduatedStyle("n", [0, 10], ["#000001", "#000002"])
    with pytest.raises(StyleError):
        GraduatedStyle("n", [10, 0, 20], ["#000001", "#000002"])


def test_layer_reprojects_storage_crs_once():
    gdf = gpd.GeoDataFrame({"name": ["甲"]}, geometry=[shapely.box(106.70, 26.57, 106.71, 26.58)],
                           crs=4490)
    layer = VectorLayer("community", gdf, crs=4524, label_field="name")
    xmin, ymin, xmax, ymax = layer.extent
    assert 36_300_000 < xmin < 36_500_000 and 2_900_000 < ymin < 3_000_000
    assert 900 < xmax - xmin < 1100  # 0.01° of longitude at 26.6°N is about 1 km
    assert layer.labels().tolist() == ["甲"]
    with pytest.raises(CRSError):
        VectorLayer("community", gdf)  # geographic data needs the map CRS


def test_point_layer_classes_follow_sorted_points():
    xy = np.array([[30.0, 0.0], [10.0, 0.0], [20.0, 0.0]])
    layer = VectorLayer("report", PointArrays.from_xy(xy[:, 0], xy[:, 1]),
                        CategorizedStyle("s", {"a": "#ff0000", "b": "#00ff00", "c": "#0000ff"}),
                        attributes=pd.DataFrame({"s": ["c", "a", "b"]}))
    # sorted by x: 10 (a), 20 (b), 30 (c)
    assert layer.classes.tolist() == [0, 1, 2]
    rev = layer.revision
    layer.style = SingleStyle()
    assert layer.revision == rev + 1 and layer.classes.tolist() == [0, 0, 0]


def test_layer_stack_order_and_names():
    mk = lambda name: VectorLayer(name, PointArrays.from_xy(np.zeros(1), np.zeros(1)))  # noqa: E731
    stack = LayerStack([mk("grid"), mk("report")])
    stack.add(mk("street"), index=0)
    assert stack.names == ["street", "grid", "report"]
    stack.move("report", 0)
    assert stack.names == ["report", "street", "grid"]
    stack["grid"].visible = False
    assert [lay.name for lay in stack.visible()] == ["report", "street"]
    with pytest.raises(LayerError):
        stack.add(mk("grid"))
    with pytest.raises(LayerError):
        stack["nope"]
    before = stack.revision
    stack["street"].opacity = 0.5
    assert stack.revision != before
