"""Auto-division benchmark: one community with 2,000 buildings into ~40 grids.

Target (issue 4): <= 10 s.  Builds a synthetic workspace in a temporary
directory (an irregular L-shaped community of ~2.4 km² in Guiyang, 2,000
buildings with 1–16 households each, seeded), then times
``propose_division`` (and ``accept_division``) and prints the household
balance per grid (min / median / max).

    /work/venv/bin/python bench/division.py [--buildings 2000] [--households 300-500]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(path: Path, n: int, seed: int = 7):
    from gridapp.domain.crs import transformer
    from gridapp.services.session import system_session
    from gridapp.services.workspace import StreetSpec, create_workspace
    from gridapp.storage import bulk

    store = create_workspace(path, StreetSpec("520102", "520102003", "基准街道"),
                             admin_username="admin", admin_password="Admin-pass-2026")
    epsg = store.metric_epsg
    inv = transformer(epsg, 4490)
    fwd = transformer(4490, epsg)
    x0, y0 = fwd.transform(106.70, 26.57)
    # An L shape with a notch: concave, so clipping matters.
    shape_m = shapely.Polygon([(0, 0), (2000, 0), (2000, 800), (900, 800), (900, 1600),
                               (0, 1600)])
    shape_m = shapely.affinity.translate(shape_m, x0, y0)
    rng = np.random.default_rng(seed)
    pts = []
    minx, miny, maxx, maxy = shape_m.bounds
    while len(pts) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shape_m.contains(shapely.Point(x, y)):
            pts.append((x, y))
    pts = np.array(pts)
    foot = [shapely.box(x - 6, y - 4, x + 6, y + 4) for x, y in pts]

    def to_ll(g):
        return shapely.transform(g, lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1])))

    comm = to_ll(shape_m)
    hh = rng.integers(1, 17, size=n)
    s = system_session(store)
    with s.transaction() as tx:
        bulk.insert_features(tx, "community", ["name", "code"], [("基准社区", "520102003001")],
                             np.array([shapely.MultiPolygon([comm])], dtype=object))
        bulk.insert_features(tx, "building", ["households", "community_id"],
                             [(int(h), 1) for h in hh], np.array([to_ll(f) for f in foot],
                                                                 dtype=object))
    return store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--buildings", type=int, default=2000)
    ap.add_argument("--households", default="300-500")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    lo, hi = (int(v) for v in args.households.split("-"))
    from gridapp.services.grids.division import accept_division, propose_division
    from gridapp.services.session import system_session

    with tempfile.TemporaryDirectory() as tmp:
        store = build(Path(tmp) / "bench_division.gpkg", args.buildings)
        s = system_session(store)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            p = propose_division(s, 1, households=(lo, hi))
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        res = accept_division(s, p)
        t_accept = time.perf_counter() - t
        st = p.stats
        g = np.asarray(p.grids.geometry.array, dtype=object)
        print(f"division: {args.buildings} buildings, {st['total']} households -> "
              f"{st['grids']} grids")
        print(f"  propose median {np.median(times):.2f} s (best {min(times):.2f} s; target <= 10 s)")
        print(f"  accept (save {len(res.opened)} versions with local check) {t_accept:.2f} s")
        print(f"  households per grid: min {st['min']} / median {st['median']:.0f} / max "
              f"{st['max']}; {st['in_range']} of {st['grids']} within {lo}-{hi}")
        print(f"  compactness (Polsby-Popper) median {p.grids['compactness'].median():.2f}, "
              f"min {p.grids['compactness'].min():.2f}")
        print(f"  single polygons: {(shapely.get_type_id(g) == 3).all()}, coverage valid: "
              f"{shapely.coverage_is_valid(g)}")
        store.close()


if __name__ == "__main__":
    main()
