"""The district server: ``publish``, ``checkout`` and ``checkin`` (issue 16).

``publish`` copies a street's workspace file onto a PostgreSQL/PostGIS server
(one schema per street); ``checkout`` writes an offline copy of one street for
a laptop; ``checkin`` brings its edits back, all or nothing.  A row edited
both offline and on the server since the checkout is a conflict: both
versions are listed side by side, nothing is applied, and the exit code is 1.
Checking in the same file twice changes nothing the second time.

The address is a libpq URL; keep passwords out of it (and out of shell
history) with a ``~/.pgpass`` file or ``PGPASSWORD``/``PGSERVICE``.

Examples::

    gridapp publish street.gpkg --db postgresql://admin@server/district
    gridapp checkout --db postgresql://zhang@server/district --street 520102003 \\
        -o field.gpkg --as manager1
    gridapp checkin field.gpkg --db postgresql://zhang@server/district --as manager1
"""

from __future__ import annotations

import argparse
import json

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("publish", help="copy a street's workspace onto the district server (发布到区服务器)",
                       description=__doc__, formatter_class=fmt)
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--db", required=True, metavar="URL", help="postgresql://user@host/database")
    p.add_argument("--street", help="street code on the server (默认：工作空间的街道代码)")
    p.add_argument("--replace", action="store_true", help="overwrite the street on the server")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_login_args(p)
    p.set_defaults(handler=cmd_publish)

    p = sub.add_parser("checkout", help="offline copy of one street for a laptop (签出离线副本)",
                       description=__doc__, formatter_class=fmt)
    p.add_argument("--db", required=True, metavar="URL")
    p.add_argument("--street", required=True, help="street code")
    p.add_argument("-o", "--output", required=True, help="new .gpkg file")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_login_args(p)
    p.set_defaults(handler=cmd_checkout)

    p = sub.add_parser("checkin", help="bring an offline copy's edits back (签入)",
                       description=__doc__, formatter_class=fmt)
    p.add_argument("path", help="the offline copy (.gpkg)")
    p.add_argument("--db", required=True, metavar="URL")
    p.add_argument("--json", action="store_true",
                   help="print the result (and any conflicts) as JSON")
    add_login_args(p)
    p.set_defaults(handler=cmd_checkin)


def _street_url(url: str, street: str) -> str:
    return url + ("&" if "?" in url else "?") + f"street={street}"


def cmd_publish(args: argparse.Namespace) -> int:
    from gridapp.services.sync.district import publish

    with logged_in(args, readonly=True) as session:
        counts = publish(session, args.db, args.street, replace=args.replace)
    total = sum(counts.values())
    if args.json:
        print(json.dumps({"rows": counts, "total": total}, ensure_ascii=False))
    else:
        print(pick("已发布 {n} 行到服务器", "Published {n} rows to the server", n=total))
    return 0


def cmd_checkout(args: argparse.Namespace) -> int:
    from gridapp.services.sync.district import checkout

    args.path = _street_url(args.db, args.street)
    with logged_in(args, readonly=True) as session:
        counts = checkout(session, args.output)
    if args.json:
        print(json.dumps({"file": args.output, "rows": counts}, ensure_ascii=False))
    else:
        print(pick("已签出街道 {s}（{n} 行）到 {f}", "Checked out street {s} ({n} rows) to {f}",
                   s=args.street, n=sum(counts.values()), f=args.output))
    return 0


def _show(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def cmd_checkin(args: argparse.Namespace) -> int:
    from gridapp.services.sync.district import checkin, copy_origin

    field_copy = args.path
    args.path = _street_url(args.db, copy_origin(field_copy)["street"])
    with logged_in(args) as session:
        outcome = checkin(session, field_copy)
    if args.json:
        print(json.dumps({
            "ok": outcome.ok, "noop": outcome.noop, "applied": outcome.applied,
            "conflicts": [{"table": c.table, "id": c.row_id, "columns": c.columns,
                           "offline": {k: _show(v) for k, v in (c.offline or {}).items()
                                       if k in c.columns} if c.offline else None,
                           "server": {k: _show(v) for k, v in (c.online or {}).items()
                                      if k in c.columns} if c.online else None}
                          for c in outcome.conflicts]}, ensure_ascii=False))
        return 0 if outcome.ok else 1
    if outcome.noop:
        print(pick("此副本已签入过，没有新的修改", "This copy was already checked in; nothing new"))
        return 0
    if outcome.conflicts:
        print(pick("签入未进行：{n} 行在离线副本和服务器上都被修改过（两边的版本都保留未动）",
                   "Nothing checked in: {n} rows were changed both offline and on the server "
                   "(both versions are kept as they are)", n=len(outcome.conflicts)))
        for c in outcome.conflicts:
            print(f"\n{c.table} id={c.row_id}")
            print(f"  {pick('字段', 'column'):<20} {pick('离线副本', 'offline copy'):<32} "
                  f"{pick('服务器', 'server')}")
            for col in c.columns:
                off = pick("（已删除）", "(deleted)") if c.offline is None else _show(c.offline.get(col))
                on = pick("（已删除）", "(deleted)") if c.online is None else _show(c.online.get(col))
                print(f"  {col:<20} {off:<32} {on}")
        return 1
    print(pick("已签入 {n} 处修改", "Checked in {n} changes", n=sum(outcome.applied.values())))
    return 0
