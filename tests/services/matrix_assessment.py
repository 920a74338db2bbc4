"""Permission-matrix rows of assessment and supervision (issue 17)."""

from __future__ import annotations

from tests.services.matrix_base import _READ, Needs

REQUIRES: dict[str, Needs] = {
    "assessment.indicators.load_indicators": "assessment.read",
    "assessment.indicators.compute": "assessment.read",
    "assessment.indicators.compute_all": "assessment.read",
    "assessment.indicators.cases_behind": "assessment.read",
    "assessment.warnings.thresholds": "assessment.read",
    "assessment.warnings.worst_levels": "assessment.read",
    "assessment.warnings.grid_colours": "assessment.read",
    "assessment.warnings.map_levels": "assessment.read",
    "assessment.warnings.consecutive_flags": "assessment.read",
    "assessment.warnings.set_threshold": "assessment.configure",
    "assessment.warnings.set_formula": "assessment.configure",
    "assessment.callback.record_callback": "case.callback",
    "assessment.callback.callbacks_due": "case.callback",
    "assessment.excel.export_xlsx": ("assessment.read", "export.data"),
    "assessment.monthly.monthly_report": ("assessment.read", "export.data"),
    "assessment.supervise.run_supervision": "case.supervise",
    "assessment.supervise.my_reminders": _READ,
    "assessment.supervise.case_escalations": "assessment.read",
    "assessment.dashboard.dashboard_data": "assessment.read",
    "assessment.heatmap.open_case_heat": "assessment.read",
    "assessment.leader.leader_summary": "assessment.read",
    # reading a case's callbacks is reading the case (its own record scope)
    "assessment.callback.case_callbacks": _READ,
}
