"""Headless commands: ``python main.py <command>`` or ``gridapp <command>``.

Each module ``gridapp/cli/cmd_<group>.py`` defines ``register(subparsers)``
adding its commands, and optionally ``extend(groups)`` to add sub-commands to a
group another module registered; every command's handler returns an exit code.  The CLI
imports no Qt.  :mod:`gridapp.cli.common` gives every command ``--json``, ``--progress``
and ``--quiet`` and turns errors, closed pipes and Ctrl+C into exit codes.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from collections.abc import Sequence

from gridapp import __version__, i18n


def build_parser() -> argparse.ArgumentParser:
    from gridapp.cli.common import exit_codes_text

    parser = argparse.ArgumentParser(
        prog="gridapp",
        description="GridApp 网格化管理桌面 GIS — headless commands (无界面命令)",
        epilog=exit_codes_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"GridApp {__version__}")
    parser.add_argument("--lang", choices=("zh", "en"), help="message language (默认 zh)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [importlib.import_module(f"{__name__}.{info.name}")
               for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
               if info.name.startswith("cmd_")]
    for module in modules:
        if hasattr(module, "register"):  # a module may only extend others' groups
            module.register(sub)
    # Second pass: a module may add sub-commands to another module's group
    # (``extend(groups)``, groups = {"tasks": its sub-parsers action, ...}).
    groups = {name: _subcommands(p) for name, p in sub.choices.items()}
    for module in modules:
        if hasattr(module, "extend"):
            module.extend({k: v for k, v in groups.items() if v is not None})
    from gridapp.cli.common import add_common_flags

    add_common_flags(parser)  # --json, --progress, --quiet on every command
    return parser


def _subcommands(parser: argparse.ArgumentParser):
    for action in parser._actions:  # argparse keeps a group's sub-commands here
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Parse and run one command; the shared behaviour (exit codes, no tracebacks,
    ``--json``, closed pipes, Ctrl+C) is :func:`gridapp.cli.common.run_handler`'s."""
    from gridapp.cli import common, progress

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    progress.set_mode(getattr(args, "progress_mode", None))
    from gridapp.services.workspace import on_lock_wait

    on_lock_wait(common.print_lock_wait)  # a write waiting for a lock says so
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    return common.run_handler(args.handler, args)
