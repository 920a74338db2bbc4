from __future__ import annotations

import numpy as np
import pytest

from gridapp.render.viewport import Viewport, ViewportError


def test_fit_keeps_aspect_and_shows_whole_extent():
    vp = Viewport.fit((100.0, 200.0, 1100.0, 400.0), 200, 100)
    assert vp.resolution == pytest.approx(5.0)
    xmin, ymin, xmax, ymax = vp.extent
    assert xmin <= 100 and xmax >= 1100 and ymin <= 200 and ymax >= 400
    assert (xmax - xmin) / (ymax - ymin) == pytest.approx(2.0)


def test_map_device_round_trip_and_y_flip():
    vp = Viewport(400, 300, 36_500_000.0, 2_930_000.0, 2.5)
    x = np.array([36_499_700.0, 36_500_123.4])
    y = np.array([2_929_900.0, 2_930_050.0])
    px, py = vp.map_to_device(x, y)
    bx, by = vp.device_to_map(px, py)
    assert np.allclose(bx, x) and np.allclose(by, y)
    # north is up: a larger y is a smaller device row
    assert py[1] < py[0]
    assert vp.map_to_device(vp.center_x, vp.center_y) == pytest.approx((200.0, 150.0))


def test_zoom_at_keeps_point_under_cursor():
    vp = Viewport(800, 600, 0.0, 0.0, 10.0)
    before = vp.device_to_map(123.0, 456.0)
    zoomed = vp.zoom_at(123.0, 456.0, 4.0)
    assert zoomed.resolution == pytest.approx(2.5)
    assert zoomed.device_to_map(123.0, 456.0) == pytest.approx(before)


def test_pan_moves_content_with_the_mouse():
    vp = Viewport(800, 600, 0.0, 0.0, 10.0)
    panned = vp.pan_pixels(30, -20)
    # the map point that was at (100, 100) is now at (130, 80)
    mx, my = vp.device_to_map(100, 100)
    assert panned.map_to_device(mx, my) == pytest.approx((130.0, 80.0))
    assert panned.offset_of(vp) == pytest.approx((30.0, -20.0))
    assert vp.zoom_at(0, 0, 2).offset_of(vp) is None


def test_scale_denominator_at_dpi():
    vp = Viewport(100, 100, 0, 0, 1.0, dpi=96)
    assert vp.scale_denominator == pytest.approx(96 / 0.0254)
    assert vp.with_scale(10_000).scale_denominator == pytest.approx(10_000)


def test_affine_matches_map_to_device():
    vp = Viewport(640, 480, 500.0, 800.0, 0.5)
    m11, m12, m21, m22, dx, dy = vp.affine()
    x, y = 512.3, 790.1
    assert (m11 * x + m21 * y + dx, m12 * x + m22 * y + dy) == pytest.approx(vp.map_to_device(x, y))


@pytest.mark.parametrize("kwargs", [dict(width=0), dict(resolution=0.0), dict(resolution=float("nan"))])
def test_bad_viewport_is_refused(kwargs):
    args = dict(width=10, height=10, center_x=0.0, center_y=0.0, resolution=1.0) | kwargs
    with pytest.raises(ViewportError):
        Viewport(**args)
    with pytest.raises(ViewportError):
        Viewport(10, 10, 0, 0, 1.0).zoom_at(0, 0, 0)
