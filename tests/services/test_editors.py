"""The reference-data editors' services (issue 21): categories, departments and
their liaisons, clustering parameters per category, reactivating a manager, a
joint task's photos.  Each good edit is audited; each bad one changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gridapp.domain.enums import Role
from gridapp.errors import NotFoundError, PermissionDenied, ValidationError
from gridapp.services.cases import lookups
from gridapp.services.joint import clustering, proposals, tasks
from gridapp.services.people import managers
from gridapp.services.people.audit_view import query_audit
from gridapp.services.session import Session, User, system_session

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def _session(store, role: Role, department_id: int | None = None) -> Session:
    return Session(store, User(None, f"test_{role.value}", f"测试{role.zh}", role,
                               department_id=department_id))


def _category(store, code):
    admin = system_session(store)
    return next(r for r in lookups.category_rows(admin) if r["code"] == code)


def _audited(store, table, row_id):
    return query_audit(system_session(store), table=table, row_id=row_id)


def test_category_edit_is_checked_saved_and_audited(demo_workspace):
    store = demo_workspace
    office = _session(store, Role.OFFICE)
    row = _category(store, "0401")  # 占道经营, 2 office hours, seeded
    assert (row["name"], row["time_limit"], row["time_unit"]) == ("占道经营", 2, "workhour")
    before = len(_audited(store, "category", row["id"]))
    diff = lookups.update_category(office, row["id"], name="占道经营（含夜市）", time_limit="３",
                                   time_unit="workday")
    assert diff == {"name": ["占道经营", "占道经营（含夜市）"], "time_limit": [2, 3.0],
                    "time_unit": ["workhour", "workday"]}
    after = store.get("category", row["id"])
    assert (after["name"], after["time_limit"], after["time_unit"]) == (
        "占道经营（含夜市）", 3.0, "workday")
    entries = _audited(store, "category", row["id"])
    assert len(entries) == before + 1


@pytest.mark.parametrize(("changes", "words"), [
    ({"name": "  "}, "请填写分类名称"),
    ({"name": "店外经营"}, "同一大类下已有"),  # 0402's name, same class 04
    ({"name": "长" * 31}, "过长"),
    ({"time_limit": "两天"}, "不是数字"),
    ({"time_limit": 0}, "大于 0"),
    ({"time_limit": -1}, "大于 0"),
    ({"time_limit": 251, "time_unit": "workday"}, "250"),
    ({"time_limit": ""}, "请填写处置时限"),
    ({"time_unit": "fortnight"}, "未知的时限单位"),
    ({"department_id": 99999}, "未知或已停用的部门"),
    ({"code": "9999"}, "未知字段"),
])
def test_bad_category_edits_change_nothing(demo_workspace, changes, words):
    store = demo_workspace
    row = _category(store, "0401")
    before = len(_audited(store, "category", row["id"]))
    with pytest.raises(ValidationError, match=words):
        lookups.update_category(_session(store, Role.OFFICE), row["id"], **changes)
    assert _category(store, "0401") == row
    assert len(_audited(store, "category", row["id"])) == before


def test_only_office_and_admin_edit_categories_and_departments(demo_workspace):
    store = demo_workspace
    row = _category(store, "0401")
    for role in (Role.DISPATCHER, Role.MANAGER, Role.LEADER, Role.LIAISON):
        with pytest.raises(PermissionDenied):
            lookups.update_category(_session(store, role), row["id"], name="x")
        with pytest.raises(PermissionDenied):
            lookups.update_department(_session(store, role), 2, contact_person="x")
    assert _category(store, "0401") == row


def test_department_liaison_edit_and_refusals(demo_workspace):
    store = demo_workspace
    office = _session(store, Role.OFFICE)
    deps = {r["code"]: r for r in lookups.department_rows(office)}
    cg = deps["CG"]
    diff = lookups.update_department(office, cg["id"], contact_person=" 王 强 ",
                                     contact_phone="+86 138-0000-1111")
    assert diff["contact_person"][1] == "王 强"
    assert diff["contact_phone"][1] == "13800001111"
    assert len(_audited(store, "department", cg["id"])) >= 1
    saved = store.get("department", cg["id"])
    for bad, words in (({"contact_phone": "12345"}, "电话号码"),
                       ({"name": deps["GA"]["name"]}, "已有名为"),
                       ({"name": ""}, "请填写部门名称"),
                       ({"active": False}, "不能停用")):  # categories send work to 城管
        with pytest.raises(ValidationError, match=words):
            lookups.update_department(office, cg["id"], **bad)
        assert store.get("department", cg["id"]) == saved
    # the liaison can be cleared
    assert lookups.update_department(office, cg["id"], contact_phone="")["contact_phone"] == [
        "13800001111", None]


def test_liaison_accounts_by_department(demo_workspace):
    store = demo_workspace
    office = _session(store, Role.OFFICE)
    cg = next(r for r in lookups.department_rows(office) if r["code"] == "CG")
    accounts = lookups.department_liaison_accounts(office)
    # the demo street's liaison account chengguan belongs to 城管 (services/demo)
    assert "chengguan" in [a["username"] for a in accounts[cg["id"]]]
    assert all("password" not in k for a in accounts[cg["id"]] for k in a)
    with pytest.raises(PermissionDenied):
        lookups.department_liaison_accounts(_session(store, Role.DISPATCHER))


def test_cluster_params_per_category(demo_workspace):
    store = demo_workspace
    office = _session(store, Role.OFFICE)
    assert "B0101" not in clustering.category_params(office)
    before = clustering.set_category_params(office, "B0101",
                                            clustering.ClusterParams(eps_m=30, window_days=60))
    assert before is None
    got = clustering.category_params(office)["B0101"]
    assert (got.eps_m, got.window_days, got.min_samples) == (30, 60, None)
    assert store.setting("cluster.per_category")["B0101"] == {
        "eps_m": 30, "window_days": 60, "min_samples": None}
    entries = query_audit(system_session(store), table="setting")
    assert "cluster.per_category" in str(entries[0].changes)
    for code, params in (("B0101", clustering.ClusterParams(eps_m=1)),
                         ("B0101", clustering.ClusterParams(window_days=0)),
                         ("B0101", clustering.ClusterParams(min_samples=2)),
                         ("9999", clustering.ClusterParams())):
        with pytest.raises(ValidationError):
            clustering.set_category_params(office, code, params)
    assert clustering.category_params(office)["B0101"] == got
    with pytest.raises(PermissionDenied):
        clustering.set_category_params(_session(store, Role.DISPATCHER), "B0101", None)
    assert clustering.set_category_params(office, "B0101", None) == got
    assert "B0101" not in clustering.category_params(office)


def test_reactivate_manager_only_when_inactive(demo_workspace):
    store = demo_workspace
    office = _session(store, Role.OFFICE)
    mid = managers.list_managers(office)[0]["id"]
    with pytest.raises(ValidationError, match="在职"):
        managers.reactivate_manager(office, mid)
    managers.deactivate_manager(office, mid)
    managers.reactivate_manager(office, mid)
    assert store.get("manager", mid)["active"] == 1
    assert [e.changes for e in _audited(store, "manager", mid)][0] == {"active": [0, 1]}


def test_task_photos_listed_and_removed(demo_workspace):
    store = demo_workspace
    admin = system_session(store)
    ids = proposals.save_proposals(admin, clustering.find_clusters(admin).clusters)
    disp = _session(store, Role.DISPATCHER)
    task_id = proposals.accept(disp, ids[0], action_at=T0 + timedelta(hours=1),
                               deadline=T0 + timedelta(days=5), checkin_limit_minutes=30)
    tasks.summon(disp, task_id, T0)
    aid = tasks.add_photo(disp, task_id, b"\xff\xd8jpeg", phase="before", filename="a.jpg")
    listed = tasks.task_photos(disp, task_id)
    assert [(p["attachment_id"], p["phase"], p["filename"]) for p in listed] == [
        (aid, "before", "a.jpg")]
    assert tasks.task_photo_data(disp, task_id, aid) == b"\xff\xd8jpeg"
    outsider = _session(store, Role.LIAISON, department_id=99999)
    with pytest.raises(PermissionDenied):
        tasks.remove_photo(outsider, task_id, aid)
    tasks.remove_photo(disp, task_id, aid)
    assert tasks.task_photos(disp, task_id) == []
    assert _audited(store, "joint_task_attachment", listed[0]["link_id"])[0].action == "delete"
    with pytest.raises(NotFoundError):
        tasks.remove_photo(disp, task_id, aid)


def test_a_class_parameters_apply_to_its_sub_categories_events_and_components():
    own, cls, default = (clustering.ClusterParams(eps_m=e) for e in (30, 80, 50))
    per = {"B0101": own, "B01": cls, "04": cls}
    assert clustering._params_for("B0101", default, per) is own
    assert clustering._params_for("B0102", default, per) is cls  # component class B01
    assert clustering._params_for("0401", default, per) is cls
    assert clustering._params_for("0301", default, per) is default
