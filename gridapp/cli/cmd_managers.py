"""Grid-manager commands: ``managers import|list`` and ``assign``.

Like ``users``, these log in as an existing user (``--as``, default
``admin``) and run with that user's role.
"""

from __future__ import annotations

import argparse
import json

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    mgr = sub.add_parser("managers", help="grid managers (网格员)")
    msub = mgr.add_subparsers(dest="managers_command", metavar="ACTION", required=True)

    p = msub.add_parser(
        "import", help="import managers from Excel/CSV, all rows or none (批量导入网格员)",
        description="Import grid managers from an .xlsx or .csv file (UTF-8, UTF-8 with BOM "
                    "or GBK). Columns are recognised by name (姓名, 电话/手机, 工号, 用工性质, "
                    "备注); --map overrides them. Every row is checked first; if any row is "
                    "rejected nothing is written and each problem is listed.")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("file", help=".xlsx or .csv file")
    p.add_argument("--sheet", help="Excel sheet name (default: the first)")
    p.add_argument("--encoding", help="CSV encoding (default: UTF-8, then GBK)")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="use COLUMN (name or 0-based index) for FIELD: name, phone, "
                        "staff_no, employment, notes; may be repeated")
    p.add_argument("--dry-run", action="store_true", help="check and preview, write nothing")
    add_login_args(p)
    p.set_defaults(handler=cmd_import)

    p = msub.add_parser("list", help="list managers with their grids (网格员列表)")
    p.add_argument("path")
    p.add_argument("--all", action="store_true", help="include inactive managers")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser(
        "assign", help="assign grids to a manager, hand over, or list warnings (分配网格)",
        description="Assign current grids (by code) to a manager (by staff number): "
                    "'assign WS --manager W001 --grid 520102003001001 --grid ...'. "
                    "Hand every grid of a leaving manager to another: "
                    "'assign WS --from W001 --to W002 [--deactivate]'. "
                    "Show assignment warnings: 'assign WS --warnings'.")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--manager", metavar="STAFF_NO", help="the manager to assign")
    p.add_argument("--grid", action="append", default=[], metavar="CODE",
                   help="15-digit code of a current grid (repeat, or comma-separated)")
    p.add_argument("--backup", action="store_true", help="assign as backup, not primary")
    p.add_argument("--from", dest="from_manager", metavar="STAFF_NO",
                   help="hand over every grid of this manager ...")
    p.add_argument("--to", dest="to_manager", metavar="STAFF_NO", help="... to this one")
    p.add_argument("--deactivate", action="store_true",
                   help="with --from/--to: deactivate the leaving manager")
    p.add_argument("--warnings", action="store_true", help="list assignment warnings")
    add_login_args(p)
    p.set_defaults(handler=cmd_assign)


def _mapping(items: list[str]) -> dict[str, str | int]:
    from gridapp.errors import ValidationError

    out: dict[str, str | int] = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise ValidationError("--map 应写作 字段=列名：{item}",
                                  "--map must be FIELD=COLUMN: {item}", item=item)
        out[field.strip()] = column.strip()
    return out


def cmd_import(args: argparse.Namespace) -> int:
    from gridapp.services.people import manager_import

    with logged_in(args) as session:
        preview = manager_import.preview_manager_import(
            session, args.file, mapping=_mapping(args.map), sheet=args.sheet,
            encoding=args.encoding)
        labels = {f: manager_import.FIELD_LABELS[f] for f in preview.mapping}
        print(pick("列对应：", "Columns: ") + "; ".join(
            f"{pick(*labels[f])} ← {preview.headers[i]}" for f, i in preview.mapping.items()))
        print(pick("共 {n} 行，可导入 {ok} 行，拒绝 {bad} 行",
                   "{n} rows, {ok} accepted, {bad} rejected", n=len(preview.rows),
                   ok=len(preview.accepted), bad=len(preview.rejected)))
        for problem in preview.problems:
            print("✗ " + problem.message)
        if not preview.ok:
            print(pick("未写入任何数据", "Nothing was written"))
            return 1
        if args.dry_run:
            for row in preview.rows[:10]:
                print("  " + "  ".join(str(v) for v in row.values.values()))
            print(pick("试运行：未写入", "Dry run: nothing written"))
            return 0
        n = manager_import.import_managers(session, preview)
    print(pick("已导入 {n} 名网格员", "Imported {n} managers", n=n))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from gridapp.services.people import managers

    with logged_in(args) as session:
        rows = managers.list_managers(session, include_inactive=args.all)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        state = "" if r["active"] else pick("（已停用）", " (inactive)")
        print(f"{r['staff_no']:<10} {r['name']:<8} {r['phone'] or '-':<15} "
              f"{r['grids']:>2} {pick('个网格', 'grids')} {r['households']:>6} "
              f"{pick('户', 'households')}{state}")
    return 0


def _grid_codes(items: list[str]) -> list[str]:
    """Grid codes given as repeated and/or comma-separated ``--grid`` values."""
    return [c for c in (c.strip() for item in items for c in item.split(",")) if c]


def cmd_assign(args: argparse.Namespace) -> int:
    from gridapp.domain.enums import AssignmentRole
    from gridapp.errors import ValidationError
    from gridapp.services.people import assignments
    from gridapp.services.people.managers import manager_by_staff_no

    modes = [bool(args.manager), bool(args.from_manager or args.to_manager), args.warnings]
    if sum(modes) != 1:
        raise ValidationError("请选择一种用法：--manager、--from/--to 或 --warnings",
                              "Use one of --manager, --from/--to or --warnings")
    with logged_in(args) as session:
        if args.warnings:
            warnings = assignments.assignment_warnings(session)
            for w in warnings:
                print("! " + w.message)
            print(pick("{n} 条提醒", "{n} warnings", n=len(warnings)))
            return 1 if warnings else 0
        if args.manager:
            grids = assignments.current_grid_ids(session, _grid_codes(args.grid))
            role = AssignmentRole.BACKUP if args.backup else AssignmentRole.PRIMARY
            result = assignments.assign_grids(session, grids, manager_by_staff_no(
                session, args.manager), role)
        else:
            if not (args.from_manager and args.to_manager):
                raise ValidationError("--from 和 --to 要一起使用",
                                      "--from and --to go together")
            result = assignments.reassign_all(
                session, manager_by_staff_no(session, args.from_manager),
                manager_by_staff_no(session, args.to_manager), deactivate=args.deactivate)
    print(pick("新增 {c} 条分配，结束 {e} 条，{u} 个网格无需变动",
               "{c} assignments added, {e} ended, {u} grids unchanged",
               c=len(result.created), e=len(result.ended), u=len(result.unchanged)))
    return 0
