"""Workspace commands: init, demo, info, check."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from gridapp.cli import foreign_schema, outside_edits
from gridapp.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create an empty workspace for a street (新建工作空间)")
    p.add_argument("path")
    p.add_argument("--district-code", help="6-digit district code, e.g. 520102")
    p.add_argument("--street-code", help="9-digit street code, e.g. 520102003")
    p.add_argument("--street-name", help="street name, e.g. 中华南路街道")
    p.add_argument("--admin", default="admin", help="first administrator's user name")
    p.add_argument("--admin-password-stdin", action="store_true",
                   help="read the administrator's password from standard input")
    p.add_argument("--adopt", action="store_true",
                   help="add GridApp's tables to an existing GeoPackage (from QGIS/GDAL) "
                        "without touching its layers")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", help="write the demo street (生成演示街道)")
    p.add_argument("path")
    p.add_argument("--seed", type=int, default=20261123)
    p.add_argument("--grids", type=int, default=60)
    p.add_argument("--reports", type=int, default=3000)
    p.add_argument("--as-of", dest="as_of", type=_as_of_date, default=None, metavar="YYYY-MM-DD",
                   help="reports and cases happen before this day (default: today, Beijing); "
                        "the same seed and date give the same street")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("info", help="what is in a workspace (工作空间概况)")
    p.add_argument("path")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_info)

    p = sub.add_parser("check", help="integrity check, non-zero exit on problems (完整性检查)")
    p.add_argument("path")
    outside_edits.add_args(p)
    foreign_schema.add_args(p)
    p.set_defaults(handler=cmd_check)


def _ask(prompt: str, value: str | None) -> str:
    if value:
        return value
    if not sys.stdin.isatty():
        from gridapp.errors import ValidationError

        raise ValidationError("缺少参数：{what}", "Missing argument: {what}", what=prompt)
    return input(prompt + ": ").strip()


def cmd_init(args: argparse.Namespace) -> int:
    from gridapp.services.workspace import StreetSpec, create_workspace

    district = _ask(pick("区县代码（6位）", "District code (6 digits)"), args.district_code)
    street_code = _ask(pick("街道代码（9位）", "Street code (9 digits)"), args.street_code)
    name = _ask(pick("街道名称", "Street name"), args.street_name)
    spec = StreetSpec(district, street_code, name)
    if args.admin_password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(pick("管理员 {u} 的密码：", "Password for administrator {u}: ",
                                        u=args.admin))
        again = getpass.getpass(pick("再输入一次：", "Repeat it: "))
        if again != password:
            print(pick("两次输入的密码不一致", "The passwords differ"), file=sys.stderr)
            return 2
    store = create_workspace(args.path, spec, admin_username=args.admin, admin_password=password,
                             adopt=args.adopt)
    store.close()
    for layer, renamed in store.adopt_renamed.items():
        what = {"grid": "grids", "community": "communities"}.get(layer.lower())
        hint = (pick("；可用 python main.py import {w} {p} {p} --layer {r} 把它导入 GridApp",
                     "; import it into GridApp with python main.py import {w} {p} {p} --layer {r}",
                     w=what, p=args.path, r=renamed) if what else "")
        print(pick("文件中的图层 {l} 与 GridApp 的数据表同名，已改名为 {r}（内容未改动）",
                   "The file's layer {l} has the name of a GridApp table; it was renamed to "
                   "{r} (its contents are unchanged)", l=layer, r=renamed) + hint)
    print(pick("已创建工作空间 {p}（{n}）", "Created workspace {p} ({n})", p=args.path, n=name))
    print(pick("米制坐标系将在导入第一批边界（街道、社区或网格）时按其所在的高斯-克吕格3度带确定",
               "The metric CRS is decided when the first boundaries (street, communities or "
               "grids) are imported: their Gauss-Krüger 3-degree zone"))
    return 0


def _as_of_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            pick("日期应写作 YYYY-MM-DD，例如 2026-11-30：{t}",
                 "a date is written YYYY-MM-DD, e.g. 2026-11-30: {t}", t=text)) from None


def cmd_demo(args: argparse.Namespace) -> int:
    from gridapp.cli.progress import TextProgress
    from gridapp.services.demo.street import DemoSpec, write_demo

    spec = DemoSpec(seed=args.seed, grids=args.grids, reports=args.reports, as_of=args.as_of)
    result = write_demo(args.path, spec, overwrite=args.overwrite, progress=TextProgress())
    print(pick("已生成演示街道 {p}：{g} 个网格，{r} 条上报，{h} 个热点",
               "Wrote the demo street {p}: {g} grids, {r} reports, {h} hot spots",
               p=args.path, g=result.grids, r=result.reports, h=len(result.hotspots)))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from gridapp.services.integrity import audit_head
    from gridapp.services.workspace import open_workspace, workspace_info

    with open_workspace(args.path, readonly=True) as store:
        info = workspace_info(store)
        ws, seq, head = audit_head(store)
    if args.json:
        print(json.dumps(info.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(pick("工作空间", "Workspace") + f": {info.path}")
    print(pick("街道", "Street") + f": {info.street or '-'}" + (pick(
        "（街道代码 {s}，区县代码 {d}）", " (street code {s}, district code {d})",
        s=info.street_code, d=info.district_code or "-") if info.street_code else ""))
    print(pick("文件大小", "File size") + f": {info.file_size / 1e6:.1f} MB")
    print(pick("数据结构版本", "Schema version") + f": {info.schema_version}")
    print(pick("坐标系", "CRS") + f": {info.crs}")
    print(pick("米制坐标系", "Metric CRS") + ": " + _metric_text(info))
    print(pick("现行网格", "Current grids") + f": {info.current_grids}; "
          + pick("未结案件", "open cases") + f": {info.open_cases}")
    if info.outside_edits:
        print(outside_edits_line(info.outside_edits))
    width = max(len(t) for t in info.counts)
    for table, n in info.counts.items():
        print(f"  {table:<{width}}  {n:>9,}")
    # The chain head, to write down or compare elsewhere (docs/security.md).
    print(pick("审计链头", "Audit chain head") + f": #{seq} {head} ({ws or '-'})")
    return 0


def outside_edits_line(n: int) -> str:
    """The ``info`` line for *n* pending outside edits (0: none to show)."""
    return pick("{n} 处修改是在 GridApp 之外做的——请运行 check",
                "{n} edits made outside GridApp — run check", n=n)


def _metric_text(info) -> str:  # type: ignore[no-untyped-def]
    """The metric CRS and how it was decided, in the UI language."""
    if not info.metric_crs:
        return pick("尚未确定（工作空间还没有边界；导入街道、社区或网格边界后按其所在的"
                    "高斯-克吕格3度带确定）",
                    "not decided yet (the workspace has no boundaries; importing street, "
                    "community or grid boundaries decides their Gauss-Krüger 3-degree zone)")
    how = {"setting": pick("已记录在工作空间中", "recorded in the workspace"),
           "boundaries": pick("按街道边界所在的带", "zone of the street's boundaries"),
           "data": pick("按现有数据所在的带（还没有边界）",
                        "zone of the data present (no boundaries yet)")}
    return pick("{c}（{h}）", "{c} ({h})", c=info.metric_crs, h=how.get(info.metric_source, ""))


def cmd_check(args: argparse.Namespace) -> int:
    from gridapp.cli.progress import TextProgress
    from gridapp.services.integrity import check_workspace
    from gridapp.services.workspace import open_workspace

    foreign_schema.resolve(args)
    outside_edits.resolve(args)
    with open_workspace(args.path, readonly=True) as store:
        problems = check_workspace(store, progress=TextProgress())
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        print(("✗ " if p.severity == "error" else "! ") + str(p))
    if errors:
        print(pick("发现 {n} 个问题", "{n} problems found", n=len(errors)))
        return 1
    print(pick("检查通过", "All checks passed"))
    return 0
