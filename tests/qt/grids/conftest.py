"""Fixtures for the grid editor tests: the window's grids feature and map events."""

from __future__ import annotations

import pytest


@pytest.fixture
def grids_feature(window):  # type: ignore[no-untyped-def]
    """The grid-editing feature of a loaded window (demo street, admin)."""
    from gridapp.qt.features.grids import GridsFeature

    feature = next(f for f in window.features if isinstance(f, GridsFeature))
    assert feature.editor.grids is not None and len(feature.editor.grids) == 60
    # A split saves the proposed pieces without the modal dialog (test_split_dialog.py
    # drives the dialog itself).
    feature.editor.edit_split = lambda plan: [{} for _ in plan.pieces]
    return feature


@pytest.fixture
def editor(grids_feature):  # type: ignore[no-untyped-def]
    return grids_feature.editor


def make_event(canvas, x: float, y: float, button: str = "left", **kw):  # type: ignore[no-untyped-def]
    """A MapEvent at map point (x, y) with its device position on *canvas*."""
    from gridapp.qt.tools import MapEvent

    px, py = canvas.viewport.map_to_device(x, y)
    return MapEvent(x, y, px, py, button, **kw)


def zoom_around(canvas, geom, margin: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    x0, y0, x1, y1 = geom.bounds
    canvas.zoom_to_extent((x0 - margin, y0 - margin, x1 + margin, y1 + margin))
