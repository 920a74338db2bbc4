"""The coverage check's invalid edges are GEOS's own (issue 22).

``coverage_checks.invalid_edges`` runs ``shapely.coverage_invalid_edges`` only on
the polygons whose edges are not all matched by a neighbour's, plus the
neighbours those are compared with.  Here its answer is compared, polygon by
polygon, with the validator run on the whole coverage, for a clean Voronoi
coverage and for every kind of damage the check must see.  The expected
values are the validator's, never the function's own.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from gridapp.services.grids.coverage_checks import invalid_edges, matched_polygons

GAP = 0.5
X0, Y0 = 36_360_000.0, 2_930_000.0  # Gauss-Krüger sized coordinates, as in a district


def _coverage(n: int = 300, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    frame = shapely.box(X0, Y0, X0 + 3000, Y0 + 3000)
    pts = shapely.multipoints(rng.uniform(0, 3000, (n, 2)) + (X0, Y0))
    cells = shapely.get_parts(shapely.voronoi_polygons(pts, extend_to=frame))
    return np.asarray(shapely.intersection(cells, frame), dtype=object)


def _inner(polys: np.ndarray) -> int:
    """A polygon far from the frame (all its edges shared)."""
    c = shapely.centroid(polys)
    d = np.hypot(shapely.get_x(c) - X0 - 1500, shapely.get_y(c) - Y0 - 1500)
    return int(np.argmin(d))


def _moved_vertex(p: np.ndarray) -> np.ndarray:
    k = _inner(p)
    xy = shapely.get_coordinates(p[k])
    xy[1] += (0.3, 0.2)
    xy[-1] = xy[0]
    p[k] = Polygon(xy)
    return p


def _removed(p: np.ndarray) -> np.ndarray:
    """A hole wider than the gap width: a gap for the check, no invalid edge."""
    return np.delete(p, _inner(p))


def _duplicated(p: np.ndarray) -> np.ndarray:
    return np.append(p, p[_inner(p)])


def _reversed(p: np.ndarray) -> np.ndarray:
    k = _inner(p)
    p[k] = shapely.reverse(p[k])
    p[k + 1] = shapely.reverse(p[k + 1])
    return p


def _t_junction(p: np.ndarray) -> np.ndarray:
    k = _inner(p)
    p[k] = shapely.segmentize(p[k], 5.0)
    return p


def _multipart(p: np.ndarray) -> np.ndarray:
    k = _inner(p)
    p[k] = MultiPolygon([p[k]])
    return p


def _hole_filled(p: np.ndarray) -> np.ndarray:
    k = _inner(p)
    inner = shapely.buffer(shapely.centroid(p[k]), 3.0, quad_segs=2)
    p[k] = shapely.difference(p[k], inner)
    return np.append(p, inner)


def _narrow_gap(p: np.ndarray) -> np.ndarray:
    k = _inner(p)
    p[k] = shapely.buffer(p[k], -0.2, join_style="mitre")
    return p


def _overlap(p: np.ndarray) -> np.ndarray:
    k = _inner(p)
    p[k] = shapely.buffer(p[k], 1.0, join_style="mitre")
    return p


def _bowtie(p: np.ndarray) -> np.ndarray:
    k = _inner(p)
    xy = shapely.get_coordinates(p[k])[:-1]
    xy[[0, 1]] = xy[[1, 0]]
    p[k] = Polygon(xy)
    return p


def _repeated_vertex(p: np.ndarray) -> np.ndarray:
    k = _inner(p)
    xy = shapely.get_coordinates(p[k])
    p[k] = Polygon(np.insert(xy, 1, xy[1], axis=0))
    return p


DAMAGE = [_moved_vertex, _duplicated, _t_junction, _narrow_gap, _overlap,
          _bowtie]
HARMLESS = [None, _removed, _reversed, _multipart, _hole_filled, _repeated_vertex]


def _same(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert len(ours) == len(theirs)
    for k, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert a.geom_type == b.geom_type and a.equals_exact(b, 0.0), k


@pytest.mark.parametrize("change", DAMAGE + HARMLESS,
                         ids=lambda f: f.__name__.strip("_") if f else "clean")
def test_invalid_edges_are_the_validators_own(change):  # type: ignore[no-untyped-def]
    polys = _coverage()
    if change is not None:
        polys = change(polys.copy())
    theirs = shapely.coverage_invalid_edges(polys, gap_width=GAP)
    _same(invalid_edges(polys, shapely.is_valid(polys), GAP), theirs)
    flagged = int((~shapely.is_empty(theirs)).sum())
    if change in DAMAGE:
        assert flagged >= 1
    # Only the polygons on the frame and around the damage go to the validator.
    matched = matched_polygons(polys, shapely.is_valid(polys))
    assert matched.sum() > len(polys) // 2
    assert not (matched & ~shapely.is_empty(theirs)).any()


def test_an_edge_matched_on_the_same_side_is_not_matched():
    """Two polygons sharing an edge with their interiors on the same side overlap."""
    a = shapely.box(0, 0, 10, 10)
    b = Polygon([(0, 0), (10, 0), (5, 5)])  # inside a, sharing its bottom edge
    polys = np.array([a, b], dtype=object)
    theirs = shapely.coverage_invalid_edges(polys, gap_width=GAP)
    assert (~shapely.is_empty(theirs)).all()
    assert not matched_polygons(polys, shapely.is_valid(polys)).any()
    _same(invalid_edges(polys, shapely.is_valid(polys), GAP), theirs)


# -- the whole check, with and without the shortcuts --------------------------------
def _district() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grids, their 3 × 3 communities (unions of the grids of each 1 km block)."""
    polys = _coverage(400, seed=5)
    c = shapely.point_on_surface(polys)
    block = ((shapely.get_x(c) - X0) // 1000).astype(int) * 3 + (
        (shapely.get_y(c) - Y0) // 1000).astype(int)
    comms = np.array([shapely.coverage_union_all(polys[block == b]) for b in range(9)],
                     dtype=object)
    return polys, comms, block


def _grid_removed(p, c, b):  # type: ignore[no-untyped-def]
    return np.delete(p, _inner(p)), c, np.delete(b, _inner(p))


def _grid_grown(p, c, b):  # type: ignore[no-untyped-def]
    k = int(np.flatnonzero(b == 4)[0])
    p[k] = shapely.buffer(p[k], 2.0, join_style="mitre")
    return p, c, b


def _boundary_moved(p, c, b):  # type: ignore[no-untyped-def]
    xy = shapely.get_coordinates(c[4])
    xy[2] += (3.0, 3.0)
    xy[-1] = xy[0]
    c[4] = Polygon(xy)
    return p, c, b


def _community_vertex_added(p, c, b):  # type: ignore[no-untyped-def]
    c[4] = shapely.segmentize(c[4], 50.0)
    return p, c, b


def _grid_vertex_moved(p, c, b):  # type: ignore[no-untyped-def]
    return _moved_vertex(p), c, b


def _frames(p, c, b):  # type: ignore[no-untyped-def]
    import geopandas as gpd

    grids = gpd.GeoDataFrame({"code": np.arange(len(p)), "block": b}, geometry=list(p),
                             crs=4524)
    comms = gpd.GeoDataFrame({"block": np.arange(len(c))}, geometry=list(c), crs=4524)
    return grids, comms


def _as_rows(report):  # type: ignore[no-untyped-def]
    return [(p.kind, p.grid_ids, p.community, round(p.size, 6), p.zh,
             shapely.normalize(p.geometry).wkb_hex) for p in report.problems]


@pytest.mark.parametrize("change", [None, _grid_removed, _grid_grown, _boundary_moved,
                                    _community_vertex_added, _grid_vertex_moved],
                         ids=lambda f: f.__name__.strip("_") if f else "clean")
@pytest.mark.parametrize("by_attribute", [False, True])
def test_whole_check_finds_what_the_unions_and_the_whole_validator_find(
        change, by_attribute, monkeypatch):  # type: ignore[no-untyped-def]
    from gridapp.services.grids import coverage_checks
    from gridapp.services.grids.coverage import check_coverage

    p, c, b = _district()
    if change is not None:
        p, c, b = change(p.copy(), c.copy(), b.copy())
    grids, comms = _frames(p, c, b)
    kw = {"community_id_field": "block", "community_field": "block"} if by_attribute else {}
    proven: list[np.ndarray] = []
    real = coverage_checks.communities_matched
    monkeypatch.setattr(coverage_checks, "communities_matched",
                        lambda *a: proven.append(real(*a)) or proven[-1])
    fast = check_coverage(grids, comms, id_field="code", **kw)
    # The shortcut was taken where it may be (and only there).
    assert proven[-1].sum() == (9 if change is None else 8)
    monkeypatch.setattr(coverage_checks, "communities_matched",
                        lambda table, assign, n: np.zeros(n, dtype=bool))
    monkeypatch.setattr(coverage_checks, "invalid_edges",
                        lambda polys, valid, gap, table=None: shapely.coverage_invalid_edges(
                            polys, gap_width=gap))
    slow = check_coverage(grids, comms, id_field="code", **kw)
    assert _as_rows(fast) == _as_rows(slow)
    assert fast.valid == (change in (None, _community_vertex_added))


@pytest.mark.parametrize("change", [None, _grid_vertex_moved, _grid_grown, _grid_removed])
def test_local_check_of_arrays_is_the_local_check_of_frames(change):  # type: ignore[no-untyped-def]
    """The editor's array form of check_local finds what the frame form finds."""
    from gridapp.services.grids.coverage import check_local, check_local_arrays

    p, c, b = _district()
    if change is not None:
        p, c, b = change(p.copy(), c.copy(), b.copy())
    grids, comms = _frames(p, c, b)
    grids, comms = grids.to_crs(4490), comms.to_crs(4490)
    k = int(np.flatnonzero(b == 4)[0]) if change is not _grid_vertex_moved else _inner(p)
    changed = [int(grids["code"].iloc[k])]
    frame = check_local(grids, changed, comms, id_field="code", community_id_field="block",
                        community_field="block")
    arrays = check_local_arrays(np.asarray(grids.geometry.values, dtype=object),
                                grids["code"].tolist(), grids["block"].tolist(), changed,
                                np.asarray(comms.geometry.values, dtype=object),
                                comms["block"].tolist())
    assert _as_rows(arrays) == _as_rows(frame)
    assert (arrays.metric_crs, arrays.checked, arrays.grid_ids) == (
        frame.metric_crs, frame.checked, frame.grid_ids)
    assert frame.valid == (change in (None, _grid_removed))  # removed: not near grid k


def test_vertex_ids_survive_a_hash_collision():
    """Two different points with the same 64-bit hash still get different ids."""
    from gridapp.services.grids.coverage_checks import _vertex_ids

    def bits(v: float) -> np.int64:
        return np.array([v]).view(np.int64)[0]

    k = np.int64(0x9E3779B97F4A7C15 - 2**64)  # the multiplier _vertex_ids hashes with
    with np.errstate(over="ignore"):
        y2 = np.array([(bits(1.0) * k ^ bits(2.0)) ^ (bits(3.0) * k)]).view(np.float64)[0]
    xy = np.array([[1.0, 2.0], [3.0, y2], [1.0, 2.0], [5.0, 6.0]])
    ids, count = _vertex_ids(xy)
    assert count == 3 and ids[0] == ids[2] and len({ids[0], ids[1], ids[3]}) == 3
