"""Assessment and supervision: ``kpi``, ``assess ...`` and ``cases escalate``.

Examples::

    gridapp kpi street.gpkg --period 2026-11 --by grid
    gridapp kpi street.gpkg --period 2026-Q4 --by department --by grid --xlsx q4.xlsx
    gridapp kpi street.gpkg --period 2026-11 --pdf 通报_2026-11.pdf
    gridapp report monthly street.gpkg --month 2026-11 -o 通报_2026-11.pdf
    gridapp assess thresholds street.gpkg
    gridapp assess thresholds street.gpkg --set close_rate 0.8 0.9 --periods 2
    gridapp assess callback street.gpkg --id 17 --verdict dissatisfied --reason 仍有积水
    gridapp cases escalate street.gpkg
"""

from __future__ import annotations

import argparse
import json
import math

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.i18n import pick

_KINDS = ("grid", "community", "manager", "dispatcher", "department", "category")


def register(sub: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("kpi", help="assessment indicators (考核指标) by unit; Excel out",
                       description=__doc__, formatter_class=fmt)
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--period", required=True,
                   help="2026-11 | 2026-Q4 | 2026-W45 | 2026 | 2026-11-03 | A..B")
    p.add_argument("--by", action="append", choices=_KINDS,
                   help="unit kind (repeatable; default grid, all kinds with --xlsx)")
    p.add_argument("--xlsx", metavar="FILE", help="write a workbook (one sheet per kind)")
    p.add_argument("--pdf", metavar="FILE",
                   help="write the monthly report (月度考核通报) as a PDF")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_kpi)

    r = sub.add_parser("report", help="the monthly report (月度考核通报) as a PDF",
                       description=__doc__, formatter_class=fmt)
    rsub = r.add_subparsers(dest="report_command", metavar="KIND", required=True)
    p = rsub.add_parser("monthly", help="one month's report: key figures, warnings, trend")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--month", required=True, type=_month, help="the month, e.g. 2026-11")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the PDF to write")
    add_login_args(p)
    p.set_defaults(handler=cmd_report_monthly)

    a = sub.add_parser("assess", help="assessment settings and callbacks (考核设置、回访)",
                       description=__doc__, formatter_class=fmt)
    asub = a.add_subparsers(dest="assess_command", metavar="ACTION", required=True)
    p = asub.add_parser("thresholds", help="show or set 红黄蓝 thresholds")
    p.add_argument("path")
    p.add_argument("--set", nargs=3, metavar=("INDICATOR", "RED", "YELLOW"))
    p.add_argument("--periods", type=int, default=2,
                   help="periods in a row before a unit is flagged (default 2)")
    add_login_args(p)
    p.set_defaults(handler=cmd_thresholds)
    p = asub.add_parser("callback", help="record the 回访 of a verified case")
    p.add_argument("path")
    p.add_argument("--id", type=int, required=True, help="case (report) id")
    p.add_argument("--verdict", required=True, choices=("satisfied", "basic",
                                                         "dissatisfied"))
    p.add_argument("--told", default="", help="what the resident was told")
    p.add_argument("--reason", default="")
    p.add_argument("--unresolved", action="store_true",
                   help="the resident says the problem is not solved")
    add_login_args(p)
    p.set_defaults(handler=cmd_callback)


def extend(groups: dict[str, argparse._SubParsersAction]) -> None:
    cases = groups.get("cases")
    if cases is None:
        return
    p = cases.add_parser("escalate", help="escalate overdue cases, send reminders (自动督办)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--lead-hours", type=float,
                   help="remind this many hours before a deadline (default: setting, 4)")
    add_login_args(p)
    p.set_defaults(handler=cmd_escalate)


def _fmt(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "ratio":
        return f"{value:.1%}"
    if unit in ("hours", "score"):
        return f"{value:.1f}"
    return f"{value:.0f}"


def cmd_kpi(args: argparse.Namespace) -> int:
    from gridapp.services.assessment.excel import export_xlsx
    from gridapp.services.assessment.indicators import compute

    if args.pdf:
        return _monthly_pdf(args)
    kinds = args.by or (list(_KINDS) if args.xlsx else ["grid"])
    with logged_in(args, readonly=not args.xlsx) as session:
        if args.xlsx:
            res = export_xlsx(session, args.period, args.xlsx, kinds)
            print(pick("已写入 {path}（工作表：{sheets}）", "Wrote {path} (sheets: {sheets})",
                       path=res.path, sheets="、".join(res.sheets)))
            return 0
        tables = [compute(session, args.period, k) for k in kinds]
    if args.json:
        out = [{"period": t.period.label, "by": t.by, "empty": t.empty, "note": t.note,
                "total": {i.code: _num(t.total.get(i.code)) for i in t.indicators},
                "units": [{"unit": _key(r["unit"]), "label": r["label"],
                           **{i.code: _num(r[i.code]) for i in t.indicators}}
                          for r in t.frame.to_dict("records")]} for t in tables]
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for t in tables:
        if t.note:
            print(t.note)
        shown = [i for i in t.indicators if i.code in (
            "filed", "due", "closed", "close_rate", "on_time_rate", "rework",
            "overdue_now", "satisfaction_rate")]
        print("\t".join([t.by, *[i.name for i in shown]]))
        for r in t.frame.to_dict("records"):
            print("\t".join([str(r["label"]), *[_fmt(r[i.code], i.unit) for i in shown]]))
        print("\t".join([pick("合计", "Total"),
                         *[_fmt(t.total.get(i.code), i.unit) for i in shown]]))
    return 0


def _month(text: str) -> str:
    """``YYYY-MM`` (a month of the calendar), for ``report monthly --month``."""
    import re

    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise argparse.ArgumentTypeError(pick(
            "月份应写作 2026-11 这样的“年-月”：{text}",
            "a month is written as year-month, e.g. 2026-11: {text}", text=text))
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def cmd_report_monthly(args: argparse.Namespace) -> int:
    """``report monthly``: the same PDF as ``kpi --period YYYY-MM --pdf``."""
    return _monthly_pdf(args, args.month, args.output)


def _monthly_pdf(args: argparse.Namespace, period: str | None = None,
                 pdf: str | None = None) -> int:
    from gridapp.printing.jobs import pdf_target
    from gridapp.printing.monthly_report import write_monthly_report
    from gridapp.services.assessment.monthly import monthly_report

    target = pdf_target(pdf or args.pdf)  # refused before anything is read
    with logged_in(args, readonly=True) as session:
        report = monthly_report(session, period or args.period)
    out = write_monthly_report(report, target)
    print(pick("已写入月度考核通报 {path}", "Wrote the monthly report {path}", path=out))
    return 0


def _num(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _key(v: object) -> object:
    return v if isinstance(v, str) else int(v)  # type: ignore[call-overload]


def cmd_thresholds(args: argparse.Namespace) -> int:
    from gridapp.services.assessment.warnings import set_threshold, thresholds

    with logged_in(args, readonly=not args.set) as session:
        if args.set:
            code, red, yellow = args.set
            set_threshold(session, code, float(red), float(yellow), args.periods)
        rows = thresholds(session)
    for th in rows:
        print(f"{th.indicator}\t{pick('红', 'red')} {th.red}\t{pick('黄', 'yellow')} "
              f"{th.yellow}\t{th.periods}")
    return 0


def cmd_callback(args: argparse.Namespace) -> int:
    from gridapp.services.assessment.callback import record_callback

    with logged_in(args) as session:
        res = record_callback(session, args.id, args.verdict, told=args.told,
                              reason=args.reason, resolved=not args.unresolved)
    print(res.message)
    return 0


def cmd_escalate(args: argparse.Namespace) -> int:
    from gridapp.services.assessment.supervise import level_name, run_supervision

    with logged_in(args) as session:
        run = run_supervision(session, lead_hours=args.lead_hours)
    print(run.message)
    for _, no, level in run.escalated:
        print(f"  {no}\t{level_name(level)}")
    return 0
