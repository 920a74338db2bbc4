"""The ``Store`` protocol: what code outside :mod:`gridapp.storage` may use of a store.

:class:`~gridapp.storage.store.GeoPackageStore` implements it today; a PostGIS
store will implement the same protocol.  Services hold a store typed as
:class:`Store` (see :class:`gridapp.services.session.Session`) and ask the
named questions of :mod:`gridapp.storage.queries` rather than writing SQL.

No SQL text crosses this boundary: the protocol has no ``query`` or
``scalar``, and table reads are named questions in
:mod:`gridapp.storage.queries`.  What remains here is what every backend
offers alike: an audited transaction, one row by id, settings, the metric CRS
and the store's life cycle.
"""

from __future__ import annotations

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
    def get(self, table: str, row_id: int) -> dict[str, Any]:
        """One row as a dict, geometry decoded."""
        ...

    def feature_tables(self) -> dict[str, str]:
        """Feature table name → geometry type."""
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
