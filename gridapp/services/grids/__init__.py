"""Grids: editing, coverage and fixes, history, division, import and export of grid files."""
