"""Permission-matrix rows of full-text search (issue 22): gridapp.services.cases.search."""

from __future__ import annotations

from tests.services.matrix_base import _READ, Needs

REQUIRES: dict[str, Needs] = {
    "cases.search.search_reports": _READ,
    "cases.search.index_pending_reports": "report.file",
}
