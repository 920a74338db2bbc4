"""The point-to-grid cell index grows with the points, not with a fixed count per grid."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gridapp.services.cases import spatial_join
from gridapp.services.cases.spatial_join import assign_points_to_grids


def grid_cells(n: int) -> np.ndarray:
    rng = np.random.default_rng(4)
    frame = shapely.box(0, 0, 1000, 1000)
    seeds = shapely.multipoints(rng.random((n, 2)) * 1000)
    return shapely.intersection(
        shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame)), frame)


@pytest.mark.parametrize("n_points,n_grids,cells_lo,cells_hi", [
    (30_000, 300, 2_400, 3_600),     # ~1 cell per 10 points
    (30_000, 3_000, 6_000, 6_600),   # at least 2 cells per grid
    (400_000, 300, 7_000, 7_400),    # at most 24 cells per grid
])
def test_cells_follow_the_points(n_points, n_grids, cells_lo, cells_hi, monkeypatch):
    polys = grid_cells(n_grids)
    made: list[int] = []
    box = shapely.box

    def counting_box(*args, **kw):  # type: ignore[no-untyped-def]
        out = box(*args, **kw)
        made.append(np.size(out))
        return out

    monkeypatch.setattr(spatial_join.shapely, "box", counting_box)
    rng = np.random.default_rng(5)
    x, y = rng.random(n_points) * 1000, rng.random(n_points) * 1000
    got = assign_points_to_grids(x, y, polys)
    assert cells_lo <= sum(made) <= cells_hi, sum(made)
    # and the answer is the plain point-in-polygon one
    sample = rng.choice(n_points, 300, replace=False)
    for i in sample:
        hit = np.flatnonzero(shapely.intersects_xy(polys, x[i], y[i]))
        assert got[i] == (hit.min() if len(hit) else -1)
