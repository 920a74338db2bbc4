"""Fixtures for the report widget tests: the demo street and its users."""

from __future__ import annotations

import pytest

PASSWORDS = {
    "wgy01": "Manager-demo-2026",
    "zhihui": "Dispatch-demo-2026",
    "chengguan": "Liaison-demo-2026",
    "admin": "Admin-demo-2026",
}


@pytest.fixture
def login_as(demo_workspace):
    """``login_as("wgy01")`` → a Session on the private demo copy."""
    from gridapp.services.people.auth import login

    def make_session(user: str):
        return login(demo_workspace, user, PASSWORDS[user])

    return make_session


@pytest.fixture
def own_point(demo_workspace, login_as):
    """(grid id, lon, lat): a point inside the first grid of grid manager wgy01."""
    from gridapp.services.session import own_grid_ids

    gid = min(own_grid_ids(login_as("wgy01")))
    p = demo_workspace.get("grid", gid)["geom"].representative_point()
    return gid, p.x, p.y


@pytest.fixture
def foreign_point(demo_workspace, login_as):
    """(grid id, lon, lat) inside a grid that is not wgy01's."""
    from gridapp.services.session import own_grid_ids

    own = own_grid_ids(login_as("wgy01"))
    gid = next(
        int(r[0])
        for r in demo_workspace.query("SELECT id FROM grid WHERE valid_to IS NULL")
        if int(r[0]) not in own
    )
    p = demo_workspace.get("grid", gid)["geom"].representative_point()
    return gid, p.x, p.y
