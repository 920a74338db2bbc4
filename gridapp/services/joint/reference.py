"""What the joint-enforcement screens look up: names of categories and departments,
case numbers of a proposal's reports, the tasks' footprints.

Everyone who may open the workspace may read these (``workspace.read``);
they are reference data, with no personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gridapp.services.session import Session
from gridapp.storage.queries import tasks as task_rows


@dataclass(frozen=True)
class ReferenceNames:
    """Category code → name (by code) and the active departments (id, name, kind)."""

    categories: dict[str, str]
    departments: list[tuple[int, str, str]]


def reference_names(session: Session) -> ReferenceNames:
    """Category and department names of the workspace."""
    session.require("workspace.read")
    store = session.store
    return ReferenceNames(task_rows.category_names(store), task_rows.active_departments(store))


def case_numbers(session: Session, report_ids: Sequence[int]) -> list[str]:
    """Case numbers of *report_ids*, in filing order."""
    session.require("workspace.read")
    return task_rows.case_numbers(session.store, list(report_ids))


def task_footprints(session: Session) -> Any:
    """Every joint task's footprint as a GeoDataFrame (the map's ``task`` layer)."""
    session.require("workspace.read")
    return task_rows.task_footprints(session.store)
