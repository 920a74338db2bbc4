"""A grid edit through the service on the server (issue 22): the light row reads
(``storage.queries.grids.near_rows`` and friends) and the one-transaction save
work on PostGIS as on a file: the same checks as tests/services/test_grid_edit_commit.py."""

from __future__ import annotations

from tests.services.test_grid_edit_commit import (
    test_split_and_merge_commit_once_and_relink_the_buildings as split_and_merge,
)


def test_split_and_merge_on_the_server(demo_workspace, monkeypatch):  # type: ignore[no-untyped-def]
    split_and_merge(demo_workspace, monkeypatch)
