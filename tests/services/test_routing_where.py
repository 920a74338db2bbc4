"""Routing by where: duty-list lines for an area kind, near-boundary flags, reasons.

Hand-made geometry: the 2 × 2 grid street of test_reports and one market
(200 m × 200 m at the middle of grid 4) whose 占道经营 goes to market
supervision instead of city management.
"""

from __future__ import annotations

import math

import pytest
from shapely.geometry import box

from gridapp.domain.enums import Handling
from gridapp.services.cases.reports import ReportDraft, file_report
from gridapp.services.cases.routing import propose_for_case, propose_handler
from tests.services.test_reports import DX, DY, X0, Y0, make_street

LAT = Y0 + DY
M_LON = 1 / (111_320.0 * math.cos(math.radians(LAT)))  # degrees of longitude in 1 m
MARKET = (X0 + DX + 0.001, Y0 + DY + 0.001, X0 + DX + 0.003, Y0 + DY + 0.003)


@pytest.fixture
def street(empty_workspace):
    st = make_street(empty_workspace)
    with st.store.transaction("test") as tx:
        tx.insert("duty_area", {"geom": box(*MARKET), "kind": "market", "name": "花果园农贸市场"})
        tx.insert("duty_item", {"category_id": st.categories["0401"], "handling": "department",
                                "department_id": st.departments["SCJG"], "role": "lead",
                                "area_kind": "market"})
    return st


def _mid_market():
    return (MARKET[0] + MARKET[2]) / 2, (MARKET[1] + MARKET[3]) / 2


def test_inside_the_market_the_area_rule_wins_and_says_so(street):
    s = street.session("dispatcher")
    p = propose_handler(s, street.categories["0401"], *_mid_market())
    assert (p.handling, p.department_id) == (Handling.DEPARTMENT, street.departments["SCJG"])
    assert (p.source, p.area_kind, p.area_name) == ("area_rule", "market", "花果园农贸市场")
    assert not p.near_boundary
    assert "0401 占道经营" in p.reasons[0] and "区市场监督管理局" in p.reasons[0]
    assert "集贸市场“花果园农贸市场”" in p.reasons[1]


def test_elsewhere_and_without_a_position_the_line_for_everywhere_applies(street):
    s = street.session("dispatcher")
    for where in ((*street.inside(0),), ()):
        p = propose_handler(s, street.categories["0401"], *where)
        assert (p.department_id, p.source, p.area_kind) == (
            street.departments["CG"], "duty_list", None)
        assert len(p.reasons) == 1 and "区城市管理局" in p.reasons[0]
    # another category in the market: no rule for the area, the usual handler
    p = propose_handler(s, street.categories["0404"], *_mid_market())
    assert p.department_id == street.departments["GA"] and p.area_kind is None


def test_ten_metres_inside_the_market_edge_shows_both_handlers(street):
    s = street.session("dispatcher")
    lon, lat = MARKET[2] - 10 * M_LON, _mid_market()[1]
    p = propose_handler(s, street.categories["0401"], lon, lat)
    assert p.department_id == street.departments["SCJG"]
    assert [(c.kind, c.department_name) for c in p.near_boundary] == [
        ("area", "区市场监督管理局"), ("area", "区城市管理局")]
    assert p.near_boundary[1].distance_m == pytest.approx(10, abs=0.5)
    assert any("近边界" in r for r in p.reasons)
    # a GPS fix good to 5 m is clearly inside
    assert not propose_handler(s, street.categories["0401"], lon, lat,
                               accuracy_m=5).near_boundary
    # a category the market rule does not touch: same handler both sides, no flag
    assert not propose_handler(s, street.categories["0404"], lon, lat).near_boundary


def test_eight_metres_from_a_grid_boundary_names_both_grids(street):
    s = street.session("dispatcher")
    lon, lat = X0 + DX + 8 * M_LON, Y0 + DY / 2  # grid 2, 8 m east of grid 1
    p = propose_handler(s, street.categories["0404"], lon, lat)
    assert [(c.kind, c.label.split()[0][-3:]) for c in p.near_boundary] == [("grid", "002"),
                                                                   ("grid", "001")]
    assert [round(c.distance_m) for c in p.near_boundary] == [0, 8]
    assert "近边界" in p.reasons[-1] and "520102003001001" in p.reasons[-1]
    assert not propose_handler(s, street.categories["0404"], lon, lat,
                               accuracy_m=5).near_boundary


def test_close_to_the_street_edge_offers_the_neighbouring_street(street):
    s = street.session("dispatcher")
    lon, lat = X0 + 12 * M_LON, Y0 + DY / 2
    p = propose_handler(s, street.categories["0404"], lon, lat)
    assert [c.kind for c in p.near_boundary] == ["street", "street"]
    assert p.near_boundary[0].label == "测试街道"
    assert p.near_boundary[1].distance_m == pytest.approx(12, abs=0.5)
    assert "相邻街道" in p.reasons[-1]


def test_a_case_is_routed_by_its_own_position(street):
    lon, lat = _mid_market()
    filed = file_report(street.session("dispatcher"),
                        ReportDraft(category="0401", lon=lon, lat=lat))
    p = propose_for_case(street.session("dispatcher"), filed.report_id)
    assert p.department_id == street.departments["SCJG"] and p.source == "area_rule"


def _geojson(tmp_path, features):
    import json

    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geom}
        for props, geom in features]}, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _square(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1],
                                                [x0, y0]]]}


def test_duty_areas_are_imported_from_a_file_and_route_at_once(street, tmp_path):
    from gridapp.errors import PermissionDenied, ValidationError
    from gridapp.services.cases.routing import (
        add_duty_line,
        duty_areas,
        import_duty_areas,
        remove_duty_areas,
    )

    office = street.session("office")
    x0, y0 = street.inside(0, 0.2, 0.2)
    x1, y1 = street.inside(0, 0.4, 0.4)
    road = _geojson(tmp_path, [({"类型": "main_road", "名称": "花果园大道"},
                                _square(x0, y0, x1, y1))])
    ids = import_duty_areas(office, road)
    assert len(ids) == 1 and ("main_road", 1) in duty_areas(office)
    add_duty_line(office, category_id=street.categories["0404"], handling="department",
                  department_id=street.departments["JT"], area_kind="main_road")
    p = propose_handler(office, street.categories["0404"], (x0 + x1) / 2, (y0 + y1) / 2)
    assert (p.department_id, p.area_name) == (street.departments["JT"], "花果园大道")
    # refused files change nothing: a line, a polygon without a kind
    before = duty_areas(office)
    for bad in ([({"类型": "market"}, {"type": "LineString",
                                      "coordinates": [[x0, y0], [x1, y1]]})],
                [({"名称": "无类型"}, _square(x0, y0, x1, y1))]):
        with pytest.raises(ValidationError):
            import_duty_areas(office, _geojson(tmp_path, bad))
    assert duty_areas(office) == before
    with pytest.raises(PermissionDenied):
        import_duty_areas(street.session("dispatcher"), road)
    assert remove_duty_areas(office, ids) == 1
    assert duty_areas(office) == [("market", 1)]  # the fixture's market stays


def test_dispatching_as_proposed_follows_the_area_rule(street):
    """Dispatch with no handler named takes the proposal the dispatcher was shown:
    the one for the case's own place (the market's department), not the category's."""
    from gridapp.services.cases.workflow import advance_case

    lon, lat = _mid_market()
    dispatcher = street.session("dispatcher")
    rid = file_report(dispatcher, ReportDraft(category="0401", lon=lon, lat=lat)).report_id
    advance_case(dispatcher, rid, "register")
    res = advance_case(dispatcher, rid, "dispatch")
    assert not res.routing.overridden
    assert street.store.get("report", rid)["department_id"] == street.departments["SCJG"]
    elsewhere = file_report(dispatcher, ReportDraft(category="0401", lon=street.inside(0)[0],
                                                    lat=street.inside(0)[1])).report_id
    advance_case(dispatcher, elsewhere, "register")
    advance_case(dispatcher, elsewhere, "dispatch")
    assert street.store.get("report", elsewhere)["department_id"] == street.departments["CG"]


def test_area_lines_do_not_leak_into_the_readers_of_the_whole_duty_list(street):
    """Clustering's departments, the demo's lead duties and the poster's office duties
    read the lines for everywhere: the market line must not replace 0401's lead."""
    from gridapp.storage.queries import tasks as task_rows
    from gridapp.storage.queries import workspace as ws_rows

    deps = [d for code, d in task_rows.duty_departments(street.store) if code == "0401"]
    assert street.departments["SCJG"] not in deps and deps[0] == street.departments["CG"]
    with street.store.transaction("test") as tx:
        assert ws_rows.lead_duties(tx)["0401"][1] == street.departments["CG"]
