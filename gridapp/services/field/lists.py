"""What the phone page lists: the user's cases with their actions, their grids.

我的案件 on the phone is the user's open cases (a grid manager: the cases in
their grids or filed by them, the same record scope as the window), those
waiting for them first, each with the workflow actions their role may take
now (核查通过, 返工 …) and whether they may add photos (补充照片).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from gridapp.domain.timeutil import to_iso
from gridapp.services.cases.query import CaseFilter, CaseQuery, my_work
from gridapp.services.cases.workflow import available_actions
from gridapp.services.session import Session, own_grid_ids
from gridapp.services.workspace import read_map_layer

MAX_CASES = 60


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
        actions = available_actions(session, row.id)
        out.append({
            "id": row.id, "case_no": row.case_no, "status": row.status.value,
            "status_label": row.status.label, "category": row.category,
            "grid_code": row.grid_code, "address": row.address,
            "description": (row.description or "")[:200], "urgency": row.urgency,
            "reported_at": to_iso(row.reported_at), "deadline": to_iso(row.deadline),
            "due_state": row.due_state, "lon": row.lon, "lat": row.lat,
            "waiting": row in waiting,
            "actions": [{"id": a.id.value, "label": a.id.zh, "needs_note": a.needs_note}
                        for a in actions if not a.needs_handler],
            "can_add_photos": may_add,
        })
    return out


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
    return json.loads(frame.to_crs(4326).to_json(drop_id=True)) if len(frame) else \
        {"type": "FeatureCollection", "features": []}
