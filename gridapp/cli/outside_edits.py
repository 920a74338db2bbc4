"""``check --accept-outside-edits`` / ``--revert-outside-edits``: the administrator's answer.

Edits made in QGIS or sqlite3 are listed by ``check``; these options log in
(``--as``, default ``admin``; ``--password-stdin``) and accept them into
history and the audit log, or revert them, before the check runs::

    echo "$PASSWORD" | gridapp check street.gpkg --accept-outside-edits --password-stdin
    echo "$PASSWORD" | gridapp check street.gpkg --revert-outside-edits --ids 3,4 \\
        --password-stdin
"""

from __future__ import annotations

import argparse

from gridapp.i18n import pick


def add_args(p: argparse.ArgumentParser) -> None:
    from gridapp.cli.cmd_users import add_login_args

    what = p.add_mutually_exclusive_group()
    what.add_argument("--accept-outside-edits", action="store_true",
                      help="accept edits made outside GridApp into history and the audit "
                           "log (administrators; 接受外部修改)")
    what.add_argument("--revert-outside-edits", action="store_true",
                      help="revert edits made outside GridApp (administrators; 撤销外部修改)")
    p.add_argument("--ids", help="only these outside-edit records, e.g. 3,4 (default: all)")
    add_login_args(p)


def resolve(args: argparse.Namespace) -> None:
    """Accept or revert as asked (nothing when neither option is given)."""
    if not (args.accept_outside_edits or args.revert_outside_edits):
        return
    from gridapp.cli.cmd_users import logged_in
    from gridapp.errors import ValidationError
    from gridapp.services import outside_edits

    ids = None
    if args.ids:
        try:
            ids = [int(x) for x in args.ids.split(",") if x.strip()]
        except ValueError as exc:
            raise ValidationError("--ids 应为逗号分隔的记录号，例如 3,4",
                                  "--ids takes record numbers separated by commas, e.g. 3,4") from exc
    with logged_in(args) as session:
        if args.accept_outside_edits:
            n = outside_edits.accept_outside_edits(session, ids)
            print(pick("已接受 {n} 处外部修改（已写入历史和审计日志）",
                       "Accepted {n} outside edits into history and the audit log", n=n))
        else:
            n = outside_edits.revert_outside_edits(session, ids)
            print(pick("已撤销 {n} 处外部修改", "Reverted {n} outside edits", n=n))
