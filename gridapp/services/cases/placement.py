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
from gridapp.storage.queries import duty as duty_queries

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
    score: float = 0.0
    text_similarity: float = 0.0

    @property
    def message(self) -> str:
        return i18n.pick(
            "疑似重复：{no}（{s}，相距约{d}米）",
            "Possible duplicate: {no} ({s}, about {d} m away)",
            no=self.case_no,
            s=self.status.label,
            d=round(self.distance_m),
        )


#: Built-in radius (m) and window (days) by category code, used where the
#: workspace has set none: a component (部件) is one fixed object, so the same
#: manhole cover is a few metres off; noise and dust carry far; a parked car
#: moves on within a day.  A class's value applies to its sub-categories.
DUPLICATE_DEFAULTS: dict[str, tuple[float, float]] = {
    "0101": (50, 2), "0103": (100, 1), "0105": (150, 1), "0106": (100, 14),
    "0107": (200, 3), "0301": (200, 14), "0302": (200, 7), "0303": (100, 2),
    "0304": (30, 60), "0401": (50, 3), "0403": (100, 2), "0404": (30, 1),
    "0501": (50, 3), "0502": (100, 2), "0503": (150, 1), "0504": (150, 2),
    "0505": (30, 14), "0601": (30, 7),
    "B01": (30, 30), "B02": (30, 30), "B03": (30, 30), "B04": (30, 30),
    "B05": (30, 30), "B06": (30, 30),
}


@dataclass(frozen=True)
class DuplicateRule:
    """How near and how recent a same-category open case must be to be offered.

    ``source`` says where the radius came from: ``"category"`` (set on the
    category in this workspace), ``"built_in"`` (:data:`DUPLICATE_DEFAULTS`
    for its code), ``"class"`` / ``"class_built_in"`` (the same for its parent
    class) or ``"default"`` (:data:`DUPLICATE_RADIUS_M`, :data:`DUPLICATE_DAYS`).
    """

    radius_m: float
    days: float
    source: str = "default"


#: Weights of :func:`duplicate_score`: place, time, words.
SCORE_WEIGHTS = (0.5, 0.3, 0.2)


def duplicate_rule(store: GeoPackageStore, category_id: int) -> DuplicateRule:
    """The radius and window of a category's near duplicates.

    Each of the two is looked up separately, first found wins: the value set
    on the category, the built-in one for its code, the value set on its
    class, the built-in one for the class's code, the default.
    """
    row = duty_queries.duplicate_rule(store, category_id)
    if row is None:
        return DuplicateRule(DUPLICATE_RADIUS_M, DUPLICATE_DAYS)
    none = (None, None)
    steps = (
        ((row["radius_m"], row["days"]), "category"),
        (DUPLICATE_DEFAULTS.get(row["code"], none), "built_in"),
        ((row["parent_radius_m"], row["parent_days"]), "class"),
        (DUPLICATE_DEFAULTS.get(row["parent_code"] or "", none), "class_built_in"),
        ((DUPLICATE_RADIUS_M, DUPLICATE_DAYS), "default"),
    )
    radius = next((float(v[0]), src) for v, src in steps if v[0] is not None)
    days = next(float(v[1]) for v, _ in steps if v[1] is not None)
    return DuplicateRule(radius[0], days, radius[1])


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text.lower() if c.isalnum()]
    if len(chars) == 1:
        return {chars[0]}
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def text_similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' character bigrams (0 … 1).

    Punctuation and spaces are ignored and letters compared in lower case;
    Chinese needs no word list this way (``井盖缺失`` and ``井盖丢失`` share
    ``井盖``).  An empty text is similar to nothing (0).
    """
    return _dice(_bigrams(a or ""), b)


def _dice(x: set[str], b: str) -> float:
    """:func:`text_similarity` of a text whose bigrams are *x* and *b*."""
    y = _bigrams(b or "")
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def duplicate_score(distance: float, age_days: float, similarity: float,
                    rule: DuplicateRule) -> float:
    """How likely a candidate is the same problem, 0 … 1.

    ``score = 0.5·(1 − d/R) + 0.3·(1 − t/T) + 0.2·s`` where *d* is the
    distance in metres, *R* the category's radius, *t* the days between the two
    reports (either order), *T* the category's window in days and *s* the
    :func:`text_similarity` of the descriptions; each term is clipped to 0 … 1.
    """
    wd, wt, ws = SCORE_WEIGHTS
    near = 1 - min(max(distance / rule.radius_m, 0.0), 1.0) if rule.radius_m > 0 else 0.0
    recent = 1 - min(max(abs(age_days) / rule.days, 0.0), 1.0) if rule.days > 0 else 0.0
    return wd * near + wt * recent + ws * min(max(similarity, 0.0), 1.0)


def ranked_duplicates(
    store: GeoPackageStore,
    lon: float,
    lat: float,
    category_id: int,
    at: datetime | None = None,
    description: str = "",
    *,
    rule: DuplicateRule | None = None,
    exclude_id: int | None = None,
) -> list[DuplicateCandidate]:
    """Open same-category cases within the category's radius and window, best first.

    The radius and window are the category's (:func:`duplicate_rule`) unless
    *rule* is given; candidates are ordered by :func:`duplicate_score`
    (distance, time, text similarity with *description*), highest first, ties
    nearest first.
    """
    at = at or now_utc()
    rule = rule or duplicate_rule(store, category_id)
    found = near_duplicates(store, lon, lat, category_id, at, radius_m=rule.radius_m,
                            days=rule.days, exclude_id=exclude_id)
    out = []
    words = _bigrams(description or "")  # once, not once per candidate
    for c in found:
        sim = _dice(words, c.description)
        age = (at - c.reported_at).total_seconds() / 86400
        out.append(DuplicateCandidate(
            c.report_id, c.case_no, c.status, c.distance_m, c.reported_at, c.description,
            round(duplicate_score(c.distance_m, age, sim, rule), 6), sim))
    return sorted(out, key=lambda c: (-c.score, c.distance_m, c.report_id))


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
    rows = [r for r in rows if r["id"] != exclude_id]
    if not rows:
        return []
    # One decode and one distance for all the box's rows (a busy street has
    # dozens in a duplicate radius); only those inside it become candidates.
    pts = geometry.decode_many([r["geom"] for r in rows])
    d = distance_m(shapely.get_x(pts), shapely.get_y(pts), lon, lat)
    out = [
        DuplicateCandidate(
            int(r["id"]),
            r["case_no"],
            CaseStatus(r["status"]),  # type: ignore[call-arg]
            di,
            from_iso(r["reported_at"]) or at,
            r["description"] or "",
        )
        for r, di in zip(rows, d.tolist(), strict=True)
        if di <= radius_m
    ]
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
    radius_m: float | None = None,
    days: float | None = None,
    exclude_id: int | None = None,
    description: str = "",
) -> list[DuplicateCandidate]:
    """Open cases of the same category near *at*, best first (:func:`ranked_duplicates`).

    *radius_m* and *days* default to the category's own (:func:`duplicate_rule`).
    """
    session.require("workspace.read")
    rule = duplicate_rule(session.store, category_id)
    rule = DuplicateRule(rule.radius_m if radius_m is None else float(radius_m),
                         rule.days if days is None else float(days),
                         rule.source if radius_m is None and days is None else "given")
    return ranked_duplicates(session.store, lon, lat, category_id, at, description,
                             rule=rule, exclude_id=exclude_id)


def category_duplicate_rule(session: Session, category_id: int) -> DuplicateRule:
    """The radius and window used for a category's near duplicates."""
    session.require("workspace.read")
    return duplicate_rule(session.store, category_id)


def set_category_duplicate_rule(session: Session, category_id: int,
                                radius_m: float | None, days: float | None) -> dict[str, Any]:
    """Set a category's near-duplicate radius (metres) and window (days); audited.

    None for either means the built-in value (:func:`duplicate_rule`).  Returns the
    audited ``{column: [old, new]}``.

    Raises
    ------
    ValidationError
        A radius outside 1 … 2000 m or a window outside 0.1 … 365 days.
    """
    session.require("category.edit")
    session.store.get("category", int(category_id))
    if radius_m is not None and not 1 <= float(radius_m) <= 2000:
        raise ValidationError("疑似重复的范围应在 1 到 2000 米之间（填了 {v}）",
                              "The duplicate radius must be 1 to 2000 m (got {v})",
                              v=radius_m)
    if days is not None and not 0.1 <= float(days) <= 365:
        raise ValidationError("疑似重复的时间窗应在 0.1 到 365 天之间（填了 {v}）",
                              "The duplicate window must be 0.1 to 365 days (got {v})",
                              v=days)
    with session.transaction() as tx:
        return duty_queries.set_duplicate_rule(
            tx, int(category_id), None if radius_m is None else float(radius_m),
            None if days is None else float(days))
