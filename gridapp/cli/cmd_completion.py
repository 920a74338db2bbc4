"""Shell completion and the command reference, both generated from the parser.

``gridapp completion bash|zsh`` prints a completion script (made by shtab from
the same argparse parser the commands run with, so it never lists a command or
option that does not exist)::

    gridapp completion bash > ~/.local/share/bash-completion/completions/gridapp
    gridapp completion zsh > "${fpath[1]}/_gridapp"

``docs/cli.md`` is :func:`reference` written out
(``python -m gridapp.cli.cmd_completion > docs/cli.md``); a test fails when it
differs from the parser.
"""

from __future__ import annotations

import argparse
import sys

SHELLS = ("bash", "zsh")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("completion", help="print a shell completion script (命令补全)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("shell", choices=SHELLS)
    p.set_defaults(handler=cmd_completion)


def cmd_completion(args: argparse.Namespace) -> int:
    import shtab

    from gridapp.cli import build_parser

    print(shtab.complete(build_parser(), shell=args.shell))
    return 0


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...]):  # type: ignore[no-untyped-def]
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for name, child in action.choices.items():
                if id(child) not in seen:
                    seen.add(id(child))
                    yield from _walk(child, (*path, name))


def reference() -> str:
    """The man-page-like reference: every command's ``--help``, in order."""
    import os

    from gridapp.cli import build_parser

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: fix it for the file
    try:
        parser = build_parser()
        parts = ["# GridApp command line reference", "",
                 "Generated from the parser: `python -m gridapp.cli.cmd_completion > docs/cli.md`"
                 " (a test checks it is current). Shell completion: `gridapp completion bash`"
                 " or `zsh`.", ""]
        for path, p in _walk(parser, ()):
            title = " ".join(("gridapp", *path))
            parts += [f"## {title}", "", "```text", p.format_help().rstrip(), "```", ""]
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(reference())
