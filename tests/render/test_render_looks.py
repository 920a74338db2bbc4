"""A categorised polygon layer sets one pen and brush per look, not per category.

A district's grid colouring is 5,000 categories (each labelled with its code for
the legend) in a handful of colours; a pen per category cost ~50 ms of CPU in
every district frame (217 -> 165 ms median, /tmp script, load 13-15).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gridapp.render import renderer
from gridapp.render.geometry_cache import PolygonArrays
from gridapp.render.layers import LayerStack, VectorLayer
from gridapp.render.renderer import RenderOptions, render_map, symbol_looks
from gridapp.render.style import CategorizedStyle, Symbol
from gridapp.render.viewport import Viewport

COLOURS = ("#ff0000", "#00ff00", "#0000ff")


def test_symbols_differing_only_in_their_label_share_a_look():
    a = Symbol(fill="#ff0000", label="网格001")
    looks, firsts = symbol_looks([a, Symbol(fill="#00ff00", label="网格002"),
                                  Symbol(fill="#ff0000", label="网格003"),
                                  Symbol(fill="#ff0000", stroke_width=2.0)])
    assert looks.tolist() == [0, 1, 0, 2]
    assert firsts.tolist() == [0, 1, 3]


def test_many_categories_in_three_colours_set_three_pens(gui, monkeypatch):
    n = 300
    boxes = [shapely.box(i * 10.0, 0.0, i * 10.0 + 10.0, 10.0) for i in range(n)]
    codes = [f"{i:03d}" for i in range(n)]
    style = CategorizedStyle("code", {c: Symbol(fill=COLOURS[i % 3], stroke="#636363", label=c)
                                      for i, c in enumerate(codes)})
    layer = VectorLayer("grid", PolygonArrays.from_geometries(np.array(boxes, dtype=object)),
                        style, attributes=pd.DataFrame({"code": codes}))
    pens: list[Symbol] = []
    original = renderer._pen
    monkeypatch.setattr(renderer, "_pen", lambda sym, scale=1.0: pens.append(sym) or original(sym, scale))
    vp = Viewport(n * 10, 20, n * 5.0, 5.0, 1.0)  # 1 m a pixel: each box 10 px wide
    image = renderer_image(vp, LayerStack([layer]))
    assert len(pens) == 3
    # every box still has its own category's colour
    for i in (0, 1, 2, 150, 299):
        px, py = vp.map_to_device(i * 10.0 + 5.0, 5.0)
        assert image.pixelColor(int(px), int(py)).name() == COLOURS[i % 3]


def renderer_image(vp: Viewport, stack: LayerStack):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage, QPainter

    image = QImage(vp.width, vp.height, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    render_map(painter, vp, stack, RenderOptions(labels=False, antialias=False))
    painter.end()
    return image
