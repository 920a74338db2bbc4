"""Printing and the web map check the role in the service, not only in the window.

Demo users log in with their real passwords; a refused call writes no file.
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6", reason="printing draws with Qt")

from gridapp.errors import PermissionDenied  # noqa: E402
from gridapp.printing.jobs import write_poster  # noqa: E402
from gridapp.services.joint.task_print import escalation_print, task_order_print  # noqa: E402
from gridapp.services.maps_out.printing import PosterOptions, atlas_job, poster_job  # noqa: E402
from gridapp.services.maps_out.webmap import WebMapOptions, export_webmap  # noqa: E402
from gridapp.services.people.auth import login  # noqa: E402
from gridapp.storage import open_store  # noqa: E402

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
    with pytest.raises(PermissionDenied) as info:
        poster_job(manager, PosterOptions(community=COMMUNITY, paper="A4"))
    assert info.value.params["permission"] == "print.maps"
    assert "print.maps" in str(info.value)
    with pytest.raises(PermissionDenied):
        atlas_job(manager, PosterOptions(community=COMMUNITY))
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
            task_order_print(session, 1)
        with pytest.raises(PermissionDenied):
            escalation_print(session, 1)
    assert list(tmp_path.iterdir()) == []


def test_a_leader_may_print_and_export(demo_store, tmp_path):
    leader = login(demo_store, *LEADER)
    result = write_poster(poster_job(leader, PosterOptions(community=COMMUNITY, paper="A4",
                                                           dpi=40)), tmp_path / "poster.png")
    assert result.path.read_bytes()[:4] == b"\x89PNG"
    web = export_webmap(leader, tmp_path / "map.html",
                        WebMapOptions(days=30, community=COMMUNITY, heat=False))
    assert web.path.stat().st_size > 10_000
