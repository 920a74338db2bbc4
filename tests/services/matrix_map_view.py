"""Permission-matrix rows of the map's reads by view (issue 22): gridapp.services.map_view."""

from __future__ import annotations

from tests.services.matrix_base import _READ, Needs

REQUIRES: dict[str, Needs] = {
    "map_view.can_window": _READ,
    "map_view.row_count": _READ,
    "map_view.report_count": _READ,
    "map_view.report_counts_by_grid": _READ,
    "map_view.count_in_view": _READ,
    "map_view.read_in_view": _READ,
}
