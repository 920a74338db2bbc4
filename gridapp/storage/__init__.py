"""Storage: the only code that opens a database (a GeoPackage file, or a street on a PostGIS server)."""

from __future__ import annotations

from gridapp.storage.create import create_store
from gridapp.storage.store import GeoPackageStore, NotAWorkspaceError


def open_store(path, *, readonly: bool = False, **kwargs):
    """Open a workspace: a GeoPackage path, or a ``postgresql://…?street=CODE`` address."""
    if isinstance(path, str) and path.startswith(("postgresql://", "postgres://")):
        from gridapp.storage.postgis import PostgisStore

        return PostgisStore.open(path, readonly=readonly, **kwargs)
    return GeoPackageStore.open(path, readonly=readonly, **kwargs)


__all__ = ["GeoPackageStore", "NotAWorkspaceError", "create_store", "open_store"]
