"""A QGuiApplication for headless printing (QtGui only, no widgets)."""

from __future__ import annotations

import os
import sys

_app = None


def ensure_gui_app():  # type: ignore[no-untyped-def]
    """Return the running Qt application, creating a QGuiApplication if none exists.

    Without a display (no ``DISPLAY``/``WAYLAND_DISPLAY``) the ``offscreen``
    platform is chosen, so printing works from the CLI, cron and tests.
    """
    global _app
    from PySide6.QtGui import QGuiApplication

    from gridapp.render._pyside_guard import ensure_none_survives

    ensure_none_survives()
    app = QGuiApplication.instance()
    if app is not None:
        return app
    if (not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QGuiApplication(sys.argv[:1] or ["gridapp"])
    return _app
