"""Reading grids: the current coverage, the coverage as of a date, a grid's versions.

A grid row is valid from ``valid_from`` (inclusive) to ``valid_to``
(exclusive; NULL while current).  Times are ISO-8601 UTC text, so they
compare as strings.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import geopandas as gpd

from gridapp.domain.timeutil import to_iso
from gridapp.errors import NotFoundError
from gridapp.services.session import Session

__all__ = ["as_of", "current_grids", "grid_history", "moment"]

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
    if community_id is None:
        return session.store.read_layer("grid", "valid_to IS NULL")
    return session.store.read_layer("grid", "valid_to IS NULL AND community_id = ?",
                                    [int(community_id)])


def as_of(session: Session, when: datetime | date | str,
          community_id: int | None = None) -> gpd.GeoDataFrame:
    """The grids in force at *when*: ``valid_from <= t < valid_to`` (or current).

    Examples
    --------
    ``as_of(session, date(2026, 1, 1))`` is the coverage at the end of New
    Year's Day, Beijing time.
    """
    session.require("workspace.read")
    t = moment(when)
    where = "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"
    params: list[object] = [t, t]
    if community_id is not None:
        where += " AND community_id = ?"
        params.append(int(community_id))
    return session.store.read_layer("grid", where, params)


def grid_history(session: Session, grid_id: int) -> gpd.GeoDataFrame:
    """Every version in the lineage of *grid_id*: its predecessors and successors.

    Follows ``previous_id`` back to the first version and forward to every
    row that continues it (split pieces included), oldest first.
    """
    session.require("workspace.read")
    store = session.store
    if store.scalar("SELECT id FROM grid WHERE id = ?", (int(grid_id),)) is None:
        raise NotFoundError("没有 id={id} 的网格", "No grid with id={id}", id=grid_id)
    root = int(grid_id)
    while True:
        prev = store.scalar("SELECT previous_id FROM grid WHERE id = ?", (root,))
        if prev is None:
            break
        root = int(prev)
    rows = store.query(
        "WITH RECURSIVE line(id) AS (SELECT ? UNION SELECT g.id FROM grid g"
        " JOIN line ON g.previous_id = line.id) SELECT id FROM line", (root,))
    ids = sorted(int(r[0]) for r in rows)
    frame = store.read_layer("grid", f"id IN ({', '.join('?' for _ in ids)})", ids)
    return frame.sort_values(["valid_from", "id"]).reset_index(drop=True)
