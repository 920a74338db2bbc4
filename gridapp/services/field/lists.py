"""What the phone page reads: the user's cases with their actions, a case, its photos, grids.

我的案件 on the phone is the user's open cases (a grid manager: the cases in
their grids or filed by them, the same record scope as the window), those
waiting for them first, each with the workflow actions their role may take
now (核查通过, 返工 …) and whether they may add photos (补充照片).  A case's
detail and its photos are read through the same services as the window
(:func:`~gridapp.services.cases.reports.get_case`,
:func:`~gridapp.services.cases.photos.photo_data`: the role's permission, the
record scope, the reporter's name and phone per role).

Every read the phone makes is in the audit log as the logged-in user (the
issue's Security section: every request audited): one ``field_view`` entry
per request naming what was read and the rows (``{"what": "my_cases",
"count": 12, "ids": [...], "via": "phone"}``).  Writes from the phone are
logged by their own transactions, logins by
:mod:`gridapp.services.people.auth`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from gridapp.domain.timeutil import to_iso
from gridapp.domain.workflow import CaseAction
from gridapp.services.cases.drafts import ReportDraft
from gridapp.services.cases.photos import photo_data, report_photos
from gridapp.services.cases.query import CaseFilter, CaseQuery, my_work
from gridapp.services.cases.reports import ReportCheck, check_report, get_case
from gridapp.services.cases.workflow import available_actions, case_timeline
from gridapp.services.session import Session, own_grid_ids
from gridapp.services.workspace import read_map_layer

MAX_CASES = 60
MAX_LOGGED_IDS = 200  # ids listed in one entry; the count is always complete
VIEW_ACTION = "field_view"


def log_phone_read(session: Session, what: str, table: str | None,
                   ids: Sequence[int] = ()) -> None:
    """One audit entry, as the logged-in user, for a read the phone made."""
    session.require("workspace.read")
    ids = sorted({int(i) for i in ids})
    with session.transaction() as tx:
        tx.audit(VIEW_ACTION, table, ids[0] if table is not None and len(ids) == 1 else None,
                 {"what": what, "count": len(ids), "ids": ids[:MAX_LOGGED_IDS],
                  "via": "phone"})


_EVENT_ZH = {"report": "上报", "attach": "并入案件"}  # as the window's timeline says


def _action_zh(action: Any) -> str:
    try:
        return CaseAction(action).zh
    except ValueError:  # filing, attaching, or an imported kind
        return _EVENT_ZH.get(str(action), str(action or ""))


def _actions(session: Session, report_id: int) -> list[dict[str, Any]]:
    return [{"id": a.id.value, "label": a.id.zh, "needs_note": a.needs_note}
            for a in available_actions(session, report_id) if not a.needs_handler]


def my_field_cases(session: Session, *, limit: int = MAX_CASES) -> list[dict[str, Any]]:
    """The user's open cases, those waiting for their action first, as plain dicts."""
    session.require("workspace.read")
    waiting = CaseQuery(session, my_work(session), sort="deadline",
                        descending=False).page(0, limit)
    rest = CaseQuery(session, replace(CaseFilter(), open_only=True), sort="reported_at",
                     descending=True).page(0, limit)
    may_add = session.can("case.transition") or session.can("report.file")
    seen: set[int] = set()
    out = []
    for row in [*waiting, *rest]:
        if row.id in seen or len(out) >= limit:
            continue
        seen.add(row.id)
        out.append({
            "id": row.id, "case_no": row.case_no, "status": row.status.value,
            "status_label": row.status.label, "category": row.category,
            "grid_code": row.grid_code, "address": row.address,
            "description": (row.description or "")[:200], "urgency": row.urgency,
            "reported_at": to_iso(row.reported_at), "deadline": to_iso(row.deadline),
            "due_state": row.due_state, "lon": row.lon, "lat": row.lat,
            "waiting": row in waiting,
            "actions": _actions(session, row.id),
            "can_add_photos": may_add,
        })
    log_phone_read(session, "my_cases", "report", [c["id"] for c in out])
    return out


def field_case_detail(session: Session, report_id: int) -> dict[str, Any]:
    """One case for the phone: its fields, photos (without bytes), history and actions.

    Read through :func:`get_case` (record scope; the reporter's name and
    phone in full only for roles that reach the case, that read also logged
    as ``view_personal``).
    """
    case = get_case(session, report_id)
    photos = report_photos(session, report_id)
    events = case_timeline(session, report_id)
    may_add = session.can("case.transition") or session.can("report.file")
    out = {
        "id": case["id"], "case_no": case["case_no"], "status": case["status"],
        "category": case.get("category_name"), "grid_code": case.get("grid_code"),
        "community": case.get("community_name"), "department": case.get("department_name"),
        "address": case.get("address"), "description": case.get("description") or "",
        "urgency": case.get("urgency"), "reported_at": case.get("reported_at"),
        "deadline": case.get("deadline"),
        "reporter_name": case.get("reporter_name"), "reporter_phone": case.get("reporter_phone"),
        "photos": [{"id": p["id"], "width": p["width"], "height": p["height"],
                    "taken_at": p["taken_at"]} for p in photos],
        "events": [{"at": e.get("at"), "action": e.get("action"),
                    "action_label": _action_zh(e.get("action")),
                    "to_status": e.get("to_status"), "department": e.get("department_name"),
                    "note": (e.get("note") or "")[:200]} for e in events],
        "actions": _actions(session, report_id),
        "can_add_photos": may_add,
    }
    log_phone_read(session, "case_detail", "report", [report_id])
    return out


def field_photo(session: Session, attachment_id: int) -> bytes:
    """A stored photo's bytes for the phone, when a case it belongs to is readable."""
    data = photo_data(session, attachment_id)
    log_phone_read(session, "photo", "attachment", [attachment_id])
    return data


def field_check(session: Session, draft: ReportDraft) -> ReportCheck:
    """:func:`check_report` for the phone (where it falls, near-duplicates), logged."""
    found = check_report(session, draft)
    log_phone_read(session, "check", "report", [d.report_id for d in found.duplicates])
    return found


def my_grids_geojson(session: Session) -> dict[str, Any]:
    """The current grids the user works in (all of them for other roles), as GeoJSON.

    The phone's small map draws them instead of a tile background (the office
    network has no internet, and GridApp ships no tiles).
    """
    session.require("workspace.read")
    frame = read_map_layer(session, "grid", columns=["code", "name"])
    own = own_grid_ids(session)
    if own is not None:
        frame = frame[frame.index.isin(list(own))] if "id" not in frame.columns \
            else frame[frame["id"].isin(list(own))]
    ids = frame["id"] if "id" in frame.columns else frame.index
    log_phone_read(session, "grids", "grid", [int(i) for i in ids])
    return json.loads(frame.to_crs(4326).to_json(drop_id=True)) if len(frame) else \
        {"type": "FeatureCollection", "features": []}
