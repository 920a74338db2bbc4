"""Address hints of the report import: the KD-tree search and the STRtree search give
every position the hint ``place_hint`` gives it alone (nearest named place or
building within 300 m; a place wins a tie)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from gridapp.services.cases import placement, report_import_place
from tests.services.test_reports import DX, DY, X0, Y0, make_street


@pytest.fixture
def crowded_street(empty_workspace):
    """The test street with 150 named buildings: small boxes (some overlapping each
    other), triangles, one block wider than the search reach with a courtyard, and
    named places, so positions fall inside, on, between and far from them."""
    street = make_street(empty_workspace)
    rng = np.random.default_rng(11)
    with street.store.transaction("test") as tx:
        for k in range(120):
            x = X0 + rng.uniform(0, 2 * DX)
            y = Y0 + rng.uniform(0, 2 * DY)
            w, h = rng.uniform(5e-5, 3e-4, 2)
            tx.insert("building", {"geom": box(x, y, x + w, y + h), "name": f"{k}栋",
                                   "address": f"测试路{k}号"})
        for k in range(20):  # a box overlapping one of the boxes above, 1 m smaller
            x = X0 + rng.uniform(0, 2 * DX)
            y = Y0 + rng.uniform(0, 2 * DY)
            tx.insert("building", {"geom": box(x, y, x + 2e-4, y + 2e-4), "name": f"甲{k}"})
            tx.insert("building", {"geom": box(x + 1e-5, y + 1e-5, x + 1.9e-4, y + 1.9e-4),
                                   "address": f"乙路{k}号"})
        for k in range(8):
            x = X0 + rng.uniform(0, 2 * DX)
            y = Y0 + rng.uniform(0, 2 * DY)
            tx.insert("building", {"geom": Polygon([(x, y), (x + 4e-4, y), (x, y + 1e-4)]),
                                   "name": f"三角{k}", "address": f"斜街{k}号"})
        big = box(X0 + 0.011, Y0 + 0.001, X0 + 0.019, Y0 + 0.009).difference(
            box(X0 + 0.014, Y0 + 0.004, X0 + 0.016, Y0 + 0.006))
        tx.insert("building", {"geom": big, "name": "大院"})
        for k in range(6):
            tx.insert("place", {"geom": Point(X0 + rng.uniform(0, 2 * DX),
                                              Y0 + rng.uniform(0, 2 * DY)),
                                "name": f"地点{k}"})
    return street


def _positions(store, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random positions over and around the street, a fifth on building corners
    and a fifth at building centres."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(X0 - 0.004, X0 + 0.024, n)
    lat = rng.uniform(Y0 - 0.004, Y0 + 0.014, n)
    rows = store.query("SELECT geom FROM building")
    from gridapp.storage import geometry

    geoms = geometry.decode_many([r["geom"] for r in rows])
    corners = shapely.get_coordinates(geoms)
    centres = shapely.get_coordinates(shapely.centroid(geoms))
    m = n // 5
    pick = rng.integers(0, len(corners), m)
    lon[:m], lat[:m] = corners[pick, 0], corners[pick, 1]
    pick = rng.integers(0, len(centres), m)
    lon[m:2 * m], lat[m:2 * m] = centres[pick, 0], centres[pick, 1]
    return lon, lat


@pytest.mark.parametrize("kd_from", [0, 10**9], ids=["kd-tree", "strtree"])
def test_hints_are_those_of_place_hint(crowded_street, monkeypatch, kd_from):
    monkeypatch.setattr(report_import_place, "_KD_FROM", kd_from)
    monkeypatch.setattr(report_import_place, "_KD_LOADED_FROM", kd_from)
    store = crowded_street.store
    lon, lat = _positions(store, 500, seed=5)
    hints = report_import_place.address_hints(store, lon, lat)
    one_by_one = [placement.place_hint(store, x, y) for x, y in zip(lon, lat, strict=True)]
    assert hints == one_by_one
    # The comparison met every kind of answer: none, at a building, near one.
    assert "" in hints
    assert any(h and "附近" not in h for h in hints)
    assert sum("附近" in h for h in hints) > 50


def test_kd_tree_asks_again_where_vertices_crowd(crowded_street, monkeypatch):
    """With room for only two vertices a position, most positions spill over to the
    wider search and then to the STRtree; the hints stay the same."""
    store = crowded_street.store
    lon, lat = _positions(store, 300, seed=9)
    monkeypatch.setattr(report_import_place, "_KD_FROM", 10**9)
    monkeypatch.setattr(report_import_place, "_KD_LOADED_FROM", 10**9)
    expected = report_import_place.address_hints(store, lon, lat)
    monkeypatch.setattr(report_import_place, "_KD_FROM", 0)
    monkeypatch.setattr(report_import_place, "_KD_NEIGHBOURS", (2, 3))
    assert report_import_place.address_hints(store, lon, lat) == expected


def test_deep_polygons_are_the_wide_and_the_overlapped():
    small = box(0, 0, 1e-4, 1e-4)
    inner = box(2e-5, 2e-5, 8e-5, 8e-5)  # inside `small`
    apart = box(1e-3, 0, 1.1e-3, 1e-4)
    touching = box(1.1e-3, 0, 1.2e-3, 1e-4)  # shares an edge with `apart`
    wide = box(0, 1e-3, 0.01, 0.011)  # ~1 km on each side
    geoms = np.array([small, inner, apart, touching, wide, Point(0.5, 0.5)], dtype=object)
    scaled = shapely.transform(geoms, lambda xy: xy * 111_320.0)
    assert report_import_place._deep_polygons(geoms, scaled, 300.0).tolist() == [0, 1, 4]
