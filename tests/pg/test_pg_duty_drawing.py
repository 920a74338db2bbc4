"""A duty area drawn in the window is saved on a district server too (issues 16, 21)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, box

from gridapp.errors import ValidationError
from gridapp.services.cases import duty_drawing, routing
from gridapp.services.session import system_session


def test_a_drawn_duty_area_is_saved_audited_and_removed_on_the_server(demo_workspace):
    session = system_session(demo_workspace)
    lon, lat = 106.71, 26.58
    before = dict(routing.duty_areas(session))
    area = duty_drawing.add_duty_area(session, box(lon - 0.001, lat - 0.001, lon + 0.001,
                                                   lat + 0.001), "market", "服务器上的市场")
    assert dict(routing.duty_areas(session)).get("market", 0) == before.get("market", 0) + 1
    row = demo_workspace.get("duty_area", area)
    assert row["name"] == "服务器上的市场"
    assert row["geom"].contains(Point(lon, lat))
    audited = demo_workspace.query(
        "SELECT action FROM audit_log WHERE table_name = 'duty_area' AND row_id = ?", (area,))
    assert [r[0] for r in audited] == ["insert"]
    routing.remove_duty_areas(session, [area])
    assert dict(routing.duty_areas(session)) == before
    with pytest.raises(ValidationError):  # a bow tie: nothing saved
        duty_drawing.add_duty_area(session, _bow_tie(lon, lat), "market")
    assert dict(routing.duty_areas(session)) == before


def _bow_tie(lon, lat):
    from shapely.geometry import Polygon

    return Polygon([(lon, lat), (lon + 0.001, lat + 0.001), (lon + 0.001, lat),
                    (lon, lat + 0.001)])
