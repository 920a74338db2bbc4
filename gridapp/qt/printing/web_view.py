"""Show an exported web map inside the app when QtWebEngine is available.

QtWebEngine is optional (it is often missing from a venv); :func:`web_engine_available`
says whether it can be imported, and :func:`open_webmap` falls back to the
system browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def web_engine_available() -> bool:
    try:
        import PySide6.QtWebEngineWidgets  # noqa: F401
    except ImportError:
        return False
    return True


def open_webmap(path: str | Path, parent: Any = None) -> Any:
    """Open *path* in a QtWebEngine window if possible, else in the system browser."""
    url = QUrl.fromLocalFile(str(Path(path).resolve()))
    if web_engine_available():
        from PySide6.QtWebEngineWidgets import QWebEngineView
        from PySide6.QtWidgets import QVBoxLayout

        from gridapp.qt.fit import FittedDialog

        dialog = FittedDialog(parent)
        dialog.setWindowTitle(Path(path).name)
        view = QWebEngineView(dialog)
        view.setUrl(url)
        QVBoxLayout(dialog).addWidget(view)
        dialog.resize(1100, 800)
        dialog.show()
        return dialog
    QDesktopServices.openUrl(url)
    return None
