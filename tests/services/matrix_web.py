"""Permission-matrix rows of the field service (issue 20): gridapp.services.field."""

from __future__ import annotations

from tests.services.matrix_base import _NONE, _READ, AnyOf, Needs

REQUIRES: dict[str, Needs] = {
    "field.intake.file_field_report": "report.file",
    "field.intake.add_field_photos": AnyOf(("case.transition", "report.file")),
    "field.intake.field_case_action": "case.transition",
    "field.intake.submission_of": _READ,
    "field.intake.group_commit": _NONE,  # the write queue of the store; writes nothing
    "field.lists.my_field_cases": _READ,
    "field.lists.my_grids_geojson": _READ,
    "field.lists.field_case_detail": _READ,
    "field.lists.field_photo": _READ,
    "field.lists.field_check": "report.file",
    "field.lists.log_phone_read": _READ,
    "field.settings.field_settings": "field.serve",
    "field.settings.phone_logins": "field.serve",
}
