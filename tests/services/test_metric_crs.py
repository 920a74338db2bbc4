"""The street row and the metric CRS per street (issue 14, §2 third point).

Expected values come from pyproj alone: the zone is the EPSG 4513–4533 CRS
whose own central meridian is nearest the street, and areas are geodesic
areas on the GRS80 ellipsoid (``pyproj.Geod``), never GridApp's numbers.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod

from gridapp.services.grids.importer import import_file
from gridapp.services.integrity import check_workspace
from gridapp.services.session import system_session
from gridapp.services.workspace import StreetSpec, create_workspace, workspace_info

GEOD = Geod(ellps="GRS80")  # CGCS2000's ellipsoid differs from GRS80 by 0.1 mm in b

# name, (lon, lat) of the street centre, district code
STREETS = {
    "harbin": ((126.63, 45.75), "230102"),
    "beijing": ((116.40, 39.90), "110101"),
    "guiyang": ((106.71, 26.57), "520102"),
    "sanya": ((109.51, 18.25), "460202"),
    "urumqi": ((87.62, 43.80), "650102"),
}


def zone_epsg_by_pyproj(lon: float) -> int:
    """The CGCS2000 3° GK CRS (EPSG 4513–4533) whose central meridian is nearest *lon*."""
    best = None
    for epsg in range(4513, 4534):
        op = CRS.from_epsg(epsg).coordinate_operation
        lon0 = next(p.value for p in op.params if "longitude of natural origin" in p.name.lower())
        if best is None or abs(lon0 - lon) < best[0]:
            best = (abs(lon0 - lon), epsg)
    assert best is not None
    return best[1]


def square(lon: float, lat: float, half_m: float) -> shapely.Polygon:
    """A lon/lat square of about 2*half_m metres a side, slightly irregular."""
    dlat = half_m / 111_000.0
    dlon = half_m / (111_000.0 * np.cos(np.radians(lat)))
    return shapely.Polygon([(lon - dlon, lat - dlat), (lon + dlon * 1.1, lat - dlat),
                            (lon + dlon, lat + dlat * 0.9), (lon - dlon * 0.95, lat + dlat)])


def geodesic_area(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0])


def make_workspace(tmp_path: Path, place: str):
    (_lonlat, district) = STREETS[place]
    return create_workspace(tmp_path / f"{place}.gpkg",
                            StreetSpec(district, district + "001", f"{place}街道"),
                            admin_username="admin", admin_password="Admin-pass-2026")


def write_boundaries(tmp_path: Path, place: str) -> tuple[Path, Path, list]:
    """A community of ~1.2 km a side and its four grids, as GeoPackages in EPSG:4490."""
    (lon, lat), district = STREETS[place]
    comm = square(lon, lat, 600.0)
    community_code = district + "001001"
    cx, cy = comm.centroid.x, comm.centroid.y
    minx, miny, maxx, maxy = comm.bounds
    quads = [shapely.box(x0, y0, x1, y1).intersection(comm) for x0, y0, x1, y1 in (
        (minx - 1, miny - 1, cx, cy), (cx, miny - 1, maxx + 1, cy),
        (minx - 1, cy, cx, maxy + 1), (cx, cy, maxx + 1, maxy + 1))]
    comm_file = tmp_path / f"{place}_community.gpkg"
    gpd.GeoDataFrame({"名称": ["测试社区"], "代码": [community_code]}, geometry=[comm],
                     crs=4490).to_file(comm_file, driver="GPKG")
    grid_file = tmp_path / f"{place}_grids.gpkg"
    gpd.GeoDataFrame({"名称": [f"第{i + 1}网格" for i in range(4)],
                      "编码": [f"{community_code}{i + 1:03d}" for i in range(4)]},
                     geometry=quads, crs=4490).to_file(grid_file, driver="GPKG")
    return comm_file, grid_file, quads


def test_init_records_the_street_row_and_check_passes(empty_workspace):
    rows = [dict(r) for r in empty_workspace.query(
        "SELECT name, code, district_code, office_name, geom FROM street")]
    assert rows == [{"name": "测试街道", "code": "520102003", "district_code": "520102",
                     "office_name": "测试街道办事处", "geom": None}]
    assert [p for p in check_workspace(empty_workspace) if p.severity == "error"] == []
    info = workspace_info(empty_workspace)
    assert (info.street, info.street_code, info.district_code) == (
        "测试街道", "520102003", "520102")


def test_metric_crs_is_undecided_until_boundaries_arrive(empty_workspace):
    assert empty_workspace.metric_crs() == (None, None)
    info = workspace_info(empty_workspace)
    assert info.metric_crs == "" and info.metric_epsg is None


@pytest.mark.parametrize("place", list(STREETS))
def test_first_boundaries_decide_the_zone_and_areas_are_geodesic(tmp_path, place):
    (lon, _lat), _district = STREETS[place]
    expected_epsg = zone_epsg_by_pyproj(lon)
    comm_file, grid_file, quads = write_boundaries(tmp_path, place)
    store = make_workspace(tmp_path, place)
    try:
        session = system_session(store)
        import_file(session, comm_file, "community", mapping={"name": "名称", "code": "代码"})
        import_file(session, grid_file, "grid", mapping={"name": "名称", "code": "编码"})
        grids = store.read_layer("grid", "valid_to IS NULL").sort_values("code")
        assert len(grids) == 4
        # The stored geometry is what the file held (no hidden shift)...
        for stored, source in zip(grids.geometry, quads, strict=True):
            assert stored.equals_exact(source, 1e-9)
        # ...and GridApp's metric areas agree with the geodesic ones within 0.1 %.
        metric = grids.to_crs(store.metric_epsg).geometry.area.to_numpy()
        expected = np.array([geodesic_area(g) for g in quads])
        assert np.all(np.abs(metric / expected - 1) < 1e-3), metric / expected - 1
        comm = store.read_layer("community")
        comm_area = comm.to_crs(store.metric_epsg).geometry.area.iloc[0]
        assert abs(comm_area / geodesic_area(comm.geometry.iloc[0]) - 1) < 1e-3
        # The zone was recorded when the communities (the first boundaries) arrived.
        assert store.setting("crs.metric_epsg") == expected_epsg
        assert store.metric_crs() == (expected_epsg, "setting")
        info = workspace_info(store)
        assert info.metric_epsg == expected_epsg
        assert info.metric_crs.startswith(f"EPSG:{expected_epsg} CGCS2000 / 3-degree")
        assert [p for p in check_workspace(store) if p.severity == "error"] == []
    finally:
        store.close()


def test_the_wrong_zone_would_miss_by_percent_in_urumqi():
    """Guards the test itself: 4524 (the old fallback) is far off in Urumqi."""
    (lon, lat), _ = STREETS["urumqi"]
    poly = square(lon, lat, 600.0)
    wrong = gpd.GeoSeries([poly], crs=4490).to_crs(4524).area.iloc[0]
    assert wrong / geodesic_area(poly) - 1 > 0.05


def test_later_imports_keep_the_zone(tmp_path):
    comm_file, _grid_file, _ = write_boundaries(tmp_path, "urumqi")
    store = make_workspace(tmp_path, "urumqi")
    try:
        session = system_session(store)
        import_file(session, comm_file, "community", mapping={"name": "名称", "code": "代码"})
        first = store.setting("crs.metric_epsg")
        # A second community 2° further east (another zone) does not move the CRS.
        (lon, lat), district = STREETS["urumqi"]
        other = tmp_path / "far.gpkg"
        gpd.GeoDataFrame({"名称": ["远处社区"], "代码": [district + "001002"]},
                         geometry=[square(lon + 2.0, lat, 500.0)], crs=4490).to_file(other)
        import_file(session, other, "community", mapping={"name": "名称", "code": "代码"})
        assert store.setting("crs.metric_epsg") == first == zone_epsg_by_pyproj(lon)
    finally:
        store.close()


def test_a_workspace_with_boundaries_but_no_setting_uses_their_zone(empty_workspace):
    """Workspaces made before the zone was recorded: read from the boundaries."""
    (lon, lat), _ = STREETS["harbin"]
    with empty_workspace.transaction("test") as tx:
        tx.insert("community", {"name": "社区", "code": "230102001001",
                                "geom": shapely.MultiPolygon([square(lon, lat, 400.0)])})
    assert empty_workspace.setting("crs.metric_epsg") is None
    assert empty_workspace.metric_crs() == (zone_epsg_by_pyproj(lon), "boundaries")
    assert empty_workspace.metric_epsg == zone_epsg_by_pyproj(lon)


def test_imported_communities_belong_to_the_street_from_init(tmp_path):
    comm_file, _grid_file, _ = write_boundaries(tmp_path, "beijing")
    store = make_workspace(tmp_path, "beijing")
    try:
        out = import_file(system_session(store), comm_file, "community",
                          mapping={"name": "名称", "code": "代码"})
        street_id = store.query("SELECT id FROM street")[0][0]
        assert [r[0] for r in store.query("SELECT street_id FROM community WHERE id = ?",
                                          (out.ids[0],))] == [street_id]
    finally:
        store.close()


def test_the_demo_completes_the_street_row_instead_of_adding_one(demo_file):
    from gridapp.storage import open_store

    with open_store(demo_file, readonly=True) as store:
        rows = store.query("SELECT code, geom IS NOT NULL FROM street")
        assert [tuple(r) for r in rows] == [("520102003", 1)]
        assert store.metric_epsg == zone_epsg_by_pyproj(106.71)


def test_a_street_boundary_completes_the_init_row_and_decides_the_zone(tmp_path):
    (lon, lat), _district = STREETS["harbin"]
    outline = square(lon, lat, 1500.0)
    path = tmp_path / "street.gpkg"
    gpd.GeoDataFrame({"名称": ["harbin街道"]}, geometry=[outline], crs=4490).to_file(path)
    store = make_workspace(tmp_path, "harbin")
    try:
        out = import_file(system_session(store), path, "street", mapping={"name": "名称"})
        rows = store.read_layer("street")
        assert list(rows["id"]) == out.ids and list(rows["code"]) == ["230102001"]
        assert rows.geometry.iloc[0].equals_exact(shapely.MultiPolygon([outline]), 1e-9)
        assert store.metric_crs() == (zone_epsg_by_pyproj(lon), "setting")
        area = rows.to_crs(store.metric_epsg).geometry.area.iloc[0]
        assert abs(area / geodesic_area(outline) - 1) < 1e-3
        assert [p for p in check_workspace(store) if p.severity == "error"] == []
    finally:
        store.close()


def test_several_street_outlines_without_codes_are_refused(tmp_path):
    from gridapp.errors import ImportFileError

    (lon, lat), _district = STREETS["sanya"]
    path = tmp_path / "streets.gpkg"
    gpd.GeoDataFrame({"名称": ["甲", "乙"]}, geometry=[square(lon, lat, 500.0),
                                                     square(lon + 0.02, lat, 500.0)],
                     crs=4490).to_file(path)
    store = make_workspace(tmp_path, "sanya")
    try:
        with pytest.raises(ImportFileError) as err:
            import_file(system_session(store), path, "street", mapping={"name": "名称"})
        assert {p.reason for p in err.value.params["problems"]} == {"no_code"}
        assert store.query("SELECT count(*), max(geom IS NULL) FROM street")[0][:] == (1, 1)
        assert store.metric_crs() == (None, None)
    finally:
        store.close()
