"""The demo street's residents and a week of patrol tracks (issue 18).

Everything here is generated and clearly fictional: ID numbers use the
region code ``520199``, which is no county of Guiyang (GB/T 2260 assigns
520102…520181, not 520199), with a valid check character so they pass the
form's checks; phone numbers are ``1990000xxxx``; every resident's notes say
``虚构演示数据``.  Residents are stored encrypted like real ones (the key is
made in this computer's configuration folder).

Tracks: for each manager's first primary grid, one walk a day for the seven
days up to the demo's as-of date: around the grid just inside its edge and
once across it, a point every ~15 m at a walking pace, with one point in a
hundred and fifty a GPS jump (flagged, as real phone tracks have them).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import numpy as np
import shapely
from shapely.geometry import LineString

from gridapp.domain import idcard
from gridapp.domain.crs import to_metric, to_storage
from gridapp.domain.timeutil import LOCAL_TZ, now_iso, to_iso
from gridapp.domain.tracks import clean_track
from gridapp.errors import ValidationError
from gridapp.services.basedata.links import _relink
from gridapp.services.demo import people
from gridapp.storage.api import Store
from gridapp.storage.queries import basedata as bq
from gridapp.storage.queries import grids as grid_queries
from gridapp.storage.queries import patrols as pq

FAKE_REGION = "520199"
CATEGORY_SHARE = {"elderly_alone": 0.04, "disabled": 0.02, "dibao": 0.03,
                  "key_person": 0.005, "left_behind_child": 0.01}
MAX_HOUSEHOLDS = 400  # listed households (the rest of a building's count stays typed)
MAX_MANAGERS = 40


def fake_id_number(rng: np.random.Generator, today: date) -> str:
    """A valid-looking, clearly fictional ID number (region 520199)."""
    birth = date(1935, 1, 1) + timedelta(days=int(rng.integers(0, (today - date(1935, 1, 1))
                                                                .days)))
    body = f"{FAKE_REGION}{birth:%Y%m%d}{int(rng.integers(0, 1000)):03d}"
    return body + idcard.check_char(body)


def add_demo_base_data(store: Store, *, seed: int, today: date, epsg: int) -> dict[str, int]:
    """Households, residents and tracks for a demo workspace; counts written."""
    rng = np.random.default_rng(seed + 18)
    with store.transaction("demo") as tx:
        _relink(_System(store), tx, "building", now_iso())
        _relink(_System(store), tx, "place", now_iso())
        residents = []
        households = 0
        for building_id, count in bq.buildings_with_households(store, MAX_HOUSEHOLDS // 4):
            for k in range(min(count, 4)):
                hid = bq.insert_household(tx, building_id, f"{k // 2 + 1}单元{101 + k}")
                households += 1
                size = int(rng.integers(1, 5))
                names = people.person_names(rng, size)
                for j in range(size):
                    cats = [c for c, p in CATEGORY_SHARE.items() if rng.random() < p]
                    residents.append({
                        "household_id": hid, "name": names[j],
                        "id_number": fake_id_number(rng, today),
                        "phone": f"1990000{int(rng.integers(0, 10000)):04d}"
                        if j == 0 else None,
                        "categories": cats, "notes": "虚构演示数据"})
        seen: set[str] = set()
        residents = [r for r in residents if not (r["id_number"] in seen
                                                  or seen.add(r["id_number"]))]
        bq.insert_residents(tx, residents, "demo residents")
        tracks = _tracks(store, tx, rng, today, epsg)
    return {"households": households, "residents": len(residents), "tracks": tracks}


class _System:
    """What :func:`_relink` needs of a session: the store."""

    def __init__(self, store: Store) -> None:
        self.store = store


def _walk(grid_m, rng: np.random.Generator) -> np.ndarray:
    inner = grid_m.buffer(-15)
    if inner.is_empty or inner.geom_type != "Polygon":
        inner = grid_m
    ring = LineString(inner.exterior.coords)
    minx, miny, maxx, maxy = inner.bounds
    across = shapely.intersection(inner, LineString([(minx, miny), (maxx, maxy)]))
    parts = [ring] + ([across] if across.geom_type == "LineString" else [])
    path = LineString(np.vstack([np.asarray(p.coords) for p in parts]))
    n = max(2, int(path.length // 15))
    start = float(rng.uniform(0, path.length))
    pts = [path.interpolate((start + d) % path.length) for d in np.linspace(0, path.length, n)]
    return np.array([(p.x, p.y) for p in pts])


def _tracks(store: Store, tx, rng: np.random.Generator, today: date, epsg: int) -> int:
    grids = grid_queries.current_grids(store).set_index("id")
    firsts: dict[int, int] = {}
    for manager, grid in pq.primary_grids(store):
        firsts.setdefault(manager, grid)
    written = 0
    for manager, grid in list(firsts.items())[:MAX_MANAGERS]:
        x, y = to_metric(*np.asarray(grids.loc[grid].geometry.exterior.coords).T, epsg)
        grid_m = shapely.Polygon(np.column_stack([x, y]))
        for back in range(7):
            day = today - timedelta(days=6 - back)
            if rng.random() < 0.15:
                continue  # a day off
            xy = _walk(grid_m, rng)
            jump = rng.random(len(xy)) < 1 / 150
            xy[jump] += rng.normal(0, 900, (int(jump.sum()), 2))
            start = datetime.combine(day, time(9, 0), LOCAL_TZ) + timedelta(
                minutes=int(rng.integers(0, 240)))
            seconds = np.cumsum(np.r_[0, rng.uniform(10, 14, len(xy) - 1)])
            lon, lat = to_storage(xy[:, 0], xy[:, 1], epsg)
            pts = [(float(a), float(b), (start + timedelta(seconds=float(s))).isoformat(), 8.0)
                   for a, b, s in zip(lon, lat, seconds, strict=True)]
            try:
                clean = clean_track(pts)
            except ValidationError:
                continue  # a walk the jumps left too short: a day without a track
            line = LineString([(p.lon, p.lat) for p in clean.points])
            lx, ly = to_metric(*np.asarray(line.coords).T, epsg)
            tx.insert("patrol_track", {
                "geom": line, "manager_id": manager, "grid_id": grid,
                "started_at": to_iso(clean.started_at), "ended_at": to_iso(clean.ended_at),
                "point_times": json.dumps([p.at.isoformat() for p in clean.points]),
                "point_accuracy": json.dumps([p.accuracy_m for p in clean.points]),
                "source_crs": "wgs84", "source": "demo", "recorded_by": "demo",
                "flags": json.dumps(clean.flags) if clean.flags else None,
                "length_m": round(float(LineString(np.column_stack([lx, ly])).length), 2),
                "created_at": now_iso()})
            written += 1
    return written
