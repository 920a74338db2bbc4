"""``export reports|cases WORKSPACE FILE``: GeoPackage, Shapefile, GeoJSON, CSV or XLSX.

The format follows the file's suffix (``.gpkg``, ``.shp``, ``.geojson``,
``.csv``, ``.xlsx``); ``--crs`` reprojects (default CGCS2000, EPSG:4490; CSV and
XLSX carry x/y columns in it).  ``reports`` is everything filed, ``cases`` only
what was registered as a case.  Rows are those the acting user may see; the
reporter's name and phone are left out unless ``--include-personal`` is asked
for by a role that may (then the export is logged).  A Shapefile gets a
``.cpg`` naming its encoding (``--encoding UTF-8`` default, or GBK).

Examples::

    gridapp export cases street.gpkg cases.xlsx --status 已派遣 --as zhihui
    gridapp export reports street.gpkg reports.shp --encoding GBK --crs EPSG:4545
"""

from __future__ import annotations

import argparse

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.cli.common import emit
from gridapp.i18n import pick


def extend(groups: dict[str, argparse._SubParsersAction]) -> None:
    for what, helptext in (("reports", "every filed report (上报导出)"),
                           ("cases", "registered cases only (案件导出)")):
        p = groups["export"].add_parser(what, help=helptext, description=__doc__,
                                        formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("workspace")
        p.add_argument("out", metavar="FILE", help=".gpkg, .shp, .geojson, .csv or .xlsx")
        p.add_argument("--crs", help="cgcs2000 (default), wgs84 or EPSG:nnnn")
        p.add_argument("--encoding", default="UTF-8", help="Shapefile/CSV: UTF-8 or GBK")
        p.add_argument("--status", action="append", default=[],
                       help="status or its label (repeatable)")
        p.add_argument("--since", help="reported on or after (local date)")
        p.add_argument("--until", help="reported up to (local date, inclusive)")
        p.add_argument("--include-personal", action="store_true",
                       help="include reporters' names and phones (roles that may; logged)")
        p.add_argument("--json", action="store_true")
        add_login_args(p)
        p.set_defaults(handler=cmd_export_cases, cases_only=what == "cases")


def cmd_export_cases(args: argparse.Namespace) -> int:
    from gridapp.cli.cmd_case_detail import labelled
    from gridapp.cli.cmd_tasks import parse_local
    from gridapp.domain.enums import CaseStatus
    from gridapp.services.cases.export import export_cases
    from gridapp.services.cases.query import CaseFilter

    flt = CaseFilter(statuses=tuple(labelled(CaseStatus, s, "状态", "status")
                                    for s in args.status),
                     date_from=parse_local(args.since),
                     date_to=parse_local(args.until, end_of_day=True))
    args.path = args.workspace
    with logged_in(args, readonly=not args.include_personal) as session:
        n = export_cases(session, args.out, cases_only=args.cases_only, flt=flt, crs=args.crs,
                         include_personal=args.include_personal, encoding=args.encoding)
    emit(args, {"path": args.out, "rows": n, "crs": args.crs or "EPSG:4490"},
         [pick("已导出 {n} 条到 {p}", "Wrote {n} rows to {p}", n=n, p=args.out)])
    return 0
