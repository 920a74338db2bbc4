"""The demo street: a seeded, realistic workspace for trying GridApp and for tests.

A real-world location in Guiyang (南明区, around 106.71°E 26.575°N) with about
8 communities whose irregular boundaries are shared exactly, about 60 grids
tiling them, about 4,000 buildings with household counts (300–500 households
per basic grid on average), about 40 managers with assignments, the default
departments and duty list, demo users for each role, and about 3,000 reports
over the last 120 days with planted hot spots (recorded in the
``demo.hotspots`` setting and returned, so tests can check what clustering
finds), some closed, some overdue.  ``DemoSpec(grids=5000, reports=1_000_000)``
scales the same street up to a district for benchmarks.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from gridapp.domain.codes import reading_order
from gridapp.domain.crs import metric_epsg, to_metric, to_storage
from gridapp.domain.enums import Role
from gridapp.domain.passwords import hash_password
from gridapp.domain.timeutil import LOCAL_TZ, to_iso, today_local
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.demo import geometry as geo
from gridapp.services.demo import people
from gridapp.services.demo.basedata import add_demo_base_data
from gridapp.services.demo.keepalive import Keepalive
from gridapp.services.demo.reports import make_reports
from gridapp.services.demo.spec import CENTER as CENTER
from gridapp.services.demo.spec import DEMO_USERS as DEMO_USERS
from gridapp.services.demo.spec import DemoSpec, Hotspot
from gridapp.services.workspace import StreetSpec, create_workspace, record_street
from gridapp.storage.queries import demo as demo_queries
from gridapp.storage.queries import workspace as queries

DISTRICT_CODE = "520102"  # 贵阳市南明区 (GB/T 2260)
DEFAULT_SPEC = DemoSpec()


@dataclass
class DemoResult:
    path: Path
    grids: int
    communities: int
    buildings: int
    managers: int
    reports: int
    hotspots: list[Hotspot] = field(default_factory=list)


def write_demo(path: str | os.PathLike, spec: DemoSpec = DEFAULT_SPEC, *, overwrite: bool = False,
               progress: Progress = no_progress,
               cancel: CancelToken = NEVER_CANCELLED) -> DemoResult:
    """Generate the demo street into a new workspace at *path*."""
    with Keepalive(progress) as keepalive:  # a district has minute-long steps
        return _write(Path(path), spec, overwrite, keepalive, cancel)


def _write(path: Path, spec: DemoSpec, overwrite: bool, progress: Progress,
           cancel: CancelToken) -> DemoResult:
    if overwrite and path.exists():
        path.unlink()
    rng = np.random.default_rng(spec.seed)
    today = spec.as_of or today_local()
    epsg = metric_epsg(spec.center[0])
    cx, cy = (float(v) for v in to_metric(spec.center[0], spec.center[1], epsg))
    steps = 7
    progress(0, steps, "streets and grids")

    region = geo.irregular_region(rng, cx, cy, spec.grids * geo.GRID_AREA_M2)
    cells = geo.voronoi_cells(rng, region, spec.grids)
    neigh = geo.adjacency(cells)
    cent = shapely.get_coordinates(shapely.centroid(cells))
    comm_label = geo.group_contiguous(rng, cent, neigh, spec.communities)
    n_comm = int(comm_label.max()) + 1
    comm_geoms = np.array([shapely.coverage_union_all(cells[comm_label == c]) for c in range(n_comm)],
                          dtype=object)
    n_streets = 1 if spec.grids <= 600 else math.ceil(spec.grids / 550)
    if n_streets == 1:
        street_label = np.zeros(n_comm, dtype=int)
    else:
        comm_cent = shapely.get_coordinates(shapely.centroid(comm_geoms))
        street_label = geo.group_contiguous(rng, comm_cent, geo.adjacency(comm_geoms), n_streets)
    cancel.check()

    street_name = people.street_name(0)
    store = create_workspace(
        path, StreetSpec(DISTRICT_CODE, f"{DISTRICT_CODE}003", street_name,
                         office_name=f"贵阳市南明区{street_name}办事处", metric_epsg=epsg))
    try:
        result = _fill(store, spec, rng, today, epsg, region, cells, neigh, comm_label, comm_geoms,
                       street_label, progress, cancel, steps)
        progress(6, steps, "households, residents, tracks")
        add_demo_base_data(store, seed=spec.seed, today=today, epsg=epsg)  # issue 18
    except BaseException:
        store.close()
        path.unlink(missing_ok=True)
        raise
    store.close()
    result.path = path
    progress(steps, steps, "")
    return result


def _lonlat(geoms: np.ndarray, epsg: int) -> np.ndarray:
    """Geometries from metres to CGCS2000 lon/lat (vectorised)."""
    return shapely.transform(np.asarray(geoms, dtype=object),
                             lambda xy: np.column_stack(to_storage(xy[:, 0], xy[:, 1], epsg)))


def _fill(store, spec: DemoSpec, rng, today: date, epsg: int, region, cells, neigh, comm_label,
          comm_geoms, street_label, progress, cancel, steps) -> DemoResult:
    ids = queries.department_ids(store)
    cats = queries.categories_by_code(store)
    created = to_iso(datetime.combine(today - timedelta(days=spec.days + 30),
                                      datetime.min.time(), LOCAL_TZ))
    n_comm = len(comm_geoms)
    n_streets = int(street_label.max()) + 1

    with store.transaction("demo") as tx:
        # -- streets and communities ---------------------------------------
        street_ids = []
        for s in range(n_streets):
            geom = shapely.coverage_union_all(comm_geoms[street_label == s]) if n_streets > 1 \
                else region
            street_ids.append(record_street(tx, {
                "name": people.street_name(s), "code": f"{DISTRICT_CODE}{3 + s:03d}",
                "district_code": DISTRICT_CODE,
                "office_name": f"{people.street_name(s)}办事处",
                "geom": shapely.MultiPolygon([_lonlat(np.array([geom], dtype=object), epsg)[0]])}))
        comm_cent = shapely.get_coordinates(shapely.centroid(comm_geoms))
        comm_codes = [""] * n_comm
        comm_names = [""] * n_comm
        counter = 0
        for s in range(n_streets):
            members = np.flatnonzero(street_label == s)
            order = reading_order(comm_cent[members, 0], comm_cent[members, 1], 600.0)
            for k, j in enumerate(order, start=1):
                c = int(members[j])
                comm_codes[c] = f"{DISTRICT_CODE}{3 + s:03d}{k:03d}"
                comm_names[c] = people.community_name(counter)
                counter += 1
        first_comm, _ = queries.insert_features(
            tx, "community", ["name", "code", "street_id"],
            [(comm_names[c], comm_codes[c], street_ids[int(street_label[c])])
             for c in range(n_comm)], _lonlat(comm_geoms, epsg), summary="demo communities")
        comm_ids = list(range(first_comm, first_comm + n_comm))
        progress(1, steps, "grids")
        cancel.check()

        # -- grids ---------------------------------------------------------
        n = len(cells)
        cent = shapely.get_coordinates(shapely.centroid(cells))
        grid_code = [""] * n
        grid_seq = np.zeros(n, dtype=int)
        for c in range(n_comm):
            members = np.flatnonzero(comm_label == c)
            order = reading_order(cent[members, 0], cent[members, 1], 150.0)
            for k, j in enumerate(order, start=1):
                grid_code[members[j]] = comm_codes[c] + f"{k:03d}"
                grid_seq[members[j]] = k
        special = rng.random(n) < 0.08
        kinds = [people.SPECIAL_KINDS[int(rng.integers(len(people.SPECIAL_KINDS)))] for _ in range(n)]
        households = np.where(special, rng.integers(0, 60, n), rng.integers(300, 501, n))
        outlier = (~special) & (rng.random(n) < 0.1)
        households = np.where(outlier, rng.integers(150, 700, n), households)
        population = np.round(households * rng.uniform(2.4, 3.0, n)).astype(int)
        names = []
        for i in range(n):
            cname = comm_names[int(comm_label[i])]
            if special[i]:
                names.append(cname.removesuffix("社区") + kinds[i][1].format(n=grid_seq[i]) + "专属网格")
            else:
                names.append(f"{cname}第{grid_seq[i]}网格")
        cells_ll = _lonlat(cells, epsg)
        first_grid, _ = queries.insert_features(
            tx, "grid",
            ["code", "name", "kind", "community_id", "households", "population", "valid_from"],
            [(grid_code[i], names[i], "special" if special[i] else "basic",
              comm_ids[int(comm_label[i])], int(households[i]), int(population[i]), created)
             for i in range(n)], cells_ll, summary="demo grids")
        grid_ids = np.arange(first_grid, first_grid + n)
        progress(2, steps, "buildings")
        cancel.check()

        # -- buildings and places -----------------------------------------
        counts = np.where(special, rng.integers(6, 14, n),
                          np.maximum(8, np.rint(households / rng.uniform(4.0, 5.5, n))))
        b_geoms, b_cell = geo.building_footprints(rng, cells, counts.astype(np.int64))
        b_hh = _building_households(rng, b_cell, special, households)
        nb = len(b_geoms)
        road = np.array(people.ROADS, dtype=object)[b_cell % len(people.ROADS)].tolist()
        k = (np.arange(nb) - np.searchsorted(b_cell, b_cell, side="left") + 1).tolist()
        kind_of = np.array([kinds[i][0] if special[i] else "住宅" for i in range(n)],
                           dtype=object)
        queries.insert_features(
            tx, "building", ["name", "kind", "households", "floors", "address", "community_id"],
            None, _lonlat(b_geoms, epsg), summary="demo buildings", column_values=[
                [f"{r}{a}号{j}栋" for r, a, j in zip(road, rng.integers(1, 300, nb).tolist(), k,
                                                   strict=True)],
                kind_of[b_cell].tolist(), b_hh.tolist(),
                np.where(b_hh > 0, rng.integers(2, 33, nb), rng.integers(1, 6, nb)).tolist(),
                [f"{r}{a}号" for r, a in zip(road, rng.integers(1, 300, nb).tolist(),
                                            strict=True)],
                np.array(comm_ids)[comm_label[b_cell]].tolist()])
        place_geoms, place_vals = [], []
        for c in range(n_comm):
            p = shapely.point_on_surface(comm_geoms[c])
            place_geoms.append(p)
            place_vals.append((comm_names[c] + "服务中心", "社区服务中心", None, 1))
        for i in np.flatnonzero(special).tolist():
            place_geoms.append(shapely.point_on_surface(cells[i]))
            place_vals.append((names[i].removesuffix("专属网格"), kinds[i][0], None, 1))
        place_geoms.append(shapely.point_on_surface(comm_geoms[0]).buffer(40).exterior.interpolate(0))
        place_vals.append((people.street_name(0) + "办事处", "街道办事处", None, 1))
        queries.insert_features(tx, "place", ["name", "kind", "address", "landmark"], place_vals,
                             _lonlat(np.array(place_geoms, dtype=object), epsg),
                             summary="demo places")
        progress(3, steps, "managers")
        cancel.check()

        # -- managers and assignments --------------------------------------
        m = min(spec.managers, n)
        m_names = people.person_names(rng, m)
        phones = people.mobile_numbers(rng, m)
        full_time = rng.random(m) < 0.7
        manager_ids = demo_queries.insert_numbered(
            tx, "manager", ["name", "phone", "staff_no", "employment", "active", "created_at"],
            [(m_names[k], phones[k], f"WG{DISTRICT_CODE}{k + 1:04d}",
              "full_time" if full_time[k] else "part_time", 1, created) for k in range(m)],
            summary="demo managers")
        owner = np.full(n, -1)
        first = rng.permutation(n)[:m]
        owner[first] = np.arange(m)
        load = np.bincount(owner[owner >= 0], minlength=m)
        for i in rng.permutation(np.flatnonzero(owner < 0)):
            # a neighbouring manager (same community first) with the fewest grids
            cand = [j for j in neigh[i] if owner[j] >= 0 and comm_label[j] == comm_label[i]] or \
                   [j for j in neigh[i] if owner[j] >= 0] or list(first)
            best = min(cand, key=lambda j: load[owner[j]])
            owner[i] = owner[best]
            load[owner[i]] += 1
        rows = [(manager_ids[owner[i]], int(grid_ids[i]), "primary", created) for i in range(n)]
        for i in np.flatnonzero(rng.random(n) < 0.3).tolist():
            peers = [owner[j] for j in neigh[i] if owner[j] != owner[i]]
            if peers:
                rows.append((manager_ids[peers[0]], int(grid_ids[i]), "backup", created))
        tx.insert_many("grid_assignment", ["manager_id", "grid_id", "role", "valid_from"], rows,
                       summary="demo assignments")

        # -- demo users -----------------------------------------------------
        roles = queries.role_ids(tx)
        queries.delete_all_users(tx)  # the workspace's admin is replaced by the demo admin
        for username, password, role, display in DEMO_USERS:
            tx.insert("app_user", {
                "username": username,
                "display_name": m_names[0] if role is Role.MANAGER else display,
                "role_id": roles[role.value],
                "department_id": ids["CG"] if role is Role.LIAISON else None,
                "manager_id": manager_ids[0] if role is Role.MANAGER else None,
                "password_hash": hash_password(password, n=spec.hash_rounds),
                "created_at": created})
        progress(4, steps, "reports")
        cancel.check()

        # -- reports, cases, hot spots --------------------------------------
        b_cent = shapely.get_coordinates(shapely.centroid(b_geoms))
        hotspots = make_reports(
            tx, spec=spec, rng=rng, today=today, epsg=epsg, cells=cells, grid_ids=grid_ids,
            comm_ids=np.array([comm_ids[int(c)] for c in comm_label]),
            owner_manager=np.array([manager_ids[o] for o in owner]),
            b_cent=b_cent, b_hh=b_hh.astype(float), cats=cats, depts=ids, roads=people.ROADS,
            progress=lambda d, t, msg="": progress(4 + d / max(t, 1) * 2, steps, msg),
            cancel=cancel)
        tx.set_setting("demo.hotspots", [asdict(h) for h in hotspots])
        tx.set_setting("demo.spec", {"seed": spec.seed, "grids": spec.grids,
                                     "reports": spec.reports, "as_of": today.isoformat()})
    return DemoResult(Path(), n, n_comm, len(b_geoms), m, spec.reports, hotspots)


def _building_households(rng, b_cell: np.ndarray, special: np.ndarray,
                         households: np.ndarray) -> np.ndarray:
    """Each building's households: a basic grid's households spread over its
    buildings by lognormal weights; special grids' buildings have none."""
    out = np.zeros(len(b_cell), dtype=np.int64)
    starts = np.searchsorted(b_cell, np.arange(len(households) + 1))
    for i in np.flatnonzero(~special & (starts[1:] > starts[:-1])).tolist():
        a, b = starts[i], starts[i + 1]
        w = rng.lognormal(0, 0.5, b - a)
        out[a:b] = rng.multinomial(int(households[i]), w / w.sum())
    return out


def demo_hotspots(store) -> list[Hotspot]:
    """The hot spots the generator planted in a demo workspace."""
    return [Hotspot(**h) for h in store.setting("demo.hotspots", [])]


def _as_dict(obj: Any) -> dict[str, Any]:
    return asdict(obj)
