"""Fixtures for the base-data dock tests: windows get the base-data feature alone
(other features are written at the same time and tested by their own suites;
``GRIDAPP_ALL_FEATURES=1`` installs every feature instead)."""

from __future__ import annotations

import importlib
import os

import pytest

PASSWORDS = {"wgb": "Office-demo-2026", "wgy01": "Manager-demo-2026",
             "lingdao": "Leader-demo-2026"}


@pytest.fixture(autouse=True)
def only_basedata_feature(monkeypatch):
    if os.environ.get("GRIDAPP_ALL_FEATURES") == "1":
        return
    import gridapp.qt.features as features

    def install(window):  # type: ignore[no-untyped-def]
        return [importlib.import_module("gridapp.qt.features.basedata").install(window)]

    monkeypatch.setattr(features, "install_all", install)


def basedata_feature(window):  # type: ignore[no-untyped-def]
    from gridapp.qt.features.basedata import BaseDataFeature

    return next(f for f in window.features if isinstance(f, BaseDataFeature))
