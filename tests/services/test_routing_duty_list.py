"""The duty-list editor's services: add, change, remove lines; checked and audited."""

from __future__ import annotations

import pytest

from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.cases.routing import (
    add_duty_line,
    area_kinds,
    duty_list,
    propose_handler,
    remove_duty_line,
    update_duty_line,
)
from tests.services.test_reports import make_street


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


def _audits(street, action):
    return street.store.scalar(
        "SELECT count(*) FROM audit_log WHERE table_name = 'duty_item' AND action = ?",
        (action,))


def test_a_line_for_markets_is_added_changed_and_removed_audited(street):
    office, cats, deps = street.session("office"), street.categories, street.departments
    before = len(duty_list(office))
    line = add_duty_line(office, category_id=cats["0401"], handling="department",
                         department_id=deps["SCJG"], area_kind="market")
    rows = {r["id"]: r for r in duty_list(office)}
    assert len(rows) == before + 1
    assert (rows[line]["category_code"], rows[line]["department_name"],
            rows[line]["area_kind"], rows[line]["role"]) == (
        "0401", "区市场监督管理局", "market", "lead")
    assert _audits(street, "insert") >= 1
    changes = update_duty_line(office, line, department_id=deps["GA"])
    assert changes == {"department_id": [deps["SCJG"], deps["GA"]]}
    assert update_duty_line(office, line, department_id=deps["GA"]) == {}
    assert dict(remove_duty_line(office, line))["department_id"] == deps["GA"]
    assert len(duty_list(office)) == before
    assert _audits(street, "delete") == 1
    assert ("market", "集贸市场") in area_kinds(office)


def test_bad_lines_are_refused_and_change_nothing(street):
    office, cats, deps = street.session("office"), street.categories, street.departments
    before = duty_list(office)
    bad = [
        {"handling": "department", "department_id": deps["CG"]},  # no category
        {"category_id": cats["0401"], "handling": "department"},  # no department
        {"category_id": cats["0401"], "handling": "somehow", "department_id": deps["CG"]},
        {"category_id": cats["0401"], "handling": "department", "department_id": 999},
        {"category_id": cats["0401"], "handling": "department", "department_id": deps["GA"],
         "role": "boss"},
        # 0401 already goes to CG everywhere: the same line twice
        {"category_id": cats["0401"], "handling": "department", "department_id": deps["CG"]},
        # a second lead for 0401 everywhere
        {"category_id": cats["0401"], "handling": "department", "department_id": deps["GA"]},
        {"category_id": cats["0401"], "handling": "department", "department_id": deps["GA"],
         "area_kind": "x" * 31},
    ]
    for values in bad:
        with pytest.raises(ValidationError):
            add_duty_line(office, **values)
    assert duty_list(office) == before
    # an assisting department for 0401 is fine; district escalation may name none
    add_duty_line(office, category_id=cats["0401"], handling="department",
                  department_id=deps["GA"], role="assist")
    add_duty_line(office, category_id=cats["0402"], handling="district",
                  department_id=None, area_kind="compound")
    with pytest.raises(PermissionDenied):
        add_duty_line(street.session("dispatcher"), category_id=cats["0402"],
                      handling="department", department_id=deps["GA"], area_kind="market")


def test_an_edited_line_changes_the_proposal(street):
    office, cats, deps = street.session("office"), street.categories, street.departments
    line = next(r["id"] for r in duty_list(office)
                if r["category_code"] == "0404" and r["role"] == "lead")
    update_duty_line(office, line, department_id=deps["JT"])
    assert propose_handler(office, cats["0404"]).department_id == deps["JT"]
