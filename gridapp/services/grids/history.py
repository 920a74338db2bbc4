"""Reading grids: the current coverage, the coverage as of a date, a grid's versions.

A grid row is valid from ``valid_from`` (inclusive) to ``valid_to``
(exclusive; NULL while current).  Times are ISO-8601 UTC text, so they
compare as strings.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import geopandas as gpd

from gridapp.domain.timeutil import to_iso
from gridapp.errors import NotFoundError
from gridapp.services.session import Session
from gridapp.storage.queries import grids as grid_queries

__all__ = ["all_versions", "as_of", "current_codes", "current_grids", "grid_history",
           "grid_version", "moment"]

_SHANGHAI = ZoneInfo("Asia/Shanghai")


def moment(when: datetime | date | str) -> str:
    """An instant as stored ISO text.

    A :class:`~datetime.date` means the end of that day in Asia/Shanghai (the
    grids in force that day after its last edit); a naive datetime is
    Asia/Shanghai local time.
    """
    if isinstance(when, str):
        return when
    if isinstance(when, datetime):
        dt = when if when.tzinfo else when.replace(tzinfo=_SHANGHAI)
    else:
        dt = datetime.combine(when + timedelta(days=1), time(), _SHANGHAI) - timedelta(
            milliseconds=1)
    return to_iso(dt.astimezone(UTC)) or ""


def current_grids(session: Session, community_id: int | None = None) -> gpd.GeoDataFrame:
    """Current grid rows (``valid_to IS NULL``), optionally of one community."""
    session.require("workspace.read")
    return grid_queries.current_grids(session.store, community_id)


def as_of(session: Session, when: datetime | date | str,
          community_id: int | None = None) -> gpd.GeoDataFrame:
    """The grids in force at *when*: ``valid_from <= t < valid_to`` (or current).

    Examples
    --------
    ``as_of(session, date(2026, 1, 1))`` is the coverage at the end of New
    Year's Day, Beijing time.
    """
    session.require("workspace.read")
    return grid_queries.grids_as_of(session.store, moment(when), community_id)


def grid_history(session: Session, grid_id: int) -> gpd.GeoDataFrame:
    """Every version in the lineage of *grid_id*: its predecessors and successors.

    Follows ``previous_id`` back to the first version and forward to every
    row that continues it (split pieces included), oldest first.
    """
    session.require("workspace.read")
    ids = grid_queries.lineage_ids(session.store, int(grid_id))
    if not ids:
        raise NotFoundError("没有 id={id} 的网格", "No grid with id={id}", id=grid_id)
    frame = grid_queries.grids_by_id(session.store, ids)
    return frame.sort_values(["valid_from", "id"]).reset_index(drop=True)


def all_versions(session: Session) -> gpd.GeoDataFrame:
    """Every grid row, closed versions included."""
    session.require("workspace.read")
    return grid_queries.all_grid_versions(session.store)


def grid_version(session: Session, grid_id: int) -> dict[str, Any]:
    """One grid version (current or closed) as a dict with its ``geom``."""
    session.require("workspace.read")
    return grid_queries.grid_row(session.store, int(grid_id))


def current_codes(session: Session) -> set[str]:
    """The codes of the current grids."""
    session.require("workspace.read")
    return grid_queries.current_codes(session.store)
