"""A grid edit redraws the grid layer without losing its place or chosen style."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from shapely.geometry import LineString

from gridapp.render.layers import VectorLayer
from gridapp.render.style import CategorizedStyle, SingleStyle, Symbol


def _vertical_cut(geom, out: float = 25.0) -> LineString:  # type: ignore[no-untyped-def]
    c = geom.centroid
    return LineString([(c.x, geom.bounds[1] - out), (c.x, geom.bounds[3] + out)])


def test_edit_keeps_a_categorised_grid_style(qtbot, window, editor):
    model, ws = window.layer_model, window.canvas.workspace
    rows, names = model.rowCount(), list(ws.stack.names)
    style = CategorizedStyle.from_values(
        "community_id", list(ws.data["grid"].layer.attributes["community_id"])
    )
    model.set_style("grid", style)
    model.set_visible("grid", False)
    model.set_opacity("grid", 0.4)
    window.canvas.set_selection("grid", [0, 1])
    editor.confirm = lambda report: True
    k = 10
    with qtbot.waitSignal(model.layersChanged), qtbot.waitSignal(model.layerReplaced):
        result = editor.split_with_line(_vertical_cut(editor.grids.metric[k]))
    assert result is not None
    layer = ws.stack["grid"]
    assert len(layer) == 61  # the new rows are drawn ...
    assert layer.style is style and layer.style.field == "community_id"  # ... as chosen
    assert not layer.visible and layer.opacity == 0.4
    assert model.rowCount() == rows and list(ws.stack.names) == names
    # The old rows' selection is gone; the editor selects what the edit made.
    assert sorted(editor.selected_ids()) == sorted(result.opened)
    # Undo redraws again, still in the chosen style.
    window.actions.trigger("gridapp.grid.undo")
    assert len(ws.stack["grid"]) == 60 and ws.stack["grid"].style is style


def _fresh(data, style, drop=()):  # type: ignore[no-untyped-def]
    """*data* read again: a new layer with *style* as its opening style."""
    layer = VectorLayer(
        "grid",
        data.layer.geometry,
        style,
        attributes=data.layer.attributes.drop(columns=list(drop)),
    )
    return replace(data, layer=layer)


def test_replace_falls_back_to_default_style_when_field_vanished(window):
    model, ws = window.layer_model, window.canvas.workspace
    old = ws.data["grid"]
    model.set_style("grid", CategorizedStyle.from_values("community_id", [1, 2]))
    default = SingleStyle(Symbol(fill="#abcdef"))
    model.replace_layer("grid", _fresh(old, default, drop=["community_id"]))
    assert ws.stack["grid"].style is default
    # Not chosen any more: the next read takes its own default too.
    again = SingleStyle(Symbol(fill="#fedcba"))
    model.replace_layer("grid", _fresh(old, again))
    assert ws.stack["grid"].style is again


def test_replace_takes_fresh_default_when_style_was_never_chosen(window):
    model, ws = window.layer_model, window.canvas.workspace
    fresh_style = SingleStyle(Symbol(fill="#abcdef"))
    window.canvas.set_selection("grid", [0, 1])
    model.replace_layer("grid", _fresh(ws.data["grid"], fresh_style))
    assert "grid" not in window.canvas.selection
    assert ws.stack["grid"].style is fresh_style
    assert np.all(ws.stack["grid"].classes == 0)
