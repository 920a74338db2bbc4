"""Point-to-grid assignment against geopandas.sjoin, edges, overlaps, both code paths."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from gridapp.services.cases import spatial_join
from gridapp.services.cases.spatial_join import (
    NO_GRID,
    assign_point,
    assign_points_to_grids,
)


def voronoi_grids(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    frame = box(106.6, 26.5, 106.7, 26.6)
    seeds = shapely.multipoints(rng.random((n, 2)) * 0.1 + [106.6, 26.5])
    cells = shapely.intersection(
        shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame)), frame
    )
    return gpd.GeoDataFrame(
        {"id": np.arange(100, 100 + len(cells))}, geometry=cells, crs=4490
    )


@pytest.mark.parametrize("n_points", [500, 50_000])  # tree path and cell-index path
def test_matches_sjoin_within(n_points):
    grids = voronoi_grids(300)
    rng = np.random.default_rng(2)
    x = 106.595 + rng.random(n_points) * 0.11
    y = 26.495 + rng.random(n_points) * 0.11
    got = assign_points_to_grids(x, y, grids, boundary=False)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=4490)
    joined = gpd.sjoin(pts, grids, predicate="within", how="left")
    ref = (
        joined[~joined.index.duplicated()]["id"]
        .fillna(NO_GRID)
        .astype(np.int64)
        .to_numpy()
    )
    np.testing.assert_array_equal(got, ref)
    assert (got == NO_GRID).any() and (got != NO_GRID).any()


@pytest.mark.parametrize("many", [False, True])
def test_edges_overlaps_and_missing(many, monkeypatch):
    if many:
        monkeypatch.setattr(spatial_join, "_CELL_INDEX_MIN_POINTS", 1)
    polys = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(0.5, 0.5, 1.5, 1.5), None]
    x = np.array([0.25, 1.0, 0.75, 5.0, np.nan, 1.75, 2.0])
    y = np.array([0.25, 0.25, 0.75, 5.0, 0.5, 0.25, 0.5])
    got = assign_points_to_grids(x, y, polys)
    # shared edge → lowest id; overlap → lowest id; outside, NaN → none; outer edge → covers
    assert got.tolist() == [0, 0, 0, NO_GRID, NO_GRID, 1, 1]
    within = assign_points_to_grids(x, y, polys, boundary=False)
    assert within.tolist() == [0, NO_GRID, 0, NO_GRID, NO_GRID, 1, NO_GRID]


def test_ids_from_column_and_single_point():
    grids = gpd.GeoDataFrame(
        {"id": [7, 9]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)]
    )
    assert assign_point(1.5, 0.5, grids) == 9
    assert assign_point(3, 3, grids) is None
    assert assign_points_to_grids([], [], grids).tolist() == []
    with pytest.raises(ValueError):
        assign_points_to_grids([1, 2], [1], grids)
