"""Edits made outside GridApp (QGIS, sqlite3): the notice at open and the review dialog."""
