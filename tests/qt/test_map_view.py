"""Issue 22/21: a district opens with reports counted per grid, detail by view.

Counts, not times: at district zoom no report row is read or decoded (the
aggregate is one GROUP BY); zoomed in, the reports inside the view are read
through the R-tree, and the 聚合显示 switch brings every report back.  The demo
street is small, so the thresholds are lowered to make it "a district".
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import shapely

from gridapp.qt import layer_data, window_workspace
from gridapp.qt.layer_data import DENSITY, load_view_layer, load_workspace_layers
from gridapp.render.viewport import Viewport

NOW = datetime(2026, 12, 3, tzinfo=UTC)


def _since_iso(ws) -> str:  # type: ignore[no-untyped-def]
    return ws.report_since.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def store(demo_copy):  # type: ignore[no-untyped-def]
    from gridapp.storage import open_store

    s = open_store(demo_copy, readonly=True)
    yield s
    s.close()


@pytest.fixture
def decoded(monkeypatch):  # type: ignore[no-untyped-def]
    """Number of geometry blobs decoded, per call."""
    from gridapp.storage import geometry

    seen: list[int] = []
    real = geometry.decode_many

    def counting(blobs):  # type: ignore[no-untyped-def]
        seen.append(len(blobs))
        return real(blobs)

    monkeypatch.setattr(geometry, "decode_many", counting)
    return seen


def test_district_zoom_reads_no_report_row(store, demo_copy, decoded):
    first = load_workspace_layers(store, names=["grid"], now=NOW)
    decoded.clear()
    later = load_workspace_layers(store, names=["building", "report"], now=NOW,
                                  window_above=100, grids=first.data["grid"])
    assert sum(decoded) == 0  # not one report or building geometry decoded
    assert set(later.windowed) == {"building", "report"}
    assert len(later.data["report"].layer) == 0
    assert len(later.data["building"].layer) == 0
    dens = later.data[DENSITY]
    assert len(dens.layer) == len(first.data["grid"].layer)
    # The counts per grid are those of the file, counted here independently.
    with sqlite3.connect(demo_copy) as conn:
        expected = dict(conn.execute(
            "SELECT grid_id, COUNT(*) FROM report WHERE reported_at >= ? "
            "AND grid_id IS NOT NULL GROUP BY grid_id", (_since_iso(later),)).fetchall())
    got = dict(zip(dens.layer.attributes["id"].tolist(),
                   dens.layer.attributes["reports"].tolist(), strict=True))
    assert {k: v for k, v in got.items() if v} == expected
    assert sum(expected.values()) > 100
    # Grids without reports are not filled; the others are classed by density.
    classes = dens.layer.classes
    empty = np.asarray(dens.layer.attributes["reports"]) == 0
    assert (classes[empty] == len(dens.layer.style.colours)).all()
    assert len(set(classes[~empty].tolist())) >= 3


def test_a_view_reads_the_reports_inside_it(store):
    first = load_workspace_layers(store, names=["grid"], now=NOW)
    full = load_workspace_layers(store, names=["report"], now=NOW).data["report"]
    x0, y0, x1, y1 = first.extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    extent = (cx - 400, cy - 300, cx + 400, cy + 300)
    got = load_view_layer(store, "report", extent, first.epsg,
                          since=NOW - timedelta(days=layer_data.DEFAULT_REPORT_DAYS))
    assert got is not None
    inside = shapely.contains_xy(shapely.box(*extent), shapely.get_x(full.geoms),
                                 shapely.get_y(full.geoms))
    want = set(np.asarray(full.ids)[inside].tolist())
    have = set(np.asarray(got.ids).tolist())
    assert want and want <= have  # every report in the view ...
    assert len(have) < len(full.ids) / 2  # ... and not the whole street
    assert load_view_layer(store, "report", extent, first.epsg, limit=len(want) - 1) is None


def _view(canvas, scale: float) -> Viewport:  # type: ignore[no-untyped-def]
    x0, y0, x1, y1 = canvas.workspace.data["grid"].layer.extent
    vp = Viewport(canvas.width(), canvas.height(), (x0 + x1) / 2, (y0 + y1) / 2, 1.0)
    return vp.with_scale(scale)


def test_window_draws_the_aggregate_zoomed_out_and_reports_zoomed_in(
        make_window, demo_copy, qtbot, monkeypatch):
    monkeypatch.setattr(window_workspace, "WINDOW_ABOVE", 100)
    window = make_window(demo_copy)
    canvas, loader = window.canvas, window.view_loader()
    ws = canvas.workspace
    assert set(ws.windowed) == {"building", "report"}
    assert loader.switch.isEnabled() and loader.switch.isChecked()
    assert loader.switch.text() == "聚合显示"
    order = ws.stack.names  # the aggregate over the grid fills, under the outlines
    assert order.index("grid") < order.index(DENSITY) < order.index("community")

    canvas.set_viewport(_view(canvas, 100_000))
    names = canvas.drawn_stack().names
    assert DENSITY in names and "report" not in names and "building" not in names
    # Zoomed out, rows read for an earlier view are let go.
    qtbot.waitUntil(lambda: not loader.workers and ws.windowed["report"] is None
                    and len(ws.data["report"].layer) == 0, timeout=20_000)

    canvas.set_viewport(_view(canvas, 1_500))
    qtbot.waitUntil(lambda: len(ws.data["report"].layer) > 0, timeout=20_000)
    qtbot.waitUntil(lambda: len(ws.data["building"].layer) > 0, timeout=20_000)
    names = canvas.drawn_stack().names
    assert "report" in names and DENSITY not in names
    shown = len(ws.data["report"].layer)
    with sqlite3.connect(demo_copy) as conn:
        recent = conn.execute("SELECT COUNT(*) FROM report WHERE reported_at >= ?",
                              (_since_iso(ws),)).fetchone()[0]
    assert 0 < shown < recent

    loader.switch.setChecked(False)  # every report, at every scale
    qtbot.waitUntil(lambda: len(ws.data["report"].layer) == recent, timeout=30_000)
    canvas.set_viewport(_view(canvas, 100_000))
    names = canvas.drawn_stack().names
    assert "report" in names
    assert not ws.stack[DENSITY].visible
    qtbot.waitUntil(lambda: not loader.workers, timeout=20_000)
