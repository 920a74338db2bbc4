"""Report and case commands: ``reports import|list`` and ``cases advance``.

Every command logs in as an existing user (``--as`` or ``--user``, default
``admin``; the password is asked for, or read from standard input with
``--password-stdin``) and runs with that user's role and record scope, so a
script can do no more than the window: a liaison's ``cases advance`` touches
only their department's cases, and refusals are listed with their reasons.

Examples::

    gridapp reports import street.gpkg form.csv --crs gcj02 --dry-run
    gridapp reports import street.gpkg form.xlsx --map category=问题类型 --skip-rejected
    gridapp reports import street.gpkg hotline.csv --map external_id=工单号 \\
        --category-map labels.csv
    gridapp reports list street.gpkg --external-id RX-2026-0012
    gridapp reports list street.gpkg --status dispatched --overdue --json
    gridapp cases advance street.gpkg --action register --ids 12,13,14 --as dispatcher
    gridapp cases advance street.gpkg 2026031000001 2026031000002 --action 立案 --as zhihui
    gridapp cases advance street.gpkg --action dispatch --case-no 2026031000001 \\
        --handler CG --note "属城管职责"
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.i18n import pick


def _login_args(p: argparse.ArgumentParser) -> None:
    add_login_args(p)
    p.add_argument("--user", dest="acting_user", metavar="USER", help="same as --as")


def register(sub: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    reports = sub.add_parser(
        "reports",
        help="import and list reports (上报导入与查询)",
        description=__doc__,
        formatter_class=fmt,
    )
    rsub = reports.add_subparsers(
        dest="reports_command", metavar="ACTION", required=True
    )

    p = rsub.add_parser("import", help="import reports from CSV/XLSX (批量导入上报)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("file", help="CSV or XLSX file")
    p.add_argument(
        "--crs",
        default="cgcs2000",
        help="coordinates: cgcs2000 (default), wgs84, gcj02, bd09 or EPSG:nnnn",
    )
    p.add_argument(
        "--encoding", help="text encoding of a CSV (default: detect UTF-8/BOM/GBK)"
    )
    p.add_argument("--sheet", help="XLSX sheet name")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="map a report field to a column (repeatable); fields: lon, lat, "
        "position, category, description, address, reported_at, source, "
        "urgency, reporter_name, reporter_phone, external_id (the source's own "
        "id, 编号: kept, searchable, and an import repeating one is refused)",
    )
    p.add_argument(
        "--category-map",
        metavar="CSV",
        help="two-column CSV: the file's category label, GridApp category code "
        "(e.g. 0401, B0101) or name; for labels GridApp does not know",
    )
    p.add_argument("--dry-run", action="store_true", help="check and preview only")
    p.add_argument(
        "--skip-rejected",
        action="store_true",
        help="import the good rows even if some are rejected",
    )
    p.add_argument(
        "--rejected-csv",
        "--rejects",
        help="write rejected rows with reasons to this CSV (default when more than "
        "50 are rejected: <file>.rejects.csv beside the input)",
    )
    _login_args(p)
    p.set_defaults(handler=cmd_import)

    p = rsub.add_parser("list", help="list cases with filters (案件查询)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--status", action="append", default=[],
                   help="status or its label, e.g. dispatched or 已派遣 (repeatable)")
    p.add_argument(
        "--category", action="append", default=[],
        help="category code or name, e.g. 0401 or 占道经营 (repeatable)"
    )
    p.add_argument("--grid", action="append", default=[], help="15-digit grid code")
    p.add_argument("--department", action="append", default=[], help="department code")
    p.add_argument(
        "--overdue", action="store_true", help="only open cases past deadline"
    )
    p.add_argument("--open", action="store_true", help="only open cases")
    p.add_argument(
        "--text",
        default="",
        help="search case number, description, address, external id",
    )
    p.add_argument(
        "--external-id", default="", help="the source's own id (编号) of an import"
    )
    p.add_argument("--since", help="reported on or after (YYYY-MM-DD, Beijing time)")
    p.add_argument("--until", help="reported before (YYYY-MM-DD)")
    p.add_argument(
        "--my-work", action="store_true", help="what waits for the user's action"
    )
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument(
        "--count", action="store_true", help="print the number of matches only"
    )
    p.add_argument("--json", action="store_true")
    _login_args(p)
    p.set_defaults(handler=cmd_list)

    cases = sub.add_parser(
        "cases",
        help="advance cases through the workflow (案件流转)",
        description=__doc__,
        formatter_class=fmt,
    )
    csub = cases.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    p = csub.add_parser("advance", help="perform one action on many cases (批量流转)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("cases", nargs="*", metavar="CASE",
                   help="case numbers (案件编号) or ids")
    p.add_argument(
        "--action",
        required=True,
        help="register, reject, dispatch, redispatch, start, finish, verify, "
        "send_back, close, extend, shelve, escalate, or the window's label: 立案, "
        "不予立案, 派遣, 改派, 开始处置, 处置反馈, 核查通过, 返工, 结案, 延期, 挂账, 上报区政府",
    )
    p.add_argument("--ids", default="", help="comma-separated case ids")
    p.add_argument(
        "--case-no", action="append", default=[], help="case number (repeatable)"
    )
    p.add_argument(
        "--note", default="", help="reason / note (required for some actions)"
    )
    p.add_argument(
        "--handler",
        dest="handling_unit",
        help="department code, name or id for dispatch (default: duty list)",
    )
    p.add_argument(
        "--all-or-nothing",
        action="store_true",
        help="stop at the first refusal and write nothing",
    )
    p.add_argument("--json", action="store_true")
    _login_args(p)
    p.set_defaults(handler=cmd_advance)


def cmd_import(args: argparse.Namespace) -> int:
    from gridapp.cli.progress import TextProgress
    from gridapp.errors import ValidationError
    from gridapp.services.cases.report_import import (
        MESSAGE_LIST_LIMIT,
        commit_report_import,
        prepare_report_import,
        read_category_map,
    )

    mapping = None
    if args.map:
        mapping = {}
        for item in args.map:
            if "=" not in item:
                raise ValidationError(
                    "--map 应写成 字段=列名：{v}",
                    "--map takes FIELD=COLUMN: {v}",
                    v=item,
                )
            k, v = item.split("=", 1)
            mapping[k.strip()] = v.strip()
    category_map = read_category_map(args.category_map) if args.category_map else None
    with logged_in(args, readonly=args.dry_run) as session:
        preview = prepare_report_import(
            session,
            args.file,
            mapping,
            crs=args.crs,
            encoding=args.encoding,
            sheet=args.sheet,
            category_map=category_map,
            progress=TextProgress(sys.stderr),
        )
        print(
            pick(
                "编码 {e}；可导入 {a} 行，拒绝 {r} 行",
                "Encoding {e}; {a} rows can be imported, {r} rejected",
                e=preview.encoding,
                a=len(preview.accepted),
                r=len(preview.rejected),
            )
        )
        for row in preview.accepted[:5]:
            p = row.check.placement
            print(
                f"  {row.row_no:>5}  {p.grid_code}  {p.lon:.6f},{p.lat:.6f}  "
                f"{row.draft.description[:30]}"
            )
            for w in row.warnings:
                print(f"         ! {w}")
        _print_rejected(args, preview)
        for message in preview.shift_messages():
            print(message)
        if preview.unknown_categories:
            labels = [f"{k}（{n}）" for k, n in preview.unknown_categories.items()]
            more = len(labels) - MESSAGE_LIST_LIMIT
            print(
                pick(
                    "未知类别：{labels}{more}；请用 --category-map 指定对应的类别",
                    "Unknown categories: {labels}{more}; map them with --category-map",
                    labels="、".join(labels[:MESSAGE_LIST_LIMIT]),
                    more=pick(" 等 {n} 个", " and {n} more", n=more) if more > 0 else "",
                )
            )
        if args.dry_run:
            print(pick("试运行：未写入", "Dry run: nothing written"))
            return 2 if preview.rejected else 0
        result = commit_report_import(
            session,
            preview,
            skip_rejected=args.skip_rejected,
            progress=TextProgress(sys.stderr),
        )
    print(pick("已导入 {n} 条上报", "Imported {n} reports", n=len(result.report_ids)))
    return 0


def _print_rejected(args: argparse.Namespace, preview: Any) -> None:
    """At most ~50 lines about rejected rows; all of them go to the rejects CSV
    (``--rejected-csv``, or ``<file>.rejects.csv`` beside the input when the
    list is longer than the summary)."""
    from pathlib import Path

    from gridapp.services.importing.rejects import (
        SUMMARY_LIMIT,
        bounded_summary,
        default_rejects_path,
    )

    rejected = preview.rejected
    if not rejected:
        return
    rejects = None
    if args.rejected_csv or len(rejected) > SUMMARY_LIMIT:
        rejects = Path(args.rejected_csv or default_rejects_path(args.file))
        try:
            preview.write_rejected(rejects)
        except OSError as exc:
            print(pick("无法写入拒绝清单 {p}：{e}", "Cannot write the rejects file {p}: {e}",
                       p=rejects, e=exc), file=sys.stderr)
            rejects = None
    first = [f"  ✗ {r.row_no:>5}  {r.reason}" for r in rejected[:SUMMARY_LIMIT]]
    for line in bounded_summary(first, (r.reason for r in rejected), rejects=rejects,
                                total=len(rejected)):
        print(line)


def _day(text: str | None) -> datetime | None:
    if not text:
        return None
    from gridapp.services.cases.report_import import parse_time

    return parse_time(text)


def cmd_list(args: argparse.Namespace) -> int:
    from gridapp.cli.cmd_case_detail import labelled
    from gridapp.domain.enums import CaseStatus
    from gridapp.services.cases.query import (
        CaseFilter,
        CaseQuery,
        grid_ids_for_codes,
        my_work,
    )
    from gridapp.services.cases.reports import category_row
    from gridapp.services.cases.routing import resolve_department

    with logged_in(args, readonly=True) as session:
        grids = grid_ids_for_codes(session, args.grid) or ([-1] if args.grid else [])
        flt = CaseFilter(
            statuses=tuple(labelled(CaseStatus, v, "状态", "status") for v in args.status),
            category_ids=tuple(
                int(category_row(session, c)["id"]) for c in args.category
            ),
            grid_ids=tuple(grids),
            department_ids=tuple(resolve_department(session, d) for d in args.department),
            overdue=True if args.overdue else None,
            open_only=args.open,
            text=args.text,
            external_id=args.external_id,
            date_from=_day(args.since),
            date_to=_day(args.until),
        )
        if args.my_work:
            flt = my_work(session, flt)
        query = CaseQuery(session, flt)
        if args.count:
            print(query.count())
            return 0
        rows = query.page(args.offset, args.limit)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "case_no": r.case_no,
                        "external_id": r.external_id,
                        "status": r.status.value,
                        "category": r.category,
                        "grid": r.grid_code,
                        "department": r.department,
                        "address": r.address,
                        "description": r.description,
                        "urgency": r.urgency,
                        "reported_at": r.reported_at.isoformat(),
                        "deadline": r.deadline.isoformat() if r.deadline else None,
                        "due_state": r.due_state,
                        "deadline_unverified_years": list(r.unsure_years),
                        "lon": r.lon,
                        "lat": r.lat,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        _warn_unsure({r.case_no: list(r.unsure_years) for r in rows if r.unsure_years})
        return 0
    from gridapp.domain.timeutil import local

    for r in rows:
        due = {
            "overdue": pick("逾期", "OVERDUE"),
            "due_soon": pick("将到期", "due soon"),
        }.get(r.due_state or "", "")
        print(
            f"{r.id:>7} {r.case_no} {r.status.label:<6} {local(r.reported_at):%Y-%m-%d %H:%M} "
            f"{r.grid_code} {r.category} {r.department} {due} "
            f"{'⚠ ' if r.unsure_years else ''}{r.description[:30]}"
            + (f" [{pick('编号', 'id')} {r.external_id}]" if r.external_id else "")
        )
    _warn_unsure({r.case_no: list(r.unsure_years) for r in rows if r.unsure_years})
    return 0


def _warn_unsure(flagged: dict[str, list[int]]) -> None:
    """On stderr: deadlines counted over a year without a holiday schedule."""
    from gridapp.services.cases.holidays import unsure_deadline_note

    for case_no, years in list(flagged.items())[:20]:
        print(f"! {case_no}: {unsure_deadline_note(years)}", file=sys.stderr)
    if len(flagged) > 20:
        print(pick("! 另有 {n} 件案件的处置时限未经核实",
                   "! {n} more cases have unverified deadlines", n=len(flagged) - 20),
              file=sys.stderr)


def cmd_advance(args: argparse.Namespace) -> int:
    from gridapp.cli.cmd_case_detail import case_id, labelled
    from gridapp.domain.workflow import CaseAction
    from gridapp.errors import ValidationError
    from gridapp.services.cases.query import case_ids_for_numbers
    from gridapp.services.cases.workflow import advance_cases

    action = labelled(CaseAction, args.action, "操作", "action")
    with logged_in(args) as session:
        ids = [int(x) for x in args.ids.replace(" ", "").split(",") if x]
        ids += case_ids_for_numbers(session, args.case_no)
        ids += [case_id(session, ref) for ref in args.cases]
        if not ids:
            raise ValidationError(
                "请用案件编号、--ids 或 --case-no 指定案件",
                "Name the cases by number, --ids or --case-no",
            )
        out = advance_cases(
            session,
            ids,
            action,
            args.note,
            handler=args.handling_unit,
            all_or_nothing=args.all_or_nothing,
        )
        from gridapp.services.cases.holidays import unsure_for_cases

        unsure = unsure_for_cases(session, [r.report_id for r in out.done if r.deadline])
    _warn_unsure({r.case_no: unsure[r.report_id] for r in out.done
                  if r.report_id in unsure})
    if args.json:
        print(
            json.dumps(
                {
                    "done": [
                        {
                            "id": r.report_id,
                            "case_no": r.case_no,
                            "from": r.from_status.value,
                            "to": r.to_status.value,
                            "deadline": r.deadline.isoformat() if r.deadline else None,
                            "notice": r.notice.as_dict() if r.notice else None,
                        }
                        for r in out.done
                    ],
                    "refused": [
                        {"id": rid, "reason": str(err)} for rid, err in out.refused
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for r in out.done:
            print(f"✓ {r.case_no} {r.from_status.label} → {r.to_status.label}")
        for rid, err in out.refused:
            print(f"✗ {rid}: {err}", file=sys.stderr)
        print(
            pick(
                "完成 {d} 件，拒绝 {r} 件",
                "{d} done, {r} refused",
                d=len(out.done),
                r=len(out.refused),
            )
        )
    return 1 if out.refused else 0
