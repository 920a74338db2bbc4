"""GridApp launcher: ``python main.py`` opens the window, ``python main.py CMD`` runs a command.

Qt is imported only when the window is started, so headless commands run
without PySide6.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from gridapp.launcher import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
