"""Fixtures for the people widget tests: demo users, sessions, the people feature."""

from __future__ import annotations

import pytest

PASSWORDS = {
    "admin": "Admin-demo-2026",
    "wgb": "Office-demo-2026",
    "zhihui": "Dispatch-demo-2026",
    "chengguan": "Liaison-demo-2026",
    "wgy01": "Manager-demo-2026",
    "lingdao": "Leader-demo-2026",
}


@pytest.fixture
def login_as(demo_workspace):
    """``login_as("wgb")`` → a Session on the private demo copy."""
    from gridapp.services.people.auth import login

    def make_session(user: str):
        return login(demo_workspace, user, PASSWORDS[user])

    return make_session


@pytest.fixture
def chinese_ui(qapp):
    from gridapp.qt.translator import LanguageSwitcher

    switcher = LanguageSwitcher()
    switcher.apply("zh")
    yield
    switcher.apply("en")


def people_feature(window):  # type: ignore[no-untyped-def]
    from gridapp.qt.features.people import PeopleFeature

    return next(f for f in window.features if isinstance(f, PeopleFeature))


@pytest.fixture(autouse=True)
def only_people_feature(monkeypatch):
    """Windows in these tests get the people feature alone: other features are
    being written at the same time and are tested by their own suites.
    ``GRIDAPP_ALL_FEATURES=1`` installs every feature instead (integration run)."""
    import os

    if os.environ.get("GRIDAPP_ALL_FEATURES") == "1":
        return
    import importlib

    import gridapp.qt.features as features

    def install_people(window):  # type: ignore[no-untyped-def]
        return [importlib.import_module("gridapp.qt.features.people").install(window)]

    monkeypatch.setattr(features, "install_all", install_people)
