"""Backups and the audit log: ``backup``, ``restore``, ``audit``.

``backup WORKSPACE DIR`` copies the workspace with SQLite's online backup API
(consistent while others write), checks the copy as ``check`` does and keeps
the last ``--keep`` copies (default 7).  ``restore COPY WORKSPACE`` checks the
copy, saves the file it replaces beside it and writes the copy over the
workspace; you log in with an administrator's account of the copy.  ``audit``
lists the audit log (``--since``, ``--user``, ``--table``) and ``--verify``
checks its hash chain (exit 1 when it is broken).

Examples::

    echo "$PASSWORD" | gridapp backup street.gpkg /srv/backups --keep 14 --password-stdin
    echo "$PASSWORD" | gridapp restore /srv/backups/street-20261125-020000.gpkg \\
        street.gpkg --password-stdin
    gridapp audit street.gpkg --since 2026-11-25 --user zhihui --json
    gridapp audit street.gpkg --verify
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.cli.common import EXIT_PROBLEMS, emit
from gridapp.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("backup", help="back up a workspace, keep the last N, verify (备份)",
                       description=__doc__, formatter_class=fmt)
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("folder", metavar="DIR", help="folder for the copies")
    p.add_argument("--keep", type=int, default=7, help="copies to keep (default 7)")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="write a backup copy over a workspace (还原)",
                       description=__doc__, formatter_class=fmt)
    p.add_argument("path", metavar="COPY", help="the backup copy (.gpkg)")
    p.add_argument("target", metavar="WORKSPACE", help="the workspace to restore")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("audit", help="the audit log; --verify checks its chain (审计日志)",
                       description=__doc__, formatter_class=fmt)
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--since", help="from this local date/time (2026-11-25 or 2026-11-25 09:30)")
    p.add_argument("--until", help="up to this local date (inclusive)")
    p.add_argument("--user", dest="actor", help="only this user's entries")
    p.add_argument("--table", help="only changes to this table")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--verify", action="store_true", help="check the hash chain")
    p.add_argument("--json", action="store_true")
    add_login_args(p)
    p.set_defaults(handler=cmd_audit)


def _problem(p: Any) -> dict[str, Any]:
    return {"check": p.check, "severity": p.severity, "message": p.message,
            "table": p.table, "row_id": p.row_id}


def cmd_backup(args: argparse.Namespace) -> int:
    from gridapp.cli.progress import TextProgress
    from gridapp.services.backup import backup_workspace

    with logged_in(args, readonly=True) as session:
        res = backup_workspace(session, args.folder, keep=args.keep,
                               progress=TextProgress(sys.stderr))
    data = {"path": str(res.path), "size_bytes": res.size_bytes, "verified": res.ok,
            "problems": [_problem(p) for p in res.problems],
            "removed": [str(p) for p in res.removed]}

    def text() -> None:
        for p in res.problems:
            print(("✗ " if p.severity == "error" else "! ") + str(p))
        print(pick("已备份到 {p}（{s:.1f} MB），{v}；删除旧备份 {n} 份",
                   "Backed up to {p} ({s:.1f} MB), {v}; removed {n} old copies",
                   p=str(res.path), s=res.size_bytes / 1e6, n=len(res.removed),
                   v=pick("检查通过", "check passed") if res.ok else pick("检查未通过",
                                                                      "CHECK FAILED")))

    emit(args, data, text)
    return 0 if res.ok else EXIT_PROBLEMS


def cmd_restore(args: argparse.Namespace) -> int:
    from gridapp.services.backup import restore_workspace

    with logged_in(args, readonly=True) as session:
        res = restore_workspace(session, args.target)
    data = {"target": str(res.target),
            "saved_previous": str(res.saved_previous) if res.saved_previous else None,
            "problems": [_problem(p) for p in res.problems]}
    lines = [pick("已还原 {t}（原文件另存为 {s}）", "Restored {t} (the replaced file is kept as {s})",
                  t=str(res.target), s=str(res.saved_previous or "-"))]
    emit(args, data, lines)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from gridapp.cli.cmd_tasks import parse_local
    from gridapp.services.people.audit_view import query_audit, verify_chain

    with logged_in(args, readonly=True) as session:
        if args.verify:
            found = verify_chain(session)
            problems = [p for p in found if getattr(p, "severity", "error") == "error"]
            data: Any = {"ok": not problems, "problems": [
                {"entry": getattr(p, "seq", None), "message": str(p),
                 "severity": getattr(p, "severity", "error")} for p in found]}
            emit(args, data, [str(p) for p in found] or [pick("审计链完整", "The audit "
                                                                  "chain is intact")])
            return EXIT_PROBLEMS if problems else 0
        entries = query_audit(session, actor=args.actor, table=args.table,
                              since=parse_local(args.since),
                              until=parse_local(args.until, end_of_day=True),
                              limit=args.limit)
    rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v)
             for k, v in vars(e).items()} for e in entries]

    def text() -> None:
        for r in rows:
            print(f"{r.get('id'):>6} {r.get('at')} {r.get('actor') or '-':<10} "
                  f"{r.get('action'):<18} {r.get('table') or ''}#{r.get('row_id') or ''}")

    emit(args, rows, text)
    return 0
