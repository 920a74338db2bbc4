"""联合执法任务单 (the one-page task order) as data; the PDF layout comes with printing.

:func:`task_order_data` gathers everything the printed order shows, all
text in Chinese: title and number, place (address of the member cases and
the hull), the map extent with the member report points and the hull
(EPSG:4490), the list of cases, the departments with their contact people,
check-in due time and status, the times, and the issuing office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gridapp.domain.enums import CaseStatus
from gridapp.domain.timeutil import from_iso, local, now_utc
from gridapp.services.joint.tasks import RESULT_KEYS, get_task
from gridapp.services.session import Session
from gridapp.storage.queries import maps as map_rows
from gridapp.storage.queries import tasks as task_rows


@dataclass(frozen=True)
class OrderCase:
    case_no: str
    category: str
    address: str
    reported_at: str  # 本地时间文本
    status: str  # 中文
    lon: float
    lat: float


@dataclass(frozen=True)
class OrderDepartment:
    name: str
    role: str  # 牵头单位 / 参与部门
    contact_person: str
    contact_phone: str
    checkin_due: str
    checkin: str  # 按时报到 / 迟到 / 未报到 / 待报到 (+时间)


@dataclass(frozen=True)
class TaskOrder:
    """Everything the one-page 联合执法任务单 shows."""

    heading: str
    task_no: str
    title: str
    state: str
    place: str
    grids: list[str]
    hull: Any  # shapely Polygon, EPSG:4490
    extent: tuple[float, float, float, float]  # minx, miny, maxx, maxy with margin
    points: list[tuple[float, float]]  # member reports, lon/lat
    cases: list[OrderCase]
    departments: list[OrderDepartment]
    lead_unit: str
    summoned_at: str
    action_at: str
    deadline: str
    checkin_limit: str
    reason: str
    action_summary: str
    results: list[str]
    issuing_office: str
    printed_at: str
    notes: list[str] = field(default_factory=list)


def _fmt(dt: datetime | None) -> str:
    return f"{local(dt):%Y年%m月%d日 %H:%M}" if dt else "—"


@dataclass(frozen=True)
class MapContext:
    """Context layers for the order's map, EPSG:4490 GeoDataFrames (may be empty)."""

    epsg: int
    grids: Any = None
    buildings: Any = None


def task_order_data(session: Session, task_id: int,
                    now: datetime | None = None) -> TaskOrder:
    """The content of task *task_id*'s order (raises NotFoundError for an unknown task).

    Everyone may read it; a department liaison only for tasks their
    department was summoned to (as :func:`gridapp.services.joint.tasks.get_task`).
    """
    now = now or now_utc()
    task = get_task(session, task_id, now)
    store = session.store
    rows = task_rows.order_cases(store, task.report_ids)
    cases: list[OrderCase] = []
    points: list[tuple[float, float]] = []
    grids: list[str] = []
    addresses: dict[str, int] = {}
    for r in rows:
        g = r["geom"]
        lon, lat = (g.x, g.y) if g is not None and not g.is_empty else (float("nan"),) * 2
        try:
            status = CaseStatus(r["status"]).zh  # type: ignore[call-arg]
        except ValueError:
            status = r["status"]
        cases.append(OrderCase(r["case_no"], r["category"] or "", r["address"] or "",
                               _fmt(from_iso(r["reported_at"])), status, lon, lat))
        if g is not None and not g.is_empty:
            points.append((lon, lat))
        label = f"{r['grid'] or ''}（{r['grid_code']}）" if r["grid_code"] else ""
        if label and label not in grids:
            grids.append(label)
        if r["address"]:
            road = r["address"].split("号")[0].rstrip("0123456789")
            addresses[road] = addresses.get(road, 0) + 1
    minx, miny, maxx, maxy = task.footprint.bounds
    for lon, lat in points:
        minx, miny, maxx, maxy = min(minx, lon), min(miny, lat), max(maxx, lon), max(maxy, lat)
    mx, my = max((maxx - minx) * 0.15, 0.0005), max((maxy - miny) * 0.15, 0.0005)
    street = map_rows.street_row(store)
    office = (street["office_name"] or f"{street['name']}办事处") if street else "街道办事处"
    place_road = max(addresses, key=lambda a: addresses[a]) if addresses else ""
    lead = next((d.name for d in task.departments if d.role == "lead"), "—")
    deps = []
    for d in task.departments:
        when = f"（{_fmt(d.checkin_at)}）" if d.checkin_at else ""
        deps.append(OrderDepartment(d.name, "牵头单位" if d.role == "lead" else "参与部门",
                                    d.contact_person or "—", d.contact_phone or "—",
                                    _fmt(d.checkin_due), d.checkin_status.zh + when))
    results = [f"{RESULT_KEYS.get(k, k)}：{v}" for k, v in task.results.items()]
    notes = []
    if task.flagged_departments:
        notes.append("未按要求报到的部门：" + "、".join(d.name for d in task.flagged_departments))
    return TaskOrder(
        heading="联合执法任务单", task_no=task.task_no, title=task.title, state=task.state.zh,
        place=f"{place_road}一带（{len(cases)} 件案件范围内）" if place_road else "见附图范围",
        grids=grids, hull=task.footprint, extent=(minx - mx, miny - my, maxx + mx, maxy + my),
        points=points, cases=cases, departments=deps, lead_unit=lead,
        summoned_at=_fmt(task.summoned_at), action_at=_fmt(task.action_at),
        deadline=_fmt(task.deadline), checkin_limit=f"吹哨后 {task.checkin_limit_minutes} 分钟内报到",
        reason=task.reason or "", action_summary=task.action_summary or "", results=results,
        issuing_office=office, printed_at=_fmt(now), notes=notes)


def map_context(session: Session, order: TaskOrder) -> MapContext:
    """Grids and buildings around the task (EPSG:4490), for the order's map.

    Everyone may read them (as the map); *order* comes from
    :func:`task_order_data`, which checked the task.
    """
    session.require("workspace.read")
    minx, miny, maxx, maxy = order.extent
    # Read a generous neighbourhood; the map clips to its own view.
    dx, dy = (maxx - minx) * 0.6, (maxy - miny) * 0.6
    box = (minx - dx, miny - dy, maxx + dx, maxy + dy)
    frames = task_rows.map_context_frames(session.store, box)
    return MapContext(session.store.metric_epsg, frames.get("grid"), frames.get("building"))
