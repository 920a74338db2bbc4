"""Filing inspection reports (巡查上报): from a position and a category to a case.

The GUI calls :func:`check_report` while the user fills in the form (it
places the position: grid, community, address hint, and lists near-duplicate
open cases) and :func:`file_report` to store it.  Both refuse a position
outside the street, or, for a grid manager, outside their own grids, with the
reason.  Positions may be given in CGCS2000/WGS84 (treated as equal, DESIGN
§4), GCJ-02 or BD-09 (converted), or as pasted text (:func:`position_from_text`).

The deadline is not set here: the clock starts at dispatch
(:mod:`gridapp.services.cases.workflow`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import Point

from gridapp import i18n
from gridapp.domain import coords
from gridapp.domain.enums import (
    OPEN_CASE_STATUSES,
    CaseStatus,
    ReportSource,
    Role,
    Urgency,
)
from gridapp.domain.timeutil import LOCAL_TZ, from_iso, now_utc, to_iso
from gridapp.errors import NotFoundError, PermissionDenied, ValidationError
from gridapp.services.session import Session, own_grid_ids
from gridapp.storage import GeoPackageStore, geometry
from gridapp.storage.transaction import Transaction

if TYPE_CHECKING:
    from gridapp.services.cases.photos import PreparedPhoto

INPUT_CRS = ("cgcs2000", "wgs84", "gcj02", "bd09")
DUPLICATE_RADIUS_M = 50.0
DUPLICATE_DAYS = 7
ADDRESS_SEARCH_M = 300.0
_M_PER_DEG_LAT = 111_320.0
_OPEN = tuple(sorted(s.value for s in OPEN_CASE_STATUSES))


# -- positions ---------------------------------------------------------------
def to_storage_lonlat(lon: Any, lat: Any, crs: str = "cgcs2000") -> tuple[Any, Any]:
    """Convert positions from an input system to CGCS2000 longitude/latitude.

    *crs* is one of :data:`INPUT_CRS` or an ``EPSG:nnnn`` code (a projected
    Gauss-Krüger system from a survey file, for example).  Range, swapped
    order and "in China" are checked afterwards (:func:`coords.check_in_range`).
    """
    key = str(crs).strip().lower().replace("-", "").replace("_", "")
    if key in ("cgcs2000", "wgs84", "epsg:4490", "epsg:4326", "4490", "4326"):
        return lon, lat
    if key == "gcj02":
        coords.check_in_range(lon, lat)
        return coords.gcj02_to_wgs84(lon, lat)
    if key == "bd09":
        coords.check_in_range(lon, lat)
        return coords.bd09_to_wgs84(lon, lat)
    if key.startswith("epsg:") and key[5:].isdigit():
        from gridapp.domain.crs import transformer

        x, y = transformer(int(key[5:]), 4490).transform(
            np.asarray(lon, float), np.asarray(lat, float)
        )
        return (float(x), float(y)) if np.ndim(x) == 0 else (x, y)
    raise ValidationError(
        "不支持的坐标系“{crs}”；可选：CGCS2000、WGS84、GCJ-02、BD-09 或 EPSG:代码",
        "Unsupported coordinate system '{crs}'; use CGCS2000, WGS84, GCJ-02, "
        "BD-09 or EPSG:code",
        crs=str(crs),
    )


def position_from_text(
    text: str, crs: str | None = None
) -> tuple[float, float, coords.ParsedPosition]:
    """CGCS2000 lon/lat from pasted text; *crs* overrides the text's own hint."""
    parsed = coords.parse_position(text)
    src = crs or parsed.crs_hint or "cgcs2000"
    coords.check_in_range(parsed.lon, parsed.lat)
    lon, lat = to_storage_lonlat(parsed.lon, parsed.lat, src)
    return float(lon), float(lat), parsed


# -- placement ---------------------------------------------------------------
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


def _bbox_ids(
    store: GeoPackageStore,
    table: str,
    lon: float,
    lat: float,
    dx: float = 0.0,
    dy: float = 0.0,
) -> list[int]:
    rows = store.query(
        f'SELECT id FROM "rtree_{table}_geom" WHERE minx <= ? AND maxx >= ? '
        "AND miny <= ? AND maxy >= ?",
        (lon + dx, lon - dx, lat + dy, lat - dy),
    )
    return [int(r[0]) for r in rows]


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
    ids = _bbox_ids(store, "grid", lon, lat)
    if not ids:
        return None
    marks = ", ".join("?" for _ in ids)
    rows = store.query(
        "SELECT g.id, g.code, g.name, g.geom, g.community_id, c.name AS community_name "
        f"FROM grid g LEFT JOIN community c ON c.id = g.community_id WHERE g.id IN ({marks}) "
        "AND g.valid_to IS NULL ORDER BY g.id",
        ids,
    )
    pt = Point(lon, lat)
    for r in rows:
        g = geometry.decode(r["geom"])
        if g is not None and g.covers(pt):
            return r
    return None


def address_hint(
    store: GeoPackageStore, lon: float, lat: float, within_m: float = ADDRESS_SEARCH_M
) -> str:
    """ "near <nearest named building or place> (about N m)", or "" when none is near."""
    dx, dy = _deg(within_m, lat)
    best: tuple[float, str] | None = None
    for table, cols in (("place", "name, address"), ("building", "name, address")):
        ids = _bbox_ids(store, table, lon, lat, dx, dy)
        if not ids:
            continue
        marks = ", ".join("?" for _ in ids)
        rows = store.query(
            f'SELECT {cols}, geom FROM "{table}" WHERE id IN ({marks}) '
            "AND coalesce(name, address) IS NOT NULL",
            ids,
        )
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


def locate(store: GeoPackageStore, lon: float, lat: float) -> Placement:
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
        address_hint(store, lon, lat),
    )


# -- categories and duplicates -------------------------------------------------
def category_row(store: GeoPackageStore, category: int | str) -> Any:
    """A category by id (int), or code or exact name (str); must be active.

    Raises
    ------
    ValidationError
        Unknown or inactive category (``params['category']``).
    """
    if isinstance(category, int):
        rows = store.query("SELECT * FROM category WHERE id = ?", (int(category),))
    else:
        rows = store.query(
            "SELECT * FROM category WHERE code = ? OR name = ? ORDER BY code = ? DESC",
            (str(category).strip(),) * 3,
        )
    if not rows or not rows[0]["active"]:
        raise ValidationError(
            "未知的事件分类“{category}”",
            "Unknown category '{category}'",
            category=str(category),
            reason="unknown_category",
        )
    return rows[0]


def search_categories(
    store: GeoPackageStore, text: str = "", *, limit: int = 50
) -> list[dict[str, Any]]:
    """Active sub-categories matching *text* by name, code or pinyin initials.

    The searchable category box of the report form: "zd" finds 占道经营 and
    占道广告牌, "04" the 街面秩序 class, "垃圾" every kind of rubbish.  Each
    hit carries its class name.  An empty text lists all, in code order.
    """
    rows = store.query(
        "SELECT c.id, c.code, c.name, c.pinyin, p.name AS class_name, c.time_limit, "
        "c.time_unit FROM category c LEFT JOIN category p ON p.id = c.parent_id "
        "WHERE c.active AND c.parent_id IS NOT NULL ORDER BY c.code"
    )
    key = text.strip().lower()
    out = []
    for r in rows:
        rank = 0
        if key:
            name, py = r["name"], (r["pinyin"] or "").lower()
            if (
                r["code"].startswith(key)
                or py.startswith(key)
                or name.startswith(text.strip())
            ):
                rank = 0
            elif (
                key in py
                or text.strip() in name
                or text.strip() in (r["class_name"] or "")
            ):
                rank = 1
            else:
                continue
        out.append((rank, dict(r)))
    out.sort(key=lambda t: (t[0], t[1]["code"]))
    return [d for _, d in out[:limit]]


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


def find_near_duplicates(
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
    ids = _bbox_ids(store, "report", lon, lat, dx, dy)
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = store.query(
        f"SELECT id, case_no, status, reported_at, description, geom FROM report "
        f"WHERE id IN ({marks}) AND category_id = ? AND status IN ({', '.join('?' for _ in _OPEN)}) "
        "AND reported_at >= ? AND reported_at <= ?",
        [
            *ids,
            category_id,
            *_OPEN,
            to_iso(at - timedelta(days=days)),
            to_iso(at + timedelta(days=1)),
        ],
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


# -- drafts ---------------------------------------------------------------------
@dataclass
class ReportDraft:
    """What the report form (or an import row, or a photo) provides.

    Give ``lon``/``lat`` in ``crs``, or ``position_text`` to be parsed.
    """

    category: int | str
    lon: float | None = None
    lat: float | None = None
    crs: str = "cgcs2000"
    position_text: str | None = None
    description: str = ""
    urgency: Urgency | str = Urgency.NORMAL
    source: ReportSource | str = ReportSource.PATROL
    reported_at: datetime | None = None
    address: str | None = None
    reporter_name: str | None = None
    reporter_phone: str | None = None
    parent_id: int | None = None
    external_id: str | None = None  # the source's own id (编号) of an import

    def storage_position(self) -> tuple[float, float]:
        if self.position_text:
            lon, lat, _ = position_from_text(
                self.position_text, None if self.crs == "cgcs2000" else self.crs
            )
            return lon, lat
        if self.lon is None or self.lat is None:
            raise ValidationError("请指定位置", "Give a position", reason="no_position")
        coords.check_in_range(self.lon, self.lat)
        lon, lat = to_storage_lonlat(float(self.lon), float(self.lat), self.crs)
        return float(lon), float(lat)


@dataclass
class ReportCheck:
    """What :func:`check_report` found: where it is and what to warn about."""

    placement: Placement
    category_id: int
    duplicates: list[DuplicateCandidate] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [d.message for d in self.duplicates]


@dataclass
class FiledReport:
    report_id: int
    case_no: str
    placement: Placement
    duplicates: list[DuplicateCandidate]
    attachment_ids: list[int] = field(default_factory=list)


def _enum(cls: Any, value: Any, what_zh: str, what_en: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        raise ValidationError(
            "无效的{w}“{v}”", "Invalid {we} '{v}'", w=what_zh, we=what_en, v=str(value)
        ) from None


def check_grid_scope(session: Session, grid_id: int) -> None:
    """Refuse a grid manager's report outside their own grids."""
    own = own_grid_ids(session)
    if own is not None and grid_id not in own:
        raise PermissionDenied(
            "该位置不在您负责的网格内（所在网格：{grid_code}）",
            "This position is not in one of your grids (it is in grid {grid_code})",
            grid_id=grid_id,
            grid_code=session.store.scalar(
                "SELECT code FROM grid WHERE id = ?", (grid_id,)
            ),
            reason="outside_own_grids",
        )


def check_report(session: Session, draft: ReportDraft) -> ReportCheck:
    """Validate a draft without writing: position, category, scope, duplicates."""
    session.require("report.file")
    store = session.store
    cat = category_row(store, draft.category)
    _enum(Urgency, draft.urgency, "紧急程度", "urgency")
    _enum(ReportSource, draft.source, "来源", "source")
    lon, lat = draft.storage_position()
    placement = locate(store, lon, lat)
    check_grid_scope(session, placement.grid_id)
    if draft.parent_id is not None:
        store.get("report", draft.parent_id)  # NotFoundError names it
    dups = find_near_duplicates(store, lon, lat, int(cat["id"]), draft.reported_at)
    return ReportCheck(placement, int(cat["id"]), dups)


def next_case_no(tx: Transaction, at: datetime) -> str:
    """``YYYYMMDD`` (local date) + 5-digit sequence of the day; call inside the write."""
    prefix = f"{at.astimezone(LOCAL_TZ):%Y%m%d}"
    last = tx.execute(
        "SELECT max(case_no) FROM report WHERE case_no >= ? AND case_no < ?",
        (prefix + "00000", prefix + "99999~"),
    ).fetchone()[0]
    seq = int(last[8:13]) + 1 if last and last[8:13].isdigit() else 1
    return f"{prefix}{seq:05d}"


def insert_report(
    tx: Transaction,
    session: Session,
    draft: ReportDraft,
    check: ReportCheck,
    *,
    now: datetime | None = None,
) -> tuple[int, str]:
    """Write one checked report and its first case event; returns (id, case_no)."""
    now = now or now_utc()
    reported_at = draft.reported_at or now
    case_no = next_case_no(tx, reported_at)
    p = check.placement
    user = session.user
    rid = tx.insert(
        "report",
        {
            "geom": Point(p.lon, p.lat),
            "case_no": case_no,
            "address": (draft.address or "").strip() or p.address_hint or None,
            "category_id": check.category_id,
            "description": draft.description.strip(),
            "source": _enum(ReportSource, draft.source, "来源", "source").value,
            "reporter_manager_id": user.manager_id
            if user.role is Role.MANAGER
            else None,
            "reporter_name": draft.reporter_name,
            "reporter_phone": draft.reporter_phone,
            "grid_id": p.grid_id,
            "community_id": p.community_id,
            "urgency": _enum(Urgency, draft.urgency, "紧急程度", "urgency").value,
            "status": CaseStatus.REPORTED.value,
            "reported_at": to_iso(reported_at),
            "parent_id": draft.parent_id,
            "external_id": draft.external_id,
            "reported_by_user_id": user.id,
            "updated_at": to_iso(now),
        },
    )
    tx.insert(
        "case_event",
        {
            "report_id": rid,
            "action": "report",
            "from_status": None,
            "to_status": CaseStatus.REPORTED.value,
            "actor": user.username,
            "user_id": user.id,
            "at": to_iso(now),
            "note": (
                i18n.pick("并入案件 {n}", "attached to case {n}", n=draft.parent_id)
                if draft.parent_id
                else None
            ),
        },
    )
    return rid, case_no


def file_report(
    session: Session,
    draft: ReportDraft,
    *,
    photos: Sequence[PreparedPhoto] = (),
    now: datetime | None = None,
) -> FiledReport:
    """Check and store a report with its photos in one transaction.

    Near-duplicates do not stop filing: they come back in
    ``FiledReport.duplicates``.  To attach the new report to an open case
    instead, set ``draft.parent_id`` (the GUI offers it from
    :func:`check_report`'s candidates).

    Raises
    ------
    PermissionDenied
        The role may not file reports, or a grid manager's position is
        outside their grids.
    ValidationError
        Bad position (swapped, out of range, outside the street) or unknown
        category.
    """
    check = check_report(session, draft)
    from gridapp.services.cases.photos import attach_photos

    with session.transaction() as tx:
        rid, case_no = insert_report(tx, session, draft, check, now=now)
        att = attach_photos(tx, rid, photos) if photos else []
    return FiledReport(rid, case_no, check.placement, check.duplicates, att)


def attach_to_case(
    session: Session, report_id: int, parent_id: int, note: str = ""
) -> None:
    """Make a filed report a child of an open case (a near-duplicate merged in)."""
    session.require("case.transition")
    if report_id == parent_id:
        raise ValidationError("案件不能并入自身", "A case cannot be attached to itself")
    store = session.store
    parent = store.get("report", parent_id)
    if parent["status"] not in _OPEN:
        raise ValidationError(
            "案件 {no} 已办结，不能并入",
            "Case {no} is finished; cannot attach to it",
            no=parent["case_no"],
        )
    child = store.get("report", report_id)
    from gridapp.services.cases.workflow import check_scope

    check_scope(session, child)
    with session.transaction() as tx:
        tx.update(
            "report",
            report_id,
            {"parent_id": parent_id, "updated_at": to_iso(now_utc())},
        )
        tx.insert(
            "case_event",
            {
                "report_id": report_id,
                "action": "attach",
                "from_status": child["status"],
                "to_status": child["status"],
                "actor": session.user.username,
                "user_id": session.user.id,
                "at": to_iso(now_utc()),
                "note": note
                or i18n.pick(
                    "并入案件 {n}", "attached to case {n}", n=parent["case_no"]
                ),
            },
        )


def get_report(store: GeoPackageStore, report_id: int) -> dict[str, Any]:
    """One report with its category, grid and department names (for the detail view).

    The reporter's name and phone are masked: nobody is known to be asking.
    :func:`get_case` gives them to a session whose role may see them.
    """
    from gridapp.domain.masking import mask_record

    return mask_record(_report_row(store, report_id))


def get_case(session: Session, report_id: int) -> dict[str, Any]:
    """One case as :func:`get_report`, for this user: in their scope, personal data per role.

    A liaison reads the cases their department handles or assists (协办), a
    grid manager those in their grids or filed by them.  The reporter's
    name and phone are shown in full only to roles that reach the case
    (dispatcher, office, admin; the handling department; the grid's
    manager), and each such read is logged (``view_personal``).
    """
    import json

    from gridapp.services.people.personal_data import reveal_cases
    from gridapp.services.session import visible_department_ids

    session.require("workspace.read")
    row = _report_row(session.store, report_id)
    deps = visible_department_ids(session)
    if deps is not None:
        assisting = set(json.loads(row.get("assist_department_ids") or "[]"))
        if row["department_id"] not in deps and not assisting & deps:
            raise PermissionDenied(
                "该案件不属于您所在的部门（案件部门：{department_id}）",
                "This case is not assigned to your department (case department: "
                "{department_id})", department_id=row["department_id"], report_id=report_id)
    grids = own_grid_ids(session)
    if grids is not None and row["grid_id"] not in grids and (
            session.user.manager_id is None
            or row.get("reporter_manager_id") != session.user.manager_id):
        raise PermissionDenied(
            "该案件不在您负责的网格内（案件网格：{grid_id}）",
            "This case is not in your grids (case grid: {grid_id})",
            grid_id=row["grid_id"], report_id=report_id)
    return reveal_cases(session, [row], what="case_detail")[0]


def _report_row(store: GeoPackageStore, report_id: int) -> dict[str, Any]:
    rows = store.query(
        "SELECT r.*, c.name AS category_name, c.code AS category_code, g.code AS grid_code, "
        "g.name AS grid_name, d.name AS department_name, cm.name AS community_name "
        "FROM report r LEFT JOIN category c ON c.id = r.category_id "
        "LEFT JOIN grid g ON g.id = r.grid_id LEFT JOIN department d ON d.id = r.department_id "
        "LEFT JOIN community cm ON cm.id = r.community_id WHERE r.id = ?",
        (report_id,),
    )
    if not rows:
        raise NotFoundError(
            "没有编号为 {id} 的案件", "No case with id {id}", id=report_id
        )
    out = dict(rows[0])
    out["geom"] = geometry.decode(out["geom"])
    return out
