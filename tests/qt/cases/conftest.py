"""Fixtures for the case workflow in the main window: log in as a demo user."""

from __future__ import annotations

import pytest

PASSWORDS = {
    "wgy01": "Manager-demo-2026",
    "zhihui": "Dispatch-demo-2026",
    "chengguan": "Liaison-demo-2026",
    "admin": "Admin-demo-2026",
}


def cases_of(window):  # type: ignore[no-untyped-def]
    """The installed cases feature of *window*."""
    from gridapp.qt.cases.feature import CasesFeature

    [feature] = [f for f in window.features if isinstance(f, CasesFeature)]
    return feature


def relogin(qtbot, window, path, user):  # type: ignore[no-untyped-def]
    """Open *path* again in the same window as *user* (a new login)."""
    from gridapp.qt.app import direct_login

    window.authenticate = direct_login(user, PASSWORDS[user])
    with qtbot.waitSignal(window.workspaceLoaded, timeout=30_000):
        assert window.open_workspace(path)
    feature = cases_of(window)
    qtbot.waitUntil(lambda: not feature.is_busy(), timeout=10_000)
    return feature


@pytest.fixture
def window_as(make_window, demo_copy):
    """``window_as("wgy01")``: the main window on the demo copy, logged in as a user."""

    def make(user: str):  # type: ignore[no-untyped-def]
        return make_window(demo_copy, login=(user, PASSWORDS[user]))

    return make


@pytest.fixture
def own_point(demo_copy):
    """(grid id, lon, lat): a point inside the first grid of grid manager wgy01."""
    from gridapp.services.people.auth import login
    from gridapp.services.session import own_grid_ids
    from gridapp.storage import open_store

    store = open_store(demo_copy)
    try:
        session = login(store, "wgy01", PASSWORDS["wgy01"])
        gid = min(own_grid_ids(session))
        p = store.get("grid", gid)["geom"].representative_point()
        return gid, p.x, p.y
    finally:
        store.close()
