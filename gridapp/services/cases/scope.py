"""Record scope of cases: which user may act on, or read, which case.

The shared part of reports, photos, workflow and supervision: each of them
checks a case against the user's department or grids before touching it, so
the check lives below all four and none of them imports another for it.

* :func:`_check_scope`: may the user *act* on the case (the workflow's rule:
  a liaison their department's cases, a grid manager cases in their grids);
* :func:`_check_visible`: may the user *read* it (also the joint cases a
  department assists on, and a grid manager's own reports anywhere);
* :func:`check_grid_scope`: may the user file a report in this grid.

The two checks on a case row are private to the cases services: they judge a
row their caller read after its own permission check, and are no use case of
their own.  The use cases here are :func:`visible_case` and
:func:`check_grid_scope`, which ask the role's permission first.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from gridapp.domain import workflow
from gridapp.errors import NotFoundError, PermissionDenied
from gridapp.services.session import Session, own_grid_ids, visible_department_ids
from gridapp.storage.queries import cases as queries


def _check_scope(session: Session, row: Mapping[str, Any]) -> None:
    """Refuse a case outside the user's record scope (department or grids)."""
    deps = visible_department_ids(session)
    grids = own_grid_ids(session)
    workflow.check_case_scope(
        session.user.role,
        case_department_id=row["department_id"],
        case_grid_id=row["grid_id"],
        user_department_ids=deps or (),
        user_grid_ids=grids or (),
    )


def _check_visible(session: Session, row: Mapping[str, Any]) -> None:
    """Refuse to show a case the user may not read.

    A liaison reads the cases their department handles or assists (协办), a
    grid manager those in their grids or filed by them.
    """
    report_id = row["id"]
    deps = visible_department_ids(session)
    if deps is not None:
        assisting = set(json.loads(row.get("assist_department_ids") or "[]"))
        if row["department_id"] not in deps and not assisting & deps:
            raise PermissionDenied(
                "该案件不属于您所在的部门（案件部门：{department_id}）",
                "This case is not assigned to your department (case department: "
                "{department_id})", department_id=row["department_id"], report_id=report_id)
    grids = own_grid_ids(session)
    if grids is not None and row["grid_id"] not in grids and (
            session.user.manager_id is None
            or row.get("reporter_manager_id") != session.user.manager_id):
        raise PermissionDenied(
            "该案件不在您负责的网格内（案件网格：{grid_id}）",
            "This case is not in your grids (case grid: {grid_id})",
            grid_id=row["grid_id"], report_id=report_id)


def visible_case(session: Session, report_id: int) -> dict[str, Any]:
    """The case's full row (names joined, geometry decoded) once the user may read it.

    Personal fields are in clear: mask them before they leave the services.
    """
    session.require("workspace.read")
    row = queries.report_detail(session.store, report_id)
    if row is None:
        raise NotFoundError("没有编号为 {id} 的案件", "No case with id {id}", id=report_id)
    _check_visible(session, row)
    return row


def check_grid_scope(session: Session, grid_id: int) -> None:
    """Refuse a report in *grid_id* to a role that may not file reports, or to a
    grid manager outside their own grids (:class:`PermissionDenied`)."""
    session.require("report.file")
    own = own_grid_ids(session)
    if own is not None and grid_id not in own:
        raise PermissionDenied(
            "该位置不在您负责的网格内（所在网格：{grid_code}）",
            "This position is not in one of your grids (it is in grid {grid_code})",
            grid_id=grid_id,
            grid_code=queries.grid_code(session.store, grid_id),
            reason="outside_own_grids",
        )
