"""bulk.insert_points writes what insert_features writes for the same points."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import shapely

from gridapp.storage import bulk, open_store


def _rows(store):
    return store.query("SELECT id, geom, name, kind FROM place ORDER BY id")


def _rtree(store):
    return store.query("SELECT id, minx, maxx, miny, maxy FROM rtree_place_geom ORDER BY id")


@pytest.mark.parametrize("n", [3, 12_000])
def test_points_as_arrays_write_the_rows_and_tree_of_points_as_geometries(
        empty_workspace, tmp_path, n):
    rng = np.random.default_rng(n)
    x, y = rng.uniform(106.7, 106.72, n), rng.uniform(26.56, 26.58, n)
    names = [f"场所{i}" for i in range(n)]
    kinds = rng.choice(["门店", "企业"], n).tolist()
    copy = tmp_path / "copy.gpkg"
    empty_workspace.close()
    shutil.copyfile(empty_workspace.path, copy)
    stores = (open_store(empty_workspace.path), open_store(copy))
    try:
        with stores[0].transaction("t") as tx:
            got = bulk.insert_points(tx, "place", ["name", "kind"], x, y,
                                     column_values=[names, kinds], summary="s")
        with stores[1].transaction("t") as tx:
            want = bulk.insert_features(tx, "place", ["name", "kind"], None,
                                        shapely.points(x, y), column_values=[names, kinds],
                                        summary="s")
        assert got == want == (got[0], n)
        assert [tuple(r) for r in _rows(stores[0])] == [tuple(r) for r in _rows(stores[1])]
        assert [tuple(r) for r in _rtree(stores[0])] == [tuple(r) for r in _rtree(stores[1])]
        for s in stores:
            assert s.scalar("SELECT rtreecheck('rtree_place_geom')") == "ok"
    finally:
        for s in stores:
            s.close()


def test_lengths_must_agree(empty_workspace):
    with pytest.raises(ValueError), empty_workspace.transaction("t") as tx:
        bulk.insert_points(tx, "place", ["name"], np.zeros(2), np.zeros(2),
                           column_values=[["a"]])
