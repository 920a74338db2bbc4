"""Personal data on every read path, per role: shown in full (and logged once) or masked.

The expected masked forms are written out by hand from the rule (surname
kept, two stars; first three and last four digits of a mobile), not computed
with the code under test.  Audit rows are read back with plain sqlite3.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gridapp.domain import masking
from gridapp.domain.enums import Role
from gridapp.domain.permissions import PERMISSIONS
from gridapp.errors import PermissionDenied
from gridapp.services.cases import reports
from gridapp.services.cases.query import CaseFilter, CaseQuery
from gridapp.services.cases.reports import ReportDraft, file_report
from gridapp.services.cases.workflow import advance_case
from gridapp.services.people import audit_view
from gridapp.services.session import Session, User

NAME, NAME_MASKED = "欧阳娜娜", "欧阳*"  # issue 18: surname and one star
PHONE, PHONE_MASKED = "13812345678", "138****5678"
T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def _rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _views(path: Path) -> list[dict[str, Any]]:
    return [json.loads(c) for (c,) in _rows(
        path, "SELECT changes FROM audit_log WHERE action = 'view_personal' ORDER BY id")]


def _session(store: Any, role: Role, *, department_id: int | None = None,
             manager_id: int | None = None) -> Session:
    return Session(store, User(None, f"t_{role.value}", "测试", role,
                               department_id=department_id, manager_id=manager_id))


@pytest.fixture
def joint_case(demo_workspace):
    """A case with a reporter, handled by one department and assisted by another."""
    store = demo_workspace
    path = store.path
    (lon_lat_rid,) = _rows(path, "SELECT id FROM report WHERE grid_id IS NOT NULL "
                                 "ORDER BY id LIMIT 1")[0]
    geom = store.get("report", lon_lat_rid)["geom"]
    (category,) = _rows(path, "SELECT code FROM category WHERE parent_id IS NOT NULL "
                              "ORDER BY id LIMIT 1")[0]
    disp = _session(store, Role.DISPATCHER)
    rid = file_report(disp, ReportDraft(category=category, lon=geom.x, lat=geom.y,
                                        description="占道经营", reporter_name=NAME,
                                        reporter_phone=PHONE, reported_at=T0)).report_id
    deps = [d for (d,) in _rows(path, "SELECT id FROM department WHERE kind != 'district' "
                                      "ORDER BY id")]
    handler, helper, other = deps[1], deps[2], deps[3]
    advance_case(disp, rid, "register", "立案")
    advance_case(disp, rid, "dispatch", "多部门联合处置", handler=handler, assist=[helper])
    grid = _rows(path, "SELECT grid_id FROM report WHERE id = ?", (rid,))[0][0]
    mine = _rows(path, "SELECT manager_id FROM grid_assignment WHERE grid_id = ? AND "
                       "valid_to IS NULL ORDER BY id LIMIT 1", (grid,))[0][0]
    stranger = _rows(path, "SELECT manager_id FROM grid_assignment WHERE valid_to IS NULL AND "
                           "manager_id NOT IN (SELECT manager_id FROM grid_assignment WHERE "
                           "grid_id = ? AND valid_to IS NULL) ORDER BY id LIMIT 1", (grid,))[0][0]
    return store, rid, {"handler": handler, "helper": helper, "other": other,
                        "mine": mine, "stranger": stranger}


# who reads the case: (role, binding) -> "full" | "masked" | "denied"
CASE_READERS = [
    ("admin", Role.ADMIN, None, "full"),
    ("office", Role.OFFICE, None, "full"),
    ("dispatcher", Role.DISPATCHER, None, "full"),
    ("leader", Role.LEADER, None, "masked"),
    ("handling liaison", Role.LIAISON, "handler", "full"),
    ("assisting liaison", Role.LIAISON, "helper", "masked"),
    ("other liaison", Role.LIAISON, "other", "denied"),
    ("grid's manager", Role.MANAGER, "mine", "full"),
    ("other manager", Role.MANAGER, "stranger", "denied"),
]


@pytest.mark.parametrize(("who", "role", "binding", "expect"), CASE_READERS,
                         ids=[c[0] for c in CASE_READERS])
def test_case_detail_per_role(joint_case, who, role, binding, expect):
    store, rid, ids = joint_case
    kw: dict[str, Any] = {}
    if role is Role.LIAISON:
        kw["department_id"] = ids[binding]
    if role is Role.MANAGER:
        kw["manager_id"] = ids[binding]
    session = _session(store, role, **kw)
    views_before = len(_views(store.path))
    if expect == "denied":
        with pytest.raises(PermissionDenied):
            reports.get_case(session, rid)
        assert len(_views(store.path)) == views_before
        return
    row = reports.get_case(session, rid)
    assert row["id"] == rid and row["description"] == "占道经营"
    views = _views(store.path)
    if expect == "full":
        assert (row["reporter_name"], row["reporter_phone"]) == (NAME, PHONE)
        assert len(views) == views_before + 1  # one entry for the read
        assert views[-1]["ids"] == [rid] and views[-1]["role"] == role.value
        assert NAME not in json.dumps(views[-1], ensure_ascii=False)
    else:
        assert (row["reporter_name"], row["reporter_phone"]) == (NAME_MASKED, PHONE_MASKED)
        assert len(views) == views_before


def test_get_report_without_a_session_is_masked(joint_case):
    store, rid, _ = joint_case
    row = reports.get_report(store, rid)
    assert (row["reporter_name"], row["reporter_phone"]) == (NAME_MASKED, PHONE_MASKED)


def test_an_assisting_department_sees_the_joint_case_in_its_list(joint_case):
    store, rid, ids = joint_case
    listed = {k: CaseQuery(_session(store, Role.LIAISON, department_id=ids[k])).ids()
              for k in ("handler", "helper", "other")}
    assert rid in listed["handler"]
    assert rid in listed["helper"]  # 协办: was missing
    assert rid not in listed["other"]
    # the assisting department's list also keeps the cases it handles itself
    own = {r for (r,) in _rows(store.path, "SELECT id FROM report WHERE department_id = ?",
                               (ids["helper"],))}
    assert own <= set(listed["helper"])
    assert set(listed["helper"]) == own | {rid}
    # ... and it may read but not act on the lead's case
    helper = _session(store, Role.LIAISON, department_id=ids["helper"])
    with pytest.raises(PermissionDenied):
        advance_case(helper, rid, "start", "")
    assert CaseQuery(helper, CaseFilter(text="占道经营")).count() >= 1


# who reads the audit log: role -> "full" | "masked" | "denied"
AUDIT_READERS = {Role.ADMIN: "full", Role.LEADER: "masked", Role.OFFICE: "denied",
                 Role.DISPATCHER: "denied", Role.LIAISON: "denied", Role.MANAGER: "denied"}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_audit_viewer_per_role(joint_case, role):
    store, rid, ids = joint_case
    session = _session(store, role, department_id=ids["handler"]
                       if role is Role.LIAISON else None,
                       manager_id=ids["mine"] if role is Role.MANAGER else None)
    expect = AUDIT_READERS[role]
    before = len(_views(store.path))
    if expect == "denied":
        with pytest.raises(PermissionDenied):
            audit_view.query_audit(session, table="report", row_id=rid)
        return
    entries = audit_view.query_audit(session, table="report", row_id=rid)
    insert = next(e for e in entries if e.action == "insert")
    shown = (insert.changes["reporter_name"], insert.changes["reporter_phone"])
    views = _views(store.path)
    if expect == "full":
        assert shown == (NAME, PHONE)
        assert len(views) == before + 1 and insert.id in views[-1]["ids"]
    else:
        assert shown == (NAME_MASKED, PHONE_MASKED)
        assert len(views) == before
    # the stored entry itself is untouched
    stored = json.loads(_rows(store.path, "SELECT changes FROM audit_log WHERE id = ?",
                              (insert.id,))[0][0])
    assert stored["reporter_phone"] == PHONE


def test_one_view_entry_per_read_however_many_rows(joint_case):
    store, _, _ = joint_case
    admin = _session(store, Role.ADMIN)
    n_personal = _rows(store.path, "SELECT count(*) FROM audit_log WHERE changes LIKE ?",
                       (f"%{PHONE}%",))[0][0]
    assert n_personal >= 1
    before = len(_views(store.path))
    audit_view.query_audit(admin, limit=100_000)
    audit_view.query_audit(admin, limit=100_000)
    views = _views(store.path)
    assert len(views) == before + 2
    assert all(v["count"] >= n_personal for v in views[-2:])


def test_a_read_only_workspace_masks_what_it_cannot_log(joint_case):
    store, rid, _ = joint_case
    path = store.path
    store.close()
    from gridapp.storage import open_store

    with open_store(path, readonly=True) as ro:
        row = reports.get_case(_session(ro, Role.DISPATCHER), rid)
        assert (row["reporter_name"], row["reporter_phone"]) == (NAME_MASKED, PHONE_MASKED)
        entries = audit_view.query_audit(_session(ro, Role.ADMIN), table="report", row_id=rid)
        insert = next(e for e in entries if e.action == "insert")
        assert insert.changes["reporter_phone"] == PHONE_MASKED
    assert _views(path) == []


def test_the_reach_table_agrees_with_the_permission_table():
    full = {r for r, reach in masking.REACH.items() if reach == masking.ALL}
    assert full == set(PERMISSIONS["personal_data.view"])
    assert set(masking.REACH) == set(Role)


def test_masked_update_entries_keep_their_shape():
    out = masking.mask_changes({"reporter_name": ["张三丰", None], "status": ["a", "b"]})
    assert out == {"reporter_name": ["张*", None], "status": ["a", "b"]}


# -- the rejected-rows CSV of a report import -------------------------------------
REJECTS_READERS = [  # who asks for the names and phones in clear -> "full" | "denied"
    (Role.ADMIN, "full"), (Role.OFFICE, "full"), (Role.DISPATCHER, "full"),
    (Role.LIAISON, "denied"), (Role.MANAGER, "denied"), (Role.LEADER, "denied"),
]


@pytest.fixture
def rejected_import(empty_workspace, tmp_path):
    from gridapp.services.cases.report_import import prepare_report_import
    from tests.services.test_reports import make_street

    street = make_street(empty_workspace)
    lon, lat = street.inside(0)
    path = tmp_path / "reports.csv"
    path.write_text(
        "经度,纬度,事件类型,问题描述,联系人,联系电话\n"
        f"{lat:.6f},{lon:.6f},占道经营,写反了,{NAME},{PHONE}\n"
        "124.5,29.5,占道经营,在海里,张三丰,13956781234\n", encoding="utf-8")
    preview = prepare_report_import(street.session("dispatcher"), path)
    assert len(preview.rejected) == 2
    return street.store, preview, tmp_path


def _csv_rows(path: Path) -> list[list[str]]:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_rejected_rows_csv_is_masked_by_default(rejected_import):
    store, preview, tmp = rejected_import
    preview.write_rejected(tmp / "rejects.csv")
    header, first, second = _csv_rows(tmp / "rejects.csv")
    assert first[header.index("联系人")] == NAME_MASKED
    assert first[header.index("联系电话")] == PHONE_MASKED
    assert second[header.index("联系人")] == "张*"
    assert second[header.index("联系电话")] == "139****1234"
    assert first[header.index("问题描述")] == "写反了"  # other columns untouched
    assert _views(store.path) == []


@pytest.mark.parametrize(("role", "expect"), REJECTS_READERS, ids=lambda v: str(v))
def test_rejected_rows_csv_in_clear_per_role(rejected_import, role, expect):
    store, preview, tmp = rejected_import
    out = tmp / "rejects_clear.csv"
    session = _session(store, role)
    if expect == "denied":
        with pytest.raises(PermissionDenied):
            preview.write_rejected(out, session=session, include_personal=True)
        assert not out.exists() and _views(store.path) == []
        return
    preview.write_rejected(out, session=session, include_personal=True)
    header, first, _ = _csv_rows(out)
    assert (first[header.index("联系人")], first[header.index("联系电话")]) == (NAME, PHONE)
    views = _views(store.path)
    assert len(views) == 1 and views[0]["what"] == "rejected_rows_csv"
    assert views[0]["count"] == 2
