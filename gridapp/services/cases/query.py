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
from datetime import datetime, timedelta
from typing import Any

from gridapp.domain.enums import OPEN_CASE_STATUSES, CaseStatus, Role
from gridapp.domain.timeutil import from_iso, now_utc, to_iso
from gridapp.domain.workdays import DEFAULT_DUE_SOON
from gridapp.errors import ValidationError
from gridapp.services.cases.holidays import DeadlineFlagger
from gridapp.services.cases.workflow import case_due_state
from gridapp.services.session import Session, own_grid_ids, visible_department_ids
from gridapp.storage import case_scope, geometry

_OPEN = tuple(sorted(s.value for s in OPEN_CASE_STATUSES))
_ACTIVE = ("dispatched", "in_progress", "sent_back")
SORT_COLUMNS = ("reported_at", "case_no", "id", "deadline", "status")
_KEYSET_COLUMNS = ("reported_at", "case_no", "id")
# Walk the time index when at least 1 in this many cases match (see _select).
_DENSE_SHARE = 50


@dataclass(frozen=True)
class CaseFilter:
    """What the case list shows; empty fields do not filter.

    ``category_ids`` may name top-level classes: their sub-categories match.
    ``overdue`` True keeps open cases past their deadline, False the others;
    ``due_soon`` keeps open cases within the due-soon window.  ``text``
    searches case number, description, address and the source's own id;
    ``external_id`` keeps the one case an import gave that id (编号).
    """

    statuses: Sequence[str] = ()
    category_ids: Sequence[int] = ()
    grid_ids: Sequence[int] = ()
    community_ids: Sequence[int] = ()
    manager_id: int | None = None
    department_ids: Sequence[int] = ()
    urgency: str | None = None
    overdue: bool | None = None
    due_soon: bool = False
    open_only: bool = False
    escalated: bool | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    text: str = ""
    top_level_only: bool = False
    reporter_manager_id: int | None = None
    external_id: str = ""


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


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def _scope(session: Session) -> tuple[list[str], list[Any]]:
    deps = visible_department_ids(session)
    if deps is not None:
        if not deps:
            return ["0 = 1"], []
        # the cases they handle and the joint cases they assist on (协办)
        sql, p = case_scope.departments_condition(sorted(deps))
        return [sql], p
    grids = own_grid_ids(session)
    if grids is not None:
        mine = session.user.manager_id
        parts: list[str] = []
        params: list[Any] = []
        if grids:
            sql, params = _in("r.grid_id", sorted(grids))
            parts.append(sql)
        if mine is not None:
            parts.append("r.reporter_manager_id = ?")
            params.append(mine)
        return [f"({' OR '.join(parts)})" if parts else "0 = 1"], params
    return [], []


def build_where(
    session: Session,
    flt: CaseFilter,
    now: datetime | None = None,
    due_soon: timedelta = DEFAULT_DUE_SOON,
) -> tuple[str, list[Any]]:
    """SQL condition over ``report r`` and its parameters (visibility included)."""
    now = now or now_utc()
    where, params = _scope(session)

    def add(sql: str, p: Sequence[Any] = ()) -> None:
        where.append(sql)
        params.extend(p)

    if flt.statuses:
        bad = [s for s in flt.statuses if s not in {c.value for c in CaseStatus}]
        if bad:
            raise ValidationError(
                "未知的案件状态：{s}", "Unknown case status: {s}", s=", ".join(bad)
            )
        add(*_in("r.status", [str(s) for s in flt.statuses]))
    if flt.open_only:
        add(*_in("r.status", _OPEN))
    if flt.category_ids:
        ids = list(flt.category_ids)
        marks = ", ".join("?" for _ in ids)
        add(
            f"(r.category_id IN ({marks}) OR r.category_id IN "
            f"(SELECT id FROM category WHERE parent_id IN ({marks})))",
            ids + ids,
        )
    if flt.grid_ids:
        add(*_in("r.grid_id", flt.grid_ids))
    if flt.community_ids:
        add(*_in("r.community_id", flt.community_ids))
    if flt.manager_id is not None:
        add(
            "r.grid_id IN (SELECT grid_id FROM grid_assignment WHERE manager_id = ? "
            "AND valid_to IS NULL)",
            [flt.manager_id],
        )
    if flt.reporter_manager_id is not None:
        add("r.reporter_manager_id = ?", [flt.reporter_manager_id])
    if flt.department_ids:
        add(*_in("r.department_id", flt.department_ids))
    if flt.urgency:
        add("r.urgency = ?", [flt.urgency])
    if flt.overdue is True:
        add(
            f"r.deadline < ? AND r.status IN ({', '.join('?' for _ in _OPEN)})",
            [to_iso(now), *_OPEN],
        )
    elif flt.overdue is False:
        add(
            f"NOT (r.deadline IS NOT NULL AND r.deadline < ? AND r.status IN "
            f"({', '.join('?' for _ in _OPEN)}))",
            [to_iso(now), *_OPEN],
        )
    if flt.due_soon:
        add(
            f"r.deadline >= ? AND r.deadline <= ? AND r.status IN "
            f"({', '.join('?' for _ in _OPEN)})",
            [to_iso(now), to_iso(now + due_soon), *_OPEN],
        )
    if flt.escalated is not None:
        add("r.escalated_at IS NOT NULL" if flt.escalated else "r.escalated_at IS NULL")
    if flt.date_from is not None:
        add("r.reported_at >= ?", [to_iso(flt.date_from)])
    if flt.date_to is not None:
        add("r.reported_at < ?", [to_iso(flt.date_to)])
    if flt.external_id.strip():
        add("r.external_id = ?", [flt.external_id.strip()])
    if flt.top_level_only:
        add("r.parent_id IS NULL")
    text = flt.text.strip()
    if text:
        like = (
            "%"
            + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        add(
            "(r.case_no LIKE ? ESCAPE '\\' OR r.description LIKE ? ESCAPE '\\' "
            "OR r.address LIKE ? ESCAPE '\\' OR r.external_id LIKE ? ESCAPE '\\')",
            [like, like, like, like],
        )
    return (" AND ".join(where) or "1 = 1"), params


_SELECT = (
    "SELECT r.id, r.case_no, r.status, r.urgency, r.address, r.description, r.reported_at, "
    "r.deadline, r.parent_id, r.geom, r.dispatched_at, r.category_id, r.external_id, "
    "c.name AS category, g.code AS grid_code, "
    "d.name AS department FROM {src} "
    "LEFT JOIN category c ON c.id = r.category_id LEFT JOIN grid g ON g.id = r.grid_id "
    "LEFT JOIN department d ON d.id = r.department_id"
)


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
        if sort not in SORT_COLUMNS:
            raise ValidationError("不能按“{s}”排序", "Cannot sort by '{s}'", s=sort)
        self.session = session
        self.filter = flt or CaseFilter()
        self.sort = sort
        self.descending = descending
        self.now = now or now_utc()
        self._where, self._params = build_where(session, self.filter, self.now)
        self._count: int | None = None
        self._dense: bool | None = None
        self._flag = DeadlineFlagger(session.store)

    def _order(self) -> str:
        d = "DESC" if self.descending else "ASC"
        if self.sort == "id":
            return f"r.id {d}"
        return f"r.{self.sort} {d}, r.id {d}"

    def count(self) -> int:
        if self._count is None:
            self._count = int(
                self.session.store.scalar(
                    f"SELECT count(*) FROM report r WHERE {self._where}", self._params
                )
            )
        return self._count

    def _select(self) -> str:
        """The SELECT, steering SQLite to walk the sort index when that is faster.

        With a status-like filter SQLite prefers the status index and then
        sorts every match for each page (about a second over 500,000 open
        cases).  When the matches are a sizeable share of all cases, walking
        the time index in order and filtering finds a page's rows within a
        few hundred steps; rare matches keep the planner's choice.
        """
        src = "report r"
        f = self.filter
        status_like = bool(
            f.statuses or f.open_only or f.overdue is not None or f.due_soon
        )
        if self.sort == "reported_at" and status_like:
            if self._dense is None:
                total = int(
                    self.session.store.scalar("SELECT count(*) FROM report") or 0
                )
                self._dense = total > 0 and self.count() * _DENSE_SHARE >= total
            if self._dense:
                src = "report r INDEXED BY report_reported_at"
        return _SELECT.format(src=src)

    def page(self, offset: int, limit: int) -> list[CaseRow]:
        """Rows *offset* .. *offset* + *limit* in order."""
        rows = self.session.store.query(
            f"{self._select()} WHERE {self._where} ORDER BY {self._order()} LIMIT ? OFFSET ?",
            [*self._params, int(limit), int(offset)],
        )
        return [self._row(r) for r in rows]

    def after(self, last: CaseRow | None, limit: int) -> list[CaseRow]:
        """The *limit* rows after *last* (None: the first page), by key not offset."""
        if self.sort not in _KEYSET_COLUMNS:
            raise ValidationError(
                "按“{s}”排序时请按页读取",
                "Sorting by '{s}' pages by offset",
                s=self.sort,
            )
        if last is None:
            return self.page(0, limit)
        op = "<" if self.descending else ">"
        if self.sort == "id":
            cond, key = f"r.id {op} ?", [last.id]
        else:
            value = (
                to_iso(last.reported_at) if self.sort == "reported_at" else last.case_no
            )
            cond, key = f"(r.{self.sort}, r.id) {op} (?, ?)", [value, last.id]  # type: ignore[list-item]
        rows = self.session.store.query(
            f"{self._select()} WHERE {self._where} AND {cond} ORDER BY {self._order()} LIMIT ?",
            [*self._params, *key, int(limit)],
        )
        return [self._row(r) for r in rows]

    def ids(self) -> list[int]:
        """Every matching id in order (for batch actions and map highlighting)."""
        return [
            int(r[0])
            for r in self.session.store.query(
                f"SELECT r.id FROM report r WHERE {self._where} ORDER BY {self._order()}",
                self._params,
            )
        ]

    def points(self) -> dict[str, Any]:
        """Every matching case as arrays for the map: ``id``, ``lon``, ``lat``,
        ``status``, ``category_id`` (numpy arrays, one read, no row objects)."""
        import numpy as np
        import shapely

        rows = self.session.store.query(
            f"SELECT r.id, r.geom, r.status, r.category_id FROM report r "
            f"WHERE {self._where}",
            self._params,
        )
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
    """
    base = base or CaseFilter()
    role = session.user.role
    if role in (Role.DISPATCHER, Role.ADMIN):
        return replace(base, statuses=("reported", "registered", "verified"))
    if role is Role.LIAISON:
        return replace(base, statuses=_ACTIVE)
    if role is Role.OFFICE:
        office = [
            int(r[0])
            for r in session.store.query(
                "SELECT id FROM department WHERE kind = 'office'"
            )
        ]
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
