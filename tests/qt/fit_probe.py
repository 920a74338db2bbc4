"""Run by tests/qt/test_fit_screen.py under a configured offscreen screen.

``python fit_probe.py DEMO.gpkg TMPDIR ROLE...`` opens the demo street as each
role in the window, maximised, and prints one JSON line: per role the screen,
frame and minimum size and the docks squeezed below their minimum.

With ``FIT_SHOTS=DIR`` (and optionally ``FIT_SHOT_WIDTH``) it also saves each
role's start view as ``DIR/start_<role>_<W>x<H>.png`` (256 colours), e.g. the
README's screenshots, under Xvfb::

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python tests/qt/fit_probe.py \
        demo.gpkg /tmp/x admin wgb zhihui chengguan wgy01 lingdao
"""

from __future__ import annotations

import json
import os
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
        screen = w.screen().availableGeometry()
        if w.frameGeometry().size() != screen.size():  # Xvfb has no window manager
            w.setGeometry(screen)
        app.processEvents()
        if os.environ.get("FIT_SHOTS"):
            _shot(w, role, screen, Path(os.environ["FIT_SHOTS"]))
        frame = w.frameGeometry()
        squeezed = [k for k, d in w.docks.items() if d.isVisible() and (
            d.width() < d.minimumSizeHint().width()
            or d.height() < d.minimumSizeHint().height())]
        c = w.centralWidget()
        out[role] = {"screen": [screen.width(), screen.height()],
                     "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                     "client": [w.geometry().width(), w.geometry().height()],
                     "min": [w.minimumSizeHint().width(), w.minimumSizeHint().height()],
                     "canvas": [c.width(), c.height()], "squeezed": squeezed}
        w.close()
        w.deleteLater()
        app.processEvents()
    print(json.dumps(out))
    return 0


def _shot(w, role: str, screen, folder: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image
    from PySide6.QtCore import QBuffer, QEventLoop, QTimer

    panel = w.docks["today"].widget()
    loop = QEventLoop()
    panel.counted.connect(loop.quit)
    QTimer.singleShot(10_000, loop.quit)
    if not panel.counts:
        loop.exec()
    w.wait_drawn()
    settle = QEventLoop()
    QTimer.singleShot(1500, settle.quit)  # the map's first render
    settle.exec()
    buf = QBuffer()
    buf.open(QBuffer.OpenModeFlag.WriteOnly)
    w.grab().save(buf, "PNG")
    import io

    img = Image.open(io.BytesIO(bytes(buf.data())))
    width = int(os.environ.get("FIT_SHOT_WIDTH", "0")) or img.width
    if width < img.width:
        img = img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
    scale = os.environ.get("QT_SCALE_FACTOR", "1")
    f = float(scale or 1)  # named by the physical screen: 1920x1080_at150
    name = f"start_{role}_{round(screen.width() * f)}x{round(screen.height() * f)}"
    name += "" if f == 1 else f"_at{round(f * 100)}"
    folder.mkdir(parents=True, exist_ok=True)
    img.convert("RGB").quantize(256).save(folder / f"{name}.png", optimize=True)


if __name__ == "__main__":
    sys.exit(main())
