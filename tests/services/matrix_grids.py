"""Permission-matrix rows of grid tools added later (issue 21): the split plan."""

from __future__ import annotations

from tests.services.matrix_base import Needs

REQUIRES: dict[str, Needs] = {
    "grids.tools.plan_split": "grid.edit",
}
