"""A joint task carried from 吹哨 to 评价 headless, and the ranked proposals.

``clusters proposals`` lists the saved proposals, best first.  ``tasks show |
summon | checkin | act | finish | evaluate`` each run as the role that may do
the step (the service refuses others): the dispatcher summons, records the joint
action, finishes and evaluates; a department's liaison checks in and reports
their department's part.  A task is named by its number (任务编号) or id.

Examples::

    gridapp clusters proposals street.gpkg --json --as zhihui
    gridapp tasks summon street.gpkg LH2026112500001 --as zhihui
    gridapp tasks checkin street.gpkg LH2026112500001 --contact 赵磊 --as chengguan
    gridapp tasks act street.gpkg LH2026112500001 --summary "清理占道摊点" \\
        --result stalls_removed=12 --as zhihui
    gridapp tasks finish street.gpkg LH2026112500001 --as zhihui
    gridapp tasks evaluate street.gpkg LH2026112500001 --all-effective --as zhihui
"""

from __future__ import annotations

import argparse
from typing import Any

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.cli.common import emit
from gridapp.i18n import pick


def _task_parser(tsub: argparse._SubParsersAction, name: str, helptext: str,
                 handler: Any) -> argparse.ArgumentParser:
    p = tsub.add_parser(name, help=helptext)
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("task", help="task number (任务编号) or id")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=handler)
    return p


def extend(groups: dict[str, argparse._SubParsersAction]) -> None:
    p = groups["clusters"].add_parser("proposals", help="saved proposals, best first (研判建议)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--status", default="open",
                   help="open (default), accepted, dismissed, merged, split or all")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_proposals)

    tsub = groups["tasks"]
    _task_parser(tsub, "show", "one task: departments, check-ins, results (任务详情)", cmd_show)
    _task_parser(tsub, "summon", "吹哨: summon the departments (dispatcher)", cmd_summon)
    p = _task_parser(tsub, "checkin", "报到: a department checks in (its liaison)", cmd_checkin)
    p.add_argument("--department", help="department code or name (default: the liaison's own)")
    p.add_argument("--contact", default="", help="who came (到场联系人)")
    p = _task_parser(tsub, "act", "处置: the joint action (dispatcher) or a department's own "
                                  "part (liaison)", cmd_act)
    p.add_argument("--summary", required=True, help="what was done")
    p.add_argument("--result", action="append", default=[], metavar="KEY=N",
                   help="stalls_removed, demolished_m2, fines_yuan, items_seized, "
                        "notices_issued (repeatable); for a liaison: free text")
    p.add_argument("--department", help="department code or name (liaison; default: own)")
    _task_parser(tsub, "finish", "办结: close the task, advance member cases (dispatcher)",
                 cmd_finish)
    p = _task_parser(tsub, "evaluate", "评价: evaluate every summoned department (dispatcher)",
                     cmd_evaluate)
    p.add_argument("--department", action="append", default=[], metavar="CODE=yes|no[:NOTE]",
                   help="a department's evaluation: effective yes/no (有效/无效), a comment")
    p.add_argument("--all-effective", action="store_true",
                   help="every department not named is evaluated effective")


def task_id(session: Any, ref: str) -> int:
    from gridapp.errors import NotFoundError
    from gridapp.services.joint.tasks import task_board

    ref = ref.strip()
    for s in task_board(session, None):
        if s.task_no == ref or str(s.id) == ref:
            return int(s.id)
    raise NotFoundError("没有联合执法任务 {t}", "No joint task {t}", t=ref)


def _iso(v: Any) -> str | None:
    return v.isoformat() if v is not None else None


def task_json(task: Any) -> dict[str, Any]:
    return {
        "id": task.id, "task_no": task.task_no, "title": task.title,
        "state": task.state.value, "state_label": task.state.label,
        "action_at": _iso(task.action_at), "deadline": _iso(task.deadline),
        "summoned_at": _iso(task.summoned_at), "done_at": _iso(task.done_at),
        "evaluated_at": _iso(task.evaluated_at), "overdue": task.overdue,
        "action_summary": task.action_summary, "results": task.results,
        "report_ids": task.report_ids,
        "departments": [{
            "department_id": d.department_id, "name": d.name, "role": d.role,
            "checkin_at": _iso(d.checkin_at), "checkin_due": _iso(d.checkin_due),
            "checkin_status": d.checkin_status.value, "flagged": d.flagged,
            "action": d.action, "result": d.result, "effective": d.effective,
            "evaluation": d.evaluation} for d in task.departments],
    }


def _print_task(task: Any) -> None:
    print(f"{task.task_no} {task.title} {task.state.label}")
    for d in task.departments:
        eff = "" if d.effective is None else (pick(" 有效", " effective") if d.effective
                                              else pick(" 无效", " not effective"))
        print(f"  {d.name:<16} {d.checkin_status.label}{eff} {d.action or ''}")
    if task.action_summary:
        print(pick("  联合处置：", "  Joint action: ") + task.action_summary)


def _after(args: argparse.Namespace, session: Any, tid: int, line: str) -> int:
    from gridapp.services.joint.tasks import get_task

    task = get_task(session, tid)
    emit(args, task_json(task), [line])
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from gridapp.services.joint.tasks import get_task

    with logged_in(args, readonly=True) as session:
        task = get_task(session, task_id(session, args.task))
    emit(args, task_json(task), lambda: _print_task(task))
    return 0


def cmd_summon(args: argparse.Namespace) -> int:
    from gridapp.services.joint.tasks import summon

    with logged_in(args) as session:
        tid = task_id(session, args.task)
        notes = summon(session, tid)
        return _after(args, session, tid, pick("已吹哨：召集 {n} 个单位", "Summoned {n} units",
                                               n=len(notes)))


def _own_department(session: Any, ref: str | None) -> int:
    from gridapp.errors import ValidationError
    from gridapp.services.joint.tasks import find_department

    if ref:
        return find_department(session, ref)
    own = getattr(session.user, "department_id", None)
    if own is None:
        raise ValidationError("请用 --department 指定部门", "Name the department with --department")
    return int(own)


def cmd_checkin(args: argparse.Namespace) -> int:
    from gridapp.services.joint.tasks import check_in

    with logged_in(args) as session:
        tid = task_id(session, args.task)
        status = check_in(session, tid, _own_department(session, args.department),
                          contact_person=args.contact)
        return _after(args, session, tid, pick("已报到：{s}", "Checked in: {s}", s=status.label))


def _results(items: list[str]) -> dict[str, str]:
    from gridapp.errors import ValidationError

    out = {}
    for item in items:
        if "=" not in item:
            raise ValidationError("--result 应写成 名称=数值：{v}", "--result takes KEY=N: {v}",
                                  v=item)
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def cmd_act(args: argparse.Namespace) -> int:
    from gridapp.domain.enums import Role
    from gridapp.services.joint.tasks import record_action, report_department_action

    with logged_in(args) as session:
        tid = task_id(session, args.task)
        if session.user.role is Role.LIAISON or args.department:
            result = "；".join(f"{k}={v}" for k, v in _results(args.result).items())
            report_department_action(session, tid, _own_department(session, args.department),
                                     args.summary, result)
        else:
            record_action(session, tid, args.summary, _results(args.result))
        return _after(args, session, tid, pick("已记录处置情况", "Recorded the action"))


def cmd_finish(args: argparse.Namespace) -> int:
    from gridapp.services.joint.tasks import finish

    with logged_in(args) as session:
        tid = task_id(session, args.task)
        out = finish(session, tid)
        return _after(args, session, tid, pick(
            "已办结：推进 {a} 件案件，{r} 件被拒绝，{d} 个单位未报到",
            "Finished: {a} cases advanced, {r} refused, {d} units absent",
            a=len(out.advanced), r=len(out.refused), d=len(out.absent_department_ids)))


def _yes(text: str) -> bool:
    from gridapp.errors import ValidationError

    t = text.strip().lower()
    if t in ("yes", "y", "1", "true", "有效", "是"):
        return True
    if t in ("no", "n", "0", "false", "无效", "否"):
        return False
    raise ValidationError("评价应为 yes/no（有效/无效）：{v}", "An evaluation is yes or no: {v}",
                          v=text)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from gridapp.services.joint.tasks import evaluate, find_department, get_task

    with logged_in(args) as session:
        tid = task_id(session, args.task)
        given: dict[int, tuple[bool, str]] = {}
        for item in args.department:
            ref, _, rest = item.partition("=")
            verdict, _, note = rest.partition(":")
            given[find_department(session, ref.strip())] = (_yes(verdict), note.strip())
        if args.all_effective:
            for d in get_task(session, tid).departments:
                given.setdefault(d.department_id, (True, ""))
        evaluate(session, tid, given)
        return _after(args, session, tid, pick("已评价 {n} 个单位", "Evaluated {n} units",
                                               n=len(given)))


def cmd_proposals(args: argparse.Namespace) -> int:
    from gridapp.services.joint.proposals import list_proposals

    with logged_in(args, readonly=True) as session:
        rows = list_proposals(session, None if args.status == "all" else args.status)
    rows = sorted(rows, key=lambda p: -p.score)
    data = [{"id": p.id, "status": p.status, "title": p.title, "size": p.size,
             "score": p.score, "reasons": p.reasons, "report_ids": p.report_ids,
             "categories": p.categories, "departments": p.department_ids,
             "recurrence": p.recurrence, "first": _iso(p.first_at), "last": _iso(p.last_at),
             "task_id": p.task_id} for p in rows]

    def text() -> None:
        if not rows:
            print(pick("没有研判建议", "No proposals"))
        for p in rows:
            print(f"{p.id:>5} {p.score:6.1f} {p.size:>4} {p.title}  {'；'.join(p.reasons)}")

    emit(args, data, text)
    return 0
