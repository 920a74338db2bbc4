"""Fixtures for the printing dialogs: the window logged in as a given demo user."""

from __future__ import annotations

import shutil
import subprocess

import pytest

USERS = {
    "wgb": ("wgb", "Office-demo-2026"),
    "lingdao": ("lingdao", "Leader-demo-2026"),
    "wgy01": ("wgy01", "Manager-demo-2026"),
}
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")


def pdftotext(path) -> str:  # type: ignore[no-untyped-def]
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdfinfo(path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.fixture
def window_as(make_window, demo_copy):
    """``window_as("wgb")``: the main window on the demo copy, logged in as that user."""

    def make(user: str = "wgb"):  # type: ignore[no-untyped-def]
        return make_window(demo_copy, login=USERS[user])

    return make


@pytest.fixture
def office_window(window_as):
    return window_as("wgb")


def feature_of(window):  # type: ignore[no-untyped-def]
    from gridapp.qt.features.printing import PrintingFeature

    return next(f for f in window.features if isinstance(f, PrintingFeature))


def wait_preview(qtbot, dialog, timeout: int = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the dialog shows a preview of its current choices."""
    qtbot.waitUntil(lambda: not dialog.rendering and dialog.result is not None
                    and dialog.result.request == dialog.request(), timeout=timeout)
