"""The case list: filters, visibility per role, and paging over a million rows.

:class:`CaseQuery` turns a :class:`CaseFilter` into one parameterised SQL
condition (plus the user's record scope: a liaison sees their department's
cases, a grid manager the cases in their grids or filed by them) and serves
pages, either by offset (:meth:`CaseQuery.page`, for a table that jumps to a
row) or by key (:meth:`CaseQuery.after`, for a model that fetches more rows
as the user scrolls: constant time however deep).  Counting is separate
(:meth:`CaseQuery.count`) so the GUI can run it on a worker.

:func:`my_work` gives the filter of "my work" for each role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np
import shapely

from gridapp.domain.enums import CaseStatus, Role
from gridapp.domain.timeutil import from_iso, now_utc, to_iso
from gridapp.errors import ValidationError
from gridapp.services.cases.holidays import DeadlineFlagger
from gridapp.services.cases.workflow import case_due_state
from gridapp.services.session import Session, own_grid_ids, visible_department_ids
from gridapp.storage import geometry
from gridapp.storage.queries import cases as queries
from gridapp.storage.queries.case_list import (
    KEYSET_COLUMNS,
    SORT_COLUMNS,
    CaseFilter,
    CaseList,
    CaseScope,
)

__all__ = ["SORT_COLUMNS", "CaseFilter", "CaseQuery", "CaseRow", "case_ids_for_numbers",
           "grid_ids_for_codes", "list_cases", "my_work"]

_ACTIVE = ("dispatched", "in_progress", "sent_back")


@dataclass
class CaseRow:
    id: int
    case_no: str
    status: CaseStatus
    category: str
    grid_code: str
    department: str
    address: str
    description: str
    urgency: str
    reported_at: datetime
    deadline: datetime | None
    due_state: str | None
    lon: float
    lat: float
    parent_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Years without a holiday schedule the open deadline was counted over
    # (Monday-Friday fallback): the deadline is unverified (services.holidays).
    unsure_years: tuple[int, ...] = ()
    external_id: str | None = None  # the source's own id (编号) of an import

    @property
    def status_label(self) -> str:
        return self.status.label


def _case_scope_of(session: Session) -> CaseScope:
    """The cases this user may see, as the storage question's scope."""
    return CaseScope(visible_department_ids(session), own_grid_ids(session),
                     session.user.manager_id)


class CaseQuery:
    """A filtered, sorted case list that pages.

    Parameters
    ----------
    sort : str
        One of :data:`SORT_COLUMNS`; ties are broken by id.
    descending : bool
        Newest first by default.
    """

    def __init__(
        self,
        session: Session,
        flt: CaseFilter | None = None,
        *,
        sort: str = "reported_at",
        descending: bool = True,
        now: datetime | None = None,
    ) -> None:
        session.require("workspace.read")
        self.session = session
        self.filter = flt or CaseFilter()
        self.sort = sort
        self.descending = descending
        self.now = now or now_utc()
        self._list = CaseList(session.store, _case_scope_of(session), self.filter,
                              sort=sort, descending=descending, now=self.now)
        self._flag = DeadlineFlagger(session.store)

    def count(self) -> int:
        return self._list.count()

    def page(self, offset: int, limit: int) -> list[CaseRow]:
        """Rows *offset* .. *offset* + *limit* in order."""
        return [self._row(r) for r in self._list.page(offset, limit)]

    def after(self, last: CaseRow | None, limit: int) -> list[CaseRow]:
        """The *limit* rows after *last* (None: the first page), by key not offset."""
        if self.sort not in KEYSET_COLUMNS:
            raise ValidationError(
                "按“{s}”排序时请按页读取",
                "Sorting by '{s}' pages by offset",
                s=self.sort,
            )
        if last is None:
            return self.page(0, limit)
        key = (
            None if self.sort == "id"
            else to_iso(last.reported_at) if self.sort == "reported_at" else last.case_no
        )
        return [self._row(r) for r in self._list.after(last.id, key, limit)]

    def ids(self) -> list[int]:
        """Every matching id in order (for batch actions and map highlighting)."""
        return self._list.ids()

    def points(self) -> dict[str, Any]:
        """Every matching case as arrays for the map: ``id``, ``lon``, ``lat``,
        ``status``, ``category_id`` (numpy arrays, one read, no row objects)."""
        rows = self._list.point_rows()
        geoms = geometry.decode_many([r[1] for r in rows]) if rows else np.array([])
        xy = shapely.get_coordinates(geoms) if len(rows) else np.empty((0, 2))
        ok = ~shapely.is_empty(geoms) if len(rows) else np.array([], dtype=bool)
        return {
            "id": np.array([r[0] for r in rows], dtype=np.int64)[ok],
            "lon": xy[:, 0],
            "lat": xy[:, 1],
            "status": np.array([r[2] for r in rows], dtype=object)[ok],
            "category_id": np.array([r[3] or -1 for r in rows], dtype=np.int64)[ok],
        }

    def _row(self, r: Any) -> CaseRow:
        g = geometry.decode(r["geom"])
        return CaseRow(
            id=int(r["id"]),
            case_no=r["case_no"],
            status=CaseStatus(r["status"]),  # type: ignore[call-arg]
            category=r["category"] or "",
            grid_code=r["grid_code"] or "",
            department=r["department"] or "",
            address=r["address"] or "",
            description=r["description"] or "",
            urgency=r["urgency"],
            reported_at=from_iso(r["reported_at"]),  # type: ignore[arg-type]
            deadline=from_iso(r["deadline"]),
            due_state=case_due_state(r["deadline"], r["status"], self.now),
            lon=g.x if g is not None else float("nan"),
            lat=g.y if g is not None else float("nan"),
            parent_id=r["parent_id"],
            unsure_years=tuple(self._flag(r)),
            external_id=r["external_id"],
        )


def my_work(session: Session, base: CaseFilter | None = None) -> CaseFilter:
    """The cases waiting for this user's action, by role.

    * dispatcher, admin: reported (to register), registered (to dispatch),
      verified (to close);
    * liaison and office staff: dispatched, in progress or sent back to their
      department (office staff: the street office's own team);
    * grid manager: reported as done in their grids (to verify);
    * leader: overdue open cases.

    The filter only narrows: :class:`CaseQuery` still applies the user's
    record scope.
    """
    session.require("workspace.read")
    base = base or CaseFilter()
    role = session.user.role
    if role in (Role.DISPATCHER, Role.ADMIN):
        return replace(base, statuses=("reported", "registered", "verified"))
    if role is Role.LIAISON:
        return replace(base, statuses=_ACTIVE)
    if role is Role.OFFICE:
        office = queries.department_ids_of_kind(session.store, "office")
        return replace(base, statuses=_ACTIVE, department_ids=office or [-1])
    if role is Role.MANAGER:
        return replace(base, statuses=("handler_done",))
    return replace(base, overdue=True)


def list_cases(
    session: Session,
    flt: CaseFilter | None = None,
    *,
    limit: int = 100,
    offset: int = 0,
    sort: str = "reported_at",
    descending: bool = True,
) -> list[CaseRow]:
    """One page of the case list (a convenience over :class:`CaseQuery`)."""
    return CaseQuery(session, flt, sort=sort, descending=descending).page(offset, limit)


def grid_ids_for_codes(session: Session, codes: Sequence[str]) -> list[int]:
    """Ids of every grid version with one of *codes* (for a list filter)."""
    session.require("workspace.read")
    return [i for code in codes for i in queries.grid_ids_by_code(session.store, code)]


def case_ids_for_numbers(session: Session, case_nos: Sequence[str]) -> list[int]:
    """Case ids of case numbers, in order.

    Raises
    ------
    ValidationError
        A case number that no case has.
    """
    session.require("workspace.read")
    out = []
    for no in case_nos:
        rid = queries.report_id_by_case_no(session.store, no)
        if rid is None:
            raise ValidationError("没有案件编号 {no}", "No case number {no}", no=no)
        out.append(rid)
    return out
