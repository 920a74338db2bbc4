"""Building and place import (issue 18): GBK shapefile, CSV points, all or nothing, links."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.errors import ImportFileError, PermissionDenied
from gridapp.services.basedata.building_import import (
    import_base_data,
    preview_base_import,
)
from gridapp.services.basedata.links import grid_on, relink_base_data
from gridapp.services.basedata.residents import grid_population
from tests.services.test_reports import DX, DY, X0, Y0, make_street


@pytest.fixture
def street(empty_workspace):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        yield make_street(empty_workspace)


def buildings_shp(path, households=(120, 80)):
    frame = gpd.GeoDataFrame(
        {"楼栋名称": ["富水南路1号", "富水南路2号"], "户数": list(households),
         "层数": [18, 6], "地址": ["富水南路1号", "富水南路2号"]},
        geometry=[box(X0 + 0.001, Y0 + 0.001, X0 + 0.0013, Y0 + 0.0013),      # grid 0
                  box(X0 + DX + 0.001, Y0 + 0.001, X0 + DX + 0.0013, Y0 + 0.0013)],  # grid 1
        crs=4490)
    frame.to_file(path, encoding="GBK", engine="pyogrio")
    return path


def test_gbk_shapefile_imports_and_links_buildings_to_grids(street, tmp_path):
    path = buildings_shp(tmp_path / "楼栋.shp")
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        preview = preview_base_import(street.session("office"), path)
        assert preview.mapping["name"] == "楼栋名称" and preview.mapping["households"] == "户数"
        assert import_base_data(street.session("office"), preview) == 2
    rows = street.store.query("SELECT name, households, floors, grid_id FROM building"
                              " WHERE name LIKE '富水%' ORDER BY name")
    assert [tuple(r) for r in rows] == [("富水南路1号", 120, 18, street.grids[0]),
                                        ("富水南路2号", 80, 6, street.grids[1])]
    counts = {p.grid_id: p.households for p in grid_population(street.session("leader"))}
    assert counts[street.grids[0]] == 120 and counts[street.grids[1]] == 80


def test_bad_households_refuse_the_whole_file_and_write_rejects(street, tmp_path):
    path = buildings_shp(tmp_path / "bad.shp", households=(12, -3))
    before = street.store.query("SELECT count(*) FROM building")[0][0]
    with pytest.raises(ImportFileError) as err:
        import_base_data(street.session("office"), path)
    assert "户数" in str(err.value)
    assert (tmp_path / "bad.rejects.csv").exists()
    assert street.store.query("SELECT count(*) FROM building")[0][0] == before


def test_places_from_csv_coordinates(street, tmp_path):
    path = tmp_path / "places.csv"
    lon, lat = street.inside(3)
    path.write_text(f"名称,类型,经度,纬度\n第一小学,学校,{lon},{lat}\n", encoding="utf-8")
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        assert import_base_data(street.session("office"), path, "place") == 1
    row = street.store.query("SELECT kind, grid_id FROM place WHERE name = '第一小学'")[0]
    assert tuple(row) == ("学校", street.grids[3])


def test_relinking_after_a_grid_change_keeps_the_history(street):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        relink_base_data(street.session("office"))
    building = street.store.query("SELECT id FROM building")[0][0]
    # The office redraws: grid 0 closes on 2026-12-01 and a new grid takes its place.
    with use_clock(FixedClock("2026-12-01T02:00:00Z")):
        with street.store.transaction("test") as tx:
            tx.update("grid", street.grids[0], {"valid_to": "2026-12-01T02:00:00.000Z"})
            new = tx.insert("grid", {"geom": box(X0, Y0, X0 + DX, Y0 + DY),
                                     "code": "520102003001009", "name": "新网格",
                                     "community_id": street.community,
                                     "valid_from": "2026-12-01T02:00:00.000Z"})
        relink_base_data(street.session("office"))
    leader = street.session("leader")
    assert grid_on(leader, "building", building, "2026-11-25")[0] == street.grids[0]
    assert grid_on(leader, "building", building, "2026-12-02")[0] == new
    assert street.store.query("SELECT count(*) FROM base_link WHERE row_id = ?"
                              " AND table_name = 'building'", (building,))[0][0] == 2


def test_only_base_data_editors_import(street, tmp_path):
    with pytest.raises(PermissionDenied):
        import_base_data(street.session("leader"), buildings_shp(tmp_path / "x.shp"))


def test_a_grid_edit_through_the_services_relinks_by_itself(street):
    """The grid services re-link buildings after saving (not only the window): a grid
    reshaped by save_edit hands its building to the neighbour, history kept."""
    from gridapp.services.grids.edit import GridDraft, save_edit

    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        with street.store.transaction("test") as tx:
            building = tx.insert("building", {"geom": box(X0 + DX - 0.0006, Y0 + 0.001,
                                                          X0 + DX - 0.0003, Y0 + 0.0013),
                                              "name": "边界楼", "households": 10})
        relink_base_data(street.session("office"))
    leader = street.session("leader")
    assert grid_on(leader, "building", building, "2026-11-21")[0] == street.grids[0]
    # grid 0 gives a 0.001° strip on its east side to grid 1 (both redrawn)
    with use_clock(FixedClock("2026-12-01T02:00:00Z")):
        result = save_edit(street.session("office"), [
            GridDraft(geometry=box(X0, Y0, X0 + DX - 0.001, Y0 + DY),
                      replaces=(street.grids[0],)),
            GridDraft(geometry=box(X0 + DX - 0.001, Y0, X0 + 2 * DX, Y0 + DY),
                      replaces=(street.grids[1],)),
        ], action="reshape", accept_problems=True)  # a float sliver at the shared edge
    new_east = result.opened[1]
    assert grid_on(leader, "building", building, "2026-11-25")[0] == street.grids[0]
    assert grid_on(leader, "building", building, "2026-12-02")[0] == new_east
