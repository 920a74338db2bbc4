"""Working-day calendar: ``calendar load`` and ``calendar show``.

``chinesecalendar`` knows the official holidays only up to the year it was
released; later years count Monday to Friday and their deadlines are flagged.
Load a year's schedule from a CSV or XLSX file of dates with 休 / 班
(holiday / workday) once the State Council publishes it; open cases'
deadlines are counted again and the load is recorded in the audit log.

File format (UTF-8 or GB18030 CSV, or the first sheet of an XLSX)::

    日期,类型,名称
    2027-01-01,休,元旦
    2027-02-20,班,春节调休上班

Examples::

    gridapp calendar load street.gpkg 2027.csv --year 2027 --as office
    gridapp calendar show street.gpkg --year 2027
"""

from __future__ import annotations

import argparse
import json

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    cal = sub.add_parser(
        "calendar",
        help="working-day calendar: load / show a year's holidays (节假日安排)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    csub = cal.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)

    p = csub.add_parser("load", help="load a year's holidays from CSV/XLSX (导入节假日安排)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("file", help="CSV or XLSX: date, 休/班 (holiday/workday), name")
    p.add_argument("--year", type=int, help="the year meant; other years are refused")
    add_login_args(p)
    p.set_defaults(handler=cmd_load)

    p = csub.add_parser("show", help="list a year's holidays and adjusted workdays")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)


def cmd_load(args: argparse.Namespace) -> int:
    from gridapp.services.cases.holidays import load_schedule

    with logged_in(args) as session:
        result = load_schedule(session, args.file, year=args.year)
    print(result.message)
    for no in result.changed_case_nos[:20]:
        print(f"  {no}")
    if len(result.changed_case_nos) > 20:
        print(pick("  ……另有 {n} 件", "  … and {n} more",
                   n=len(result.changed_case_nos) - 20))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from gridapp.domain.timeutil import format_local
    from gridapp.services.cases.holidays import year_overview
    from gridapp.services.session import system_session
    from gridapp.services.workspace import open_workspace

    # every role may read the calendar: no login, read as the system
    with open_workspace(args.path, readonly=True) as store:
        view = year_overview(system_session(store), args.year)
    if args.json:
        print(json.dumps({
            "year": view.year,
            "status": view.status,
            "file": view.file or None,
            "loaded_at": view.loaded_at.isoformat() if view.loaded_at else None,
            "loaded_by": view.loaded_by or None,
            "days": [{"date": d.isoformat(), "kind": "workday" if w else "holiday",
                      "name": n} for d, w, n in view.days],
        }, ensure_ascii=False, indent=1))
        return 0
    print(pick("{y} 年：{s}", "{y}: {s}", y=view.year, s=view.status_text))
    if view.status == "loaded":
        print(pick("  来源 {f}，{at} 由 {u} 导入", "  from {f}, loaded {at} by {u}",
                   f=view.file or "-", at=format_local(view.loaded_at), u=view.loaded_by))
    weekdays = pick("一二三四五六日", "MonTueWedThuFriSatSun")
    for d, working, name in view.days:
        wd = (weekdays[d.weekday()] if len(weekdays) == 7
              else weekdays[3 * d.weekday():3 * d.weekday() + 3])
        kind = pick("班", "workday") if working else pick("休", "holiday")
        print(f"  {d.isoformat()} {wd}  {kind}  {name}".rstrip())
    holidays = sum(1 for _, w, _ in view.days if not w)
    print(pick("放假 {h} 天，调休上班 {w} 天", "{h} days off, {w} adjusted working days",
               h=holidays, w=len(view.days) - holidays))
    return 0
