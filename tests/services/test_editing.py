"""Geometry operations of the grid editor, with Hypothesis properties."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Polygon, box

from gridapp.errors import GeometryError
from gridapp.services.grids.geometry_edits import (
    insert_vertex,
    merge_in_coverage,
    merge_polygons,
    move_vertex_topologically,
    remove_vertex,
    snap_point,
    split_in_coverage,
    split_polygon,
)

QUAD = [box(0, 0, 100, 100), box(100, 0, 200, 100), box(0, 100, 100, 200), box(100, 100, 200, 200)]


def test_split_square_in_halves():
    pieces = split_polygon(box(0, 0, 200, 100), LineString([(100, -10), (100, 110)]))
    assert sorted(p.area for p in pieces) == [10000.0, 10000.0]


@pytest.mark.parametrize(
    "line",
    [
        LineString([(50, -10), (50, 50)]),  # enters, stops inside
        LineString([(300, 0), (300, 100)]),  # misses
        LineString([(0, 0), (0, 100)]),  # runs along the boundary
    ],
)
def test_split_refuses_a_line_that_does_not_cross(line):
    with pytest.raises(GeometryError):
        split_polygon(box(0, 0, 100, 100), line)


def test_merge_refuses_corner_touch_and_apart():
    with pytest.raises(GeometryError):
        merge_polygons([box(0, 0, 1, 1), box(1, 1, 2, 2)])
    with pytest.raises(GeometryError):
        merge_polygons([box(0, 0, 1, 1), box(3, 0, 4, 1)])
    assert merge_polygons([box(0, 0, 1, 1), box(1, 0, 2, 1)]).equals(box(0, 0, 2, 1))


def test_split_in_coverage_inserts_crossing_vertex_into_neighbour():
    out = split_in_coverage(QUAD, 0, LineString([(50, -10), (50, 150)]))
    assert len(out) == 5
    # The line crosses the top edge of grid 0 at (50, 100), shared with grid 2.
    assert (50.0, 100.0) in list(out[2].exterior.coords)
    assert shapely.coverage_is_valid(out)


def test_move_shared_vertex_moves_it_in_all_four():
    out = move_vertex_topologically(QUAD, (101, 99), (120, 110), tolerance=5)
    assert all((120.0, 110.0) in list(p.exterior.coords) for p in out)
    assert sum(p.area for p in out) == pytest.approx(40000.0)
    assert shapely.coverage_is_valid(out)


def test_move_refused_when_it_folds_a_polygon():
    with pytest.raises(GeometryError):
        move_vertex_topologically(QUAD, (100, 100), (250, 50), tolerance=1)


def test_insert_and_remove_shared_vertex():
    out = insert_vertex(QUAD, (100.5, 50), tolerance=2)
    assert (100.0, 50.0) in list(out[0].exterior.coords)
    assert (100.0, 50.0) in list(out[1].exterior.coords)
    assert shapely.coverage_is_valid(out)
    back = remove_vertex(out, (100, 50), tolerance=2)
    assert all(len(p.exterior.coords) == 5 for p in back)


def test_remove_refuses_a_triangle_vertex():
    tri = [Polygon([(0, 0), (1, 0), (0, 1)])]
    with pytest.raises(GeometryError):
        remove_vertex(tri, (0, 0), tolerance=0.1)


def test_snap_prefers_vertex_then_edge():
    assert snap_point((99, 98), QUAD, 3) == ((100.0, 100.0), "vertex", pytest.approx(np.hypot(1, 2)))
    assert snap_point((99, 50), QUAD, 3).xy == (100.0, 50.0)
    assert snap_point((99, 50), QUAD, 3).kind == "edge"
    assert snap_point((50, 50), QUAD, 3).kind is None


# ----------------------------------------------------------- properties
@st.composite
def polygons(draw):
    """A random simple polygon: a star around a centre with sorted angles."""
    n = draw(st.integers(4, 9))
    angles = np.sort(draw(st.lists(st.floats(0, 2 * np.pi, exclude_max=True), min_size=n,
                                   max_size=n, unique=True)))
    if np.diff(np.concatenate([angles, [angles[0] + 2 * np.pi]])).min() < 0.05:
        angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    radii = draw(st.lists(st.floats(20, 100), min_size=n, max_size=n))
    return Polygon(np.column_stack([np.cos(angles) * radii, np.sin(angles) * radii]))


@given(polygons(), st.floats(-15, 15), st.floats(0, np.pi))
@settings(max_examples=60, deadline=None)
def test_split_then_merge_gives_back_the_polygon(poly, offset, angle):
    d = np.array([np.cos(angle), np.sin(angle)])
    normal = np.array([-d[1], d[0]]) * offset
    line = LineString([normal - 500 * d, normal + 500 * d])
    try:
        pieces = split_polygon(poly, line)
    except GeometryError:
        return  # the line missed: refused, nothing to check
    assert sum(p.area for p in pieces) == pytest.approx(poly.area, rel=1e-9)
    merged = merge_polygons(pieces)
    assert merged.area == pytest.approx(poly.area, rel=1e-9)
    # Same boundary: every vertex of each lies on the other's boundary.
    # (GEOS may raise the FPU divide flag on degenerate segments; numpy reports it.)
    with np.errstate(divide="ignore", invalid="ignore"):
        for x, y in ((merged, poly), (poly, merged)):
            pts = shapely.points(shapely.get_coordinates(x))
            assert shapely.distance(pts, y.exterior).max() < 1e-6
    assert shapely.symmetric_difference(merged, poly).area < 1e-6


def _lattice(jitter: np.ndarray, n: int = 4) -> list[Polygon]:
    pts = np.stack(np.meshgrid(np.arange(n + 1) * 100.0, np.arange(n + 1) * 100.0), -1)
    pts[1:-1, 1:-1] += jitter.reshape(n - 1, n - 1, 2)
    return [
        Polygon([pts[j, i], pts[j, i + 1], pts[j + 1, i + 1], pts[j + 1, i]])
        for j in range(n) for i in range(n)
    ]


edit = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 10**6), st.floats(-60, 60), st.floats(-60, 60)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.floats(0.1, 0.9), st.just(0.0)),
    st.tuples(st.just("remove"), st.integers(0, 10**6), st.just(0.0), st.just(0.0)),
    st.tuples(st.just("split"), st.integers(0, 10**6), st.floats(0, np.pi), st.floats(-20, 20)),
    st.tuples(st.just("merge"), st.integers(0, 10**6), st.just(0.0), st.just(0.0)),
)


def _apply(cov: list[Polygon], op: tuple) -> list[Polygon]:
    kind, pick, a, b = op
    coords = shapely.get_coordinates(np.array(cov, dtype=object))
    if kind == "move":
        x, y = coords[pick % len(coords)]
        return move_vertex_topologically(cov, (x, y), (x + a, y + b), tolerance=1e-6)
    if kind == "remove":
        x, y = coords[pick % len(coords)]
        return remove_vertex(cov, (x, y), tolerance=1e-6)
    poly = cov[pick % len(cov)]
    if kind == "insert":
        ring = np.asarray(poly.exterior.coords)
        k = pick % (len(ring) - 1)
        x, y = ring[k] + (ring[k + 1] - ring[k]) * a
        return insert_vertex(cov, (x, y), tolerance=1e-6)
    if kind == "split":
        c = np.asarray(poly.centroid.coords[0])
        d = np.array([np.cos(a), np.sin(a)])
        base = c + np.array([-d[1], d[0]]) * b
        return split_in_coverage(cov, pick % len(cov), LineString([base - 1e4 * d, base + 1e4 * d]))
    tree = shapely.STRtree(cov)
    i = pick % len(cov)
    nbrs = [j for j in tree.query(cov[i], predicate="touches") if j != i]
    if not nbrs:
        raise GeometryError("no neighbour", "no neighbour")
    return merge_in_coverage(cov, [i, int(nbrs[pick % len(nbrs)])])


@given(
    st.lists(st.floats(-25, 25), min_size=18, max_size=18),
    st.lists(edit, min_size=1, max_size=8),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_allowed_edits_keep_a_valid_coverage_valid(jitter, ops):
    cov = _lattice(np.array(jitter))
    assert shapely.coverage_is_valid(cov)
    total = sum(p.area for p in cov)
    for op in ops:
        try:
            new = _apply(cov, op)
        except GeometryError:
            continue  # refused edits leave the coverage as it was
        assert shapely.coverage_is_valid(new), op
        assert all(p.is_valid for p in new)
        if op[0] in ("insert", "split", "merge"):  # these never change the covered area
            assert sum(p.area for p in new) == pytest.approx(total, rel=1e-9)
        cov, total = new, sum(p.area for p in new)
