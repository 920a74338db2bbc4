"""``tasks print-order`` and ``tasks print-escalation``: a joint task's one-page
联合执法任务单 or its 督办单 as an A4 PDF.

The ``tasks`` command group belongs to :mod:`gridapp.cli.cmd_tasks`, which the
CLI registers after this module (modules load in name order).  So
:func:`register` adds its actions when that group's sub-commands are created,
or at once when the group already exists.  Qt is imported only when a page is
actually drawn (inside :mod:`gridapp.services.task_print`).
"""

from __future__ import annotations

import argparse
from typing import Any

from gridapp.i18n import pick

GROUP = "tasks"


def _add_actions(actions: Any) -> None:
    p = actions.add_parser("print-order", help="print the task order as a one-page PDF "
                                               "(打印联合执法任务单)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("task_id", type=int, help="task id (tasks list)")
    p.add_argument("-o", "--output", required=True, help="output .pdf")
    p.set_defaults(handler=cmd_print_order)
    p = actions.add_parser("print-escalation", help="print the task's 督办单 as a PDF "
                                                    "(打印督办单)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("task_id", type=int)
    p.add_argument("-o", "--output", required=True, help="output .pdf")
    p.set_defaults(handler=cmd_print_escalation)


def _group_actions(parser: argparse.ArgumentParser) -> Any:
    for action in parser._actions:  # noqa: SLF001 - argparse keeps sub-commands here
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return action
    return None


def register(sub: argparse._SubParsersAction) -> None:
    existing = sub.choices.get(GROUP)
    if existing is not None and _group_actions(existing) is not None:
        _add_actions(_group_actions(existing))
        return
    add_parser = sub.add_parser

    def add_group_parser(name: str, **kw: Any) -> argparse.ArgumentParser:
        parser = add_parser(name, **kw)
        if name != GROUP:
            return parser
        del sub.add_parser  # back to the class's method
        add_subparsers = parser.add_subparsers

        def add_actions(**skw: Any) -> Any:
            actions = add_subparsers(**skw)
            del parser.add_subparsers
            _add_actions(actions)
            return actions

        parser.add_subparsers = add_actions  # type: ignore[method-assign]
        return parser

    sub.add_parser = add_group_parser  # type: ignore[method-assign]


def _store(path: str) -> Any:
    from gridapp.storage import open_store

    return open_store(path)


def cmd_print_order(args: argparse.Namespace) -> int:
    from gridapp.services.task_print import print_task_order

    with _store(args.path) as store:
        out = print_task_order(store, args.task_id, args.output)
    print(pick(f"已输出联合执法任务单：{out}", f"Task order written: {out}"))
    return 0


def cmd_print_escalation(args: argparse.Namespace) -> int:
    from gridapp.services.task_print import print_escalation

    with _store(args.path) as store:
        out = print_escalation(store, args.task_id, args.output)
    print(pick(f"已输出督办单：{out}", f"Escalation notice written: {out}"))
    return 0
