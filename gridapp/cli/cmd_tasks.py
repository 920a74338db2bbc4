"""Cluster and joint-task commands: ``clusters find``, ``tasks create-from-cluster``,
``tasks list``.

They log in as an existing user (``--as``, default ``admin``) and run with that
user's role.  Dates and times are local (Asia/Shanghai): ``2026-11-25`` or
``2026-11-25 09:30``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, time
from typing import Any

from gridapp.cli.cmd_users import add_login_args, login_session
from gridapp.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    cl = sub.add_parser("clusters", help="find clusters of reports (聚类研判)")
    csub = cl.add_subparsers(dest="clusters_command", metavar="ACTION", required=True)
    p = csub.add_parser(
        "find", help="cluster reports in space and time (空间-时间聚类)",
        description="DBSCAN over projected CGCS2000 coordinates with a scaled time axis. "
                    "--save stores the qualifying clusters as ranked proposals.")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--from", dest="start", help="first day (local date), default: all")
    p.add_argument("--to", dest="end", help="last day, inclusive (local date)")
    p.add_argument("--category", action="append", default=[], metavar="CODE",
                   help="category or class code, e.g. 0401 or 04 (repeat)")
    p.add_argument("--eps", type=float, help="distance in metres (default 50)")
    p.add_argument("--days", type=float, help="time window in days (default 30)")
    p.add_argument("--min-samples", type=int, help="core size (default: from the density)")
    p.add_argument("--save", action="store_true", help="save ranked proposals (保存研判建议)")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_find)

    tk = sub.add_parser("tasks", help="joint-enforcement tasks (联合执法任务)")
    tsub = tk.add_subparsers(dest="tasks_command", metavar="ACTION", required=True)
    p = tsub.add_parser("create-from-cluster", help="accept a proposal as a task (采纳建议)")
    p.add_argument("path")
    p.add_argument("--proposal", type=int, required=True, help="proposal id (clusters find --save)")
    p.add_argument("--title")
    p.add_argument("--lead", help="lead unit: department code or id (default: street office)")
    p.add_argument("--department", action="append", default=[], metavar="CODE",
                   help="department to summon (repeat; default: the duty list's)")
    p.add_argument("--action-at", help="date and time of the joint action (local)")
    p.add_argument("--deadline", help="deadline (local)")
    p.add_argument("--checkin-limit", type=int, help="check-in limit in minutes (default 30)")
    add_login_args(p)
    p.set_defaults(handler=cmd_create)

    p = tsub.add_parser("list", help="task board: overdue first (任务看板)")
    p.add_argument("path")
    p.add_argument("--state", help="proposed | summoned | in_action | done | evaluated | escalated")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_list)


def parse_local(text: str | None, *, end_of_day: bool = False) -> datetime | None:
    from gridapp.domain.timeutil import LOCAL_TZ
    from gridapp.errors import ValidationError

    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("无法识别的日期时间：{text}（应为 2026-11-25 或 2026-11-25 09:30）",
                              "Unrecognised date/time: {text} (use 2026-11-25 or "
                              "2026-11-25 09:30)", text=text) from None
    if len(text.strip()) <= 10 and end_of_day:
        from datetime import timedelta

        dt = datetime.combine(dt.date() + timedelta(days=1), time.min)
    return dt if dt.tzinfo else dt.replace(tzinfo=LOCAL_TZ)


def cmd_find(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from gridapp.cli.progress import TextProgress
    from gridapp.services.joint import proposals
    from gridapp.services.joint.clustering import default_params, find_clusters
    from gridapp.services.workspace import open_workspace

    with open_workspace(args.path) as store:
        session = login_session(args, store)
        params = default_params(session)
        changes = {k: v for k, v in (("eps_m", args.eps), ("window_days", args.days),
                                     ("min_samples", args.min_samples)) if v is not None}
        params = replace(params, **changes)
        res = find_clusters(session, parse_local(args.start), parse_local(args.end, end_of_day=True),
                            args.category or None, params, progress=TextProgress(sys.stderr))
        saved = proposals.save_proposals(session, res.clusters) if args.save else []
        ranked = {tuple(p.report_ids): p for p in proposals.rank_clusters(session, res.clusters)}
    rows: list[dict[str, Any]] = []
    for c in sorted(res.clusters, key=lambda c: -c.size):
        p = ranked.get(tuple(c.report_ids))
        rows.append({"size": c.size, "lon": round(c.centroid[0], 6),
                     "lat": round(c.centroid[1], 6), "categories": c.categories,
                     "grids": len(c.grid_ids), "departments": c.department_ids,
                     "recurrence": c.recurrence, "first": c.first_at.isoformat(),
                     "last": c.last_at.isoformat(), "score": p.score if p else None,
                     "reasons": p.reasons if p else []})
    if args.json:
        print(json.dumps({"reports": res.n_reports, "without_position": res.n_without_position,
                          "min_samples": res.min_samples_used, "clusters": rows,
                          "saved_proposal_ids": saved}, ensure_ascii=False, indent=2))
        return 0
    print(pick("{n} 件事件，{k} 个聚类（最少事件数 {m}）", "{n} reports, {k} clusters "
               "(min_samples {m})", n=res.n_reports, k=len(rows),
               m=", ".join(f"{v}" for v in res.min_samples_used.values())))
    for w in res.warnings:
        print("! " + w)
    for r in rows:
        cats = ",".join(list(r["categories"])[:3])
        print(f"{r['size']:>5} {r['lon']:.5f},{r['lat']:.5f} {cats:<16} "
              f"{pick('复发', 'recur')} {r['recurrence']:>4}  {'；'.join(r['reasons'])}")
    if saved:
        print(pick("已保存研判建议：", "Saved proposals: ") + ", ".join(map(str, saved)))
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    from gridapp.services.joint import proposals
    from gridapp.services.joint.tasks import find_department, get_task
    from gridapp.services.workspace import open_workspace

    with open_workspace(args.path) as store:
        session = login_session(args, store)
        fields: dict[str, Any] = {}
        if args.title:
            fields["title"] = args.title
        if args.lead:
            fields["lead_department_id"] = find_department(session, args.lead)
        if args.department:
            fields["department_ids"] = [find_department(session, d) for d in args.department]
        if args.action_at:
            fields["action_at"] = parse_local(args.action_at)
        if args.deadline:
            fields["deadline"] = parse_local(args.deadline, end_of_day=True)
        if args.checkin_limit is not None:
            fields["checkin_limit_minutes"] = args.checkin_limit
        task_id = proposals.accept(session, args.proposal, **fields)
        task = get_task(session, task_id)
    print(pick("已创建联合执法任务 {no}（id {id}）：{title}，{n} 件案件，{d} 个单位",
               "Created joint task {no} (id {id}): {title}, {n} cases, {d} units",
               no=task.task_no, id=task_id, title=task.title, n=len(task.report_ids),
               d=len(task.departments)))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from gridapp.services.joint.tasks import task_board
    from gridapp.services.workspace import open_workspace

    with open_workspace(args.path) as store:
        session = login_session(args, store)
        board = task_board(session, args.state)
    if args.json:
        print(json.dumps([{"id": s.id, "task_no": s.task_no, "title": s.title,
                           "state": s.state.value, "deadline": s.deadline.isoformat()
                           if s.deadline else None, "overdue": s.overdue, "cases": s.n_cases,
                           "departments": s.n_departments, "checked_in": s.n_checked_in,
                           "flagged": s.flagged} for s in board], ensure_ascii=False, indent=2))
        return 0
    if not board:
        print(pick("没有联合执法任务", "No joint tasks"))
    for s in board:
        mark = pick("【超期】", "[OVERDUE] ") if s.overdue else ""
        print(f"{s.task_no} {mark}{s.title} {s.state.label} "
              f"{pick('报到', 'checked in')} {s.n_checked_in}/{s.n_departments}"
              f"{pick('，未报到 ', ', flagged ') + str(s.flagged) if s.flagged else ''}")
    return 0
