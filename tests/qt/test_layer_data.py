"""Bad geometries: the rest still draws, the bad features are listed."""

from __future__ import annotations

import geopandas as gpd
import shapely
from PySide6.QtGui import QColor, QImage, QPainter

from gridapp.qt.layer_data import SOURCES, make_layer_data
from gridapp.render.layers import LayerStack
from gridapp.render.renderer import RenderOptions, render_map
from gridapp.render.viewport import Viewport

GRID = next(s for s in SOURCES if s.name == "grid")
REPORT = next(s for s in SOURCES if s.name == "report")
X0, Y0 = 36_500_000.0, 2_930_000.0


def test_polygon_layer_with_bad_geometries_draws_the_rest(qapp) -> None:  # type: ignore[no-untyped-def]
    good = shapely.box(X0, Y0, X0 + 100, Y0 + 100)
    bowtie = shapely.Polygon(
        [(X0 + 200, Y0), (X0 + 300, Y0 + 100), (X0 + 300, Y0), (X0 + 200, Y0 + 100)]
    )
    frame = gpd.GeoDataFrame(
        {"id": [1, 2, 3, 4, 5], "code": ["a", "b", "c", "d", "e"]},
        geometry=[good, None, shapely.Polygon(), bowtie, shapely.Point(X0, Y0)],
        crs=4524,
    )
    data = make_layer_data(GRID, frame, 4524)
    reasons = {(b.fid, b.reason, b.drawn) for b in data.bad}
    assert reasons == {
        (2, "missing", False),
        (3, "empty", False),
        (4, "invalid", True),
        (5, "type", False),
    }
    assert len(data.layer) == 5  # rows stay aligned with the attribute table
    vp = Viewport.fit((X0 - 10, Y0 - 10, X0 + 310, Y0 + 110), 320, 120)
    img = QImage(320, 120, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(img)
    stats = render_map(p, vp, LayerStack([data.layer]), RenderOptions(labels=False))
    p.end()
    assert stats.drawn["grid"] >= 2
    fill = QColor(data.layer.symbols[0].fill)
    px, py = vp.map_to_device(X0 + 50, Y0 + 50)
    assert img.pixelColor(int(px), int(py)).rgb() == fill.rgb()


def test_point_layer_with_missing_points(qapp) -> None:  # type: ignore[no-untyped-def]
    frame = gpd.GeoDataFrame(
        {"id": [10, 11, 12], "status": ["closed", "reported", "closed"]},
        geometry=[shapely.Point(X0, Y0), None, shapely.Point()],
        crs=4524,
    )
    data = make_layer_data(REPORT, frame, 4524)
    assert [(b.fid, b.reason) for b in data.bad] == [(11, "missing"), (12, "empty")]
    assert len(data.layer.geometry.query((X0 - 1, Y0 - 1, X0 + 1, Y0 + 1))) == 1
    assert shapely.is_empty(data.geoms[1])
