"""Storage: the only code that opens a database (GeoPackage now, PostGIS later)."""

from __future__ import annotations

from gridapp.storage.create import create_store
from gridapp.storage.store import GeoPackageStore, NotAWorkspaceError

open_store = GeoPackageStore.open

__all__ = ["GeoPackageStore", "NotAWorkspaceError", "create_store", "open_store"]
