"""Render tests need a QGuiApplication (fonts) but never widgets."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

import gridapp.render  # noqa: F401  (installs the PySide6 guard first)


@pytest.fixture(scope="session")
def qapp_cls():
    return QGuiApplication


@pytest.fixture
def gui(qapp):
    """A running (Gui)Application for tests that use fonts or paint."""
    return qapp
