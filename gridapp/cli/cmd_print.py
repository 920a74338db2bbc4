"""Print commands: ``print poster`` and ``print atlas`` (PDF, PNG, JPEG).

Both log in (``--as USER``, default ``admin``; ``--password-stdin``) and need
a role holding ``print.maps``: the service reads what to print
(:mod:`gridapp.services.maps_out.printing`), then :mod:`gridapp.printing.jobs`
writes it.  Qt is imported only inside the handlers.

Examples::

    echo "$PASSWORD" | gridapp print poster street.gpkg --community 青云社区 \
        -o poster.pdf --as lingdao --password-stdin
"""

from __future__ import annotations

import argparse

from gridapp.cli.cmd_users import add_login_args, login_session
from gridapp.i18n import pick

PAPERS = ("A4", "A3", "A2", "A1", "A0")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("workspace")
    p.add_argument("--community", metavar="CODE|NAME",
                   help="community code (12 digits) or name (default: the street)")
    p.add_argument("--street", action="store_true", help="the whole street (全街道)")
    p.add_argument("--paper", type=str.upper, choices=PAPERS,
                   help="paper size (default: the template's)")
    p.add_argument("--orientation", choices=("portrait", "landscape"),
                   help="page orientation (default: the template's)")
    p.add_argument("--dpi", type=float, default=300.0, help="resolution (default 300)")
    p.add_argument("--template", metavar="FILE.toml",
                   help="layout template (default maps/poster.toml or maps/atlas.toml)")
    p.add_argument("-o", "--out", required=True, metavar="OUT",
                   help="output file, or with --all the folder for the files")
    p.add_argument("--all", dest="all_communities", action="store_true",
                   help="every community, one file each (<code>-<name>.<suffix>) in OUT")
    p.add_argument("--json", action="store_true")
    add_login_args(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print", help="print posters and atlases (打印出图)")
    what = p.add_subparsers(dest="print_what", metavar="WHAT")
    poster = what.add_parser("poster", help="notice-board grid poster (网格公示图)")
    _common(poster)
    poster.add_argument("--format", dest="fmt", choices=("pdf", "png", "jpeg", "jpg"),
                        help="output format (default: from the file suffix)")
    poster.set_defaults(handler=cmd_print_poster)
    atlas = what.add_parser("atlas", help="one PDF page per grid (网格图册)")
    _common(atlas)
    atlas.set_defaults(handler=cmd_print_atlas)
    p.set_defaults(handler=lambda args: (p.print_help(), 0)[1])


def _options(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from gridapp.services.maps_out.printing import PosterOptions

    return PosterOptions(community=args.community, street=args.street, paper=args.paper,
                         orientation=args.orientation, fmt=getattr(args, "fmt", None),
                         dpi=args.dpi, template=args.template)


def _print_report(result) -> None:  # type: ignore[no-untyped-def]
    import sys

    for line in result.notes:
        print(line, file=sys.stderr)


def _done(args: argparse.Namespace, result, line: str) -> None:  # type: ignore[no-untyped-def]
    from gridapp.cli.common import emit

    emit(args, {"files": [str(result.path)], "place": result.place,
                "pages": getattr(result, "pages", 1)}, [line])


def _each_community(args: argparse.Namespace, kind: str) -> int:
    """``--all``: one job per community, written as ``OUT/<code>-<name>.<suffix>``."""
    import sys
    from dataclasses import replace
    from pathlib import Path

    from gridapp.cli.common import emit
    from gridapp.cli.progress import TextProgress
    from gridapp.printing.jobs import write_atlas, write_poster
    from gridapp.services.maps_out.printing import atlas_job, communities, poster_job
    from gridapp.services.workspace import open_workspace

    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "pdf" if kind == "atlas" else (getattr(args, "fmt", None) or "pdf")
    suffix = "jpg" if suffix == "jpeg" else suffix
    make = atlas_job if kind == "atlas" else poster_job
    with open_workspace(args.workspace, readonly=True) as store:
        session = login_session(args, store)
        places = communities(session)
        jobs = [(f"{c['code']}-{c['name']}",
                 make(session, replace(_options(args), community=str(c["code"]))))
                for _, c in places.iterrows()]
    written = []
    progress = TextProgress(sys.stderr)
    for i, (name, job) in enumerate(jobs):
        progress(i, len(jobs), name)
        out = folder / f"{name}-{kind}.{suffix}"
        result = write_atlas(job, out) if kind == "atlas" else write_poster(job, out)
        _print_report(result)
        written.append(str(result.path))
    progress(len(jobs), len(jobs), "")
    emit(args, {"files": written}, [pick("已输出 {n} 个文件到 {p}", "Wrote {n} files to {p}",
                                        n=len(written), p=str(folder))] + written)
    return 0


def cmd_print_poster(args: argparse.Namespace) -> int:
    from gridapp.services.maps_out.printing import poster_job
    from gridapp.services.workspace import open_workspace

    if args.all_communities:
        return _each_community(args, "poster")
    with open_workspace(args.workspace, readonly=True) as store:
        job = poster_job(login_session(args, store), _options(args))
    from gridapp.printing.jobs import write_poster

    result = write_poster(job, args.out)
    _print_report(result)
    _done(args, result, pick("已输出 {place}网格分布图 {p}（{paper} {o}，{s:.1f} 秒）",
                             "Wrote the {place} grid poster {p} ({paper} {o}, {s:.1f} s)",
                             place=result.place, p=str(result.path), paper=result.paper,
                             o=result.orientation, s=result.seconds))
    return 0


def cmd_print_atlas(args: argparse.Namespace) -> int:
    import sys

    from gridapp.cli.progress import TextProgress
    from gridapp.services.maps_out.printing import atlas_job
    from gridapp.services.workspace import open_workspace

    if args.all_communities:
        return _each_community(args, "atlas")
    with open_workspace(args.workspace, readonly=True) as store:
        job = atlas_job(login_session(args, store), _options(args))
    from gridapp.printing.jobs import write_atlas

    result = write_atlas(job, args.out, progress=TextProgress(sys.stderr))
    _print_report(result)
    _done(args, result, pick("已输出 {place}网格图册 {p}：{n} 页（{s:.1f} 秒）",
                             "Wrote the {place} grid atlas {p}: {n} pages ({s:.1f} s)",
                             place=result.place, p=str(result.path), n=result.pages,
                             s=result.seconds))
    return 0
