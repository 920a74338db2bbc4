"""Shared fixtures: fresh workspaces and the demo street, built by code."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gridapp import i18n


@pytest.fixture(scope="session", autouse=True)
def _one_qt_application():
    """Whichever test touches Qt first, the application is a QApplication.

    Printing alone would create a QGuiApplication, after which no widget test
    in the same run could create a window (Qt aborts the process).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:  # the Qt-free run (domain, storage, services without PySide6)
        yield None
        return

    from gridapp.render._pyside_guard import ensure_none_survives

    ensure_none_survives()
    yield QApplication.instance() or QApplication(["gridapp-tests"])


@pytest.fixture(scope="session", autouse=True)
def _private_config_dir(tmp_path_factory):
    """Audit keys and chain anchors go to a throw-away folder, never the tester's home.

    Set before any test runs, so subprocesses (CLI tests) inherit it too.
    """
    old = os.environ.get("GRIDAPP_CONFIG_DIR")
    os.environ["GRIDAPP_CONFIG_DIR"] = str(tmp_path_factory.mktemp("config"))
    yield
    if old is None:
        os.environ.pop("GRIDAPP_CONFIG_DIR", None)
    else:
        os.environ["GRIDAPP_CONFIG_DIR"] = old


@pytest.fixture(autouse=True)
def _chinese_messages():
    """Every test starts in the default language and leaves it so."""
    i18n.set_language("zh")
    yield
    i18n.set_language("zh")


@pytest.fixture
def empty_workspace(tmp_path: Path):
    """A new workspace with reference data and an admin, no geometry; closed after."""
    from gridapp.services.workspace import StreetSpec, create_workspace

    store = create_workspace(
        tmp_path / "empty.gpkg", StreetSpec("520102", "520102003", "测试街道"),
        admin_username="admin", admin_password="Admin-pass-2026")
    yield store
    store.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """The demo street with the default seed, written once per test run.

    Tests must not write to it: use ``demo_workspace`` (a private copy) to write.
    """
    from gridapp.services.demo.street import DemoSpec, write_demo

    path = tmp_path_factory.mktemp("demo") / "demo_street.gpkg"
    write_demo(path, DemoSpec())
    return path


@pytest.fixture
def demo_workspace(demo_file: Path, tmp_path: Path):
    """An open, private, writable copy of the demo street; closed after."""
    from gridapp.storage import open_store

    path = tmp_path / "demo_copy.gpkg"
    shutil.copy(demo_file, path)
    store = open_store(path)
    yield store
    store.close()
