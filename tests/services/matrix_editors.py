"""Permission-matrix rows of the reference-data editors (issue 21): categories,
departments and liaisons, clustering parameters per category, a task's photos."""

from __future__ import annotations

from tests.services.matrix_base import _READ, Needs

REQUIRES: dict[str, Needs] = {
    "cases.lookups.category_rows": _READ,
    "cases.lookups.update_category": "category.edit",
    "cases.lookups.department_rows": _READ,
    "cases.lookups.update_department": "department.edit",
    "cases.lookups.department_liaison_accounts": "department.edit",
    "joint.clustering.category_params": _READ,
    "joint.clustering.set_category_params": "category.edit",
    "joint.tasks.task_photos": _READ,  # + summoned department, as get_task
    "joint.tasks.task_photo_data": _READ,  # + summoned department
    "joint.tasks.remove_photo": "task.respond",  # + summoned department, as add_photo
}
