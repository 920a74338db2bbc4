"""Named questions about joint enforcement: clusters, proposals, tasks, orders.

Each function takes either the store (reads) or an open transaction: a
task step re-reads the rows it checks inside its own ``BEGIN IMMEDIATE``
transaction, so two processes acting on one task at once cannot both pass a
check made on a stale read (the lost check-in).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gridapp.storage import geometry


def _rows(db: Any, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    if hasattr(db, "query"):
        return list(db.query(sql, list(params)))
    return list(db.execute(sql, list(params)).fetchall())


def _marks(ids: Sequence[Any]) -> str:
    return ", ".join("?" for _ in ids) or "NULL"


# -- reference data -------------------------------------------------------------
def active_department_ids(db: Any) -> set[int]:
    return {int(r[0]) for r in _rows(db, "SELECT id FROM department WHERE active")}


def office_department_ids(db: Any) -> set[int]:
    """The street office's own units (kind ``office``)."""
    return {int(r[0]) for r in _rows(db, "SELECT id FROM department WHERE kind = 'office'")}


def department_names(db: Any) -> dict[int, str]:
    return {int(r[0]): r[1] for r in _rows(db, "SELECT id, name FROM department")}


def active_departments(db: Any) -> list[tuple[int, str, str]]:
    """(id, name, kind) of the active departments, by id."""
    return [(int(r[0]), r[1], r[2]) for r in _rows(
        db, "SELECT id, name, kind FROM department WHERE active ORDER BY id")]


def department_ids_named(db: Any, value: str) -> list[int]:
    """Ids of departments whose code, id (as text) or name is *value*."""
    return [int(r[0]) for r in _rows(
        db, "SELECT id FROM department WHERE code = ? OR CAST(id AS TEXT) = ? OR name = ?",
        [value, value, value])]


def department_contact(db: Any, department_id: int) -> str | None:
    rows = _rows(db, "SELECT contact_person FROM department WHERE id = ?", [int(department_id)])
    return rows[0][0] if rows else None


def category_names(db: Any) -> dict[str, str]:
    """Category code → name, by code."""
    return {r[0]: r[1] for r in _rows(db, "SELECT code, name FROM category ORDER BY code")}


def category_codes(db: Any) -> set[str]:
    return {r[0] for r in _rows(db, "SELECT code FROM category")}


def duty_departments(db: Any) -> list[tuple[str, int]]:
    """(category code, department id) of the duty list's lines for everywhere, leads first."""
    return [(r[0], int(r[1])) for r in _rows(
        db, "SELECT c.code, d.department_id FROM duty_item d JOIN category c "
            "ON c.id = d.category_id WHERE d.department_id IS NOT NULL AND d.area_kind IS NULL "
            "ORDER BY d.role = 'lead' DESC, d.id")]


def category_departments(db: Any) -> list[tuple[str, int | None]]:
    """(category code, default department id or None) of every category."""
    return [(r[0], None if r[1] is None else int(r[1]))
            for r in _rows(db, "SELECT code, department_id FROM category")]


def decode_points(blobs: list[bytes | None]) -> tuple[np.ndarray, np.ndarray]:
    """x, y of GeoPackage point blobs; NaN for missing or empty ones.

    The common case (little-endian point blobs without envelope, 29 bytes)
    is decoded in one NumPy view; anything else goes through shapely.
    """
    n = len(blobs)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    lengths = np.fromiter((len(b) if b is not None else 0 for b in blobs), np.int64, n)
    fast = lengths == 29
    if fast.any():
        buf = np.frombuffer(b"".join(b for b, f in zip(blobs, fast, strict=True)
                                     if f and b is not None), np.uint8)
        rec = buf.reshape(-1, 29)
        ok = (rec[:, 3] & 0x1F) == 0x01  # little-endian, no envelope, not empty
        ok &= (rec[:, 8] == 1) & (rec[:, 9] == 1)  # WKB little-endian point
        xy = rec[:, 13:29].copy().view("<f8")
        fi = np.flatnonzero(fast)
        x[fi[ok]], y[fi[ok]] = xy[ok, 0], xy[ok, 1]
        fast[fi[~ok]] = False
    slow = np.flatnonzero(~fast & (lengths > 0))
    if len(slow):
        for i in slow:
            g = geometry.decode(blobs[i])
            if g is not None and not g.is_empty and g.geom_type == "Point":
                x[i], y[i] = g.x, g.y
    return x, y



# -- reports --------------------------------------------------------------------
def report_points(db: Any, start_iso: str | None, end_iso: str | None,
                  category_codes: Sequence[str] = ()) -> list[Any]:
    """Rows (id, geom, julianday filed, julianday closed, category code, grid id,
    department id) of reports filed in ``[start, end)``; a two-letter code takes
    its class's sub-categories."""
    where, params = ["1 = 1"], []
    if start_iso is not None:
        where.append("r.reported_at >= ?")
        params.append(start_iso)
    if end_iso is not None:
        where.append("r.reported_at < ?")
        params.append(end_iso)
    if category_codes:
        where.append("(" + " OR ".join("c.code = ? OR c.code LIKE ?"
                                       for _ in category_codes) + ")")
        for c in category_codes:
            params += [c, c + "__" if len(c) == 2 else c]
    return _rows(
        db, "SELECT r.id, r.geom, julianday(r.reported_at), julianday(r.closed_at), c.code, "
            "r.grid_id, r.department_id FROM report r LEFT JOIN category c "
            f"ON c.id = r.category_id WHERE {' AND '.join(where)} ORDER BY r.id", params)


def existing_report_ids(db: Any, ids: Sequence[int]) -> set[int]:
    return {int(r[0]) for r in _rows(db, f"SELECT id FROM report WHERE id IN ({_marks(ids)})",
                                     list(ids))}


def report_status(db: Any, report_id: int) -> str | None:
    rows = _rows(db, "SELECT status FROM report WHERE id = ?", [int(report_id)])
    return rows[0][0] if rows else None


def case_numbers(db: Any, report_ids: Sequence[int]) -> list[str]:
    """Case numbers of *report_ids*, in filing order."""
    if not report_ids:
        return []
    return [r[0] for r in _rows(
        db, f"SELECT case_no FROM report WHERE id IN ({_marks(report_ids)}) "
            "ORDER BY reported_at, id", list(report_ids))]


def order_cases(db: Any, report_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Member cases as a task order lists them (category, grid; ``geom`` a shapely
    point or None)."""
    rows = [dict(r) for r in _rows(
        db, "SELECT r.id, r.case_no, r.address, r.reported_at, r.status, c.name AS category, "
            "g.name AS grid, g.code AS grid_code, r.geom FROM report r "
            "LEFT JOIN category c ON c.id = r.category_id LEFT JOIN grid g ON g.id = r.grid_id "
            f"WHERE r.id IN ({_marks(report_ids)}) ORDER BY r.reported_at", list(report_ids))]
    for r in rows:
        r["geom"] = geometry.decode(r["geom"])
    return rows


# -- proposals ------------------------------------------------------------------
def dismissed_proposal_reports(db: Any) -> list[str]:
    """The ``report_ids`` JSON of every dismissed proposal."""
    return [r[0] for r in _rows(
        db, "SELECT report_ids FROM cluster_proposal WHERE status = 'dismissed'")]


def proposal_ids(db: Any, status: str | None) -> list[int]:
    """Proposal ids of *status* (None: all), best score first."""
    where = "status = ?" if status else "1 = 1"
    return [int(r[0]) for r in _rows(
        db, f"SELECT id FROM cluster_proposal WHERE {where} ORDER BY score DESC, id",
        [status] if status else [])]


# -- tasks ----------------------------------------------------------------------
def count_task_numbers(db: Any, prefix: str) -> int:
    """How many tasks have a number starting with *prefix* (numbers the next one)."""
    return int(_rows(db, "SELECT count(*) FROM joint_task WHERE task_no LIKE ?",
                     [prefix + "%"])[0][0])


def task_ids(db: Any, state: str | None, department_ids: Sequence[int] | None) -> list[int]:
    """Ids of tasks in *state* (None: any) to which one of *department_ids* was
    summoned (None: any task)."""
    where, params = ["1 = 1"], []
    if state is not None:
        where.append("j.state = ?")
        params.append(state)
    if department_ids is not None:
        where.append("j.id IN (SELECT task_id FROM task_department WHERE department_id IN "
                     f"({_marks(department_ids)}))")
        params.extend(department_ids)
    return [int(r[0]) for r in _rows(
        db, "SELECT j.id FROM joint_task j WHERE " + " AND ".join(where), params)]


def task_row(db: Any, task_id: int) -> dict[str, Any] | None:
    """The task's own columns, without its footprint (None: no such task)."""
    rows = _rows(db, "SELECT id, task_no, title, state, lead_department_id, action_at,"
                     " deadline, checkin_limit_minutes, summoned_at, results"
                     " FROM joint_task WHERE id = ?", [int(task_id)])
    return dict(rows[0]) if rows else None


def member_report_ids(db: Any, task_id: int) -> list[int]:
    return [int(r[0]) for r in _rows(
        db, "SELECT report_id FROM task_case WHERE task_id = ? ORDER BY report_id",
        [int(task_id)])]


def task_department_row(db: Any, task_id: int, department_id: int | None
                        ) -> dict[str, Any] | None:
    """One summoned department's row of the task (None: not summoned)."""
    if department_id is None:
        return None
    rows = _rows(db, "SELECT * FROM task_department WHERE task_id = ? AND department_id = ?",
                 [int(task_id), int(department_id)])
    return dict(rows[0]) if rows else None


def task_department_ids(db: Any, task_id: int) -> dict[int, int]:
    """department id → task_department row id, for every summoned department."""
    return {int(r[1]): int(r[0]) for r in _rows(
        db, "SELECT id, department_id FROM task_department WHERE task_id = ?", [int(task_id)])}


def task_departments(db: Any, task_id: int) -> list[dict[str, Any]]:
    """Every task_department row with the department's name and phone, the lead first."""
    return [dict(r) for r in _rows(
        db, "SELECT t.*, d.name, d.contact_phone FROM task_department t JOIN department d "
            "ON d.id = t.department_id WHERE t.task_id = ? ORDER BY t.role = 'lead' DESC, t.id",
        [int(task_id)])]


def departments_with_contacts(db: Any, task_id: int) -> list[dict[str, Any]]:
    """Every department of the task with its name, phone and check-in, the lead first."""
    return [dict(r) for r in _rows(
        db, "SELECT t.id, t.department_id, d.name, t.contact_person, d.contact_phone,"
            " t.checkin_at"
            " FROM task_department t JOIN department d ON d.id = t.department_id"
            " WHERE t.task_id = ? ORDER BY t.role = 'lead' DESC, t.id", [int(task_id)])]


def departments_without_checkin(db: Any, task_id: int) -> list[dict[str, Any]]:
    """(id, department_id) of the task's departments that have not checked in."""
    return [dict(r) for r in _rows(
        db, "SELECT id, department_id FROM task_department WHERE task_id = ?"
            " AND checkin_at IS NULL ORDER BY id", [int(task_id)])]


def checked_in_count(db: Any, task_id: int) -> int:
    rows = _rows(db, "SELECT count(*) FROM task_department WHERE task_id = ?"
                     " AND checkin_at IS NOT NULL", [int(task_id)])
    return int(rows[0][0])


def escalation_count(db: Any) -> int:
    """How many 督办单 of tasks were ever issued (numbers the next one)."""
    return int(_rows(db, "SELECT count(*) FROM task_escalation")[0][0])


def latest_escalation(db: Any, task_id: int) -> dict[str, Any] | None:
    """The task's latest escalation row with the task's number, title and times."""
    rows = _rows(
        db, "SELECT e.*, j.task_no, j.title, j.summoned_at, j.checkin_limit_minutes "
            "FROM task_escalation e JOIN joint_task j ON j.id = e.task_id "
            "WHERE e.task_id = ? ORDER BY e.at DESC, e.id DESC LIMIT 1", [int(task_id)])
    return dict(rows[0]) if rows else None


def user_display_name(db: Any, username: str) -> str | None:
    rows = _rows(db, "SELECT display_name FROM app_user WHERE username = ?", [username])
    return rows[0][0] if rows else None


def task_photo_ids(db: Any, task_id: int) -> list[int]:
    """Attachment ids of the task's photos, oldest first."""
    return [int(r[0]) for r in _rows(
        db, "SELECT related_id FROM joint_task_attachment WHERE base_id = ? ORDER BY related_id",
        [int(task_id)])]


# -- layers ---------------------------------------------------------------------
def task_footprints(store: Any) -> Any:
    """Every joint task's footprint (the ``joint_task`` layer, read on the store's
    own connection so a write made a moment ago is seen)."""
    return store.read_layer("joint_task", "1 = 1")


def map_context_frames(store: Any, box: tuple[float, float, float, float]) -> dict[str, Any]:
    """Current grids and buildings (id and geometry, EPSG:4490) intersecting *box*."""
    tables = store.feature_tables()
    frames: dict[str, Any] = {}
    for name, where in (("grid", "valid_to IS NULL"), ("building", None)):
        if name not in tables:
            continue
        frame = store.read_layer(name, where, (), columns=["id"])
        frame = frame[frame.geometry.notna()]
        frames[name] = frame.cx[box[0]:box[2], box[1]:box[3]] if len(frame) else frame
    return frames
