"""Permission-matrix rows of near duplicates per category and the duty list by place
(issue 21): gridapp.services.cases.placement, routing and duty."""

from __future__ import annotations

from tests.services.matrix_base import _READ, Needs

REQUIRES: dict[str, Needs] = {
    "cases.placement.category_duplicate_rule": _READ,
    "cases.placement.set_category_duplicate_rule": "category.edit",
    "cases.routing.propose_for_case": _READ,  # + the case's visibility (visible_case)
    "cases.routing.duty_list": _READ,
    "cases.routing.area_kinds": _READ,
    "cases.routing.add_duty_line": "category.edit",
    "cases.routing.update_duty_line": "category.edit",
    "cases.routing.remove_duty_line": "category.edit",
    "cases.routing.duty_areas": _READ,
    "cases.routing.import_duty_areas": "category.edit",
    "cases.routing.remove_duty_areas": "category.edit",
    "cases.duty_drawing.add_duty_area": "category.edit",
}
