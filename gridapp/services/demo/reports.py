"""Reports, cases and planted hot spots of the demo street.

Background reports fall near homes (weighted by households); hot spots are
planted as dense, recurring groups of a few related categories (evening
street markets, spreading illegal building along a lane, fire hazards in a
row of shops...).  Each case's history is simulated through the workflow up
to the demo's as-of date, so old cases are mostly closed, recent ones open, and a few stuck
ones are overdue.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import shapely

from gridapp.domain.crs import to_storage
from gridapp.domain.enums import CaseStatus
from gridapp.domain.timeutil import LOCAL_TZ
from gridapp.domain.workdays import WorkCalendar
from gridapp.services.cases.report_import_write import iso_many
from gridapp.services.demo import people
from gridapp.services.demo.spec import DemoSpec, Hotspot
from gridapp.storage import bulk
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

    xs, ys, codes, days, hours, hot_of = [], [], [], [], [], []
    hotspots: list[Hotspot] = []
    centres: list[np.ndarray] = []
    weights = (b_hh + 1) / (b_hh + 1).sum()
    attempts = 0
    inner = region.buffer(-120)
    while len(hotspots) < n_hot and attempts < n_hot * 200:
        attempts += 1
        c = b_cent[rng.choice(len(b_cent), p=weights)]
        if not inner.contains(shapely.Point(c)):
            continue
        if centres and np.min(np.linalg.norm(np.array(centres) - c, axis=1)) < 400:
            continue
        k = len(hotspots)
        kind, hcats, radius, elongated, evening, recent = HOTSPOT_TEMPLATES[k % len(HOTSPOT_TEMPLATES)]
        centres.append(c)
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
        hot_of.append(np.full(per_hot, k))
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
    hot_of.append(np.full(n_bg, -1))

    x = np.concatenate(xs)
    y = np.concatenate(ys)
    code = np.concatenate(codes)
    day = np.concatenate(days)
    hour = np.concatenate(hours)
    hot = np.concatenate(hot_of)
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
    progress(1, 4, "reports: times")
    cancel.check()

    # Times: local date `day` days before the as-of day at `hour` (< 24), so
    # every report lies before the cut-off.
    base = cutoff - timedelta(days=1)
    reported = [base - timedelta(days=int(dd)) + timedelta(hours=float(hh))
                for dd, hh in zip(day, hour, strict=False)]
    order = np.argsort(np.array([r.timestamp() for r in reported]))
    x, y, code, hot, cell_of = x[order], y[order], code[order], hot[order], cell_of[order]
    reported = [reported[i] for i in order]
    lon, lat = to_storage(x, y, epsg)
    n = len(x)

    duty = queries.lead_duties(tx)
    calendar = WorkCalendar()
    source = rng.choice(["patrol", "resident", "hotline", "video"], n, p=[0.65, 0.15, 0.15, 0.05])
    resident_names = people.person_names(rng, 200)
    resident_phones = people.mobile_numbers(rng, 200)
    fate = rng.random(n)
    # 回访 draws come from their own stream, so the cases above stay as they were
    cb_rng = np.random.default_rng([spec.seed, 17])
    care = _grid_care(cb_rng, len(cells))
    rows, events, callbacks = [], [], []
    per_day: dict[date, int] = {}
    for i in range(n):
        if i % 2000 == 0:
            cancel.check()
            progress(1 + 2 * i / n, 4, "reports: cases")
        cat = cats[code[i]]
        handling, dept = duty.get(code[i], ("office", depts["JD"]))
        t0 = reported[i]
        d0 = t0.date()
        per_day[d0] = per_day.get(d0, 0) + 1
        case_no = f"{d0:%Y%m%d}{per_day[d0]:05d}"
        urgent = cat["time_unit"] == "urgent_hour"
        stages, limit = _simulate(rng, calendar, t0, cat, fate[i], urgent)
        src = str(source[i])
        g = int(cell_of[i])
        if src in ("resident", "hotline"):
            stages, calls = _with_callbacks(cb_rng, stages, care[g])
            callbacks += [(i, *c) for c in calls if c[0] < cutoff]
        status = CaseStatus.REPORTED.value
        at = {"registered": None, "dispatched": None, "closed": None}
        deadline = None
        for action, frm, to, when in stages:
            if when >= cutoff:
                break
            events.append([None, action, frm, to, when, dept if to in ("in_progress", "handler_done")
                           else None])
            status = to
            if to == "registered":
                at["registered"] = when
            elif to == "dispatched":
                at["dispatched"] = when
                deadline = limit  # _simulate counted it from this very moment
            elif to == "closed":
                at["closed"] = when
        rows.append([
            case_no, f"{roads[g % len(roads)]}{int(rng.integers(1, 300))}号附近",
            cat["id"], people.DESCRIPTIONS.get(code[i], cat["name"]), src,
            int(owner_manager[g]) if src == "patrol" else None,
            resident_names[i % 200] if src in ("resident", "hotline") else None,
            resident_phones[i % 200] if src in ("resident", "hotline") else None,
            int(grid_ids[g]), int(comm_ids[g]), "urgent" if urgent else "normal", status,
            handling, dept if at["dispatched"] else None, t0, at["registered"],
            at["dispatched"], deadline, at["closed"]])
    # Times become text column by column (numpy), not one strftime per value.
    for col in range(len(rows[0]) - 5, len(rows[0])) if rows else ():
        for row, text in zip(rows, _iso_column([r[col] for r in rows]), strict=True):
            row[col] = text
    progress(3, 4, "reports: writing")
    first, _ = queries.insert_features(
        tx, "report",
        ["case_no", "address", "category_id", "description", "source", "reporter_manager_id",
         "reporter_name", "reporter_phone", "grid_id", "community_id", "urgency", "status",
         "handling", "department_id", "reported_at", "registered_at", "dispatched_at", "deadline",
         "closed_at"],
        rows, shapely.points(lon, lat), summary="demo reports")
    # Events reference reports by position; ids are consecutive from `first`.
    report_of_event = _event_report_index(rows, events)
    ev_at = _iso_column([ev[4] for ev in events])
    ev_rows = [(first + rep, ev[1], ev[2], ev[3], "demo", ev[5], at_text, _NOTES.get(ev[1], ""))
               for rep, ev, at_text in zip(report_of_event, events, ev_at, strict=True)]
    bulk.insert_rows(tx, "case_event", ["report_id", "action", "from_status", "to_status",
                                        "actor", "department_id", "at", "note"], ev_rows,
                     summary="demo case events")
    report_bulk.fill_kept_case_times(tx)
    cb_at = _iso_column([c[1] for c in callbacks])
    bulk.insert_rows(tx, "case_callback",
                     ["report_id", "called_by", "called_at", "told", "verdict", "resolved",
                      "reason", "reopened"],
                     [(first + c[0], "wgb", at_text, *c[2:]) for c, at_text
                      in zip(callbacks, cb_at, strict=True)], summary="demo callbacks")
    progress(4, 4, "")
    return hotspots


def _event_report_index(rows, events) -> list[int]:
    # events were appended in report order; each report's first event is
    # "register"/"reject" from "reported".  Walk them to recover the report index.
    out, i = [], -1
    for ev in events:
        if ev[2] == "reported":
            i += 1
        out.append(i)
    return out


_NOTES = {"register": "符合立案条件", "reject": "不属于受理范围，不予立案", "dispatch": "按职责清单派遣",
          "start": "已接单处置", "finish": "已处置完毕", "verify": "现场核查已整改",
          "send_back": "现场核查未整改到位，返工", "close": "结案"}


def _note(action: str) -> str:
    return _NOTES.get(action, "")


def _iso_column(values: list[datetime | None]) -> list[str | None]:
    """``to_iso`` of every value (None stays None), computed as arrays."""
    out: list[str | None] = [None] * len(values)
    where = [i for i, v in enumerate(values) if v is not None]
    if where:
        texts, _days = iso_many([values[i] for i in where])  # type: ignore[misc]
        for i, t in zip(where, texts.tolist(), strict=True):
            out[i] = t
    return out


# 回访: what the resident is told, and why some are not satisfied
_TOLD = ("已现场处置完毕，欢迎继续监督", "问题已整改，已安排网格员定期巡查",
         "已由职能部门处理，结果已反馈")
_DISSATISFIED = ("处置不彻底，问题仍然存在", "处理太慢，反映多次才来", "只做了表面处理，过几天又反弹",
                 "处置人员态度不好")


def _grid_care(rng: np.random.Generator, n: int) -> np.ndarray:
    """How well each grid's cases are handled in residents' eyes: the share of
    callbacks that end 满意 or 基本满意.  Most grids do well, about one in six
    poorly, so the dashboard shows both blue and red grids on 满意率."""
    kind = rng.choice(3, n, p=[0.35, 0.5, 0.15])
    return np.array([0.98, 0.9, 0.68])[kind] + rng.uniform(-0.02, 0.02, n)


def _with_callbacks(rng: np.random.Generator, stages: list, care: float):
    """Insert the 回访 between verification and closing of a resident or 12345
    case (the rules a real case follows: :mod:`gridapp.services.assessment.callback`).

    Returns the stages (a first 不满意 sends the case back once: 返工, handled,
    verified and called back again before closing) and the callbacks as
    (called at, told, verdict, resolved, reason, reopened).
    """
    at = [k for k, st in enumerate(stages) if st[0] == "verify"]
    if not at:
        return stages, []
    k = at[0]
    verified = stages[k][3]
    h = lambda a, b: timedelta(hours=float(rng.uniform(a, b)))  # noqa: E731
    called = verified + h(0.2, 6)
    told = str(rng.choice(_TOLD))
    u = rng.random()
    if u < care:
        verdict = "satisfied" if rng.random() < 0.78 else "basic"
        tail = [(st[0], st[1], st[2], max(st[3], called + h(0.1, 2))) for st in stages[k + 1:]]
        return stages[:k + 1] + tail, [(called, told, verdict, 1, None, 0)]
    reason = str(rng.choice(_DISSATISFIED))
    if rng.random() < 0.35:  # recorded, closed all the same (the resident is told why)
        tail = [(st[0], st[1], st[2], max(st[3], called + h(0.1, 2))) for st in stages[k + 1:]]
        return stages[:k + 1] + tail, [(called, told, "dissatisfied", 0, reason, 0)]
    t = called  # the callback sends it back in the same transaction
    out = stages[:k + 1] + [("send_back", "verified", "sent_back", t)]
    t += h(1, 12)
    out.append(("start", "sent_back", "in_progress", t))
    t += h(2, 30)
    out.append(("finish", "in_progress", "handler_done", t))
    t += h(1, 12)
    out.append(("verify", "handler_done", "verified", t))
    again = t + h(0.2, 6)
    verdict = "satisfied" if rng.random() < 0.6 else "basic"
    out.append(("close", "verified", "closed", again + h(0.1, 2)))
    return out, [(called, told, "dissatisfied", 0, reason, 1),
                 (again, "返工后已重新处置到位", verdict, 1, None, 0)]


def _simulate(rng, calendar: WorkCalendar, t0: datetime, cat, fate: float, urgent: bool):
    """The case's path through the workflow with realistic delays, and its deadline
    (counted from dispatch; None for a rejected report)."""
    h = lambda a, b: timedelta(hours=float(rng.uniform(a, b)))  # noqa: E731
    out = []
    t = t0 + h(0.1, 2)
    if fate < 0.03:
        return [("reject", "reported", "rejected", t)], None
    out.append(("register", "reported", "registered", t))
    t += h(0.2, 3)
    out.append(("dispatch", "registered", "dispatched", t))
    dispatched = t
    limit = calendar.deadline(dispatched, cat["time_limit"], cat["time_unit"])
    t += h(0.3, 2 if urgent else 12)
    out.append(("start", "dispatched", "in_progress", t))
    if fate > 0.985:  # stuck: never reported done, goes overdue
        return out, limit
    span = (limit - t).total_seconds() / 3600
    late = fate > 0.85
    t += timedelta(hours=max(0.2, float(rng.uniform(0.2, 0.9)) * span)) + (h(4, 60) if late else
                                                                           timedelta(0))
    out.append(("finish", "in_progress", "handler_done", t))
    if 0.80 < fate <= 0.85:
        t += h(2, 24)
        out.append(("send_back", "handler_done", "sent_back", t))
        t += h(1, 24)
        out.append(("start", "sent_back", "in_progress", t))
        t += h(2, 24)
        out.append(("finish", "in_progress", "handler_done", t))
    t += h(1, 24)
    out.append(("verify", "handler_done", "verified", t))
    t += h(0.5, 8)
    out.append(("close", "verified", "closed", t))
    return out, limit
