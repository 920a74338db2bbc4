"""Where a position falls: grid, community, address hint and near-duplicate cases.

Reads only; :mod:`gridapp.services.cases.reports` uses these to check a
report, :mod:`gridapp.services.cases.report_import` to place many rows.
Functions taking a store are the services' own helpers; the form asks
through :func:`locate`, :func:`address_hint` and
:func:`find_near_duplicates` with a session.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point

from gridapp import i18n
from gridapp.domain import coords
from gridapp.domain.enums import OPEN_CASE_STATUSES, CaseStatus
from gridapp.domain.timeutil import from_iso, now_utc, to_iso
from gridapp.errors import ValidationError
from gridapp.services.session import Session
from gridapp.storage import GeoPackageStore, geometry
from gridapp.storage.queries import cases as queries

DUPLICATE_RADIUS_M = 50.0
DUPLICATE_DAYS = 7
ADDRESS_SEARCH_M = 300.0
_M_PER_DEG_LAT = 111_320.0
_OPEN = tuple(sorted(s.value for s in OPEN_CASE_STATUSES))


@dataclass(frozen=True)
class Placement:
    """Where a position falls in the workspace."""

    lon: float
    lat: float
    grid_id: int
    grid_code: str
    grid_name: str
    community_id: int | None
    community_name: str
    address_hint: str


def _deg(metres: float, lat: float) -> tuple[float, float]:
    dy = metres / _M_PER_DEG_LAT
    return dy / max(math.cos(math.radians(lat)), 0.01), dy


def distance_m(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Any:
    """Approximate ground distance in metres (equirectangular; fine below a few km)."""
    k = np.cos(np.radians((np.asarray(lat1) + np.asarray(lat2)) / 2))
    dx = (np.asarray(lon2) - np.asarray(lon1)) * k * _M_PER_DEG_LAT
    dy = (np.asarray(lat2) - np.asarray(lat1)) * _M_PER_DEG_LAT
    return np.hypot(dx, dy)


def _grid_at(store: GeoPackageStore, lon: float, lat: float) -> Any | None:
    rows = queries.current_grids_by_id(store, queries.bbox_ids(store, "grid", lon, lat))
    pt = Point(lon, lat)
    for r in rows:
        g = geometry.decode(r["geom"])
        if g is not None and g.covers(pt):
            return r
    return None


def place_hint(
    store: GeoPackageStore, lon: float, lat: float, within_m: float = ADDRESS_SEARCH_M
) -> str:
    """ "near <nearest named building or place> (about N m)", or "" when none is near."""
    dx, dy = _deg(within_m, lat)
    best: tuple[float, str] | None = None
    for table in ("place", "building"):
        ids = queries.bbox_ids(store, table, lon, lat, dx, dy)
        rows = queries.named_features(store, table, ids)
        if not rows:
            continue
        geoms = geometry.decode_many([r["geom"] for r in rows])
        near = shapely.get_coordinates(
            shapely.shortest_line(
                geoms, shapely.points(np.full(len(rows), lon), np.full(len(rows), lat))
            )
        )[0::2]
        d = distance_m(near[:, 0], near[:, 1], lon, lat)
        i = int(np.argmin(d))
        label = rows[i]["address"] or rows[i]["name"]
        if (
            rows[i]["name"]
            and rows[i]["address"]
            and rows[i]["name"] not in rows[i]["address"]
        ):
            label = f"{rows[i]['address']}（{rows[i]['name']}）"
        if d[i] <= within_m and (best is None or d[i] < best[0]):
            best = (float(d[i]), label)
    if best is None:
        return ""
    if best[0] < 5:
        return best[1]
    return i18n.pick(
        "{l}附近（约{d}米）", "near {l} (about {d} m)", l=best[1], d=round(best[0])
    )


def place(store: GeoPackageStore, lon: float, lat: float) -> Placement:
    """The current grid, community and address hint of a CGCS2000 position.

    Raises
    ------
    ValidationError
        Invalid or swapped coordinates, outside China, or in no grid of the
        street (``params['reason'] == 'outside_street'``).
    """
    coords.check_in_range(lon, lat)
    row = _grid_at(store, lon, lat)
    if row is None:
        street = store.setting("street.name", "")
        raise ValidationError(
            "位置（经度{lon:.6f}，纬度{lat:.6f}）不在{street}的任何网格内",
            "Position (lon {lon:.6f}, lat {lat:.6f}) is not in any grid of {street}",
            lon=lon,
            lat=lat,
            street=street or i18n.pick("本街道", "the street"),
            reason="outside_street",
        )
    return Placement(
        lon,
        lat,
        int(row["id"]),
        row["code"],
        row["name"] or "",
        row["community_id"],
        row["community_name"] or "",
        place_hint(store, lon, lat),
    )


@dataclass(frozen=True)
class DuplicateCandidate:
    """An open case close in place and time with the same category."""

    report_id: int
    case_no: str
    status: CaseStatus
    distance_m: float
    reported_at: datetime
    description: str

    @property
    def message(self) -> str:
        return i18n.pick(
            "疑似重复：{no}（{s}，相距约{d}米）",
            "Possible duplicate: {no} ({s}, about {d} m away)",
            no=self.case_no,
            s=self.status.label,
            d=round(self.distance_m),
        )


def near_duplicates(
    store: GeoPackageStore,
    lon: float,
    lat: float,
    category_id: int,
    at: datetime | None = None,
    *,
    radius_m: float = DUPLICATE_RADIUS_M,
    days: float = DUPLICATE_DAYS,
    exclude_id: int | None = None,
) -> list[DuplicateCandidate]:
    """Open cases of the same category within *radius_m* and *days* before *at*, nearest first."""
    at = at or now_utc()
    dx, dy = _deg(radius_m, lat)
    ids = queries.bbox_ids(store, "report", lon, lat, dx, dy)
    rows = queries.open_duplicates(
        store, ids, category_id, _OPEN,
        to_iso(at - timedelta(days=days)), to_iso(at + timedelta(days=1)),
    )
    out = []
    for r in rows:
        if r["id"] == exclude_id:
            continue
        g: Any = geometry.decode(r["geom"])
        d = float(distance_m(g.x, g.y, lon, lat))
        if d <= radius_m:
            out.append(
                DuplicateCandidate(
                    int(r["id"]),
                    r["case_no"],
                    CaseStatus(r["status"]),  # type: ignore[call-arg]
                    d,
                    from_iso(r["reported_at"]) or at,
                    r["description"] or "",
                )
            )
    return sorted(out, key=lambda c: (c.distance_m, -c.reported_at.timestamp()))


# -- the same, asked with a session ---------------------------------------------
def locate(session: Session, lon: float, lat: float) -> Placement:
    """The current grid, community and address hint of a CGCS2000 position.

    Raises
    ------
    ValidationError
        Invalid or swapped coordinates, outside China, or in no grid of the
        street (``params['reason'] == 'outside_street'``).
    """
    session.require("workspace.read")
    return place(session.store, lon, lat)


def address_hint(
    session: Session, lon: float, lat: float, within_m: float = ADDRESS_SEARCH_M
) -> str:
    """ "near <nearest named building or place> (about N m)", or "" when none is near."""
    session.require("workspace.read")
    return place_hint(session.store, lon, lat, within_m)


def find_near_duplicates(
    session: Session,
    lon: float,
    lat: float,
    category_id: int,
    at: datetime | None = None,
    *,
    radius_m: float = DUPLICATE_RADIUS_M,
    days: float = DUPLICATE_DAYS,
    exclude_id: int | None = None,
) -> list[DuplicateCandidate]:
    """Open cases of the same category within *radius_m* and *days* before *at*, nearest first."""
    session.require("workspace.read")
    return near_duplicates(session.store, lon, lat, category_id, at,
                           radius_m=radius_m, days=days, exclude_id=exclude_id)
