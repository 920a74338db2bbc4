"""The ``Store`` protocol: what code outside :mod:`gridapp.storage` may use of a store.

:class:`~gridapp.storage.store.GeoPackageStore` implements it today; a PostGIS
store will implement the same protocol.  Services hold a store typed as
:class:`Store` (see :class:`gridapp.services.session.Session`) and ask the
named questions of :mod:`gridapp.storage.queries` rather than writing SQL.

``query`` and ``scalar`` still take SQL text: they are here because services
not yet moved onto :mod:`gridapp.storage.queries` call them, and they will
leave the protocol when the last caller outside storage is gone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from gridapp.storage.transaction import Transaction

__all__ = ["Params", "Store", "Transaction"]

Params = Sequence[Any] | dict[str, Any]


@runtime_checkable
class Store(Protocol):
    """An open GridApp workspace, as services see it."""

    path: Path
    readonly: bool

    # -- writing ---------------------------------------------------------
    def transaction(self, actor: str | None = None, user_id: int | None = None, *,
                    attach: dict[str, Path] | None = None,
                    force: bool = False) -> AbstractContextManager[Transaction]:
        """An audited write transaction, rolled back on error."""
        ...

    # -- reading ---------------------------------------------------------
    def query(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Transitional: rows of a read-only query with bound parameters."""
        ...

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """Transitional: the first column of the first row, or None."""
        ...

    def get(self, table: str, row_id: int) -> dict[str, Any]:
        """One row as a dict, geometry decoded."""
        ...

    def read_layer(self, table: str, where: str | None = None, params: Params = (),
                   columns: Sequence[str] | None = None) -> Any:
        """A table as a (Geo)DataFrame with an ``id`` column."""
        ...

    def feature_tables(self) -> dict[str, str]:
        """Feature table name → geometry type."""
        ...

    def table_columns(self, table: str) -> list[str]:
        ...

    # -- settings and metadata ---------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        ...

    def set_setting(self, key: str, value: Any, actor: str | None = None) -> None:
        ...

    @property
    def schema_version(self) -> int:
        ...

    @property
    def metric_epsg(self) -> int:
        ...

    def metric_crs(self) -> tuple[int | None, str | None]:
        ...

    # -- closing -----------------------------------------------------------
    def close(self) -> None:
        ...

    @property
    def closed(self) -> bool:
        ...

    def __enter__(self) -> Store:
        ...

    def __exit__(self, *exc: object) -> None:
        ...
