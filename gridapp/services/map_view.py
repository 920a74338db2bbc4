"""What the map window reads for one view (issue 22): aggregates and windows.

A district-wide view does not need a million report points: it draws the
reports counted per grid (:func:`report_counts_by_grid`).  Zoomed in, it draws
the reports and buildings inside the view only (:func:`read_in_view`), read
through the GeoPackage R-tree.  Every role sees the map (``workspace.read``),
as :func:`gridapp.services.workspace.read_map_layer`; the columns read are the
map's own, no personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from gridapp.services.session import Session, as_session
from gridapp.storage import map_reads
from gridapp.storage.api import Store

READ_PERMISSION = "workspace.read"
WINDOWED_TABLES = ("report", "building")


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def can_window(session: Session | Store, table: str) -> bool:
    """True if *table* can be read by view (a GeoPackage with its R-tree)."""
    session = as_session(session)
    session.require(READ_PERMISSION)
    store = session.store
    return (table in WINDOWED_TABLES and map_reads.supports(store)
            and table in store.feature_tables() and map_reads.has_rtree(store, table))


def row_count(session: Session | Store, table: str) -> int:
    """Number of rows of *table* (``report`` or ``building``)."""
    session = as_session(session)
    session.require(READ_PERMISSION)
    return map_reads.row_count(session.store, table)


def report_count(session: Session | Store, since: datetime | None) -> int:
    """Number of reports filed since *since* (all when None)."""
    session = as_session(session)
    session.require(READ_PERMISSION)
    return map_reads.report_count_since(session.store, _iso(since))


def report_counts_by_grid(session: Session | Store, since: datetime | None) -> Any:
    """(grid ids, counts) of the reports filed since *since*, as numpy arrays."""
    session = as_session(session)
    session.require(READ_PERMISSION)
    return map_reads.report_counts_by_grid(session.store, _iso(since))


def count_in_view(session: Session | Store, table: str, box: tuple[float, float, float, float],
                  since: datetime | None = None) -> int:
    """Rows of *table* in *box* (EPSG:4490 degrees); reports since *since*."""
    session = as_session(session)
    session.require(READ_PERMISSION)
    return map_reads.count_in_box(session.store, table, box, _iso(since))


def read_in_view(session: Session | Store, table: str, box: tuple[float, float, float, float],
                 *, since: datetime | None = None,
                 columns: Sequence[str] | None = None) -> Any:
    """The rows of *table* in *box* (EPSG:4490) as a GeoDataFrame; reports since *since*."""
    session = as_session(session)
    session.require(READ_PERMISSION)
    return map_reads.read_in_box(session.store, table, box, since_iso=_iso(since),
                                 columns=None if columns is None else list(columns))
