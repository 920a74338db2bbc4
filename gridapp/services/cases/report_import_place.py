"""Address hints and near-duplicate cases for many positions at once.

The batch forms of :func:`~gridapp.services.cases.placement.place_hint` and
:func:`~gridapp.services.cases.placement.ranked_duplicates`, with the same
answers (each category's own radius and window): storage is asked once for everything near the batch (named places
and buildings, open reports), then a shapely STRtree pairs positions with
candidates and numpy picks the nearest.  Used by the report import, whose
rows used to ask storage twice each.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import shapely

from gridapp import i18n
from gridapp.domain.enums import CaseStatus
from gridapp.domain.timeutil import from_iso, to_iso
from gridapp.services.cases.placement import (
    _M_PER_DEG_LAT,
    _OPEN,
    ADDRESS_SEARCH_M,
    DuplicateCandidate,
    DuplicateRule,
    distance_m,
    duplicate_rule,
    duplicate_score,
    text_similarity,
)
from gridapp.services.cases.report_import_rows import epoch_us, iso_ms
from gridapp.storage import geometry
from gridapp.storage.queries import report_bulk

_CHUNK = 100_000  # positions per query box (keeps each box's candidates small)


def _half_sizes(metres: float | np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised ``placement._deg``: half-widths in degrees around each latitude
    (*metres*: one distance, or one per latitude)."""
    dy = np.broadcast_to(np.asarray(metres, dtype=np.float64) / _M_PER_DEG_LAT, lat.shape)
    return dy / np.maximum(np.cos(np.radians(lat)), 0.01), dy


def _pairs(tree_geoms: np.ndarray, lon: np.ndarray, lat: np.ndarray,
           metres: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position index, candidate index) of every candidate whose box meets the position's."""
    if len(tree_geoms) == 0 or len(lon) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    dx, dy = _half_sizes(metres, lat)
    boxes = shapely.box(lon - dx, lat - dy, lon + dx, lat + dy)
    pi, ci = shapely.STRtree(tree_geoms).query(boxes)
    return pi.astype(np.int64), ci.astype(np.int64)


def _nearest_per_position(pi: np.ndarray, d: np.ndarray, ci: np.ndarray
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each position with candidates: the nearest (lowest candidate index on ties)."""
    order = np.lexsort((ci, d, pi))
    pi, d, ci = pi[order], d[order], ci[order]
    first = np.ones(len(pi), dtype=bool)
    first[1:] = pi[1:] != pi[:-1]
    return pi[first], d[first], ci[first]


def _nearest_pairs(geoms: np.ndarray, lon: np.ndarray, lat: np.ndarray,
                   within_m: float) -> tuple[np.ndarray, np.ndarray]:
    """(position, candidate) pairs holding each position's nearest candidates.

    STRtree's nearest search runs in a plane scaled to metres at the batch's
    mean latitude; every candidate within 1 % (+1 m) of that nearest distance
    is kept, so the exact distance below picks the same one ``place_hint``
    picks (the scale differs by well under 1 % across a district).
    """
    ky = _M_PER_DEG_LAT
    kx = ky * float(np.cos(np.radians(lat.mean())))
    scaled = shapely.transform(geoms, lambda xy: xy * np.array([kx, ky]))
    pts = shapely.points(lon * kx, lat * ky)
    tree = shapely.STRtree(scaled)
    (pi, _ci), dist = tree.query_nearest(pts, max_distance=within_m * 1.05 + 1,
                                         return_distance=True, all_matches=False)
    if len(pi) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    pi2, ci2 = tree.query(pts[pi], predicate="dwithin", distance=dist * 1.01 + 1.0)
    return pi[pi2].astype(np.int64), ci2.astype(np.int64)


_SEGMENT_M = 5.0  # longest boundary piece between two KD-tree vertices, in metres
# Positions from which the KD-tree pays for importing scipy.spatial (~0.3 s): the
# STRtree's nearest search costs ~15 us a position, the KD-tree's ~6.
_KD_FROM = 50_000
_KD_LOADED_FROM = 5_000  # once scipy.spatial is imported (its tree costs ~40 ms to set up)
_KD_NEIGHBOURS = (8, 32)  # vertices asked per position, then of those needing more


def _nearest_candidates(geoms: np.ndarray, lon: np.ndarray, lat: np.ndarray,
                        within_m: float) -> tuple[np.ndarray, np.ndarray]:
    """(position, candidate) pairs holding each position's nearest candidates.

    A superset of :func:`_nearest_pairs`'s pairs, found without GEOS distance
    calls: in the same plane scaled to metres, every boundary is cut into
    pieces of at most ``_SEGMENT_M`` and its vertices go into a KD-tree.  A
    geometry at distance *d* from a position then has a vertex within
    ``d + _SEGMENT_M / 2``, and the nearest vertex is no nearer than the
    nearest geometry, so the geometries with a vertex within ``dv * 1.01 + 1 +
    _SEGMENT_M / 2`` of the nearest vertex (distance ``dv``) hold every
    geometry ``_nearest_pairs`` keeps.  That holds for a position inside a
    polygon too (distance 0) as long as no other geometry has a vertex inside
    that polygon and its boundary lies within the search limit; polygons for
    which either may fail (:func:`_deep_polygons`) get a point-in-polygon query.
    Positions whose nearest vertices all lie within that radius are asked
    again for more (``_KD_NEIGHBOURS``), then through :func:`_nearest_pairs`.  The exact distance in
    :func:`address_hints` picks among the candidates, so the answer is the same.
    """
    from scipy.spatial import cKDTree

    ky = _M_PER_DEG_LAT
    kx = ky * float(np.cos(np.radians(lat.mean())))
    scale = np.array([kx, ky])
    scaled = shapely.segmentize(shapely.transform(geoms, lambda xy: xy * scale),
                                _SEGMENT_M)
    xy, owner = shapely.get_coordinates(scaled, return_index=True)
    half = _SEGMENT_M / 2
    limit = within_m * 1.05 + 1 + half
    tree = cKDTree(xy)
    found_p, found_c = [], []
    todo = np.arange(len(lon))
    for k in _KD_NEIGHBOURS:  # few positions need more than the first count
        k = min(k, len(xy))
        spill = []
        for start in range(0, len(todo), _CHUNK):  # k answers a position: bounded memory
            at = todo[start:start + _CHUNK]
            dist, idx = tree.query(np.column_stack([lon[at] * kx, lat[at] * ky]), k=k,
                                   distance_upper_bound=limit)
            dist, idx = dist.reshape(len(at), k), idx.reshape(len(at), k)
            near = np.isfinite(dist) & (dist <= dist[:, :1] * 1.01 + 1 + half)
            full = near[:, -1].copy() if k < len(xy) else np.zeros(len(at), dtype=bool)
            near[full] = False
            # Each geometry once per position: its near vertices sorted side by side.
            own = np.sort(np.where(near, owner[np.minimum(idx, len(xy) - 1)], -1), axis=1)
            first = own >= 0
            first[:, 1:] &= own[:, 1:] != own[:, :-1]
            found_p.append(at[np.nonzero(first)[0]])
            found_c.append(own[first])
            spill.append(at[full])
        todo = np.concatenate(spill)
        if len(todo) == 0:
            break
    pi, ci = np.concatenate(found_p), np.concatenate(found_c)
    deep = _deep_polygons(geoms, scaled, limit - half)
    if len(deep):  # positions inside them may be far from every vertex
        inside_p, inside_c = shapely.STRtree(geoms[deep]).query(
            shapely.points(lon, lat), predicate="intersects")
        pi, ci = np.concatenate([pi, inside_p]), np.concatenate([ci, deep[inside_c]])
    if len(todo):
        rp, rc = _nearest_pairs(geoms, lon[todo], lat[todo], within_m)
        pi, ci = np.concatenate([pi, todo[rp]]), np.concatenate([ci, rc])
    return pi.astype(np.int64), ci.astype(np.int64)  # a pair may come twice: harmless


def _deep_polygons(geoms: np.ndarray, scaled: np.ndarray, reach_m: float) -> np.ndarray:
    """Indexes of the polygons whose inside the vertex search may not see: those
    whose interior meets another geometry (its vertices may lie inside), and
    those wide enough to hold a point farther than *reach_m* from their boundary."""
    poly = np.flatnonzero(np.isin(shapely.get_type_id(geoms), (3, 6)))
    if len(poly) == 0:
        return poly
    box = shapely.bounds(scaled[poly])
    wide = np.minimum(box[:, 2] - box[:, 0], box[:, 3] - box[:, 1]) / 2 > reach_m
    a, b = shapely.STRtree(geoms).query(geoms[poly], predicate="intersects")
    a, b = a[b != poly[a]], b[b != poly[a]]
    meets = ~shapely.touches(geoms[poly[a]], geoms[b])
    crowded = np.zeros(len(poly), dtype=bool)
    crowded[a[meets]] = True
    return poly[wide | crowded]


def _label(r: Any) -> str:
    """A named feature's label, as ``place_hint`` writes it."""
    label = r["address"] or r["name"]
    if r["name"] and r["address"] and r["name"] not in r["address"]:
        label = f"{r['address']}（{r['name']}）"
    return label


def address_hints(store: Any, lon: np.ndarray, lat: np.ndarray,
                  within_m: float = ADDRESS_SEARCH_M) -> list[str]:
    """``place_hint`` of every position: "near <place> (about N m)", or ""."""
    n = len(lon)
    if n == 0:
        return []
    best_d = np.full(n, np.inf)
    best = np.full(n, -1, dtype=np.int64)  # index into labels
    labels: list[str] = []
    points = None
    dx, dy = _half_sizes(within_m, lat)
    box = (float((lon - dx).min()), float((lat - dy).min()),
           float((lon + dx).max()), float((lat + dy).max()))
    for table in ("place", "building"):  # a place wins a tie with a building
        rows = report_bulk.named_features_in_box(store, table, *box)
        if not rows:
            continue
        geoms = geometry.decode_many([r["geom"] for r in rows])
        kd = n >= _KD_FROM or (n >= _KD_LOADED_FROM and "scipy.spatial" in sys.modules)
        pi, ci = (_nearest_candidates if kd else _nearest_pairs)(geoms, lon, lat, within_m)
        if len(pi) == 0:
            continue
        if points is None:
            points = shapely.points(lon, lat)
        near = shapely.get_coordinates(shapely.shortest_line(geoms[ci], points[pi]))[0::2]
        d = distance_m(near[:, 0], near[:, 1], lon[pi], lat[pi])
        pi, d, ci = _nearest_per_position(pi, d, ci)
        better = (d <= within_m) & (d < best_d[pi])
        best_d[pi[better]] = d[better]
        best[pi[better]] = len(labels) + ci[better]
        labels.extend(map(_label, rows))
    out = [""] * n
    found = np.flatnonzero(best >= 0)
    close = best_d[found] < 5
    for i, k in zip(found[close].tolist(), best[found[close]].tolist(), strict=True):
        out[i] = labels[k]
    template = i18n.pick("{l}附近（约{d}米）", "near {l} (about {d} m)")
    far = found[~close]
    # np.rint rounds half to even, as round() does.
    for i, k, m in zip(far.tolist(), best[far].tolist(),
                       np.rint(best_d[far]).astype(np.int64).tolist(), strict=True):
        out[i] = template.format(l=labels[k], d=m)
    return out


def duplicate_rules(store: Any, category_ids: np.ndarray) -> dict[int, DuplicateRule]:
    """The radius and window of each distinct category (:func:`placement.duplicate_rule`).

    One question per distinct category, not per row: a file's statement count
    depends on how many categories it names, never on its length.
    """
    return {int(c): duplicate_rule(store, int(c)) for c in np.unique(category_ids).tolist()}


def near_duplicates_many(store: Any, lon: np.ndarray, lat: np.ndarray,
                         category_ids: np.ndarray, at: list[datetime],
                         descriptions: list[str] | None = None, *,
                         rules: dict[int, DuplicateRule] | None = None,
                         ) -> dict[int, list[DuplicateCandidate]]:
    """``ranked_duplicates`` of every position (index → candidates, best first).

    Each row's radius and window are its category's (:func:`duplicate_rule`,
    as the window's single report uses), applied as arrays: the storage box
    is as wide as the widest radius, then each pair is kept within its own
    row's radius and days.  Candidates are scored and ordered as
    :func:`~gridapp.services.cases.placement.ranked_duplicates` orders them.
    Positions without candidates are left out of the answer.
    """
    n = len(lon)
    if n == 0:
        return {}
    rules = rules if rules is not None else duplicate_rules(store, category_ids)
    cats = np.asarray(category_ids, dtype=np.int64)
    keys = np.array(sorted(rules), dtype=np.int64)
    at_rule = np.searchsorted(keys, cats)
    radius = np.array([rules[int(k)].radius_m for k in keys], dtype=np.float64)[at_rule]
    days = np.array([rules[int(k)].days for k in keys], dtype=np.float64)[at_rule]
    texts = descriptions if descriptions is not None else [""] * n
    out: dict[int, list[DuplicateCandidate]] = {}
    for start in range(0, n, _CHUNK):
        part = slice(start, start + _CHUNK)
        found = _duplicates_chunk(store, lon[part], lat[part], cats[part], at[part],
                                  radius[part], days[part])
        for k, cands in found.items():
            i = start + k
            rule = rules[int(cats[i])]
            out[i] = _ranked(cands, at[i], texts[i] or "", rule)
    return out


def _ranked(cands: list[DuplicateCandidate], at: datetime, description: str,
            rule: DuplicateRule) -> list[DuplicateCandidate]:
    """Scores and order of ``ranked_duplicates`` (a row's few candidates, one by one)."""
    out = []
    for c in cands:
        sim = text_similarity(description, c.description)
        age = (at - c.reported_at).total_seconds() / 86400
        out.append(DuplicateCandidate(
            c.report_id, c.case_no, c.status, c.distance_m, c.reported_at, c.description,
            round(duplicate_score(c.distance_m, age, sim, rule), 6), sim))
    return sorted(out, key=lambda c: (-c.score, c.distance_m, c.report_id))


def _windows(at: list[datetime], days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``to_iso(at - days)`` and ``to_iso(at + 1 day)`` of every time, as arrays of text."""
    us = epoch_us(at)
    ms = us // 1000
    back = days * 86_400_000
    lo = ms - np.rint(back).astype(np.int64)
    hi = ms + 86_400_000

    if (us % 1000 == 0).all() and (back == np.rint(back)).all():
        return iso_ms(lo), iso_ms(hi)
    return (np.array([to_iso(t - timedelta(days=float(d))) for t, d in zip(at, days.tolist(),
                                                                          strict=True)],
                     dtype=object),
            np.array([to_iso(t + timedelta(days=1)) for t in at], dtype=object))


def _duplicates_chunk(store: Any, lon: np.ndarray, lat: np.ndarray, cats: np.ndarray,
                      at: list[datetime], radius: np.ndarray, days: np.ndarray
                      ) -> dict[int, list[DuplicateCandidate]]:
    if len(lon) == 0:
        return {}
    since, until = _windows(at, days)
    dx, dy = _half_sizes(radius, lat)
    rows = report_bulk.open_reports_in_box(
        store, float((lon - dx).min()), float((lat - dy).min()), float((lon + dx).max()),
        float((lat + dy).max()), np.unique(cats).tolist(), _OPEN, min(since), max(until))
    if not rows:
        return {}
    pts = geometry.decode_many([r["geom"] for r in rows])
    pi, ci = _pairs(pts, lon, lat, radius)
    if len(pi) == 0:
        return {}
    r_cat = np.array([r["category_id"] for r in rows], dtype=np.int64)
    r_at = np.array([r["reported_at"] for r in rows], dtype=object)
    keep = (r_cat[ci] == cats[pi]) & (r_at[ci] >= since[pi]) & (r_at[ci] <= until[pi])
    pi, ci = pi[keep], ci[keep]
    xy = shapely.get_coordinates(pts[ci])
    d = distance_m(xy[:, 0], xy[:, 1], lon[pi], lat[pi])
    keep = d <= radius[pi]
    out: dict[int, list[DuplicateCandidate]] = {}
    for p, dist, c in zip(pi[keep].tolist(), d[keep].tolist(), ci[keep].tolist(), strict=True):
        r = rows[c]
        out.setdefault(p, []).append(DuplicateCandidate(
            int(r["id"]), r["case_no"], CaseStatus(r["status"]),  # type: ignore[call-arg]
            dist, from_iso(r["reported_at"]) or at[p], r["description"] or ""))
    return out
