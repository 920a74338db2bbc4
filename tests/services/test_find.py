"""The search box's service (issue 21): grids, communities, places, buildings and case
numbers by what the user types, each with a box to zoom to; cases only in the user's
record scope."""

from __future__ import annotations

import pytest

from gridapp.services.cases.drafts import ReportDraft
from gridapp.services.cases.reports import file_report
from gridapp.services.find import find_features
from tests.services.test_reports import DX, DY, X0, Y0, make_street


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


def _kinds(hits):
    return [(h.kind, h.label) for h in hits]


def test_grid_by_code_and_by_name_with_its_box(street):
    hits = find_features(street.session("leader"), "520102003001002")
    assert _kinds(hits) == [("grid", "520102003001002 第2网格")]
    # grid 2 is the east half of the lower row (see make_street)
    assert hits[0].box == pytest.approx((X0 + DX, Y0, X0 + 2 * DX, Y0 + DY), abs=2e-5)  # the R-tree keeps float32 boxes
    by_name = find_features(street.session("leader"), "第3网格")
    assert _kinds(by_name) == [("grid", "520102003001003 第3网格")]


def test_substring_finds_every_kind_that_matches(street):
    hits = find_features(street.session("office"), "花果园")
    assert ("community", "520102003001 花果园社区") in _kinds(hits)
    assert [h.kind for h in hits].count("grid") == 0
    assert _kinds(find_features(street.session("office"), "市场")) == [("place", "农贸市场")]
    assert _kinds(find_features(street.session("office"), "3栋")) == [("building", "3栋")]


def test_blank_and_wildcards_find_nothing(street):
    session = street.session("office")
    assert find_features(session, "   ") == []
    assert find_features(session, "%") == []  # a typed % is a percent sign, not "anything"
    assert find_features(session, "_") == []


def test_case_numbers_by_prefix_within_the_record_scope(street):
    office = street.session("office")
    lon, lat = X0 + 0.25 * DX, Y0 + 0.25 * DY  # grid 1: manager's grid
    mine = file_report(office, ReportDraft(category="0401", lon=lon, lat=lat,
                                           description="占道摆摊")).case_no
    lon2, lat2 = X0 + 1.5 * DX, Y0 + 1.5 * DY  # grid 4: manager2's grid
    other = file_report(office, ReportDraft(category="0401", lon=lon2, lat=lat2,
                                            description="占道摆摊")).case_no
    assert {h.code for h in find_features(office, mine[:8]) if h.kind == "case"} == {mine, other}
    found = find_features(street.session("manager"), mine)
    assert [(h.kind, h.code) for h in found] == [("case", mine)]
    assert found[0].box[0] == pytest.approx(lon, abs=2e-5)  # the R-tree keeps float32 boxes
    assert [h for h in find_features(street.session("manager"), other) if h.kind == "case"] == []
