"""Auto-division: contiguous, exact cover, balanced; accept saves versions; cancel."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gridapp.errors import Cancelled, ValidationError
from gridapp.progress import CancelToken
from gridapp.services.division import accept_division, grid_count, propose_division
from gridapp.services.grids_history import current_grids
from gridapp.services.session import system_session


def _area_m2(geom, epsg):
    import geopandas as gpd

    return float(gpd.GeoSeries([geom], crs=4490).to_crs(epsg).area.iloc[0])


@pytest.mark.parametrize("community", [1, 3, 6])
def test_proposal_contiguous_exact_and_balanced(demo_workspace, community):
    session = system_session(demo_workspace)
    p = propose_division(session, community, households=(300, 500))
    g = np.asarray(p.grids.geometry.array, dtype=object)
    assert (shapely.get_type_id(g) == 3).all()  # each proposed grid one polygon
    assert shapely.is_valid(g).all()
    assert shapely.coverage_is_valid(g)
    comm = demo_workspace.get("community", community)["geom"]
    diff = shapely.symmetric_difference(shapely.union_all(g), comm)
    assert _area_m2(diff, demo_workspace.metric_epsg) < 1.0
    h = p.grids["households"].to_numpy()
    assert h.sum() == p.stats["total"]
    assert ((h >= 300) & (h <= 500)).mean() >= 0.8
    assert (p.grids["compactness"] > 0.2).all()


def test_number_of_grids_and_errors(demo_workspace):
    session = system_session(demo_workspace)
    p = propose_division(session, "520102003004", grids=5)
    assert len(p.grids) == 5 and p.grids["code"].iloc[0] == "520102003004001"
    assert grid_count(16000, (300, 500)) == 40
    with pytest.raises(ValidationError):
        propose_division(session, 1, grids=100000)
    with pytest.raises(ValidationError):
        propose_division(session, 1, households=(500, 300))


def test_cancel_and_progress(demo_workspace):
    session = system_session(demo_workspace)
    seen = []
    propose_division(session, 1, progress=lambda d, t, m="": seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1]
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        propose_division(session, 1, cancel=token)


def test_accept_replaces_community_grids(demo_workspace):
    session = system_session(demo_workspace)
    p = propose_division(session, 2)
    before = set(current_grids(session, 2)["id"])
    res = accept_division(session, p)
    assert not res.report.problems
    after = current_grids(session, 2)
    assert not before & set(after["id"]) and len(after) == len(p.grids)
    assert sorted(after["code"]) == sorted(p.grids["code"])
    assert set(before) <= set(res.closed)
    from gridapp.services.coverage import check_coverage

    rep = check_coverage(current_grids(session), demo_workspace.read_layer("community"),
                         id_field="id", community_id_field="id", community_field="community_id")
    assert rep.valid, rep.problems[:3]
    with pytest.raises(ValidationError):  # stale proposal
        accept_division(session, p)
