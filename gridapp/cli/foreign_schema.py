"""``check --remove-foreign-schema`` / ``--accept-foreign-schema``.

Triggers and views that GridApp did not create block every change (they
would run with the rights of whoever saves).  An administrator logs in
(``--as``, ``--password-stdin``, shared with the outside-edit options) and
removes them, or accepts them on this computer::

    echo "$PASSWORD" | gridapp check street.gpkg --remove-foreign-schema --password-stdin
"""

from __future__ import annotations

import argparse

from gridapp.i18n import pick


def add_args(p: argparse.ArgumentParser) -> None:
    what = p.add_mutually_exclusive_group()
    what.add_argument("--remove-foreign-schema", action="store_true",
                      help="drop triggers and views GridApp did not create (administrators; "
                           "删除外来触发器和视图)")
    what.add_argument("--accept-foreign-schema", action="store_true",
                      help="accept them on this computer, by the hash of their SQL "
                           "(administrators; 接受外来触发器和视图)")
    p.add_argument("--import-key", metavar="KEYFILE",
                   help="add the audit key file copied from the computer that wrote the "
                        "workspace, so check can verify its entries (导入审计密钥)")


def resolve(args: argparse.Namespace) -> None:
    """Import a key, remove or accept as asked (nothing when no option is given)."""
    if args.import_key:
        from gridapp.services import integrity
        from gridapp.services.workspace import open_workspace

        with open_workspace(args.path, readonly=True) as store:
            ids = integrity.import_audit_key(store, args.import_key)
        print(pick("已导入审计密钥 {ids}", "Imported audit keys {ids}", ids=", ".join(ids)))
    if not (args.remove_foreign_schema or args.accept_foreign_schema):
        return
    from gridapp.cli.cmd_users import logged_in
    from gridapp.services import integrity

    with logged_in(args) as session:
        if args.remove_foreign_schema:
            names = integrity.remove_foreign_schema(session)
            print(pick("已删除 {n} 个外来触发器/视图：{names}",
                       "Removed {n} foreign triggers/views: {names}",
                       n=len(names), names=", ".join(names) or "-"))
        else:
            names = integrity.accept_foreign_schema(session)
            print(pick("已在本机接受 {n} 个外来触发器/视图：{names}",
                       "Accepted {n} foreign triggers/views on this computer: {names}",
                       n=len(names), names=", ".join(names) or "-"))
