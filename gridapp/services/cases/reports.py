"""Filing inspection reports (巡查上报): from a position and a category to a case.

The GUI calls :func:`check_report` while the user fills in the form (it
places the position: grid, community, address hint, and lists near-duplicate
open cases) and :func:`file_report` to store it.  Both refuse a position
outside the street, or, for a grid manager, outside their own grids, with the
reason.  Positions and drafts are in :mod:`gridapp.services.cases.drafts`,
placement and duplicates in :mod:`gridapp.services.cases.placement` (their
names are re-exported here).

The deadline is not set here: the clock starts at dispatch
(:mod:`gridapp.services.cases.workflow`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shapely.geometry import Point

from gridapp import i18n
from gridapp.domain.enums import (
    OPEN_CASE_STATUSES,
    CaseStatus,
    ReportSource,
    Role,
    Urgency,
)
from gridapp.domain.masking import mask_record
from gridapp.domain.timeutil import LOCAL_TZ, now_utc, to_iso
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.cases.drafts import (
    INPUT_CRS,
    ReportDraft,
    checked_enum,
    position_from_text,
    to_storage_lonlat,
)
from gridapp.services.cases.photos import PreparedPhoto, attach_photos
from gridapp.services.cases.placement import (
    ADDRESS_SEARCH_M,
    DUPLICATE_DAYS,
    DUPLICATE_RADIUS_M,
    DuplicateCandidate,
    Placement,
    address_hint,
    distance_m,
    find_near_duplicates,
    locate,
    place,
    ranked_duplicates,
)
from gridapp.services.cases.scope import _check_scope, check_grid_scope, visible_case
from gridapp.services.people.personal_data import reveal_cases
from gridapp.services.session import Session
from gridapp.storage import GeoPackageStore
from gridapp.storage.queries import cases as queries
from gridapp.storage.transaction import Transaction

__all__ = [
    "ADDRESS_SEARCH_M", "DUPLICATE_DAYS", "DUPLICATE_RADIUS_M", "INPUT_CRS",
    "DuplicateCandidate", "FiledReport", "Placement", "ReportCheck", "ReportDraft",
    "address_hint", "attach_to_case", "category_row", "check_grid_scope",
    "check_report", "distance_m", "file_report", "find_near_duplicates", "get_case",
    "get_report", "insert_report", "locate", "next_case_no", "position_from_text",
    "search_categories", "to_storage_lonlat",
]

_OPEN = tuple(sorted(s.value for s in OPEN_CASE_STATUSES))


# -- categories ------------------------------------------------------------------
def _category(store: GeoPackageStore, category: int | str) -> Any:
    """A category by id (int), or code or exact name (str); must be active.

    Raises
    ------
    ValidationError
        Unknown or inactive category (``params['category']``).
    """
    row = (
        queries.category_by_id(store, category)
        if isinstance(category, int)
        else queries.category_by_code_or_name(store, str(category).strip())
    )
    if row is None or not row["active"]:
        raise ValidationError(
            "未知的事件分类“{category}”",
            "Unknown category '{category}'",
            category=str(category),
            reason="unknown_category",
        )
    return row


def category_row(session: Session, category: int | str) -> Any:
    """A category by id (int), or code or exact name (str); must be active.

    Raises
    ------
    ValidationError
        Unknown or inactive category (``params['category']``).
    """
    session.require("workspace.read")
    return _category(session.store, category)


def search_categories(
    session: Session, text: str = "", *, limit: int = 50
) -> list[dict[str, Any]]:
    """Active sub-categories matching *text* by name, code or pinyin initials.

    The searchable category box of the report form: "zd" finds 占道经营 and
    占道广告牌, "04" the 街面秩序 class, "垃圾" every kind of rubbish.  Each
    hit carries its class name.  An empty text lists all, in code order.
    """
    session.require("workspace.read")
    rows = queries.active_subcategories(session.store)
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


# -- checking and filing ------------------------------------------------------
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


def check_report(session: Session, draft: ReportDraft) -> ReportCheck:
    """Validate a draft without writing: position, category, scope, duplicates."""
    session.require("report.file")
    store = session.store
    cat = _category(store, draft.category)
    checked_enum(Urgency, draft.urgency, "紧急程度", "urgency")
    checked_enum(ReportSource, draft.source, "来源", "source")
    lon, lat = draft.storage_position()
    placement = place(store, lon, lat)
    check_grid_scope(session, placement.grid_id)
    if draft.parent_id is not None:
        store.get("report", draft.parent_id)  # NotFoundError names it
    # the category's own radius and window, ranked by place, time and words
    dups = ranked_duplicates(store, lon, lat, int(cat["id"]), draft.reported_at,
                             draft.description or "")
    return ReportCheck(placement, int(cat["id"]), dups)


def next_case_no(tx: Transaction, at: datetime) -> str:
    """``YYYYMMDD`` (local date) + 5-digit sequence of the day; call inside the write."""
    prefix = f"{at.astimezone(LOCAL_TZ):%Y%m%d}"
    last = queries.max_case_no(tx, prefix + "00000", prefix + "99999~")
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
            "source": checked_enum(ReportSource, draft.source, "来源", "source").value,
            "reporter_manager_id": user.manager_id
            if user.role is Role.MANAGER
            else None,
            "reporter_name": draft.reporter_name,
            "reporter_phone": draft.reporter_phone,
            "grid_id": p.grid_id,
            "community_id": p.community_id,
            "urgency": checked_enum(Urgency, draft.urgency, "紧急程度", "urgency").value,
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
    _check_scope(session, child)
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
    return mask_record(_report_row(store, report_id))


def get_case(session: Session, report_id: int) -> dict[str, Any]:
    """One case as :func:`get_report`, for this user: in their scope, personal data per role.

    A liaison reads the cases their department handles or assists (协办), a
    grid manager those in their grids or filed by them.  The reporter's
    name and phone are shown in full only to roles that reach the case
    (dispatcher, office, admin; the handling department; the grid's
    manager), and each such read is logged (``view_personal``).
    """
    row = visible_case(session, report_id)
    return reveal_cases(session, [row], what="case_detail")[0]


def _report_row(store: GeoPackageStore, report_id: int) -> dict[str, Any]:
    row = queries.report_detail(store, report_id)
    if row is None:
        raise NotFoundError(
            "没有编号为 {id} 的案件", "No case with id {id}", id=report_id
        )
    return row
