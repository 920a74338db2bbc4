"""Routing by the duty list: proposals for each kind of handling, overrides."""

from __future__ import annotations

import pytest

from gridapp.domain.enums import Handling
from gridapp.errors import NotFoundError, ValidationError
from gridapp.services.cases.routing import (
    decide_routing,
    propose_handler,
    resolve_department,
)
from gridapp.services.session import system_session


@pytest.fixture
def ids(empty_workspace):
    store = empty_workspace
    cats = {r["code"]: r["id"] for r in store.query("SELECT id, code FROM category")}
    deps = {r["code"]: r["id"] for r in store.query("SELECT id, code FROM department")}
    return store, cats, deps


def test_office_department_joint_and_district(ids):
    store, cats, deps = ids
    p = propose_handler(system_session(store), cats["0101"])  # 暴露垃圾: the office itself
    assert (p.handling, p.department_id) == (Handling.OFFICE, deps["JD"])
    p = propose_handler(system_session(store), cats["0404"])  # 机动车乱停放: police
    assert (p.handling, p.department_id, p.assist_department_ids) == (
        Handling.DEPARTMENT,
        deps["GA"],
        (),
    )
    p = propose_handler(system_session(store), cats["0503"])  # 燃气泄漏: 应急 + 住建 + 消防
    assert p.handling is Handling.JOINT and p.department_id == deps["YJ"]
    assert set(p.assist_department_ids) == {deps["ZJ"], deps["XF"]}
    p = propose_handler(system_session(store), cats["0608"])  # 职责不清: district
    assert (p.handling, p.department_id) == (Handling.DISTRICT, deps["QZF"])
    assert "区人民政府" in p.explanation


def test_fallbacks_parent_category_and_none(ids):
    store, cats, deps = ids
    with store.transaction("t") as tx:
        tx.execute("DELETE FROM duty_item WHERE category_id = ?", (cats["0404"],))
        orphan = tx.insert(
            "category", {"code": "0699", "name": "无主事项", "parent_id": cats["06"]}
        )
        plain = tx.insert("category", {"code": "07", "name": "其他类"})
        child = tx.insert(
            "category", {"code": "0701", "name": "子类", "parent_id": plain}
        )
    p = propose_handler(system_session(store), cats["0404"])
    assert (p.source, p.department_id) == ("category", deps["GA"])
    assert propose_handler(system_session(store), orphan).handling is Handling.DISTRICT
    p = propose_handler(system_session(store), child)
    assert p.source == "none" and p.department_id == deps["QZF"]
    with pytest.raises(NotFoundError):
        propose_handler(system_session(store), 99999)


def test_confirm_and_override(ids):
    store, cats, deps = ids
    p = propose_handler(system_session(store), cats["0404"])
    d = decide_routing(system_session(store), p)
    assert not d.overridden and d.department_id == deps["GA"]
    assert not decide_routing(system_session(store), p, "GA").overridden
    with pytest.raises(ValidationError, match="原因"):
        decide_routing(system_session(store), p, "CG")
    d = decide_routing(system_session(store), p, "城管", reason="人行道上，属城管")
    assert d.overridden and d.department_id == deps["CG"] and d.reason
    d = decide_routing(system_session(store), p, deps["GA"], assist=("CG",), reason="需要协同")
    assert d.handling is Handling.JOINT and d.assist_department_ids == (deps["CG"],)
    with pytest.raises(NotFoundError):
        resolve_department(system_session(store), "不存在的部门")
