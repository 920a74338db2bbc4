"""The case list as a storage question: a typed filter and a scope in, pages out.

:class:`CaseFilter` says what the list shows, :class:`CaseScope` what the
user may see (worked out by the service from the session); :class:`CaseList`
turns both into one SQL condition over ``report r`` and answers count,
pages (by offset or by key), ids and map points.  Rows come back as
``sqlite3.Row`` with the columns of :data:`_SELECT`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from gridapp.domain.enums import OPEN_CASE_STATUSES, CaseStatus
from gridapp.domain.timeutil import to_iso
from gridapp.domain.workdays import DEFAULT_DUE_SOON
from gridapp.errors import ValidationError
from gridapp.storage import case_scope

if TYPE_CHECKING:
    from gridapp.storage.store import GeoPackageStore

_OPEN = tuple(sorted(s.value for s in OPEN_CASE_STATUSES))
SORT_COLUMNS = ("reported_at", "case_no", "id", "deadline", "status")
KEYSET_COLUMNS = ("reported_at", "case_no", "id")
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


@dataclass(frozen=True)
class CaseScope:
    """The cases a user may see; ``None`` fields do not limit.

    ``department_ids``: the departments handled or assisted on (a liaison);
    ``grid_ids`` with ``manager_id``: a grid manager's grids and the cases
    they filed themselves.
    """

    department_ids: frozenset[int] | None = None
    grid_ids: frozenset[int] | None = None
    manager_id: int | None = None


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def _scope(scope: CaseScope) -> tuple[list[str], list[Any]]:
    deps = scope.department_ids
    if deps is not None:
        if not deps:
            return ["0 = 1"], []
        # the cases they handle and the joint cases they assist on (协办)
        sql, p = case_scope.departments_condition(sorted(deps))
        return [sql], p
    grids = scope.grid_ids
    if grids is not None:
        parts: list[str] = []
        params: list[Any] = []
        if grids:
            sql, params = _in("r.grid_id", sorted(grids))
            parts.append(sql)
        if scope.manager_id is not None:
            parts.append("r.reporter_manager_id = ?")
            params.append(scope.manager_id)
        return [f"({' OR '.join(parts)})" if parts else "0 = 1"], params
    return [], []


def build_where(
    scope: CaseScope,
    flt: CaseFilter,
    now: datetime,
    due_soon: timedelta = DEFAULT_DUE_SOON,
) -> tuple[str, list[Any]]:
    """SQL condition over ``report r`` and its parameters (visibility included)."""
    where, params = _scope(scope)

    def add(sql: str, p: Sequence[Any] = ()) -> None:
        where.append(sql)
        params.extend(p)

    open_marks = ", ".join("?" for _ in _OPEN)
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
        add(f"r.deadline < ? AND r.status IN ({open_marks})", [to_iso(now), *_OPEN])
    elif flt.overdue is False:
        add(
            f"NOT (r.deadline IS NOT NULL AND r.deadline < ? AND r.status IN "
            f"({open_marks}))",
            [to_iso(now), *_OPEN],
        )
    if flt.due_soon:
        add(
            f"r.deadline >= ? AND r.deadline <= ? AND r.status IN ({open_marks})",
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


class CaseList:
    """One filtered, sorted case list over the store; counts once.

    Parameters
    ----------
    sort : str
        One of :data:`SORT_COLUMNS`; ties are broken by id.
    """

    def __init__(
        self, store: GeoPackageStore, scope: CaseScope, flt: CaseFilter, *,
        sort: str, descending: bool, now: datetime,
    ) -> None:
        if sort not in SORT_COLUMNS:
            raise ValidationError("不能按“{s}”排序", "Cannot sort by '{s}'", s=sort)
        self.store = store
        self.filter = flt
        self.sort = sort
        self.descending = descending
        self._where, self._params = build_where(scope, flt, now)
        self._count: int | None = None
        self._dense: bool | None = None

    def _order(self) -> str:
        d = "DESC" if self.descending else "ASC"
        if self.sort == "id":
            return f"r.id {d}"
        return f"r.{self.sort} {d}, r.id {d}"

    def count(self) -> int:
        if self._count is None:
            self._count = int(self.store.scalar(
                f"SELECT count(*) FROM report r WHERE {self._where}", self._params))
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
        status_like = bool(f.statuses or f.open_only or f.overdue is not None or f.due_soon)
        if self.sort == "reported_at" and status_like:
            if self._dense is None:
                total = int(self.store.scalar("SELECT count(*) FROM report") or 0)
                self._dense = total > 0 and self.count() * _DENSE_SHARE >= total
            if self._dense:
                src = "report r INDEXED BY report_reported_at"
        return _SELECT.format(src=src)

    def page(self, offset: int, limit: int) -> list[Any]:
        """Rows *offset* .. *offset* + *limit* in order."""
        return self.store.query(
            f"{self._select()} WHERE {self._where} ORDER BY {self._order()} LIMIT ? OFFSET ?",
            [*self._params, int(limit), int(offset)],
        )

    def after(self, last_id: int, last_key: Any, limit: int) -> list[Any]:
        """The *limit* rows after the row (*last_key*, *last_id*) in order."""
        if self.sort not in KEYSET_COLUMNS:
            raise ValidationError(
                "按“{s}”排序时请按页读取", "Sorting by '{s}' pages by offset", s=self.sort
            )
        op = "<" if self.descending else ">"
        if self.sort == "id":
            cond, key = f"r.id {op} ?", [last_id]
        else:
            cond, key = f"(r.{self.sort}, r.id) {op} (?, ?)", [last_key, last_id]
        return self.store.query(
            f"{self._select()} WHERE {self._where} AND {cond} ORDER BY {self._order()} LIMIT ?",
            [*self._params, *key, int(limit)],
        )

    def ids(self) -> list[int]:
        """Every matching id in order."""
        return [int(r[0]) for r in self.store.query(
            f"SELECT r.id FROM report r WHERE {self._where} ORDER BY {self._order()}",
            self._params)]

    def point_rows(self) -> list[Any]:
        """``id, geom, status, category_id`` of every match (unordered)."""
        return self.store.query(
            f"SELECT r.id, r.geom, r.status, r.category_id FROM report r WHERE {self._where}",
            self._params,
        )
