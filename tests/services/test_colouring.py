"""Grid colouring: neighbours always differ, corners may share, deterministic."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from gridapp.errors import CRSError
from gridapp.services.grids.colouring import (
    GRID_PALETTE,
    colour_graph,
    colour_grids,
    grid_adjacency,
    palette_colour,
)

# A CGCS2000 GK zone 36 origin, so projected test data looks like real data.
X0, Y0 = 36_500_000.0, 2_940_000.0


def _conflicts(colouring) -> int:
    return sum(colouring.indices[i] == colouring.indices[j]
               for i, ns in enumerate(colouring.neighbours) for j in ns)


def _voronoi(n: int, seed: int, size: float = 20_000.0) -> gpd.GeoSeries:
    rng = np.random.default_rng(seed)
    frame = box(X0, Y0, X0 + size, Y0 + size)
    pts = shapely.multipoints(rng.uniform(0, size, (n, 2)) + [X0, Y0])
    cells = shapely.get_parts(shapely.voronoi_polygons(pts, extend_to=frame))
    return gpd.GeoSeries(shapely.intersection(cells, frame), crs=4524)


def test_demo_street_neighbours_differ(demo_file):
    from gridapp.storage import open_store

    with open_store(demo_file, readonly=True) as store:
        grids = store.read_layer("grid", "valid_to IS NULL")
    grids = grids.sort_values("code").reset_index(drop=True)
    colouring = colour_grids(grids)
    assert grids.crs.to_epsg() == 4490  # geographic input is projected inside
    assert _conflicts(colouring) == 0
    assert colouring.n_colours <= 5
    # every grid of a tiling has neighbours; the adjacency is symmetric
    assert all(colouring.neighbours)
    for i, ns in enumerate(colouring.neighbours):
        assert all(i in colouring.neighbours[j] for j in ns)
    # the same input gives the same colours
    assert colour_grids(grids).indices == colouring.indices


@pytest.mark.parametrize("n_colours", [4, 5, 6])
def test_voronoi_coverage_of_5000_polygons(n_colours):
    cells = _voronoi(5000, seed=7)
    assert len(cells) == 5000
    colouring = colour_grids(cells, n_colours=n_colours)
    assert _conflicts(colouring) == 0
    assert colouring.n_colours <= max(n_colours, 5)
    # a Voronoi tiling's cells have about six neighbours on average
    assert 5.5 < np.mean([len(ns) for ns in colouring.neighbours]) < 6.1
    if n_colours >= 5:
        counts = np.bincount(colouring.indices)
        assert counts.max() - counts.min() <= 0.05 * len(cells)  # balanced


def test_corner_touching_grids_may_share_a_colour():
    # a 2x2 checkerboard of 100 m squares: diagonals meet at one point only
    squares = gpd.GeoSeries([box(X0 + x, Y0 + y, X0 + x + 100, Y0 + y + 100)
                             for x in (0, 100) for y in (0, 100)], crs=4524)
    adjacency = grid_adjacency(squares)
    assert adjacency == [[1, 2], [0, 3], [0, 3], [1, 2]]
    colouring = colour_grids(squares, n_colours=2)
    assert colouring.n_colours == 2
    assert colouring.indices[0] == colouring.indices[3]


def test_near_miss_boundaries_still_neighbours():
    # a 5 cm sliver between two grids (an unclean coverage) keeps them apart in colour
    a = box(X0, Y0, X0 + 100, Y0 + 100)
    b = box(X0 + 100.05, Y0, X0 + 200, Y0 + 100)
    far = box(X0 + 101, Y0 + 200, X0 + 200, Y0 + 300)
    assert grid_adjacency(gpd.GeoSeries([a, b, far], crs=4524)) == [[1], [0], []]


def test_graph_that_needs_more_colours_uses_overflow():
    k6 = [[j for j in range(6) if j != i] for i in range(6)]
    colours = colour_graph(k6, n_colours=5)
    assert sorted(colours) == [0, 1, 2, 3, 4, 5]
    assert palette_colour(5, GRID_PALETTE[:5]) not in GRID_PALETTE[:5]


def test_kempe_swap_keeps_four_colours_on_a_wheel():
    # wheel with an odd rim needs 4 colours; DSatur order must not need a 5th
    rim = 7
    adj = [[] for _ in range(rim + 1)]
    for i in range(rim):
        for j in ((i + 1) % rim, rim):
            adj[i].append(j)
            adj[j].append(i)
    colours = colour_graph(adj, n_colours=4)
    assert max(colours) <= 3
    assert all(colours[i] != colours[j] for i, ns in enumerate(adj) for j in ns)


def test_missing_crs_is_refused():
    with pytest.raises(CRSError, match="set_crs"):
        grid_adjacency(gpd.GeoSeries([box(0, 0, 1, 1)]))


def test_empty_input():
    assert colour_grids(gpd.GeoSeries([], crs=4490)).indices == ()


def test_palette_is_soft_and_distinct():
    assert 4 <= len(GRID_PALETTE) <= 6 and len(set(GRID_PALETTE)) == len(GRID_PALETTE)
    for colour in GRID_PALETTE:  # light enough for black labels
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert 0.2126 * r + 0.7152 * g + 0.0722 * b > 180


def _overlay_adjacency(geoms, tolerance_m=0.2, min_shared_m=1.0):
    """Reference: every pair measured by the overlay (boundary ∩ buffered neighbour)."""
    geoms = np.asarray(geoms, dtype=object)
    out = [[] for _ in geoms]
    for i, a in enumerate(geoms):
        for j, b in enumerate(geoms):
            if i != j and shapely.dwithin(a, b, tolerance_m):
                grown = shapely.buffer(b, tolerance_m, quad_segs=2)
                if shapely.length(shapely.intersection(shapely.boundary(a), grown)) >= min_shared_m:
                    out[i].append(j)
    return out


def test_shared_edge_shortcut_agrees_with_the_overlay():
    # Cases where identical edges alone would mislead: an edge split by an extra
    # vertex on one side only, a shared edge shorter than min_shared_m (0.6 m)
    # (0.9 m with the tolerance), exact shared edges just under and over 1 m, a polygon
    # with a hole whose inner ring is another grid's outer ring.
    sq = lambda x0, y0, x1, y1: box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)  # noqa: E731
    split = shapely.Polygon([(X0 + 100, Y0), (X0 + 200, Y0), (X0 + 200, Y0 + 100),
                             (X0 + 100, Y0 + 100), (X0 + 100, Y0 + 40)])
    geoms = [
        sq(0, 0, 100, 100), split,                        # split edge: neighbours
        sq(300, 0, 300.5, 0.5), sq(300.5, 0, 301, 0.5),     # identical 0.5 m edge only
        sq(500, 0, 500.999, 10), sq(500.999, 0, 510, 0.999),
        sq(600, 0, 601.001, 10), sq(601.001, 0, 610, 1.001),
        shapely.Polygon(sq(700, 0, 800, 100).exterior.coords,
                        [sq(740, 40, 760, 60).exterior.coords]),
        sq(740, 40, 760, 60),
        sq(0, 200, 100, 300), sq(100.1, 200, 200, 300.0),  # sliver, no shared vertex
        None, shapely.Polygon(),                           # missing and empty rows
        sq(200.15, 200, 300, 300),  # 15 cm from the last square
    ]
    series = gpd.GeoSeries(geoms, crs=4524)
    expected = _overlay_adjacency(geoms)
    assert expected[0] == [1] and expected[2] == [] and expected[8] == [9] and expected[10] == [11]
    assert expected[12] == expected[13] == [] and expected[14] == [11]
    assert grid_adjacency(series) == expected


def test_voronoi_adjacency_agrees_with_the_overlay():
    cells = _voronoi(150, seed=3, size=3_000.0)
    assert grid_adjacency(cells) == _overlay_adjacency(cells.to_numpy())
