"""Auto-division: contiguous, exact cover, balanced; accept saves versions; cancel."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gridapp.errors import Cancelled, ValidationError
from gridapp.progress import CancelToken
from gridapp.services.grids.division import (
    accept_division,
    grid_count,
    propose_division,
)
from gridapp.services.grids.history import current_grids
from gridapp.services.session import system_session


def _grid_codes(store) -> list[str]:
    import pyogrio

    return list(pyogrio.read_dataframe(store.path, layer="grid", read_geometry=False)["code"])


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
    # Special grids (专属网格) stay: the proposal covers the rest of the community.
    special = [demo_workspace.get("grid", i)["geom"] for i in p.kept]
    assert [demo_workspace.get("grid", i)["kind"] for i in p.kept] == ["special"] * len(p.kept)
    diff = shapely.symmetric_difference(shapely.union_all([*g, *special]), comm)
    assert _area_m2(diff, demo_workspace.metric_epsg) < 1.0
    if special:
        overlap = shapely.intersection(shapely.union_all(g), shapely.union_all(special))
        assert _area_m2(overlap, demo_workspace.metric_epsg) < 1.0
    h = p.grids["households"].to_numpy()
    assert h.sum() == p.stats["total"]
    assert ((h >= 300) & (h <= 500)).mean() >= 0.8
    assert (p.grids["compactness"] > 0.2).all()


def test_number_of_grids_and_errors(demo_workspace):
    session = system_session(demo_workspace)
    p = propose_division(session, "520102003004", grids=5)
    # Codes continue after the community's highest code (read by GDAL, not GridApp).
    top = max(int(c[12:]) for c in _grid_codes(demo_workspace) if c[:12] == "520102003004")
    assert len(p.grids) == 5
    assert list(p.grids["code"]) == [f"520102003004{top + k:03d}" for k in range(1, 6)]
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
    before = current_grids(session, 2)
    special = before[before["kind"] == "special"]
    assert len(special) == 1 and p.kept == [int(special["id"].iloc[0])]
    basic = set(before["id"]) - set(p.kept)
    res = accept_division(session, p)
    assert not res.report.problems
    after = current_grids(session, 2)
    assert not basic & set(after["id"]) and len(after) == len(p.grids) + 1
    # The special grid is still there with its code and shape.
    kept = after[after["kind"] == "special"]
    assert list(kept["code"]) == list(special["code"])
    moved = shapely.symmetric_difference(kept.geometry.iloc[0], special.geometry.iloc[0])
    assert _area_m2(moved, demo_workspace.metric_epsg) < 0.01  # at most a vertex inserted
    assert sorted(after[after["kind"] == "basic"]["code"]) == sorted(p.grids["code"])
    assert basic <= set(res.closed)
    from gridapp.services.grids.coverage import check_coverage

    rep = check_coverage(current_grids(session), demo_workspace.read_layer("community"),
                         id_field="id", community_id_field="id", community_field="community_id")
    assert rep.valid, rep.problems[:3]
    with pytest.raises(ValidationError):  # stale proposal
        accept_division(session, p)


# ------------------------------------------- without buildings, multipart, numbering
def _with_communities(store, parts_by_code):
    """Communities drawn in Guiyang's Gauss-Krüger metres (EPSG:4524), no buildings."""
    import geopandas as gpd
    from pyproj import Transformer
    from shapely.geometry import MultiPolygon, box

    from gridapp.services.grids.importer import import_communities

    x0, y0 = (round(v) for v in Transformer.from_crs(4490, 4524, always_xy=True)
              .transform(106.70, 26.57))
    # Vertices every 100 m, so neighbouring communities share theirs.
    geoms = [MultiPolygon([shapely.segmentize(box(x0 + a, y0 + b, x0 + c, y0 + d), 100)
                           for a, b, c, d in parts]) for parts in parts_by_code.values()]
    frame = gpd.GeoDataFrame({"name": [f"社区{c[-3:]}" for c in parts_by_code],
                              "code": list(parts_by_code)}, geometry=geoms, crs=4524)
    return import_communities(system_session(store), frame.to_crs(4490))


def _check_saved(store):
    from gridapp.services.grids.coverage import check_coverage
    from gridapp.services.integrity import check_workspace

    session = system_session(store)
    rep = check_coverage(current_grids(session), store.read_layer("community"), id_field="id",
                         community_id_field="id", community_field="community_id")
    assert rep.valid, rep.problems[:3]
    assert [p for p in check_workspace(store) if p.severity == "error"] == []


def test_divide_without_buildings_by_count_and_by_area(empty_workspace):
    (cid,) = _with_communities(empty_workspace, {"520102003001": [(0, 0, 600, 400)]})
    session = system_session(empty_workspace)
    with pytest.raises(ValidationError) as err:
        propose_division(session, cid)  # households: there are none
    assert "--grids" in str(err.value)
    p = propose_division(session, cid, grids=4)
    assert p.by_area and len(p.grids) == 4
    g = np.asarray(p.grids.geometry.array, dtype=object)
    assert (shapely.get_type_id(g) == 3).all() and shapely.coverage_is_valid(g)
    areas = [_area_m2(x, 4524) for x in g]
    assert sum(areas) == pytest.approx(240_000, rel=1e-6)
    assert max(areas) / min(areas) < 1.25  # balanced by area
    assert list(p.grids["code"]) == [f"520102003001{k:03d}" for k in range(1, 5)]
    assert "按面积" in p.summary()
    by_area = propose_division(session, cid, area_m2=40_000)
    assert len(by_area.grids) == 6
    accept_division(session, p)
    assert current_grids(session)["households"].isna().all()  # nothing was counted
    _check_saved(empty_workspace)


def test_divide_a_multipart_community(empty_workspace):
    parts = [(0, 0, 300, 300), (400, 0, 600, 200)]
    (cid,) = _with_communities(empty_workspace, {"520102003002": parts})
    session = system_session(empty_workspace)
    p = propose_division(session, cid, grids=3)
    g = np.asarray(p.grids.geometry.array, dtype=object)
    assert (shapely.get_type_id(g) == 3).all() and shapely.is_valid(g).all()
    comm = empty_workspace.get("community", cid)["geom"]
    assert _area_m2(shapely.symmetric_difference(shapely.union_all(g), comm), 4524) < 1.0
    # Every grid lies in one part; each part has at least one grid.
    owner = [[_area_m2(shapely.intersection(x, part), 4524) > 1 for part in comm.geoms]
             for x in g]
    assert all(sum(o) == 1 for o in owner) and all(any(col) for col in zip(*owner, strict=True))
    accept_division(session, p)
    _check_saved(empty_workspace)


def test_divide_again_never_reuses_a_code(empty_workspace):
    (cid,) = _with_communities(empty_workspace, {"520102003003": [(0, 0, 400, 400)]})
    session = system_session(empty_workspace)
    first = accept_division(session, propose_division(session, cid, grids=4))
    assert sorted(first.codes) == [f"520102003003{k:03d}" for k in range(1, 5)]
    grids_ = current_grids(session)
    from gridapp.services.grids import tools as grids_tools

    # Delete the highest-numbered grid: its closed code still counts as used.
    top = grids_.sort_values("code").iloc[-1]
    assert top["code"] == "520102003003004"
    grids_tools.delete_grids(session, [int(top["id"])], accept_problems=True)
    assert "520102003003004" not in set(current_grids(session)["code"])
    second = propose_division(session, cid, grids=2)
    assert list(second.grids["code"]) == ["520102003003005", "520102003003006"]
    accept_division(session, second)
    assert sorted(current_grids(session)["code"]) == ["520102003003005", "520102003003006"]
    _check_saved(empty_workspace)


def test_replace_special_divides_special_grids_too(demo_workspace):
    session = system_session(demo_workspace)
    p = propose_division(session, 3, grids=4, replace_special=True)
    assert p.kept == [] and len(p.replaced) == len(current_grids(session, 3))
    comm = demo_workspace.get("community", 3)["geom"]
    g = np.asarray(p.grids.geometry.array, dtype=object)
    assert _area_m2(shapely.symmetric_difference(shapely.union_all(g), comm),
                    demo_workspace.metric_epsg) < 1.0
    accept_division(session, p)
    assert set(current_grids(session, 3)["kind"]) == {"basic"}
    _check_saved(demo_workspace)


def test_dividing_next_to_a_community_without_grids_is_not_refused(empty_workspace):
    # Community 002 borders 001 and has no grids yet: that is not a gap this
    # division leaves, so saving needs no confirmation.
    first, _second = _with_communities(empty_workspace, {
        "520102003001": [(0, 0, 400, 300)], "520102003002": [(0, 300, 400, 600)]})
    session = system_session(empty_workspace)
    res = accept_division(session, propose_division(session, first, grids=2))
    assert not res.report.problems and not res.accepted_problems
    assert len(current_grids(session, first)) == 2
