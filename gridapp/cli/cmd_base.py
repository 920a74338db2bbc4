"""Base data and patrol commands (issue 18).

``patrols import WORKSPACE FILE --manager STAFF_NO [--crs gcj02]``,
``patrols coverage WORKSPACE --date 2026-11-20 [--days 7] [--json]``,
``residents import WORKSPACE FILE [--dry-run]``, ``residents export WORKSPACE FILE
[--full]``, ``residents population WORKSPACE``,
``buildings import WORKSPACE FILE`` and ``buildings relink WORKSPACE``.
Like ``managers``, they log in as an existing user (``--as``, default ``admin``).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.cli.common import emit
from gridapp.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    pat = sub.add_parser("patrols", help="patrol tracks and coverage (巡查轨迹与覆盖率)")
    psub = pat.add_subparsers(dest="patrols_command", metavar="ACTION", required=True)
    p = psub.add_parser(
        "import", help="import a GPX/KML/KMZ/CSV/XLSX track for a manager (导入巡查轨迹)",
        description="Import every track segment of FILE for the manager with staff number "
                    "--manager; all segments or none. Phone apps often record GCJ-02: say "
                    "--crs gcj02 (or bd09). Importing the same file again writes nothing.")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("file", help=".gpx, .kml, .kmz, .csv or .xlsx")
    p.add_argument("--manager", required=True, metavar="STAFF_NO", help="the manager's 工号")
    p.add_argument("--crs", default="wgs84", choices=("wgs84", "cgcs2000", "gcj02", "bd09"))
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_login_args(p)
    p.set_defaults(handler=cmd_patrols_import)

    p = psub.add_parser("coverage", help="coverage of each grid by the day's tracks (覆盖率)",
                        description="One row per current grid: share of its area within "
                                    "30 m of the tracks started that day (Beijing), metres "
                                    "walked and minutes inside, places visited.")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--date", required=True, help="the day, YYYY-MM-DD (Beijing)")
    p.add_argument("--days", type=int, default=1, help="length of the period in days")
    p.add_argument("--distance", type=float, default=30.0, help="metres from the track")
    p.add_argument("--json", action="store_true", help="one object per grid, as JSON")
    add_login_args(p)
    p.set_defaults(handler=cmd_patrols_coverage)

    res = sub.add_parser("residents", help="residents (居民): import, export, population")
    rsub = res.add_subparsers(dest="residents_command", metavar="ACTION", required=True)
    p = rsub.add_parser(
        "import", help="import residents from an Excel/CSV 台账, all rows or none (导入居民)",
        description="Columns by name: 姓名, 身份证号码, 联系电话, 楼栋, 门牌, 人员类别, 备注 "
                    "(--map FIELD=COLUMN overrides). ID numbers are checked (GB 11643) and "
                    "duplicates found in the file and the workspace; every problem is listed "
                    "by row and nothing is written unless every row is good. ID numbers, "
                    "phones, names and notes are stored encrypted.")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("file", help=".xlsx or .csv file")
    p.add_argument("--sheet", help="Excel sheet name (default: the first)")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="name, id_number, phone, building, door, categories, notes")
    p.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    add_login_args(p)
    p.set_defaults(handler=cmd_residents_import)

    p = rsub.add_parser(
        "export", help="export residents to CSV/XLSX, masked unless --full (导出居民台账)",
        description="Names, ID numbers and phones are masked (张*, 520***********1234, "
                    "138****5678) and notes left out unless --full is given; --full needs "
                    "the right to see personal data (office, dispatcher, administrator) "
                    "and is recorded in the audit log (which rows, not their values).")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("file", help=".csv or .xlsx file to write")
    p.add_argument("--full", action="store_true",
                   help="include clear names, ID numbers, phones and notes (audited)")
    p.add_argument("--encoding", default="UTF-8", help="CSV encoding: UTF-8 (default) or GBK")
    add_login_args(p)
    p.set_defaults(handler=cmd_residents_export)

    p = rsub.add_parser("population", help="households and population per grid (户数人口)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_login_args(p)
    p.set_defaults(handler=cmd_residents_population)

    bld = sub.add_parser("buildings", help="buildings and places (楼栋与场所)")
    bsub = bld.add_subparsers(dest="buildings_command", metavar="ACTION", required=True)
    p = bsub.add_parser(
        "import", help="import buildings or places, all features or none (导入楼栋/场所)",
        description="GeoPackage, Shapefile (any encoding, GBK detected), GeoJSON, KML, "
                    "CSV/XLSX with WKT or 经度/纬度 columns. Fields by name (名称, 类型, 户数, "
                    "层数, 地址, 联系人, 联系电话). Problems are listed and written to "
                    "<file>.rejects.csv; nothing is imported unless every feature is good. "
                    "Each feature is linked to the grid and community holding it.")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("file", help="the file to import")
    p.add_argument("--kind", choices=("building", "place"), default="building")
    p.add_argument("--crs", choices=("auto", "gcj02", "bd09"), default="auto",
                   help="gcj02/bd09: convert these longitudes/latitudes")
    p.add_argument("--encoding", help="text encoding of the attributes (default: detected)")
    p.add_argument("--layer", help="layer of a multi-layer file")
    add_login_args(p)
    p.set_defaults(handler=cmd_buildings_import)

    p = bsub.add_parser("relink", help="link buildings and places to their current grids, "
                                       "keeping the history (重新关联网格)")
    p.add_argument("path", help="workspace .gpkg")
    add_login_args(p)
    p.set_defaults(handler=cmd_buildings_relink)


def cmd_patrols_import(args: argparse.Namespace) -> int:
    from gridapp.services.patrols.track_import import import_tracks

    with logged_in(args) as session:
        result = import_tracks(session, args.file, manager=args.manager, crs=args.crs)
    emit(args, asdict(result), [
        *result.notes,
        pick("已导入 {new} 条轨迹（共 {n} 段，{f} 条有被标记的异常点）",
             "Imported {new} tracks ({n} segments, {f} with flagged points)",
             new=result.new, n=len(result.ids), f=result.flagged)])
    return 0


def cmd_patrols_coverage(args: argparse.Namespace) -> int:
    from gridapp.services.patrols.coverage import grid_coverage

    with logged_in(args, readonly=True) as session:
        rows = grid_coverage(session, args.date, days=args.days, distance_m=args.distance)

    def text() -> None:
        print(pick("网格编码           覆盖率   步行(米)  网格内(分钟)  轨迹  到访场所",
                   "grid code          cover   walked_m  minutes_in  tracks  places"))
        for r in rows:
            print(f"{r.code:<18} {r.coverage:>6.1%} {r.walked_m:>9.0f} {r.minutes_inside:>11.1f}"
                  f" {r.tracks:>6}  {'、'.join(r.places_visited) or '-'}")

    emit(args, [asdict(r) for r in rows], text)
    return 0


def cmd_residents_import(args: argparse.Namespace) -> int:
    from gridapp.cli.cmd_managers import _mapping
    from gridapp.services.basedata import resident_import as ri

    with logged_in(args) as session:
        preview = ri.preview_resident_import(session, args.file, mapping=_mapping(args.map),
                                             sheet=args.sheet)
        print(pick("共 {n} 行，可导入 {ok} 行", "{n} rows, {ok} accepted",
                   n=len(preview.rows), ok=len(preview.accepted)))
        for problem in preview.problems:
            print("✗ " + problem.message)
        if not preview.ok:
            print(pick("未写入任何数据", "Nothing was written"))
            return 1
        if args.dry_run:
            print(pick("试运行：未写入", "Dry run: nothing written"))
            return 0
        n = ri.import_residents(session, preview)
    print(pick("已导入 {n} 名居民", "Imported {n} residents", n=n))
    return 0


def cmd_residents_export(args: argparse.Namespace) -> int:
    from gridapp.services.basedata.resident_export import export_residents

    with logged_in(args) as session:
        n = export_residents(session, args.file, full=args.full, encoding=args.encoding)
    text = pick("已导出 {n} 名居民（完整信息，已记入审计日志）",
                "Exported {n} residents (full values, recorded in the audit log)", n=n) \
        if args.full else pick("已导出 {n} 名居民（姓名、身份证号码、电话已脱敏）",
                               "Exported {n} residents (names, ID numbers and phones masked)",
                               n=n)
    emit(args, {"rows": n, "masked": not args.full, "file": args.file}, [text])
    return 0


def cmd_residents_population(args: argparse.Namespace) -> int:
    from gridapp.services.basedata.residents import grid_population

    with logged_in(args, readonly=True) as session:
        rows = grid_population(session)
    emit(args, [asdict(r) for r in rows],
         [f"{r.grid_id:>6} {r.households:>6} {pick('户', 'households')} {r.population:>6} "
          f"{pick('人', 'people')}" for r in rows])
    return 0


def cmd_buildings_relink(args: argparse.Namespace) -> int:
    from gridapp.services.basedata.links import relink_base_data

    with logged_in(args) as session:
        counts = relink_base_data(session)
    print(pick("已重新关联：楼栋 {b}，场所 {p}", "Relinked: {b} buildings, {p} places",
               b=counts["building"], p=counts["place"]))
    return 0


def cmd_buildings_import(args: argparse.Namespace) -> int:
    from gridapp.services.basedata.building_import import import_base_data

    options = {"coord_system": args.crs}
    if args.encoding:
        options["encoding"] = args.encoding
    if args.layer:
        options["layer"] = args.layer
    with logged_in(args) as session:
        n = import_base_data(session, args.file, args.kind, **options)
    print(pick("已导入 {n} 个要素并关联网格", "Imported {n} features, linked to grids", n=n))
    return 0
