"""Behaviour every command shares, applied by :func:`gridapp.cli.main` to all of them.

* Exit codes (:data:`EXIT_CODES`): 0 done, 1 problems found or refused, 2 bad
  input, 3 the workspace is locked or busy, 130 interrupted (Ctrl+C), 141 the
  reader of standard output went away (``| head``), 70 an internal error.
* No traceback reaches the user: GridApp's errors, a password asked for with
  no terminal and nothing on standard input, a closed pipe, Ctrl+C, a locked
  database and file-system errors each end with one clear line on stderr.
* ``--json`` on every command: commands that print JSON themselves get the
  flag as before; for the others the lines they print are wrapped into one
  JSON object ``{"ok", "exit_code", "output"}``; an error in JSON mode also
  prints ``{"ok": false, "exit_code", "error", "error_type"}`` on stdout so a
  script always reads one JSON document.
* ``--progress`` / ``--quiet``: progress on stderr always / never (default:
  only when stderr is a terminal).

Modules adding commands need nothing from here: :func:`add_common_flags`
walks the finished parser and gives every leaf command the flags it lacks.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gridapp.i18n import pick

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2
EXIT_BUSY = 3
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_PIPE = 141

EXIT_CODES = (
    (EXIT_OK, "完成", "done"),
    (EXIT_PROBLEMS, "发现问题或被拒绝（check 发现问题、批量流转有被拒绝的案件、角色无权执行）",
     "problems found or refused (check found problems, some cases refused, the role "
     "may not do this)"),
    (EXIT_BAD_INPUT, "输入有误或登录失败，未做任何更改",
     "bad input or login failed; nothing was changed"),
    (EXIT_BUSY, "工作空间被占用（数据库已锁定），稍后重试是安全的",
     "the workspace is locked or busy; retrying later is safe"),
    (EXIT_INTERNAL, "内部错误（程序缺陷；设 GRIDAPP_DEBUG=1 可看到详细信息）",
     "internal error (a bug; GRIDAPP_DEBUG=1 shows the traceback)"),
    (EXIT_INTERRUPTED, "被中断（Ctrl+C），未写入半截数据", "interrupted (Ctrl+C); nothing half-written"),
    (EXIT_PIPE, "输出管道被关闭（如 | head）", "the output pipe was closed (e.g. | head)"),
)


def exit_codes_text() -> str:
    """The exit codes as the ``--help`` epilogue shows them (both languages)."""
    lines = ["exit codes (退出码):"]
    lines += [f"  {code:>3}  {en} ({zh})" for code, zh, en in EXIT_CODES]
    return "\n".join(lines)


# -- flags every leaf command gets ------------------------------------------------------


def leaf_parsers(parser: argparse.ArgumentParser,
                 path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                               argparse.ArgumentParser]]:
    """Every command parser under ``parser`` (the ones without sub-commands), with its path."""
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    if sub is None:
        yield path, parser
        return
    seen: set[int] = set()
    for name, child in sub.choices.items():
        if id(child) in seen:  # aliases
            continue
        seen.add(id(child))
        yield from leaf_parsers(child, (*path, name))


def _has_option(parser: argparse.ArgumentParser, option: str) -> bool:
    return option in parser._option_string_actions


def add_common_flags(parser: argparse.ArgumentParser) -> None:
    """``--json``, ``--progress`` and ``--quiet`` on the top parser and on every leaf.

    The leaf flags default to ``SUPPRESS`` so a flag given before the command
    (``gridapp --json tasks list ...``) is not overwritten by the leaf's default.
    """
    parser.add_argument("--json", dest="json_global", action="store_true",
                        help="print results as JSON (every command)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--progress", dest="progress_mode", action="store_const",
                      const="always", help="progress on stderr even without a terminal")
    mode.add_argument("--quiet", "-q", dest="progress_mode", action="store_const",
                      const="never", help="no progress messages")
    for _path, leaf in leaf_parsers(parser):
        if leaf is parser:
            continue
        if not _has_option(leaf, "--json"):
            leaf.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                              help="print the result as JSON")
            leaf.set_defaults(json_wrapped=True)
        if not _has_option(leaf, "--progress") and not _has_option(leaf, "--quiet"):
            group = leaf.add_mutually_exclusive_group()
            group.add_argument("--progress", dest="progress_mode", action="store_const",
                               const="always", default=argparse.SUPPRESS,
                               help="progress on stderr even without a terminal")
            group.add_argument("--quiet", dest="progress_mode", action="store_const",
                               const="never", default=argparse.SUPPRESS,
                               help="no progress messages")


# -- the lock ------------------------------------------------------------------------------


def lock_holders(path: str | os.PathLike | None) -> list[str]:
    """Other processes that have the workspace open (Linux /proc), as ``pid command``."""
    if not path:
        return []
    try:
        target = Path(path).resolve()
    except OSError:
        return []
    names = {str(target), str(target) + "-wal", str(target) + "-journal"}
    found: list[str] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    me = os.getpid()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            links = {os.readlink(fd) for fd in (entry / "fd").iterdir()}
        except OSError:  # gone, or not ours to read
            continue
        if links & names:
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                    "utf-8", "replace").strip()
            except OSError:
                cmd = "?"
            found.append(f"{entry.name} {cmd[:80]}")
    return found


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in text or "busy" in text)


def _holders_text(path: str | None) -> str:
    holders = lock_holders(path)
    return (pick("占用者：", "held by: ") + "; ".join(holders)) if holders else pick(
        "占用者未知", "holder unknown")


_told_wait: dict[str, float] = {}


def print_lock_wait(path: object, waited: float) -> None:
    """While a write waits for another program's lock: say so on stderr (at 0, 5, 10 s)."""
    key = str(path)
    last = _told_wait.get(key)
    if last is not None and waited - last < 5 and waited >= last:
        return
    _told_wait[key] = waited
    print(pick("正在等待另一个程序写完工作空间（已等 {s:.0f} 秒，{who}）…",
               "Waiting for another program to finish writing the workspace "
               "({s:.0f} s so far, {who})…", s=waited, who=_holders_text(key)),
          file=sys.stderr, flush=True)


def busy_message(path: str | None) -> str:
    who = _holders_text(path)
    return pick("工作空间正被另一个程序写入（数据库已锁定，{who}）；未做任何更改，稍后重试是安全的",
                "The workspace is being written by another program (database is locked, "
                "{who}); nothing was changed and retrying later is safe", who=who)


# -- running a handler ---------------------------------------------------------------------


def _workspace_of(args: argparse.Namespace) -> str | None:
    for name in ("path", "workspace"):
        value = getattr(args, name, None)
        if isinstance(value, str):
            return value
    return None


def _stdout_gone() -> None:
    """After a closed pipe: send what is left to /dev/null so exit does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _error_json(code: int, message: str, kind: str) -> None:
    print(json.dumps({"ok": False, "exit_code": code, "error": message, "error_type": kind},
                     ensure_ascii=False))


@contextmanager
def _captured(active: bool) -> Iterator[io.StringIO]:
    buf = io.StringIO()
    if not active:
        yield buf
        return
    real = sys.stdout
    sys.stdout = buf
    try:
        yield buf
    finally:
        sys.stdout = real


def run_handler(handler: Callable[[argparse.Namespace], Any], args: argparse.Namespace) -> int:
    """Run one command's handler with the shared behaviour; returns the exit code."""
    from gridapp.errors import GridAppError

    want_json = bool(getattr(args, "json", False) or getattr(args, "json_global", False))
    if want_json and not getattr(args, "json_wrapped", False):
        args.json = True  # the command prints JSON itself
    wrap = want_json and bool(getattr(args, "json_wrapped", False))
    if wrap:
        args.json = False  # the command prints text; its lines are wrapped below
    code: int
    message = ""
    kind = ""
    try:
        with _captured(wrap) as buf:
            try:
                code = int(handler(args) or 0)
            finally:
                lines = buf.getvalue().splitlines()
        if wrap:
            print(json.dumps({"ok": code == 0, "exit_code": code, "output": lines},
                             ensure_ascii=False, indent=1))
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _stdout_gone()
        return EXIT_PIPE
    except KeyboardInterrupt:
        code, message, kind = EXIT_INTERRUPTED, pick(
            "已中断：未写入半截数据", "Interrupted: nothing was half-written"), "Interrupted"
    except EOFError:
        code, kind = EXIT_BAD_INPUT, "EOFError"
        message = pick("没有终端可以输入密码，标准输入也已结束；请在终端中运行，"
                       "或用 --password-stdin 从标准输入提供密码",
                       "No terminal to ask for a password and standard input is at its end; "
                       "run it in a terminal or give the password on standard input with "
                       "--password-stdin")
    except GridAppError as exc:
        from gridapp.errors import PermissionDenied, WorkspaceBusyError

        kind = type(exc).__name__
        if isinstance(exc, WorkspaceBusyError):
            code = EXIT_BUSY
            message = pick("错误：", "Error: ") + str(exc) + "（" + _holders_text(
                _workspace_of(args)) + "）"
        else:
            code = EXIT_PROBLEMS if isinstance(exc, PermissionDenied) else EXIT_BAD_INPUT
            message = pick("错误：", "Error: ") + str(exc)
    except sqlite3.OperationalError as exc:
        if not _is_lock_error(exc):
            return _internal(exc, want_json)
        code, kind = EXIT_BUSY, "WorkspaceBusy"
        message = pick("错误：", "Error: ") + busy_message(_workspace_of(args))
    except OSError as exc:  # a file the user named: missing, not allowed, disk
        code, kind = EXIT_BAD_INPUT, type(exc).__name__
        where = exc.filename or ""
        message = pick("无法访问文件 {f}：{e}", "Cannot use the file {f}: {e}",
                       f=where, e=exc.strerror or exc)
    except Exception as exc:  # noqa: BLE001 — the last line of defence against tracebacks
        return _internal(exc, want_json)
    _report(message, code, kind, want_json)
    return code


def _report(message: str, code: int, kind: str, want_json: bool) -> None:
    try:
        print(message, file=sys.stderr)
        if want_json:
            _error_json(code, message, kind)
            sys.stdout.flush()
    except BrokenPipeError:
        _stdout_gone()


def _internal(exc: BaseException, want_json: bool) -> int:
    if os.environ.get("GRIDAPP_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    message = pick("内部错误（{t}: {e}）；这是程序缺陷，请报告。设 GRIDAPP_DEBUG=1 可看到详细信息",
                   "Internal error ({t}: {e}); this is a bug, please report it. "
                   "GRIDAPP_DEBUG=1 shows the traceback", t=type(exc).__name__, e=exc)
    _report(message, EXIT_INTERNAL, type(exc).__name__, want_json)
    return EXIT_INTERNAL


def emit(args: argparse.Namespace, data: Any, text: Callable[[], None] | list[str]) -> None:
    """Print ``data`` as JSON when ``--json`` is on, else the text (lines or a printer)."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=1, default=str))
        return
    if callable(text):
        text()
    else:
        for line in text:
            print(line)
