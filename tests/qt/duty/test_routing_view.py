"""The case detail says why the duty list proposes a handler, and flags 近边界.

A market (80 m square) is drawn around a point of wgy01's grid and the duty
list sends 占道经营 there to market supervision; everywhere else it goes to
city management.
"""

from __future__ import annotations

import math

import pytest
from shapely.geometry import box

from gridapp.qt.cases.routing_view import RoutedCaseDetail
from gridapp.qt.reports.common import WARNING_STYLE
from gridapp.services.cases import reports
from gridapp.services.cases.workflow import advance_case
from gridapp.services.session import own_grid_ids
from tests.qt.editors.conftest import chinese_ui, login_as  # noqa: F401  (fixtures)

HALF = 40.0  # metres


@pytest.fixture
def market(demo_workspace, login_as):  # noqa: F811
    p = demo_workspace.get("grid", min(own_grid_ids(login_as("wgy01"))))["geom"]
    c = p.representative_point()
    k = 111_320.0 * math.cos(math.radians(c.y))
    dx, dy = HALF / k, HALF / 111_320.0
    deps = {r["code"]: r["id"] for r in demo_workspace.query("SELECT id, code FROM department")}
    cat = demo_workspace.scalar("SELECT id FROM category WHERE code = '0401'")
    with demo_workspace.transaction("test") as tx:
        tx.insert("duty_area", {"geom": box(c.x - dx, c.y - dy, c.x + dx, c.y + dy),
                                "kind": "market", "name": "测试农贸市场"})
        tx.insert("duty_item", {"category_id": cat, "handling": "department",
                                "department_id": deps["SCJG"], "role": "lead",
                                "area_kind": "market"})
    return c.x, c.y, k


def _registered_case(login_as, lon, lat):  # noqa: F811
    filed = reports.file_report(login_as("wgy01"), reports.ReportDraft(
        category="0401", lon=lon, lat=lat, description="占道经营"))
    advance_case(login_as("zhihui"), filed.report_id, "register", "")
    return filed.report_id


@pytest.fixture
def detail(qtbot, login_as, chinese_ui):  # noqa: F811
    w = RoutedCaseDetail(login_as("zhihui"))
    qtbot.addWidget(w)
    w.resize(420, 700)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_the_area_rule_is_stated_under_the_handler(detail, login_as, market):  # noqa: F811
    lon, lat, _k = market
    detail.set_case(_registered_case(login_as, lon, lat))
    assert "dispatch" in detail.action_buttons
    why = detail.routing_why
    assert why.isVisible()
    assert "0401 占道经营" in why.text() and "区市场监督管理局" in why.text()
    assert "集贸市场“测试农贸市场”" in why.text()
    assert "近边界" not in why.text() and why.styleSheet() != WARNING_STYLE


def test_near_the_market_edge_both_handlers_are_shown(detail, login_as, market):  # noqa: F811
    lon, lat, k = market
    detail.set_case(_registered_case(login_as, lon + (HALF - 6) / k, lat))  # 6 m inside
    text = detail.routing_why.text()
    assert "近边界" in text and "候选" in text
    assert "区市场监督管理局" in text and "区城市管理局" in text
    assert detail.routing_why.styleSheet() == WARNING_STYLE


def test_nothing_to_dispatch_nothing_shown(detail, login_as, market):  # noqa: F811
    lon, lat, _k = market
    filed = reports.file_report(login_as("wgy01"), reports.ReportDraft(
        category="0401", lon=lon, lat=lat))
    detail.set_case(filed.report_id)  # reported: the dispatcher registers first
    assert "dispatch" not in detail.action_buttons
    assert not detail.routing_why.isVisible()
    detail.clear()
    assert detail.routing_why.text() == ""
