"""clustering.dbscan against scikit-learn's DBSCAN (issue 22: same clusters, less memory)."""

from __future__ import annotations

import numpy as np
import pytest

DBSCAN = pytest.importorskip("sklearn.cluster").DBSCAN

from gridapp.services.joint import clustering  # noqa: E402
from gridapp.services.joint.clustering import dbscan  # noqa: E402


def blobs(seed: int) -> np.ndarray:
    """A uniform scatter with dense spots of different sizes, some touching."""
    rng = np.random.default_rng(seed)
    background = rng.uniform(0, 2000, (3000, 3))
    centres = rng.uniform(100, 1900, (25, 3))
    centres[1] = centres[0] + [60, 0, 0]  # two spots that may chain into one
    spots = [c + rng.normal(0, rng.uniform(5, 30), (int(rng.integers(10, 200)), 3))
             for c in centres]
    return np.concatenate([background, *spots])


def reachable_clusters(X: np.ndarray, ref: np.ndarray, core: np.ndarray, eps: float,
                       i: int) -> set[int]:
    d = np.sqrt(((X[core] - X[i]) ** 2).sum(axis=1))
    return set(ref[core][d <= eps].tolist())


@pytest.mark.parametrize("seed,eps,k", [(0, 25.0, 5), (1, 40.0, 8), (2, 15.0, 3)])
@pytest.mark.parametrize("pairs_per_chunk", [4_000_000, 500])
def test_same_clusters_as_sklearn(seed, eps, k, pairs_per_chunk, monkeypatch):
    monkeypatch.setattr(clustering, "_PAIRS_PER_CHUNK", pairs_per_chunk)
    X = blobs(seed)
    model = DBSCAN(eps=eps, min_samples=k).fit(X)
    ref, core = model.labels_, model.core_sample_indices_
    got = dbscan(X, eps, k)
    assert ref.max() >= 5  # the data has clusters to find
    # Core points: the same clusters with the same numbers; noise is noise.
    np.testing.assert_array_equal(got[core], ref[core])
    np.testing.assert_array_equal(got < 0, ref < 0)
    # Border points: sklearn gives one reachable cluster, we give the nearest core's;
    # both must be a cluster whose core point lies within eps.
    border = np.setdiff1d(np.flatnonzero(ref >= 0), core)
    assert len(border) > 0
    for i in border:
        reach = reachable_clusters(X, ref, core, eps, i)
        assert got[i] in reach and ref[i] in reach
        if len(reach) == 1:
            assert got[i] == ref[i]


def test_no_core_points_and_empty():
    X = np.array([[0.0, 0, 0], [100, 0, 0], [200, 0, 0]])
    assert dbscan(X, 10.0, 2).tolist() == [-1, -1, -1]
    assert dbscan(np.empty((0, 3)), 10.0, 2).tolist() == []


def test_neighbour_at_exactly_eps_counts():
    # sklearn counts distance <= eps: three points 10 apart with eps 10 and k 2
    X = np.array([[0.0, 0, 0], [10, 0, 0], [20, 0, 0], [50, 0, 0]])
    ref = DBSCAN(eps=10.0, min_samples=2).fit_predict(X)
    assert dbscan(X, 10.0, 2).tolist() == ref.tolist() == [0, 0, 0, -1]


def test_memory_of_pairs_is_bounded(monkeypatch):
    """The core pairs are looked at chunk by chunk, never all at once."""
    import scipy.spatial

    held: list[int] = []

    class Spy(scipy.spatial.cKDTree):
        def sparse_distance_matrix(self, other, r, **kw):  # type: ignore[no-untyped-def]
            out = super().sparse_distance_matrix(other, r, **kw)
            held.append(len(out))
            return out

    monkeypatch.setattr(scipy.spatial, "cKDTree", Spy)
    monkeypatch.setattr(clustering, "_PAIRS_PER_CHUNK", 20_000)
    X = blobs(3)
    dbscan(X, 40.0, 5)
    assert len(held) > 3, held
    assert max(held) < sum(held) / 2, held
