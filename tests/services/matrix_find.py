"""Permission-matrix rows of the search box (issue 21): gridapp.services.find."""

from __future__ import annotations

from tests.services.matrix_base import _READ, Needs

REQUIRES: dict[str, Needs] = {
    "find.find_features": _READ,
}
