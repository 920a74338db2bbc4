"""Export commands: ``export webmap`` (offline interactive web map) and ``export grids``
(GeoPackage, Shapefile with .cpg, GeoJSON, CSV, XLSX; ``--crs``).

Logs in (``--as USER``, default ``admin``; ``--password-stdin``) and needs a
role holding ``export.data``.

Examples::

    echo "$PASSWORD" | gridapp export webmap street.gpkg map.html --days 30 \
        --as lingdao --password-stdin
    echo "$PASSWORD" | gridapp export grids street.gpkg grids.geojson --password-stdin
"""

from __future__ import annotations

import argparse

from gridapp.cli.cmd_users import add_login_args, login_session
from gridapp.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export maps and data (导出)")
    what = p.add_subparsers(dest="export_what", metavar="WHAT")

    w = what.add_parser(
        "webmap", help="one offline HTML web map: grids, cases, heat map, tasks (网页地图)")
    w.add_argument("workspace")
    w.add_argument("out", metavar="OUT.html")
    w.add_argument("--days", type=int, default=90,
                   help="cases reported in the last N days (default 90)")
    w.add_argument("--community", metavar="CODE",
                   help="only this community (12-digit code or name)")
    w.add_argument("--tiles", metavar="URL",
                   help="online base map tile URL template, e.g. "
                        "https://tile.example.com/{z}/{x}/{y}.png (default: none, works offline)")
    w.add_argument("--tiles-attribution", default="", metavar="TEXT",
                   help="attribution the tile provider asks for")
    w.add_argument("--no-heat", action="store_true", help="leave out the heat map")
    w.add_argument("--title", help="map title (default: <place>网格分布与事件地图)")
    add_login_args(w)
    w.set_defaults(handler=cmd_export_webmap)

    g = what.add_parser(
        "grids", help="grids with every attribute, for QGIS or re-import (网格导出)")
    g.add_argument("workspace")
    g.add_argument("out", metavar="OUT", help="a .gpkg, .shp, .geojson, .csv or .xlsx file")
    g.add_argument("--crs", help="cgcs2000 (default), wgs84 or EPSG:nnnn")
    g.add_argument("--encoding", default="UTF-8", help="Shapefile/CSV: UTF-8 or GBK")
    g.add_argument("--history", action="store_true",
                   help="every version, closed ones with valid_to (default: current grids)")
    g.add_argument("--headers", choices=("en", "zh"), default="en",
                   help="field names: en (code, name, kind...) or zh (网格编码, 网格名称, 类型...)")
    add_login_args(g)
    g.set_defaults(handler=cmd_export_grids)
    p.set_defaults(handler=lambda args: (p.print_help(), 0)[1])


def cmd_export_webmap(args: argparse.Namespace) -> int:
    import sys

    from gridapp.cli.progress import TextProgress
    from gridapp.errors import ValidationError
    from gridapp.services.maps_out.webmap import WebMapOptions, export_webmap
    from gridapp.services.workspace import open_workspace

    if args.days <= 0:
        raise ValidationError("--days 应为正整数", "--days must be a positive number")
    options = WebMapOptions(days=args.days, community=args.community, tile_url=args.tiles,
                            tile_attribution=args.tiles_attribution, heat=not args.no_heat,
                            title=args.title)
    with open_workspace(args.workspace, readonly=True) as store:
        result = export_webmap(login_session(args, store), args.out, options,
                               progress=TextProgress(sys.stderr))
    print(pick("已导出网页地图 {p}：{g} 个网格，{r} 件事件，{t} 个联合执法任务（{s:.1f} MB，可离线打开）",
               "Wrote the web map {p}: {g} grids, {r} cases, {t} joint tasks "
               "({s:.1f} MB, works offline)",
               p=str(result.path), g=result.grids, r=result.reports, t=result.tasks,
               s=result.size_bytes / 1e6))
    return 0


def cmd_export_grids(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gridapp.services.export_files import file_format, write_frame
    from gridapp.services.grids.export import grid_export_frame
    from gridapp.services.workspace import open_workspace

    file_format(Path(args.out))  # refused before logging in
    with open_workspace(args.workspace, readonly=True) as store:
        frame = grid_export_frame(login_session(args, store), history=args.history,
                                  headers=args.headers)
    write_frame(frame, args.out, crs=args.crs, encoding=args.encoding, layer="grid")
    n = len(frame)
    print(pick("已导出 {n} 个网格到 {p}", "Wrote {n} grids to {p}", n=n, p=args.out))
    return 0
