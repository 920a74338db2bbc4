"""Printing and the web map check the role in the service, not only in the window.

Demo users log in with their real passwords; a refused call writes no file.
"""

from __future__ import annotations

import pytest

from gridapp.errors import PermissionDenied
from gridapp.services.joint.task_print import print_escalation, print_task_order
from gridapp.services.maps_out.printing import PosterOptions, print_atlas, print_poster
from gridapp.services.maps_out.webmap import WebMapOptions, export_webmap
from gridapp.services.people.auth import login
from gridapp.storage import open_store

COMMUNITY = "520102003001"  # 青云社区
MANAGER = ("wgy01", "Manager-demo-2026")
LEADER = ("lingdao", "Leader-demo-2026")


@pytest.fixture(scope="module")
def demo_store(demo_file):
    """The shared demo street, read-only (logging in records nothing)."""
    store = open_store(demo_file, readonly=True)
    yield store
    store.close()


def test_a_grid_manager_may_not_print_a_poster(demo_store, tmp_path):
    manager = login(demo_store, *MANAGER)
    out = tmp_path / "poster.pdf"
    with pytest.raises(PermissionDenied) as info:
        print_poster(manager, out, PosterOptions(community=COMMUNITY, paper="A4"))
    assert info.value.params["permission"] == "print.maps"
    assert "print.maps" in str(info.value)
    with pytest.raises(PermissionDenied):
        print_atlas(manager, tmp_path / "atlas.pdf", PosterOptions(community=COMMUNITY))
    assert list(tmp_path.iterdir()) == []


def test_a_grid_manager_may_not_export_the_web_map(demo_store, tmp_path):
    manager = login(demo_store, *MANAGER)
    out = tmp_path / "map.html"
    with pytest.raises(PermissionDenied) as info:
        export_webmap(manager, out, WebMapOptions(days=30))
    assert info.value.params["permission"] == "export.data"
    assert list(tmp_path.iterdir()) == []


def test_a_grid_manager_and_a_leader_may_not_print_task_papers(demo_store, tmp_path):
    for user in (MANAGER, LEADER):
        session = login(demo_store, *user)
        with pytest.raises(PermissionDenied):
            print_task_order(session, 1, tmp_path / "order.pdf")
        with pytest.raises(PermissionDenied):
            print_escalation(session, 1, tmp_path / "db.pdf")
    assert list(tmp_path.iterdir()) == []


def test_a_leader_may_print_and_export(demo_store, tmp_path):
    leader = login(demo_store, *LEADER)
    result = print_poster(leader, tmp_path / "poster.png",
                          PosterOptions(community=COMMUNITY, paper="A4", dpi=40))
    assert result.path.read_bytes()[:4] == b"\x89PNG"
    web = export_webmap(leader, tmp_path / "map.html",
                        WebMapOptions(days=30, community=COMMUNITY, heat=False))
    assert web.path.stat().st_size > 10_000
