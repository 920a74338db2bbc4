"""Reports, cases and planted hot spots of the demo street.

Background reports fall near homes (weighted by households); hot spots are
planted as dense, recurring groups of a few related categories (evening
street markets, spreading illegal building along a lane, fire hazards in a
row of shops...).  Each case's history is simulated through the workflow up
to the demo's as-of date, so old cases are mostly closed, recent ones open, and a few stuck
ones are overdue.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import shapely

from gridapp.domain.crs import to_storage
from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.domain.workdays import WorkCalendar
from gridapp.services.demo import people
from gridapp.services.demo.cases import (
    DEPARTMENT_SLOTS,
    K_REJECT,
    KINDS,
    SLOTS,
    simulate,
)
from gridapp.services.demo.deadlines import DAY_US, HOUR_US, local_offset_us
from gridapp.services.demo.spec import DemoSpec, Hotspot
from gridapp.storage import bulk
from gridapp.storage.queries import demo as demo_queries
from gridapp.storage.queries import report_bulk
from gridapp.storage.queries import workspace as queries

# kind, categories, radius (m), elongated, evening, recent-only
HOTSPOT_TEMPLATES = [
    ("夜市占道经营", ["0401", "0403", "0406"], 25.0, False, True, False),
    ("违法建设蔓延", ["0304"], 45.0, True, False, False),
    ("沿街商铺消防隐患", ["0602", "0601"], 20.0, True, False, True),
    ("工地扬尘扰民", ["0302", "0301", "0303"], 30.0, False, False, False),
    ("垃圾渣土堆积", ["0102", "0101"], 15.0, False, False, False),
    ("餐饮油烟噪声", ["0106", "0107"], 20.0, False, True, False),
    ("群租房隐患", ["0603", "0602"], 15.0, False, False, True),
    ("车辆乱停放", ["0404", "0405"], 25.0, True, False, False),
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BACKGROUND_WEIGHT = {"0101": 8, "0401": 6, "0405": 6, "0201": 6, "0404": 5, "0103": 5,
                      "0402": 4, "0102": 3, "0601": 3, "0605": 2, "0607": 2}


def make_reports(tx, *, spec: DemoSpec, rng: np.random.Generator, today: date, epsg: int,
                 cells: np.ndarray, grid_ids: np.ndarray, comm_ids: np.ndarray,
                 owner_manager: np.ndarray, b_cent: np.ndarray, b_hh: np.ndarray,
                 cats: dict[str, dict[str, Any]], depts: dict[str, int], roads: list[str],
                 progress, cancel) -> list[Hotspot]:

    n_total = spec.reports
    region = shapely.coverage_union_all(cells)
    n_hot = max(4, round(n_total / 375))
    n_hot = min(n_hot, max(8, len(cells) // 7))
    hot_share = int(n_total * 0.3)
    per_hot = max(12, hot_share // n_hot)
    # Everything happens before the as-of day begins, so the street depends on
    # the seed and the as-of date only, never on when it is generated.
    cutoff = datetime.combine(today, datetime.min.time(), LOCAL_TZ)

    xs, ys, codes, days, hours = [], [], [], [], []
    hotspots: list[Hotspot] = []
    weights = (b_hh + 1) / (b_hh + 1).sum()
    centres = _hotspot_centres(rng, b_cent, weights, region.buffer(-120), n_hot)
    for c in centres:
        k = len(hotspots)
        kind, hcats, radius, elongated, evening, recent = HOTSPOT_TEMPLATES[k % len(HOTSPOT_TEMPLATES)]
        if elongated:
            ang = rng.uniform(0, np.pi)
            t = rng.uniform(-radius, radius, per_hot)
            off = rng.normal(0, 4, per_hot)
            px = c[0] + t * np.cos(ang) - off * np.sin(ang)
            py = c[1] + t * np.sin(ang) + off * np.cos(ang)
        else:
            r = np.minimum(np.abs(rng.normal(0, radius / 2, per_hot)), radius)
            a = rng.uniform(0, 2 * np.pi, per_hot)
            px, py = c[0] + r * np.cos(a), c[1] + r * np.sin(a)
        span = 60 if recent else spec.days
        d = rng.uniform(0, span, per_hot)
        h = rng.uniform(18, 23, per_hot) if evening else rng.uniform(8, 19, per_hot)
        xs.append(px)
        ys.append(py)
        codes.append(rng.choice(hcats, per_hot))
        days.append(d)
        hours.append(h)
        lon, lat = to_storage(c[0], c[1], epsg)
        hotspots.append(Hotspot(
            id=k, lon=float(lon), lat=float(lat), radius_m=radius, categories=list(hcats),
            count=per_hot, kind=kind,
            first_day=(today - timedelta(days=1 + int(d.max()))).isoformat(),
            last_day=(today - timedelta(days=1 + int(d.min()))).isoformat()))
    n_bg = n_total - per_hot * len(hotspots)
    pick = rng.choice(len(b_cent), size=n_bg, p=weights)
    xs.append(b_cent[pick, 0] + rng.normal(0, 15, n_bg))
    ys.append(b_cent[pick, 1] + rng.normal(0, 15, n_bg))
    sub = [c for c in cats if len(c) == 4]
    w = np.array([_BACKGROUND_WEIGHT.get(c, 1) for c in sub], dtype=float)
    codes.append(rng.choice(sub, n_bg, p=w / w.sum()))
    days.append(rng.uniform(0, spec.days, n_bg) ** 1.0)
    hours.append(np.clip(rng.normal(13, 3.5, n_bg), 6, 22.9))

    x = np.concatenate(xs)
    y = np.concatenate(ys)
    code = np.concatenate(codes)
    day = np.concatenate(days)
    hour = np.concatenate(hours)
    # Points that fell outside the street move onto the nearest grid's centre.
    tree = shapely.STRtree(cells)
    pts = shapely.points(x, y)
    p_idx, g_idx = tree.query(pts, predicate="within")
    cell_of = np.full(len(x), -1)
    cell_of[p_idx] = g_idx
    lost = np.flatnonzero(cell_of < 0)
    if len(lost):
        near = tree.nearest(pts[lost])
        inside = shapely.get_coordinates(shapely.point_on_surface(cells[near]))
        x[lost], y[lost] = inside[:, 0], inside[:, 1]
        cell_of[lost] = near
    progress(1, 4, "reports: cases")
    cancel.check()

    # Times: local date `day` days before the as-of day at `hour` (< 24), so
    # every report lies before the cut-off.
    base = int((cutoff - timedelta(days=1) - _EPOCH) // timedelta(microseconds=1))
    reported = (base - day.astype(np.int64) * DAY_US
                + np.rint(hour * HOUR_US).astype(np.int64))
    order = np.argsort(reported, kind="stable")
    x, y, code, cell_of, reported = x[order], y[order], code[order], cell_of[order], reported[order]
    lon, lat = to_storage(x, y, epsg)
    n = len(x)

    # Per category (few), then indexed per report.
    cat_codes, cat_of = np.unique(code, return_inverse=True)
    duty = queries.lead_duties(tx)
    c_rows = [cats[str(c)] for c in cat_codes]
    c_duty = [duty.get(str(c), ("office", depts["JD"])) for c in cat_codes]
    c_id = np.array([r["id"] for r in c_rows], dtype=np.int64)
    c_limit = np.array([float(r["time_limit"]) for r in c_rows])
    c_unit = np.array([r["time_unit"] for r in c_rows], dtype=object)
    c_text = np.array([people.DESCRIPTIONS.get(str(c), r["name"]) for c, r in
                       zip(cat_codes, c_rows, strict=True)], dtype=object)
    c_handling = np.array([d[0] for d in c_duty], dtype=object)
    c_dept = np.array([d[1] for d in c_duty], dtype=object)
    urgent = c_unit[cat_of] == "urgent_hour"
    source = rng.choice(np.array(["patrol", "resident", "hotline", "video"], dtype=object), n,
                        p=[0.65, 0.15, 0.15, 0.05])
    resident_names = np.array(people.person_names(rng, 200), dtype=object)
    resident_phones = np.array(people.mobile_numbers(rng, 200), dtype=object)
    fate = rng.random(n)
    # 回访 draws come from their own stream, so the cases above stay as they were
    cb_rng = np.random.default_rng([spec.seed, 17])
    care = _grid_care(cb_rng, len(cells))
    by_resident = (source == "resident") | (source == "hotline")
    cutoff_us = int((cutoff - _EPOCH) // timedelta(microseconds=1))
    cases = simulate(rng, cb_rng, WorkCalendar(), reported, fate, c_limit[cat_of],
                     c_unit[cat_of].astype(str), urgent, by_resident, care[cell_of], cutoff_us)
    cancel.check()

    # Case numbers: the Beijing day, then the report's place in that day.
    local_day = (reported + local_offset_us(int(reported[0]), int(reported[-1]))) // DAY_US
    first_of_day = np.searchsorted(local_day, local_day, side="left")
    seq = np.arange(n) - first_of_day + 1
    ymd = _ymd(local_day)
    case_no = (ymd * 100_000 + seq).astype(str).tolist()
    road = np.array(roads, dtype=object)[cell_of % len(roads)]
    address = [f"{r}{k}号附近" for r, k in zip(road.tolist(), rng.integers(1, 300, n).tolist(),
                                             strict=True)]
    dispatched = cases.done[:, 1]
    status = cases.status()
    finished = cases.finished_at()
    finished.mask |= ~np.isin(status, ["handler_done", "verified", "closed"])
    dept = c_dept[cat_of]
    patrol = source == "patrol"
    columns = {
        "case_no": case_no, "address": address, "category_id": c_id[cat_of].tolist(),
        "description": c_text[cat_of].tolist(), "source": source.tolist(),
        "reporter_manager_id": np.where(patrol, owner_manager[cell_of], None).tolist(),
        "reporter_name": np.where(by_resident, resident_names[np.arange(n) % 200], None).tolist(),
        "reporter_phone": np.where(by_resident, resident_phones[np.arange(n) % 200],
                                   None).tolist(),
        "grid_id": grid_ids[cell_of].tolist(), "community_id": comm_ids[cell_of].tolist(),
        "urgency": np.where(urgent, "urgent", "normal").astype(object).tolist(),
        "status": status.tolist(), "handling": c_handling[cat_of].tolist(),
        "department_id": np.where(dispatched, dept, None).tolist(),
        "reported_at": iso_texts(reported),
        "registered_at": iso_texts(np.ma.masked_array(cases.at[:, 0],
                                                      ~cases.done[:, 0] | cases.rejected)),
        "dispatched_at": iso_texts(cases.slot_time(1)),
        "deadline": iso_texts(np.ma.masked_array(cases.deadline, ~dispatched)),
        "closed_at": iso_texts(cases.slot_time(12)),
        # schema 24's kept times, as the workflow keeps them
        "responded_at": iso_texts(cases.slot_time(0)),
        "dispatched_by": np.where(dispatched, "demo", None).tolist(),
        "finished_at": iso_texts(finished),
    }
    progress(2, 4, f"reports: writing {n:,} and their indexes")
    cancel.check()
    first, _ = bulk.insert_points(tx, "report", list(columns), lon, lat,
                                  column_values=list(columns.values()), summary="demo reports")
    del columns, case_no, address
    _write_events(tx, cases, first, dept, progress, cancel)
    cb = cases.callbacks
    report_bulk.insert_chunks(
        tx, "case_callback", ["report_id", "called_by", "called_at", "told", "verdict",
                              "resolved", "reason", "reopened"],
        [zip((first + cb.case).tolist(), itertools.repeat("wgb"), iso_texts(cb.at),
             cb.told.tolist(), cb.verdict.tolist(), cb.resolved.tolist(), cb.reason.tolist(),
             cb.reopened.tolist())], len(cb.case), summary="demo callbacks")
    progress(4, 4, "saving")
    return hotspots


_NOTES = {"register": "符合立案条件", "reject": "不属于受理范围，不予立案", "dispatch": "按职责清单派遣",
          "start": "已接单处置", "finish": "已处置完毕", "verify": "现场核查已整改",
          "send_back": "现场核查未整改到位，返工", "close": "结案"}


def _write_events(tx, cases, first: int, dept: np.ndarray, progress, cancel) -> None:
    """Every case event, in case order and within a case in time order (ids ascend
    with both): one staged row per case, expanded into its events by SQLite."""
    cancel.check()
    n = len(cases.at)
    total = int(cases.done.sum())
    progress(2, 4, f"case events: {total:,}")
    kinds = [(a, f, t, _NOTES.get(a, ""), k in DEPARTMENT_SLOTS)
             for k, (a, f, t) in enumerate(KINDS)]
    written = demo_queries.insert_slot_events(
        tx, kinds, [*range(len(SLOTS)), 0], first + np.arange(n), cases.done,
        np.where(cases.rejected, K_REJECT, 0), cases.at // 1000, dept, "demo",
        summary="demo case events",
        progress=lambda i, k: progress(2 + 1.5 * i / k, 4, f"case events: {total:,}"
                                       + (", indexing" if i == k else "")))
    if written != total:
        raise RuntimeError(f"{written} case events written, {total} simulated")


def iso_texts(us) -> list[str | None]:
    """``to_iso`` text of each instant (µs since the epoch, UTC); None where masked."""
    ms = np.ma.getdata(us).astype(np.int64) // 1000
    text = np.datetime_as_string(ms.astype("datetime64[ms]"), unit="ms").astype(object) + "Z"
    mask = np.ma.getmaskarray(us)
    if mask.any():
        text[mask] = None
    return text.tolist()


def _ymd(days: np.ndarray) -> np.ndarray:
    """YYYYMMDD of each day (days since 1970-01-01) as an integer."""
    d = days.astype("datetime64[D]")
    year = d.astype("datetime64[Y]")
    month = d.astype("datetime64[M]")
    return ((year.astype(np.int64) + 1970) * 10000 + (month - year).astype(np.int64) * 100
            + 100 + (d - month).astype(np.int64) + 1)


def _hotspot_centres(rng: np.random.Generator, b_cent: np.ndarray, weights: np.ndarray,
                     inner, n_hot: int) -> np.ndarray:
    """Up to *n_hot* hot spot centres: buildings drawn by *weights* (households),
    inside *inner* and at least 400 m from each other.  Candidates are drawn and
    tested in batches (a weighted draw costs a pass over all buildings)."""
    shapely.prepare(inner)
    centres = np.empty((n_hot, 2))
    found = tried = 0
    while found < n_hot and tried < n_hot * 200:
        batch = b_cent[rng.choice(len(b_cent), size=min(4 * n_hot, n_hot * 200 - tried),
                                  p=weights)]
        tried += len(batch)
        for c in batch[shapely.contains_xy(inner, batch[:, 0], batch[:, 1])]:
            if found and np.hypot(*(centres[:found] - c).T).min() < 400:
                continue
            centres[found] = c
            found += 1
            if found == n_hot:
                break
    return centres[:found]


def _grid_care(rng: np.random.Generator, n: int) -> np.ndarray:
    """How well each grid's cases are handled in residents' eyes: the share of
    callbacks that end 满意 or 基本满意.  Most grids do well, about one in six
    poorly, so the dashboard shows both blue and red grids on 满意率."""
    kind = rng.choice(3, n, p=[0.35, 0.5, 0.15])
    return np.array([0.98, 0.9, 0.68])[kind] + rng.uniform(-0.02, 0.02, n)
