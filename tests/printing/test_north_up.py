"""Printed maps are north-up: a meridian in Urumqi is drawn (almost) vertical.

The page is drawn in the workspace's metric CRS, whose grid north leans from
true north by the meridian convergence γ ≈ Δλ·sin φ (Δλ: distance to the
central meridian).  In the street's own 3° zone |Δλ| ≤ 1.5°, so |γ| < 1.1°
at Urumqi's latitude; in EPSG:4524 (central meridian 108°E, the old fallback)
Urumqi lies 20° away and the map leaned 14°.  The expectation (vertical,
within the convergence bound) comes from that geometry, not from GridApp.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from gridapp.services.grids.importer import import_file
from gridapp.services.session import system_session
from tests.services.test_metric_crs import STREETS, make_workspace, write_boundaries


@pytest.fixture
def urumqi_store(tmp_path):
    comm_file, grid_file, _ = write_boundaries(tmp_path, "urumqi")
    store = make_workspace(tmp_path, "urumqi")
    session = system_session(store)
    import_file(session, comm_file, "community", mapping={"name": "名称", "code": "代码"})
    import_file(session, grid_file, "grid", mapping={"name": "名称", "code": "编码"})
    yield store
    store.close()


def _lean_degrees(p0, p1) -> float:
    """Angle of the page segment p0→p1 from the page's vertical, in degrees."""
    (x0, y0), (x1, y1) = p0, p1
    return math.degrees(math.atan2(x1 - x0, -(y1 - y0)))


def test_a_meridian_in_urumqi_is_drawn_vertical_on_the_poster(urumqi_store, gui_app):
    from gridapp.printing.layout import make_poster_spec
    from gridapp.printing.output import render_image
    from gridapp.printing.template import Paper, load_template
    from gridapp.services.maps_out.print_data import load_print_data

    data = load_print_data(system_session(urumqi_store), context=True)
    spec = make_poster_spec(data, load_template(), Paper.of("A3", "landscape"), dpi=72)
    pages: list = []
    render_image(spec, pages)
    vp = pages[0].viewport
    assert vp is not None

    # The first grid's east edge runs along a meridian (the test cut the community
    # at one longitude); take it as the page draws it.
    (_lon, lat), _ = STREETS["urumqi"]
    stored = urumqi_store.read_layer("grid", "valid_to IS NULL").sort_values("code")
    assert list(data.grids["code"]) == list(stored["code"])
    ring = shapely.get_coordinates(stored.geometry.iloc[0].exterior)[:-1]
    drawn = shapely.get_coordinates(data.grids.geometry.iloc[0].exterior)[:-1]
    east = np.flatnonzero(ring[:, 0] == ring[:, 0].max())
    assert len(east) == 2  # two corners on the cut meridian
    south, north = (drawn[i] for i in sorted(east, key=lambda i: ring[i, 1]))
    lean = _lean_degrees(vp.map_to_device(*south), vp.map_to_device(*north))

    # Meridian convergence bound for a point within 1.5° of its zone's meridian.
    bound = math.degrees(math.radians(1.5) * math.sin(math.radians(lat)))
    assert abs(lean) < bound, lean
