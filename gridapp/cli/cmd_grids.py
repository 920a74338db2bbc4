"""Grid commands: ``import communities|grids`` and ``grids check|divide``.

Commands that change the workspace log in like the user commands (``--as``,
``--password-stdin``); ``grids check`` reads only.  Exit codes: 0 done,
1 problems found (check), 2 error or refused import (bad input: at most ~50
lines are printed, every problem goes to the ``--rejects`` CSV).
"""

from __future__ import annotations

import argparse
import json
import sys

from gridapp.cli.cmd_users import add_login_args, login_session
from gridapp.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("import", help="import community or grid boundaries (导入边界)",
                         description=__doc__,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    isub = imp.add_subparsers(dest="import_command", metavar="WHAT", required=True)
    for what, helptext in (("street", "the street's own boundary (街道边界)"),
                           ("communities", "community boundaries (社区边界)"),
                           ("grids", "grid boundaries (网格边界)")):
        p = isub.add_parser(what, help=helptext)
        p.add_argument("path", metavar="WORKSPACE", help="workspace .gpkg")
        p.add_argument("file", metavar="FILE",
                       help=".gpkg .shp .geojson .kml .csv .xlsx")
        p.add_argument("--layer", help="layer of a multi-layer file")
        p.add_argument("--encoding", help="attribute encoding, e.g. GBK or UTF-8")
        p.add_argument("--source-crs", help="CRS of the file, e.g. EPSG:4524")
        p.add_argument("--coord-system", choices=("auto", "gcj02", "bd09"), default="auto",
                       help="GCJ-02 (AMap/Tencent) or BD-09 (Baidu) coordinates")
        p.add_argument("--name-field", help="field holding the name")
        p.add_argument("--code-field", help="field holding the code")
        if what == "grids":
            p.add_argument("--community-field", help="field holding the community name/code")
            p.add_argument("--replace", action="store_true",
                           help="close the current grids of the communities imported into")
        p.add_argument("--dry-run", action="store_true",
                       help="show what would be imported; write nothing")
        p.add_argument("--rejects", metavar="CSV",
                       help="where to write every problem of a refused file "
                            "(default: FILE's folder, <name>.rejects.csv)")
        p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                       help="stop reading a GeoPackage view after this long (默认 10)")
        p.add_argument("--json", action="store_true")
        add_login_args(p)
        p.set_defaults(handler=cmd_import, kind={"communities": "community",
                                                 "grids": "grid"}.get(what, what))

    grids = sub.add_parser("grids", help="check and divide grids (网格检查与划分)")
    gsub = grids.add_subparsers(dest="grids_command", metavar="ACTION", required=True)
    p = gsub.add_parser("check", help="check the current grids as a coverage (覆盖检查)")
    p.add_argument("path", metavar="WORKSPACE")
    p.add_argument("--gap-width", type=float, default=0.5, help="metres (默认 0.5)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_check)

    p = gsub.add_parser("divide", help="propose grids for a community (自动划分)")
    p.add_argument("path", metavar="WORKSPACE")
    p.add_argument("--community", required=True, help="12-digit code, name or id")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--households", default=None, metavar="LO-HI",
                       help="household range per grid (默认 300-500)")
    group.add_argument("--grids", type=int, help="number of grids")
    group.add_argument("--area", type=float, metavar="M2",
                       help="target area per grid in m², balanced by area (按面积划分)")
    p.add_argument("--replace-special", action="store_true",
                   help="divide the special grids (专属网格) too; by default they are kept")
    p.add_argument("--apply", action="store_true", help="save the proposal (保存)")
    p.add_argument("--accept-problems", action="store_true",
                   help="save even with coverage problems (recorded)")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_divide)


def _print_problems(problems: list, stream=sys.stdout, rejects=None) -> None:
    """At most ~50 lines; the full list is in *rejects* when there are more."""
    from gridapp.services.importing.rejects import bounded_summary

    lines = bounded_summary([f"  [{p.reason}] {p.message}" for p in problems],
                            (p.reason for p in problems), rejects=rejects)
    for line in lines:
        print(line, file=stream)


def _refused(args: argparse.Namespace, err) -> int:
    """Report a refused file: a bounded summary, every problem in the rejects file."""
    from pathlib import Path

    from gridapp.services.importing.rejects import (
        SUMMARY_LIMIT,
        default_rejects_path,
        write_problems_csv,
    )

    problems = err.params.get("problems", [])
    print(pick("未导入：{n} 个问题", "Not imported: {n} problems",
               n=len([p for p in problems if p.blocking]) or 1), file=sys.stderr)
    if not problems:
        print("  " + str(err), file=sys.stderr)
        return 2
    rejects = None
    if len(problems) > SUMMARY_LIMIT or args.rejects:
        rejects = Path(args.rejects) if args.rejects else default_rejects_path(args.file)
        try:
            write_problems_csv(rejects, problems)
        except OSError as exc:
            print(pick("无法写入问题清单 {p}：{e}", "Cannot write the rejects file {p}: {e}",
                       p=rejects, e=exc), file=sys.stderr)
            rejects = None
    _print_problems(problems, sys.stderr, rejects)
    return 2


def cmd_import(args: argparse.Namespace) -> int:
    from gridapp.errors import ImportFileError
    from gridapp.services.grids.importer import import_file
    from gridapp.services.workspace import open_workspace

    mapping = {k: v for k, v in (("name", args.name_field), ("code", args.code_field),
                                 ("community", getattr(args, "community_field", None))) if v}
    with open_workspace(args.path) as store:
        session = login_session(args, store)
        try:
            out = import_file(session, args.file, args.kind, mapping=mapping or None,
                              dry_run=args.dry_run, replace=getattr(args, "replace", False),
                              layer=args.layer, encoding=args.encoding,
                              source_crs=args.source_crs, coord_system=args.coord_system,
                              timeout=args.timeout)
        except ImportFileError as err:
            return _refused(args, err)
    pv = out.preview
    rows = out.frame
    if args.json:
        print(json.dumps({
            "dry_run": args.dry_run, "ids": out.ids, "closed": out.closed,
            "encoding": pv.encoding if pv else None, "crs": pv.source_crs if pv else None,
            "mapping": pv.mapping if pv else None,
            "features": [{"name": r["name"], "code": r["code"]} for r in
                         rows[["name", "code"]].astype(object).where(rows[["name", "code"]]
                                                                     .notna(), None)
                         .to_dict("records")],
            "problems": [p.message for p in out.problems],
            "coverage_problems": [p.message for p in out.report.problems] if out.report else [],
        }, ensure_ascii=False, indent=2))
        return 0
    if pv:
        print(pick("文件：{f}  编码 {e}（{eh}）  坐标系 {c}（{ch}）",
                   "File: {f}  encoding {e} ({eh})  CRS {c} ({ch})", f=pv.path, e=pv.encoding,
                   eh=pv.encoding_source, c=pv.source_crs, ch=pv.crs_source))
    for r in rows.to_dict("records"):
        print(f"  {r.get('code') or '-':<16} {r.get('name') or ''}")
    if out.problems:
        _print_problems(out.problems)
    if out.report and out.report.problems:
        print(pick("覆盖检查：{n} 个问题", "Coverage check: {n} problems",
                   n=len(out.report.problems)))
        for p in out.report.problems:
            print(f"  [{p.kind}] {p.message}")
    if args.dry_run:
        print(pick("试运行：将导入 {n} 个要素，未写入", "Dry run: {n} features would be imported;"
                   " nothing written", n=len(rows)))
    else:
        print(pick("已导入 {n} 个要素", "Imported {n} features", n=len(out.ids)))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from gridapp.services.grids.history import current_grids
    from gridapp.services.grids.tools import check_workspace
    from gridapp.services.session import as_session
    from gridapp.services.workspace import open_workspace

    # Reads only, without a login: whoever can open the file may check it.
    with open_workspace(args.path, readonly=True) as store:
        session = as_session(store)
        grids = current_grids(session)
        codes = dict(zip(grids["id"], grids["code"], strict=True))
        dup = grids["code"][grids["code"].duplicated()].unique().tolist()
        report = check_workspace(session, gap_width=args.gap_width, grids=grids)
    items = [{"kind": p.kind, "grids": [codes.get(g, str(g)) for g in p.grid_ids],
              "size": round(p.size, 3), "message": p.message,
              "where": p.geometry.representative_point().wkt} for p in report.problems]
    items += [{"kind": "duplicate_code", "grids": [c], "size": 0,
               "message": pick("编码 {c} 被多个现有网格使用", "Code {c} is used by several "
                               "current grids", c=c), "where": None} for c in dup]
    if args.json:
        print(json.dumps({"grids": len(grids), "problems": items}, ensure_ascii=False, indent=2))
    else:
        for it in items:
            print(f"[{it['kind']}] {','.join(it['grids'])}: {it['message']}  {it['where'] or ''}")
        print(pick("检查了 {n} 个网格：{p} 个问题", "Checked {n} grids: {p} problems",
                   n=len(grids), p=len(items)))
    return 1 if items else 0


def _range(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    from gridapp.errors import ValidationError

    try:
        lo, hi = (int(v) for v in text.replace("–", "-").split("-"))
    except ValueError:
        raise ValidationError("户数范围应写成 300-500", "Write the household range as 300-500",
                              value=text) from None
    return lo, hi


def cmd_divide(args: argparse.Namespace) -> int:
    from gridapp.cli.progress import TextProgress
    from gridapp.services.grids.division import accept_division, propose_division
    from gridapp.services.workspace import open_workspace

    with open_workspace(args.path) as store:
        session = login_session(args, store)
        rng = _range(args.households)
        proposal = propose_division(session, args.community, households=rng,
                                    grids=args.grids, area_m2=args.area,
                                    replace_special=args.replace_special,
                                    progress=TextProgress())
        result = accept_division(session, proposal, accept_problems=args.accept_problems) \
            if args.apply else None
    frame = proposal.grids
    if args.json:
        print(json.dumps({
            "community": proposal.community_code, "stats": proposal.stats,
            "by_area": proposal.by_area, "kept": proposal.kept,
            "grids": frame.drop(columns="geometry").to_dict("records"),
            "applied": result is not None,
            "opened": result.opened if result else [], "closed": result.closed if result else [],
        }, ensure_ascii=False, indent=2, default=int))
        return 0
    print(pick("社区 {c} {n}：划分方案", "Community {c} {n}: proposal",
               c=proposal.community_code, n=proposal.community_name))
    print(pick("  编码              户数  楼栋    面积(m²)  紧凑度",
               "  code              hh    bldg    area(m²)  compact"))
    for r in frame.to_dict("records"):
        print(f"  {r['code'] or '-':<16} {r['households']:>5} {r['buildings']:>5} "
              f"{r['area_m2']:>11.0f}  {r['compactness']:.2f}")
    print(proposal.summary())
    if proposal.kept:
        print(pick("保留 {n} 个专属网格（加 --replace-special 一并重新划分）",
                   "Kept {n} special grids (add --replace-special to divide them too)",
                   n=len(proposal.kept)))
    if result is not None:
        print(pick("已保存：关闭 {c} 个旧网格版本，新建 {o} 个",
                   "Saved: closed {c} old grid versions, opened {o}",
                   c=len(result.closed), o=len(result.opened)))
    else:
        print(pick("未保存（加 --apply 保存）", "Not saved (add --apply to save)"))
    return 0
