"""Drawing and editing buildings, their grid over time, and resident categories (issue 18)."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Polygon, box

from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.basedata import building_edit as be
from gridapp.services.basedata import categories as cat
from gridapp.services.basedata.households import add_household
from gridapp.services.basedata.links import relink_base_data
from gridapp.services.basedata.residents import ResidentDraft, add_resident
from tests.services.test_reports import DX, DY, X0, Y0, make_street


@pytest.fixture
def street(empty_workspace):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        yield make_street(empty_workspace)


def _audit(street, table):
    return [(r[0], json.loads(r[1]) if r[1] else None) for r in street.store.query(
        "SELECT action, changes FROM audit_log WHERE table_name = ? ORDER BY id", (table,))]


def _in_grid(k, size=0.0003):
    i, j = k % 2, k // 2
    x, y = X0 + i * DX + 0.001, Y0 + j * DY + 0.001
    return box(x, y, x + size, y + size)


def test_a_drawn_building_is_linked_by_location_and_audited(street):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        bid = be.add_building(street.session("office"), _in_grid(1),
                              be.BuildingDraft("富水南路9号", "住宅", "48", "6", "富水南路9号"))
    row = street.store.query("SELECT name, kind, households, floors, grid_id, community_id"
                             " FROM building WHERE id = ?", (bid,))[0]
    assert tuple(row) == ("富水南路9号", "住宅", 48, 6, street.grids[1], street.community)
    assert ("insert", "富水南路9号") in [(a, (c or {}).get("name")) for a, c in
                                       _audit(street, "building")]
    assert be.building_grid_on(street.session("leader"), bid, "2026-11-20") == street.grids[1]


def test_editing_returns_old_and_new_and_moving_relinks_with_history(street):
    office = street.session("office")
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        bid = be.add_building(office, _in_grid(0), be.BuildingDraft("1号楼", households=10))
    with use_clock(FixedClock("2026-11-25T06:00:00Z")):
        changes = be.update_building(office, bid, draft=be.BuildingDraft(
            "1号楼", households=12, floors=7))
        assert changes == {"households": [10, 12], "floors": [None, 7]}
        assert be.update_building(office, bid, draft=be.BuildingDraft(
            "1号楼", households=12, floors=7)) == {}  # nothing changed, nothing written
        # Redrawn on the other side of the grid line: now in grid 1.
        be.update_building(office, bid, footprint=_in_grid(1))
    assert ("update", {"households": [10, 12], "floors": [None, 7]}) in \
        _audit(street, "building")
    leader = street.session("leader")
    assert be.building_grid_on(leader, bid, "2026-11-21") == street.grids[0]
    assert be.building_grid_on(leader, bid, "2026-11-26") == street.grids[1]
    assert be.building_grid_on(leader, bid, "2026-11-01") is None  # not drawn yet


def test_building_grid_on_after_the_grids_are_redrawn(street):
    office = street.session("office")
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        bid = be.add_building(office, _in_grid(0), be.BuildingDraft("2号楼"))
    with use_clock(FixedClock("2026-12-01T02:00:00Z")):
        with street.store.transaction("test") as tx:
            tx.update("grid", street.grids[0], {"valid_to": "2026-12-01T02:00:00.000Z"})
            new = tx.insert("grid", {"geom": box(X0, Y0, X0 + DX, Y0 + DY),
                                     "code": "520102003001009", "name": "新网格",
                                     "community_id": street.community,
                                     "valid_from": "2026-12-01T02:00:00.000Z"})
        relink_base_data(office)
    leader = street.session("leader")
    assert be.building_grid_on(leader, bid, "2026-11-30") == street.grids[0]
    assert be.building_grid_on(leader, bid, "2026-12-01") == new  # end of that day


@pytest.mark.parametrize(("footprint", "draft", "word"), [
    (Polygon([(X0, Y0), (X0 + 0.001, Y0 + 0.001), (X0 + 0.001, Y0), (X0, Y0 + 0.001)]),
     be.BuildingDraft("x"), "自相交"),
    (box(X0, Y0, X0 + 0.02, Y0 + 0.001), be.BuildingDraft("x"), "1 公里"),
    (_in_grid(0), be.BuildingDraft("  "), "名称"),
    (_in_grid(0), be.BuildingDraft("x", households="很多"), "户数"),
    (_in_grid(0), be.BuildingDraft("x", floors=0), "层数"),
])
def test_bad_input_is_refused_with_a_message_and_writes_nothing(street, footprint, draft,
                                                                word):
    before = street.store.query("SELECT count(*) FROM building")[0][0]
    with pytest.raises(ValidationError) as err:
        be.add_building(street.session("office"), footprint, draft)
    assert word in err.value.zh.format(**err.value.params)
    assert street.store.query("SELECT count(*) FROM building")[0][0] == before


def test_a_manager_draws_only_in_their_own_grids_and_the_leader_not_at_all(street):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        be.add_building(street.session("manager"), _in_grid(1), be.BuildingDraft("甲"))
        with pytest.raises(PermissionDenied):
            be.add_building(street.session("manager"), _in_grid(3), be.BuildingDraft("乙"))
        with pytest.raises(PermissionDenied):
            be.add_building(street.session("leader"), _in_grid(0), be.BuildingDraft("丙"))


def test_delete_undoes_a_drawing_but_not_a_building_with_households(street):
    office = street.session("office")
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        empty = be.add_building(office, _in_grid(2), be.BuildingDraft("空楼"))
        lived = be.add_building(office, _in_grid(2, 0.0002), be.BuildingDraft("住楼"))
        add_household(office, lived, "101")
        be.delete_building(office, empty)
        with pytest.raises(ValidationError):
            be.delete_building(office, lived)
    names = [r[0] for r in street.store.query("SELECT name FROM building")]
    assert "空楼" not in names and "住楼" in names
    assert ("delete", "空楼") in [(a, (c or {}).get("name")) for a, c in
                                 _audit(street, "building")]


def test_categories_are_added_renamed_and_retired_audited(street):
    office = street.session("office")
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        cat.add_category(office, "veteran", "退役军人")
        with pytest.raises(ValidationError):
            cat.add_category(office, "veteran", "重复")
        with pytest.raises(ValidationError):
            cat.add_category(office, "Bad Code", "坏代码")
        with pytest.raises(ValidationError):
            cat.add_category(office, "veteran2", "退役军人")  # same name twice
        with pytest.raises(PermissionDenied):
            cat.add_category(street.session("manager"), "x_y", "不许")
        bid = be.add_building(office, _in_grid(0), be.BuildingDraft("3号楼"))
        hid = add_household(office, bid, "201")
        add_resident(office, ResidentDraft("赵六", hid, categories=["veteran"]))
        assert cat.update_category(office, "veteran", name="退役军人（优抚）",
                                   active=False) == {"name": ["退役军人", "退役军人（优抚）"],
                                                     "active": [1, 0]}
    rows = {c.code: c for c in cat.list_categories(street.session("leader"))}
    assert rows["veteran"].name == "退役军人（优抚）" and not rows["veteran"].active
    assert rows["veteran"].residents == 1
    with pytest.raises(ValidationError):  # a retired category is not offered for new entries
        add_resident(office, ResidentDraft("钱七", hid, categories=["veteran"]))
    assert [a for a, _ in _audit(street, "resident_category")] == ["insert", "update"]
