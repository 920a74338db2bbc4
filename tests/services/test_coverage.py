"""Coverage checks and fixes on small hand-built grids with known answers.

Grids are 100 m squares in Guiyang's Gauss-Krüger zone (EPSG:4524, origin at
106.70°E 26.57°N); a 2 × 2 block fills community "A" (200 m × 200 m) exactly.
Each test breaks it in one known way, so the expected area is arithmetic.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Point, Polygon, box

from gridapp.services.grids.coverage import check_coverage, check_local
from gridapp.services.grids.coverage_fix import fix_coverage

X0, Y0 = (round(v) for v in Transformer.from_crs(4490, 4524, always_xy=True).transform(106.70, 26.57))


def cell(i: float, j: float, w: float = 100, h: float = 100) -> Polygon:
    return box(X0 + i * 100, Y0 + j * 100, X0 + i * 100 + w, Y0 + j * 100 + h)


def frame(geoms, ids=None, crs=4524) -> gpd.GeoDataFrame:
    ids = ids or list("abcdefghijklmnop"[: len(geoms)])
    return gpd.GeoDataFrame({"code": ids}, geometry=list(geoms), crs=crs)


@pytest.fixture
def block() -> list[Polygon]:
    return [cell(0, 0), cell(1, 0), cell(0, 1), cell(1, 1)]  # a b / c d (c, d north)


@pytest.fixture
def community() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["A"]}, geometry=[box(X0, Y0, X0 + 200, Y0 + 200)],
                            crs=4524).set_index("name")


def kinds(report) -> list[tuple[str, tuple]]:
    return sorted((p.kind, p.grid_ids) for p in report.problems)


@pytest.mark.parametrize("crs", [4524, 4490])
def test_clean_block_has_no_problems(block, community, crs):
    report = check_coverage(frame(block).to_crs(crs), community.to_crs(crs), id_field="code")
    assert report.valid and report.checked == 4
    assert report.metric_crs == "EPSG:4524"


@pytest.mark.parametrize("crs", [4524, 4490])
def test_overlap_found_with_area_and_place(block, community, crs):
    block[0] = cell(0, 0, w=110)  # a reaches 10 m into b
    report = check_coverage(frame(block).to_crs(crs), community.to_crs(crs), id_field="code")
    overlaps = report.of_kind("overlap")
    assert [p.grid_ids for p in overlaps] == [("a", "b")]
    assert overlaps[0].size == pytest.approx(1000.0, abs=0.5)
    lon, lat = overlaps[0].geometry.centroid.coords[0] if crs == 4490 else (0, 0)
    if crs == 4490:  # given back in the grids' CRS, near Guiyang
        assert lon == pytest.approx(106.701, abs=0.002) and lat == pytest.approx(26.5705, abs=0.002)
    assert [p.kind for p in report.problems] == ["overlap"]


def test_gap_in_community_names_its_neighbours(block, community):
    block[3] = cell(1, 1, w=90)  # d stops 10 m short of the east edge
    report = check_coverage(frame(block), community, id_field="code")
    (gap,) = report.of_kind("gap")
    assert gap.size == pytest.approx(1000.0)
    # d borders it along 100 m, b (to the south) along its 10 m bottom edge.
    assert set(gap.grid_ids) == {"b", "d"} and gap.community == "A"
    assert gap.geometry.equals(box(X0 + 190, Y0 + 100, X0 + 200, Y0 + 200))


def test_outside_community(block, community):
    block[2] = box(X0 - 5, Y0 + 100, X0 + 100, Y0 + 200)  # c sticks 5 m out west
    report = check_coverage(frame(block), community, id_field="code")
    assert kinds(report) == [("outside_community", ("c",))]
    assert report.problems[0].size == pytest.approx(500.0)


def test_sliver_grid(block, community):
    block[0] = shapely.difference(cell(0, 0), box(X0, Y0, X0 + 1, Y0 + 0.5))
    block.append(box(X0, Y0, X0 + 1, Y0 + 0.5))  # e: 0.5 m²
    report = check_coverage(frame(block), community, id_field="code", sliver_area=1.0)
    assert kinds(report) == [("sliver", ("e",))]


def test_invalid_and_not_polygon(block, community):
    block[0] = Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    block.append(Point(X0 + 50, Y0 + 50))
    block.append(MultiPolygon([cell(3, 0), cell(5, 0)]))
    report = check_coverage(frame(block), None, id_field="code")
    invalid = report.of_kind("invalid")
    assert [p.grid_ids for p in invalid] == [("a",)]
    assert "Self-intersection" in invalid[0].en
    assert sorted(p.grid_ids for p in report.of_kind("not_polygon")) == [("e",), ("f",)]


def test_narrow_gap_without_communities_is_an_invalid_edge(block):
    block[1] = cell(1.002, 0)  # b moved 0.2 m east: a 0.2 m slit
    report = check_coverage(frame(block), None, id_field="code", gap_width=0.5)
    flagged = {p.grid_ids[0] for p in report.of_kind("invalid_edge")}
    assert {"a", "b"} <= flagged


def test_unshared_vertex_is_an_invalid_edge(block):
    block[0] = Polygon([(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 40), (X0 + 100, Y0 + 100), (X0, Y0 + 100)])
    report = check_coverage(frame(block), None, id_field="code")
    assert [p.kind for p in report.problems] == ["invalid_edge", "invalid_edge"]
    assert {p.grid_ids for p in report.problems} == {("a",), ("b",)}


def test_hole_between_grids_is_a_gap_without_communities():
    ring = [cell(i, j) for j in range(3) for i in range(3) if (i, j) != (1, 1)]
    (gap,) = check_coverage(frame(ring), None, id_field="code").of_kind("gap")
    # Cells are numbered a..h row by row skipping the centre: b, d, e, g share
    # an edge with the hole; the corner cells only touch it at a point.
    assert gap.size == pytest.approx(10000.0) and gap.grid_ids == ("b", "d", "e", "g")


@pytest.mark.parametrize("crs", [4524, 4490])
def test_fix_repairs_everything_and_says_what_it_did(block, community, crs):
    block[0] = cell(0, 0, w=110)  # overlap a/b 1000 m²
    block[3] = cell(1, 1, w=90)  # gap 1000 m² east of d
    block[2] = box(X0 - 5, Y0 + 100, X0 + 100.02, Y0 + 200)  # outside, and 2 cm off
    broken = frame(block).to_crs(crs)
    result = fix_coverage(broken, community.to_crs(crs), id_field="code")
    assert result.report.valid, result.report.problems
    fixed = result.grids.to_crs(4524)
    assert shapely.coverage_is_valid(fixed.geometry.values)
    assert fixed.area.sum() == pytest.approx(40000.0, abs=0.01)
    actions = {(c.grid_id, c.action) for c in result.changes}
    assert ("c", "clipped_to_community") in actions
    # d borders the gap along 100 m, b along 10 m: d takes it.
    assert ("d", "gap_filled") in actions
    # c and d overlapped in a 2 cm strip (2 m²) that may go to either.
    assert fixed.set_index("code").area["d"] == pytest.approx(10000.0, abs=2.01)


def test_fix_merges_sliver_into_longest_border(block, community):
    block[0] = shapely.difference(cell(0, 0), box(X0 + 99, Y0, X0 + 100, Y0 + 0.5))
    block.append(box(X0 + 99, Y0, X0 + 100, Y0 + 0.5))  # touches a on 1.5 m, b on 0.5 m
    result = fix_coverage(frame(block), community, id_field="code", sliver_area=1.0)
    assert "e" not in set(result.grids["code"])
    assert ("e", "merged_sliver") in {(c.grid_id, c.action) for c in result.changes}
    assert result.grids.set_index("code").area["a"] == pytest.approx(10000.0)
    assert result.report.valid


def test_fix_repairs_a_bow_tie():
    grids = frame([Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])])
    result = fix_coverage(grids, None)
    assert result.grids.geometry.iloc[0].is_valid
    assert result.changes[0].action == "made_valid"


def test_local_check_sees_only_problems_near_the_edit(community):
    row = [cell(i, 0) for i in range(4)]
    row[3] = cell(3, 0, w=95)  # 5 m gap at the far east end
    comm = gpd.GeoDataFrame({"n": ["A"]}, geometry=[box(X0, Y0, X0 + 400, Y0 + 100)], crs=4524)
    grids = frame(row)
    assert check_local(grids, ["a"], comm, id_field="code").valid
    near = check_local(grids, ["d"], comm, id_field="code")
    assert [(p.kind, p.size) for p in near.problems] == [("gap", pytest.approx(500.0))]
    assert near.checked < 4  # a was not looked at
    whole = check_coverage(grids, comm, id_field="code")
    assert kinds(whole) == kinds(near)


def test_local_check_in_degrees(community):
    row = frame([cell(0, 0), cell(1, 0, w=110)]).to_crs(4490)
    report = check_local(row, ["b"], None, id_field="code")
    assert report.valid  # b only sticks out east, nothing to compare with
    row2 = frame([cell(0, 0, w=110), cell(1, 0)]).to_crs(4490)
    assert [p.kind for p in check_local(row2, ["a"], None, id_field="code").problems] == ["overlap"]


def test_report_as_layer(block, community):
    block[3] = cell(1, 1, w=90)
    layer = check_coverage(frame(block), community, id_field="code").to_frame(4524)
    assert list(layer["kind"]) == ["gap"] and layer.crs.to_epsg() == 4524
    assert "未被网格覆盖" in layer["message_zh"].iloc[0]


def test_deleted_grid_leaves_a_gap_seen_by_the_local_check(block, community):
    grids = frame(block[:3])  # d deleted
    report = check_local(grids, [], community, region=block[3], id_field="code")
    (gap,) = report.of_kind("gap")
    assert gap.size == pytest.approx(10000.0)
    assert set(gap.grid_ids) == {"b", "c"}


def test_broken_everything_at_once_does_not_crash(block, community):
    block[0] = Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    block[1] = cell(0.95, 0)  # overlaps a's space by 5 m
    block[3] = cell(1, 1, w=90)
    report = check_coverage(frame(block), community, id_field="code")
    got = {p.kind for p in report.problems}
    assert {"invalid", "gap"} <= got
    fixed = fix_coverage(frame(block), community, id_field="code")
    assert fixed.report.valid
    assert fixed.grids.area.sum() == pytest.approx(40000.0, abs=0.01)


def test_cancel_stops_the_check(block):
    from gridapp.errors import Cancelled
    from gridapp.progress import CancelToken

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        check_coverage(frame(block), None, cancel=token)


def test_community_field_overrides_position(block, community):
    grids = frame(block)
    two = gpd.GeoDataFrame({"name": ["A", "B"]}, geometry=[
        box(X0, Y0, X0 + 200, Y0 + 100), box(X0, Y0 + 100, X0 + 200, Y0 + 200)], crs=4524
    ).set_index("name")
    grids["community"] = ["A", "A", "B", "A"]  # d lies in B but is filed under A
    assert check_coverage(grids, two).valid  # by position all is well
    report = check_coverage(grids, two, id_field="code", community_field="community")
    # The gap where d lies is bordered by b (south), c (west) and d itself.
    assert kinds(report) == [("gap", ("b", "c", "d")), ("outside_community", ("d",))]
    assert report.of_kind("gap")[0].community == "B"


def test_fix_a_jittered_voronoi_district():
    """400 Voronoi grids in 4 communities; 30 grids nudged ≤ 0.3 m, 3 deleted."""
    rng = np.random.default_rng(7)
    square = box(X0, Y0, X0 + 4000, Y0 + 4000)
    seeds = shapely.multipoints(rng.uniform(0, 4000, (400, 2)) + (X0, Y0))
    cells = shapely.intersection(shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=square)), square)
    quads = [box(X0 + i * 2000, Y0 + j * 2000, X0 + i * 2000 + 2000, Y0 + j * 2000 + 2000)
             for i in range(2) for j in range(2)]
    inner = shapely.point_on_surface(cells)
    owner = np.array([next(q for q, b in enumerate(quads) if b.contains(p)) for p in inner])
    comms = gpd.GeoDataFrame(geometry=[shapely.coverage_union_all(cells[owner == q]) for q in range(4)],
                             crs=4524)
    grids = frame(cells, ids=list(range(len(cells))))
    assert check_coverage(grids, comms).valid
    nudged = rng.choice(len(cells), 30, replace=False)
    grids.loc[nudged, "geometry"] = [
        shapely.transform(g, lambda c: c + rng.uniform(-0.3, 0.3, 2)) for g in cells[nudged]
    ]
    grids = grids.drop(index=rng.choice(len(cells), 3, replace=False))
    assert not check_coverage(grids, comms).valid
    result = fix_coverage(grids, comms)
    assert result.report.valid, result.report.problems[:3]
    assert result.grids.area.sum() == pytest.approx(16_000_000.0, abs=0.01)


def _long_edge_case(with_hole: bool) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Grid x sticks out of a 3 km × 400 m community; cutting it off leaves a
    vertex 6 cm below the community's 3 km northern edge.

    Valid in metres, but in degrees that straight edge runs about 9 cm further
    south at its middle (a straight line in degrees is not straight in
    Gauss-Krüger metres; checked with pyproj below), so the vertex ends up
    across it: the naive fix is an invalid polygon in EPSG:4490.  Without a
    hole the cut leaves two lobes joined by a 6 cm neck (the repair would lose
    half the grid); with one, grid c's triangle pokes through x's edge.
    """
    def poly(pts, holes=()):
        return Polygon([(X0 + x, Y0 + y) for x, y in pts],
                       [[(X0 + x, Y0 + y) for x, y in h] for h in holes])

    comm = gpd.GeoDataFrame({"name": ["A"]}, geometry=[poly([(0, 0), (3000, 0), (3000, 400),
                                                             (0, 400)])], crs=4524)
    apex = (1500, 399.94)
    if with_hole:
        tri = [(1400, 300), (1600, 300), apex]
        geoms = [poly([(0, 0), (3000, 0), (3000, 410), (0, 410)], [tri]), poly(tri)]
        names = ["x", "c"]
    else:
        geoms = [poly([(0, 0), apex, (3000, 0), (3000, 410), (0, 410)]),
                 poly([(0, 0), (3000, 0), apex])]
        names = ["x", "b"]
    return frame(geoms, names).to_crs(4490), comm.to_crs(4490)


def test_long_edge_case_really_bends_in_degrees():
    # The premise of the crafted cases, from pyproj alone: the midpoint of the
    # degree-straight chord of the 3 km edge lies > 6 cm south of the metre line.
    to_deg = Transformer.from_crs(4524, 4490, always_xy=True)
    to_m = Transformer.from_crs(4490, 4524, always_xy=True)
    a, b = to_deg.transform(X0, Y0 + 400), to_deg.transform(X0 + 3000, Y0 + 400)
    mid = to_m.transform((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    assert Y0 + 400 - mid[1] > 0.06


@pytest.mark.parametrize("with_hole", [False, True])
def test_fix_that_cannot_be_made_valid_changes_nothing_and_says_why(with_hole):
    grids, comm = _long_edge_case(with_hole)
    assert shapely.is_valid(grids.geometry.values).all()
    assert [p.kind for p in check_coverage(grids, comm, id_field="code").problems] == [
        "outside_community"]
    result = fix_coverage(grids, comm, id_field="code")
    out = result.grids.geometry.values
    assert shapely.is_valid(out).all(), [shapely.is_valid_reason(g) for g in out]
    # Nothing changed: the same grids, vertex for vertex.
    assert list(result.grids["code"]) == list(grids["code"])
    assert shapely.equals_exact(out, grids.geometry.values, 0.0).all()
    (change,) = result.changes
    assert (change.grid_id, change.action) == ("x", "fix_refused")
    assert "未作任何修改" in change.message
    from gridapp import i18n

    i18n.set_language("en")
    assert "left unchanged" in change.message
    assert [p.kind for p in result.report.problems] == ["outside_community"]
