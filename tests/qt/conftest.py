"""Fixtures for the window tests: a private demo copy, settings in tmp_path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Canvases render inside paintEvent, so a grab() or a check right after a load
# sees the finished map; tests of the worker render turn it off per canvas
# (gridapp.qt.map_canvas, issue 21).
os.environ.setdefault("GRIDAPP_RENDER_SYNC", "1")

DEMO_ADMIN = ("admin", "Admin-demo-2026")


def assert_quiet(window) -> None:  # type: ignore[no-untyped-def]
    """No worker thread running and no timer active under *window*."""
    from PySide6.QtCore import QThread, QTimer

    running = [t for t in window.findChildren(QThread) if t.isRunning()]
    active = [t for t in window.findChildren(QTimer) if t.isActive()]
    assert not running, running
    assert not active, [t.objectName() or repr(t) for t in active]


@pytest.fixture
def demo_copy(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo_street.gpkg"
    shutil.copy(demo_file, path)
    return path


@pytest.fixture
def settings(tmp_path: Path):
    from PySide6.QtCore import QSettings

    s = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield s
    s.sync()


@pytest.fixture(autouse=True)
def _language_restored(qapp):
    """Each test leaves the language as it found it: translators a window or a
    LanguageSwitcher installed would otherwise turn the Qt text of every later test in
    the same process into Chinese (which test ran before decided the outcome)."""
    from PySide6.QtCore import QLocale

    from gridapp import i18n
    from gridapp.qt import translator

    before = (i18n.language(), QLocale(), list(translator._INSTALLED))
    yield
    for tr in translator._INSTALLED:
        if tr not in before[2]:
            qapp.removeTranslator(tr)
    translator._INSTALLED[:] = before[2]
    for tr in before[2]:
        qapp.installTranslator(tr)
    i18n.set_language(before[0])
    QLocale.setDefault(before[1])


@pytest.fixture
def make_window(qtbot, settings):
    """Factory: a shown MainWindow (Chinese UI); every window is closed after."""
    from gridapp.qt.app import direct_login
    from gridapp.qt.main_window import MainWindow
    from gridapp.qt.translator import LanguageSwitcher

    windows = []

    def make(path: Path | None = None, lang: str = "zh", login=DEMO_ADMIN):  # type: ignore[no-untyped-def]
        switcher = LanguageSwitcher()
        switcher.apply(lang)
        window = MainWindow(settings, switcher, direct_login(*login))
        windows.append((window, switcher))
        window.resize(1200, 800)
        window.show()
        qtbot.waitExposed(window)
        if path is not None:
            with qtbot.waitSignal(window.workspaceLoaded, timeout=30_000):
                assert window.open_workspace(path)
        return window

    yield make
    for window, _switcher in windows:
        window.close()
        assert window.session is None
        assert_quiet(window)
        window.deleteLater()
    qtbot.wait(10)


@pytest.fixture
def window(make_window, demo_copy):
    """The main window on a private copy of the demo street, loaded."""
    return make_window(demo_copy)
