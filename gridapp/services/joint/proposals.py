"""Clusters ranked as joint-enforcement proposals, and the dispatcher's decisions.

A cluster becomes a proposal when it recurs (reports filed after an earlier
case at the place was closed), is large, or involves several departments
by the duty list; each proposal carries its reasons in Chinese and a score
for ranking.  Proposals are saved in ``cluster_proposal`` (m0007) with their
hull, so the map can show them; the dispatcher then accepts one (creating a
joint task), merges several, splits one, or dismisses it with a reason.
Every decision is audited and recorded on the row.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import shapely

from gridapp.domain.timeutil import from_iso, now_utc, to_iso
from gridapp.errors import NotFoundError, ValidationError, WorkflowError
from gridapp.services.joint import clustering
from gridapp.services.joint.clustering import Cluster, ClusterParams
from gridapp.services.session import Session
from gridapp.storage.queries import tasks as task_rows

LARGE_SIZE = 20
RECURRENCE_SHARE = 0.2


@dataclass
class Proposal:
    id: int | None
    status: str
    title: str
    size: int
    score: float
    reasons: list[str]
    report_ids: list[int]
    categories: dict[str, int]
    grid_ids: list[int]
    department_ids: list[int]
    recurrence: int
    first_at: datetime | None
    last_at: datetime | None
    hull: Any
    parent_ids: list[int] = field(default_factory=list)
    task_id: int | None = None
    decision_reason: str | None = None


def _office_ids(store: Any) -> set[int]:
    return task_rows.office_department_ids(store)


def _category_names(store: Any) -> dict[str, str]:
    return task_rows.category_names(store)


def assess(cluster: Cluster, office_ids: set[int] | frozenset[int] = frozenset(),
           category_names: dict[str, str] | None = None) -> tuple[float, list[str]]:
    """Score and reasons (Chinese) of a cluster; no reasons means "not a proposal".

    Reasons: 反复发生 (a fifth or more of its reports came after an earlier case
    there was closed), 规模大 (``LARGE_SIZE`` reports or more), 涉及多个部门
    (two or more departments besides the street office's own team).
    """
    reasons: list[str] = []
    share = cluster.recurrence / cluster.size if cluster.size else 0.0
    if cluster.recurrence >= 3 and share >= RECURRENCE_SHARE:
        reasons.append(f"反复发生：{cluster.recurrence} 件在此前案件结案后再次上报")
    if cluster.size >= LARGE_SIZE:
        reasons.append(f"规模大：{cluster.size} 件事件")
    depts = [d for d in cluster.department_ids if d not in office_ids]
    if len(depts) >= 2:
        reasons.append(f"涉及多个部门：{len(depts)} 个职能部门")
    score = math.log2(1 + cluster.size) + 3.0 * share + 1.5 * max(0, len(depts) - 1)
    return round(score, 3), reasons


def _title(cluster_cats: dict[str, int], names: dict[str, str]) -> str:
    top = [names.get(c, c) for c in list(cluster_cats)[:2]]
    return "、".join(top) + "问题联合整治"


def rank_clusters(session: Session, clusters: Sequence[Cluster]) -> list[Proposal]:
    """Clusters that qualify, as unsaved proposals, best first (needs ``cluster.find``)."""
    session.require("cluster.find")
    store = session.store
    office, names = _office_ids(store), _category_names(store)
    out = []
    for c in clusters:
        score, reasons = assess(c, office, names)
        if not reasons:
            continue
        out.append(Proposal(None, "open", _title(c.categories, names), c.size, score, reasons,
                            c.report_ids, c.categories, c.grid_ids, c.department_ids,
                            c.recurrence, c.first_at, c.last_at, c.hull))
    out.sort(key=lambda p: -p.score)
    return out


def _row(p: Proposal, actor: str, params: ClusterParams | None) -> dict[str, Any]:
    return {
        "geom": p.hull, "status": p.status, "title": p.title, "size": p.size, "score": p.score,
        "reasons": json.dumps(p.reasons, ensure_ascii=False),
        "report_ids": json.dumps(p.report_ids), "categories": json.dumps(p.categories),
        "grid_ids": json.dumps(p.grid_ids), "department_ids": json.dumps(p.department_ids),
        "recurrence": p.recurrence, "first_at": to_iso(p.first_at), "last_at": to_iso(p.last_at),
        "params": json.dumps(params.__dict__) if params else None,
        "parent_ids": json.dumps(p.parent_ids) if p.parent_ids else None,
        "created_by": actor, "created_at": to_iso(now_utc())}


def save_proposals(session: Session, clusters: Sequence[Cluster]) -> list[int]:
    """Rank *clusters* and save the qualifying ones as open proposals; ids, best first.

    A cluster whose reports were all in a dismissed proposal before is not
    proposed again (the dismissal stands until new reports arrive).  Saving is
    the dispatcher's (and admin's) work; other roles may only look at clusters.
    """
    session.require("task.manage")
    ranked = rank_clusters(session, clusters)
    dismissed = [set(json.loads(r))
                 for r in task_rows.dismissed_proposal_reports(session.store)]
    params = {id(c.report_ids): c.params for c in clusters}
    ids = []
    with session.transaction() as tx:
        for p in ranked:
            if any(set(p.report_ids) <= d for d in dismissed):
                continue
            ids.append(tx.insert("cluster_proposal",
                                 _row(p, session.user.username, params.get(id(p.report_ids)))))
    return ids


def _load(row: dict[str, Any]) -> Proposal:
    j = lambda k, d: json.loads(row[k]) if row.get(k) else d  # noqa: E731
    return Proposal(row["id"], row["status"], row["title"], row["size"], row["score"],
                    j("reasons", []), j("report_ids", []), j("categories", {}),
                    j("grid_ids", []), j("department_ids", []), row["recurrence"],
                    from_iso(row["first_at"]), from_iso(row["last_at"]), row["geom"],
                    j("parent_ids", []), row["task_id"], row["decision_reason"])


def get_proposal(session: Session, proposal_id: int) -> Proposal:
    """One proposal (everyone may read proposals)."""
    session.require("workspace.read")
    return _get(session.store, proposal_id)


def _get(store: Any, proposal_id: int) -> Proposal:
    try:
        return _load(store.get("cluster_proposal", proposal_id))
    except NotFoundError:
        raise NotFoundError("没有编号为 {id} 的聚类建议", "No cluster proposal {id}",
                            id=proposal_id) from None


def list_proposals(session: Session, status: str | None = "open") -> list[Proposal]:
    """Proposals, best first (``status=None``: all; everyone may read them)."""
    session.require("workspace.read")
    return [_get(session.store, i) for i in task_rows.proposal_ids(session.store, status)]


def _open(store: Any, proposal_id: int) -> Proposal:
    p = _get(store, proposal_id)
    if p.status != "open":
        raise WorkflowError("聚类建议 {id} 已处理（{status}），不能再操作",
                            "Cluster proposal {id} was already decided ({status})",
                            id=proposal_id, status=p.status)
    return p


def _decide(tx: Any, session: Session, pid: int, status: str, reason: str | None,
            task_id: int | None = None) -> None:
    tx.update("cluster_proposal", pid, {
        "status": status, "decision_reason": reason, "task_id": task_id,
        "decided_by": session.user.username, "decided_at": to_iso(now_utc())})


def dismiss(session: Session, proposal_id: int, reason: str) -> None:
    """Dismiss a proposal with a written reason (kept, and not proposed again)."""
    session.require("task.manage")
    if not reason or not reason.strip():
        raise ValidationError("驳回聚类建议必须填写原因", "Dismissing a proposal needs a reason",
                              id=proposal_id)
    _open(session.store, proposal_id)
    with session.transaction() as tx:
        _decide(tx, session, proposal_id, "dismissed", reason.strip())


def _from_reports(session: Session, report_ids: Sequence[int], parents: list[int],
                  params: ClusterParams) -> Proposal:
    """A proposal over given reports, described like a found cluster."""
    store = session.store
    pts = clustering.load_report_points(session)
    sel = np.flatnonzero(np.isin(pts.ids, np.asarray(list(report_ids), dtype=np.int64)))
    if len(sel) < 2:
        raise ValidationError("一个建议至少需要 2 件有位置的事件",
                              "A proposal needs at least 2 reports with a position")
    c = clustering._describe(pts, sel, params, clustering._duty_departments(store), 0)
    if c is None:
        raise ValidationError("这些事件在同一点上且太少，不能构成建议",
                              "These reports are too few and all at one spot for a proposal")
    office, names = _office_ids(store), _category_names(store)
    score, reasons = assess(c, office, names)
    return Proposal(None, "open", _title(c.categories, names), c.size, score,
                    reasons or ["调度员手工合并/拆分"], c.report_ids, c.categories, c.grid_ids,
                    c.department_ids, c.recurrence, c.first_at, c.last_at, c.hull, parents)


def merge(session: Session, proposal_ids: Sequence[int], reason: str = "") -> int:
    """Merge open proposals into one new open proposal; returns its id."""
    session.require("task.manage")
    ids = list(dict.fromkeys(int(i) for i in proposal_ids))
    if len(ids) < 2:
        raise ValidationError("合并至少需要两个建议", "Merging needs at least two proposals")
    props = [_open(session.store, i) for i in ids]
    reports = sorted({r for p in props for r in p.report_ids})
    new = _from_reports(session, reports, ids, ClusterParams())
    with session.transaction() as tx:
        new_id = tx.insert("cluster_proposal", _row(new, session.user.username, None))
        for i in ids:
            _decide(tx, session, i, "merged", reason.strip() or f"并入建议 {new_id}")
    return new_id


def split(session: Session, proposal_id: int, groups: Sequence[Sequence[int]] | None = None,
          *, eps_m: float | None = None, reason: str = "") -> list[int]:
    """Split a proposal into new ones: by given report groups, or by re-clustering its
    reports with a smaller distance (default half the one used); returns new ids."""
    session.require("task.manage")
    p = _open(session.store, proposal_id)
    if groups is None:
        pts = clustering.load_report_points(session)
        sel = np.flatnonzero(np.isin(pts.ids, np.asarray(p.report_ids, dtype=np.int64)))
        sub = clustering.ReportPoints(pts.ids[sel], pts.x[sel], pts.y[sel], pts.t[sel],
                                      pts.closed_t[sel], pts.category[sel], pts.grid_id[sel],
                                      pts.department_id[sel], pts.epsg)
        params = ClusterParams(eps_m=eps_m or 25.0, window_days=30.0, min_samples=3)
        labels, _ = clustering.dbscan_labels(sub.x, sub.y, sub.t, params)
        groups = [sub.ids[labels == k].tolist() for k in np.unique(labels) if k >= 0]
    members = set(p.report_ids)
    groups = [sorted(set(int(r) for r in g)) for g in groups if g]
    if len(groups) < 2:
        raise ValidationError("拆分后至少应有两组事件", "A split needs at least two groups")
    for g in groups:
        if not set(g) <= members:
            raise ValidationError("拆分的事件必须属于原建议", "Split groups must come from the "
                                  "proposal's own reports", id=proposal_id)
    news = [_from_reports(session, g, [proposal_id], ClusterParams()) for g in groups]
    with session.transaction() as tx:
        new_ids = [tx.insert("cluster_proposal", _row(n, session.user.username, None))
                   for n in news]
        _decide(tx, session, proposal_id, "split", reason.strip() or
                "拆分为建议 " + "、".join(map(str, new_ids)))
    return new_ids


def accept(session: Session, proposal_id: int, **task_fields: Any) -> int:
    """Accept a proposal: create a joint task (state 提议) over its reports and hull.

    *task_fields* go to :func:`gridapp.services.joint.tasks.create_task` (title,
    lead_department_id, department_ids, action_at, deadline,
    checkin_limit_minutes, footprint); defaults come from the proposal.
    Returns the task id.
    """
    from gridapp.services.joint import tasks

    session.require("task.manage")
    p = _open(session.store, proposal_id)
    office = _office_ids(session.store)
    depts = task_fields.pop("department_ids", None) or p.department_ids
    lead = task_fields.pop("lead_department_id", None)
    if lead is None:
        lead = next(iter(sorted(office)), None) or (depts[0] if depts else None)
    fields = {"title": p.title, "footprint": p.hull, "reason": "；".join(p.reasons),
              **task_fields}
    with session.transaction() as tx:
        task_id = tasks.insert_task(tx, session, report_ids=p.report_ids,
                                    lead_department_id=lead, department_ids=depts,
                                    proposal_id=proposal_id, **fields)
        _decide(tx, session, proposal_id, "accepted", None, task_id)
    return task_id


def footprint_union(proposals: Sequence[Proposal]) -> Any:
    return shapely.union_all([p.hull for p in proposals])
