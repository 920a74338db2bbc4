"""督办单 (supervision notice) content as data; the PDF comes with printing.

Escalating a case to the district government (上报区政府) produces a
:class:`SupervisionNotice`: the case, where and what it is, who had it since
when, its deadline and how overdue it is, the reason for escalation and the
case's timeline.  :mod:`gridapp.services.cases.workflow` builds one on every
``escalate`` action; :func:`build_notice` builds one again for reprinting.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from gridapp.domain.enums import CaseStatus
from gridapp.domain.timeutil import from_iso, local, now_utc
from gridapp.services.cases.scope import visible_case
from gridapp.services.session import Session
from gridapp.storage.queries import cases as queries


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    from_status: str | None
    to_status: str
    actor: str
    department: str
    note: str


@dataclass(frozen=True)
class SupervisionNotice:
    """One 督办单: everything a printed notice shows."""

    notice_no: str
    issued_at: datetime
    issued_by: str
    issuing_office: str
    addressee: str
    case_no: str
    report_id: int
    category: str
    address: str
    grid: str
    community: str
    description: str
    reported_at: datetime | None
    dispatched_at: datetime | None
    deadline: datetime | None
    overdue_hours: float | None
    handler: str
    status: str
    reason: str
    lon: float
    lat: float
    timeline: list[TimelineEntry] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.issuing_office}案件督办单"

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly: datetimes as local ISO text."""

        def conv(v: Any) -> Any:
            if isinstance(v, datetime):
                return local(v).isoformat(timespec="minutes")
            if isinstance(v, list):
                return [conv(x) for x in v]
            if isinstance(v, dict):
                return {k: conv(x) for k, x in v.items()}
            return v

        return conv(asdict(self) | {"title": self.title})


def notice_number(report: dict[str, Any], at: datetime) -> str:
    return f"DB{local(at):%Y%m%d}-{report['case_no']}"


def build_notice(
    session: Session,
    report_id: int,
    reason: str,
    *,
    issued_by: str = "",
    at: datetime | None = None,
) -> SupervisionNotice:
    """The 督办单 of a case as it stands now (for a user who may read the case)."""
    at = at or now_utc()
    store = session.store
    r = visible_case(session, report_id)
    deadline = from_iso(r["deadline"])
    overdue = (
        (at - deadline).total_seconds() / 3600 if deadline and at > deadline else None
    )
    events = queries.case_events(store, report_id)
    timeline = [
        TimelineEntry(
            from_iso(e["at"]) or at,
            e["action"],
            e["from_status"],
            e["to_status"],
            e["actor"] or "",
            e["department_name"] or "",
            e["note"] or "",
        )
        for e in events
    ]
    district = queries.district_name(store)
    office = store.setting("street.office_name") or store.setting("street.name") or ""
    return SupervisionNotice(
        notice_no=notice_number(r, at),
        issued_at=at,
        issued_by=issued_by,
        issuing_office=office,
        addressee=district or "区人民政府",
        case_no=r["case_no"],
        report_id=report_id,
        category=r["category_name"] or "",
        address=r["address"] or "",
        grid=f"{r['grid_code'] or ''} {r['grid_name'] or ''}".strip(),
        community=r["community_name"] or "",
        description=r["description"] or "",
        reported_at=from_iso(r["reported_at"]),
        dispatched_at=from_iso(r["dispatched_at"]),
        deadline=deadline,
        overdue_hours=None if overdue is None else round(overdue, 1),
        handler=r["department_name"] or "",
        status=CaseStatus(r["status"]).zh,  # type: ignore[call-arg]
        reason=reason,
        lon=r["geom"].x,
        lat=r["geom"].y,
        timeline=timeline,
    )
