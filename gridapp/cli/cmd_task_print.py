"""``tasks print-order`` and ``tasks print-escalation``: a joint task's one-page
联合执法任务单 or its 督办单 as an A4 PDF.

The ``tasks`` command group belongs to :mod:`gridapp.cli.cmd_tasks`; these
commands join it in the CLI's second pass (:func:`extend`).  The service
checks the role and prepares the page (:mod:`gridapp.services.joint.task_print`);
:mod:`gridapp.printing.jobs` draws it (Qt is imported only then).  Both log in
(``--as USER``, default ``admin``; ``--password-stdin``): the order needs
``task.respond``, the 督办单 ``task.manage``.
"""

from __future__ import annotations

import argparse
from typing import Any

from gridapp.cli.cmd_users import add_login_args, login_session
from gridapp.i18n import pick

GROUP = "tasks"


def _add_actions(actions: Any) -> None:
    p = actions.add_parser("print-order", help="print the task order as a one-page PDF "
                                               "(打印联合执法任务单)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("task_id", type=int, help="task id (tasks list)")
    p.add_argument("-o", "--output", required=True, help="output .pdf")
    add_login_args(p)
    p.set_defaults(handler=cmd_print_order)
    p = actions.add_parser("print-escalation", help="print the task's 督办单 as a PDF "
                                                    "(打印督办单)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("task_id", type=int)
    p.add_argument("-o", "--output", required=True, help="output .pdf")
    add_login_args(p)
    p.set_defaults(handler=cmd_print_escalation)


def register(sub: argparse._SubParsersAction) -> None:
    """Nothing of its own: the commands join the ``tasks`` group in :func:`extend`."""


def extend(groups: dict[str, Any]) -> None:
    _add_actions(groups[GROUP])


def _store(path: str) -> Any:
    from gridapp.services.workspace import open_workspace

    return open_workspace(path)


def cmd_print_order(args: argparse.Namespace) -> int:
    from gridapp.printing.jobs import pdf_target, write_task_order
    from gridapp.services.joint.task_print import task_order_print

    target = pdf_target(args.output)  # refused before anything is read
    with _store(args.path) as store:
        job = task_order_print(login_session(args, store), args.task_id)
    out = write_task_order(job, target)
    print(pick(f"已输出联合执法任务单：{out}", f"Task order written: {out}"))
    return 0


def cmd_print_escalation(args: argparse.Namespace) -> int:
    from gridapp.printing.jobs import pdf_target, write_escalation
    from gridapp.services.joint.task_print import escalation_print

    target = pdf_target(args.output)  # refused before anything is read
    with _store(args.path) as store:
        job = escalation_print(login_session(args, store), args.task_id)
    out = write_escalation(job, target)
    print(pick(f"已输出督办单：{out}", f"Escalation notice written: {out}"))
    return 0
