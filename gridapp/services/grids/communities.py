"""Reading communities: the boundaries grids are drawn in, and finding one by code or name.

Community boundaries are stored in EPSG:4490 like the grids; a community's
12-digit code is the first part of each of its grids' 15-digit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from gridapp.errors import NotFoundError
from gridapp.services.session import Session
from gridapp.storage.queries import grids as grid_queries

__all__ = ["CommunityChoice", "communities", "community_choices", "community_code",
           "find_community"]


@dataclass(frozen=True)
class CommunityChoice:
    """A community as a list offers it: id, 12-digit code and name (either may be missing)."""

    id: int
    code: str | None
    name: str | None

    @property
    def label(self) -> str:
        return f"{self.code or ''} {self.name or ''}".strip()


def communities(session: Session) -> gpd.GeoDataFrame:
    """Every community boundary (EPSG:4490) with its ``id``, ``code`` and ``name``."""
    session.require("workspace.read")
    return grid_queries.communities(session.store)


def community_choices(session: Session) -> list[CommunityChoice]:
    """Every community, by code, for a list to choose from."""
    session.require("workspace.read")
    return [CommunityChoice(i, c, n) for i, c, n in grid_queries.community_list(session.store)]


def community_code(session: Session, community_id: int | None) -> str | None:
    """The 12-digit code of a community (None for no community or no code)."""
    session.require("workspace.read")
    if community_id is None:
        return None
    return grid_queries.community_code(session.store, int(community_id))


def find_community(session: Session, community: int | str) -> dict[str, Any]:
    """One community row (with its ``geometry``) by id, 12-digit code or name.

    Raises
    ------
    NotFoundError
        No community has that id, code or name.
    """
    session.require("workspace.read")
    if isinstance(community, str) and not community.isdigit() or (
            isinstance(community, str) and len(community) == 12):
        ids = grid_queries.community_ids_by_ref(session.store, community)
        if not ids:
            raise NotFoundError("没有社区“{ref}”", "No community '{ref}'", ref=community)
        community = ids[0]
    frame = grid_queries.community_by_id(session.store, int(community))
    if frame.empty:
        raise NotFoundError("没有社区 id={ref}", "No community id={ref}", ref=community)
    return frame.iloc[0].to_dict()
