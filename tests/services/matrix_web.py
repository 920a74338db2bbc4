"""Permission-matrix rows of the field service (issue 20): gridapp.services.field."""

from __future__ import annotations

from tests.services.matrix_base import _READ, AnyOf, Needs

REQUIRES: dict[str, Needs] = {
    "field.intake.file_field_report": "report.file",
    "field.intake.add_field_photos": AnyOf(("case.transition", "report.file")),
    "field.intake.field_case_action": "case.transition",
    "field.intake.submission_of": _READ,
    "field.lists.my_field_cases": _READ,
    "field.lists.my_grids_geojson": _READ,
    "field.settings.field_settings": "field.serve",
    "field.settings.phone_logins": "field.serve",
}
