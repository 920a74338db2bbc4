"""Run by tests/qt/test_fit_screen.py under a configured offscreen screen.

``python fit_probe.py DEMO.gpkg TMPDIR ROLE...`` opens the demo street as each
role in the window, maximised, and prints one JSON line: per role the screen,
frame and minimum size and the docks squeezed below their minimum.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path


def main() -> int:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    font = QFont("Noto Sans CJK SC")  # as gridapp.qt.app sets it
    font.setPointSize(10)
    app.setFont(font)
    from gridapp.qt.app import direct_login
    from gridapp.qt.main_window import MainWindow
    from gridapp.qt.translator import LanguageSwitcher
    from gridapp.services.demo.street import DEMO_USERS

    demo, tmp = Path(sys.argv[1]), Path(sys.argv[2])
    passwords = {u[0]: u[1] for u in DEMO_USERS}
    out = {}
    for role in sys.argv[3:]:
        path = tmp / f"{role}.gpkg"
        shutil.copy(demo, path)
        switcher = LanguageSwitcher()
        switcher.apply("zh")
        settings = QSettings(str(tmp / f"{role}.ini"), QSettings.Format.IniFormat)
        w = MainWindow(settings, switcher, direct_login(role, passwords[role]))
        w.showMaximized()
        loop = QEventLoop()
        w.workspaceLoaded.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        assert w.open_workspace(path)
        loop.exec()
        app.processEvents()
        screen = w.screen().availableGeometry()
        frame = w.frameGeometry()
        squeezed = [k for k, d in w.docks.items() if d.isVisible() and (
            d.width() < d.minimumSizeHint().width()
            or d.height() < d.minimumSizeHint().height())]
        c = w.centralWidget()
        out[role] = {"screen": [screen.width(), screen.height()],
                     "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                     "min": [w.minimumSizeHint().width(), w.minimumSizeHint().height()],
                     "canvas": [c.width(), c.height()], "squeezed": squeezed}
        w.close()
        w.deleteLater()
        app.processEvents()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
