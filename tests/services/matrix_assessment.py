"""Permission-matrix rows of assessment and supervision (issue 17)."""

from __future__ import annotations

from tests.services.matrix_base import Needs

REQUIRES: dict[str, Needs] = {
    "assessment.indicators.load_indicators": "assessment.read",
    "assessment.indicators.compute": "assessment.read",
    "assessment.indicators.cases_behind": "assessment.read",
}
