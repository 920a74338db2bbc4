"""The PostGIS backend: one district database, one schema per street (issue 16).

``gridapp.storage.open_store`` hands a ``postgresql://`` address here.
"""

from __future__ import annotations

from gridapp.storage.postgis.store import PostgisStore, is_url, split_url

__all__ = ["PostgisStore", "is_url", "split_url"]
