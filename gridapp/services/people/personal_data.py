"""Residents' and reporters' personal data on its way out of the service layer.

Every read that returns names, phone numbers or ID numbers of residents and
reporters passes its rows through here: each row is shown in full only when
the reader's role reaches it (:data:`gridapp.domain.masking.REACH`: all
records, the cases their department handles, or their own grids) and masked
otherwise.  Each read that shows personal data in full is logged as one audit
entry (action ``view_personal``) naming the rows, not one entry per row; a
read that cannot be logged (a read-only workspace) is masked instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from gridapp.domain import masking
from gridapp.errors import PermissionDenied
from gridapp.services.session import Session, own_grid_ids, visible_department_ids

# Ids listed in one view entry; the count is always complete.
MAX_LOGGED_IDS = 200

E = TypeVar("E")


def log_full_view(session: Session, table: str | None, ids: Sequence[int], what: str) -> bool:
    """Write the one audit entry of a read that showed personal data in full.

    Returns False (nothing written) when the workspace cannot be written;
    the caller then masks what it was about to show.
    """
    if session.store.readonly:
        return False
    ids = sorted({int(i) for i in ids})
    with session.transaction() as tx:
        tx.audit(masking.VIEW_ACTION, table,
                 ids[0] if table is not None and len(ids) == 1 else None,
                 {"what": what, "count": len(ids), "ids": ids[:MAX_LOGGED_IDS],
                  "role": session.user.role.value})
    return True


def personal_export_columns(session: Session | None, mapping: Mapping[str, str],
                            include_personal: bool, row_ids: Sequence[int], *,
                            what: str) -> dict[str, str]:
    """The columns of an exported file to mask: ``{file column: kind}``.

    *mapping* maps GridApp's fields (``reporter_name``...) to the file's
    columns.  Empty (nothing masked) only when *include_personal* is asked
    for by a session whose role may export personal data, and the export was
    logged; asking without the permission raises :class:`PermissionDenied`.
    """
    columns = {col: masking.PERSONAL_COLUMNS[f] for f, col in mapping.items()
               if f in masking.PERSONAL_COLUMNS}
    if not include_personal or not columns:
        return columns
    if session is None:
        raise PermissionDenied("导出居民个人信息需要登录的用户",
                               "Exporting residents' personal data needs a logged-in user")
    masking.must_mask(session.user.role, export=True, include_personal=True)  # may raise
    if not log_full_view(session, None, row_ids, what):
        return columns
    return {}


def _reaches(session: Session) -> tuple[frozenset[int] | None, frozenset[int] | None]:
    """The user's departments and own grids, each only when their reach needs it."""
    r = masking.reach(session.user.role)
    deps = visible_department_ids(session) if r == masking.OWN_DEPARTMENT else None
    grids = own_grid_ids(session) if r == masking.OWN_GRID else None
    return deps, grids


def sees_case_in_full(session: Session, row: Mapping[str, Any],
                      reach: tuple[frozenset[int] | None, frozenset[int] | None] | None = None
                      ) -> bool:
    """Whether the user sees this case's reporter in full (no logging here)."""
    deps, grids = reach if reach is not None else _reaches(session)
    own_dep = deps is not None and row.get("department_id") in deps
    mine = session.user.manager_id
    own_grid = grids is not None and (row.get("grid_id") in grids or (
        mine is not None and row.get("reporter_manager_id") == mine))
    return masking.sees_in_full(session.user.role, own_department=own_dep, own_grid=own_grid)


def reveal_cases(session: Session, rows: Sequence[Mapping[str, Any]], *,
                 what: str = "case") -> list[dict[str, Any]]:
    """Case (report) rows as this user may see them; full views logged once.

    Rows need ``id`` and, for the record-scoped roles, ``department_id``,
    ``grid_id`` and ``reporter_manager_id``.
    """
    reach = _reaches(session)
    full = [sees_case_in_full(session, r, reach) for r in rows]
    shown = [int(r["id"]) for r, f in zip(rows, full, strict=True)
             if f and masking.has_personal(r)]
    if shown and not log_full_view(session, "report", shown, what):
        full = [False] * len(rows)
    return [dict(r) if f else masking.mask_record(r) for r, f in zip(rows, full, strict=True)]


def reveal_audit(session: Session, entries: Sequence[E]) -> list[E]:
    """Audit entries (with a ``changes`` field) as this user may see them.

    Only roles reaching every record see personal values in the log in full
    (the log mixes records of every department and grid); the leader sees
    them masked.  Entries are dataclasses; masked ones are copies.
    """
    if masking.reach(session.user.role) == masking.ALL:
        shown = [e.id for e in entries  # type: ignore[attr-defined]
                 if masking.changes_have_personal(e.changes)]  # type: ignore[attr-defined]
        if not shown or log_full_view(session, "audit_log", shown, "audit"):
            return list(entries)
    return [replace(e, changes=masking.mask_changes(e.changes))  # type: ignore[type-var, attr-defined]
            if masking.changes_have_personal(e.changes) else e  # type: ignore[attr-defined]
            for e in entries]
